// SPDX-License-Identifier: MIT
#include <cvx/io/seg.h>

#include <cvx/io/formats.h>

namespace cvx::io {
Result<Segmentation> readAnySegmentation(const std::string& path, const Volume& reference,
                                         std::vector<Diagnostic>* warnings) {
  if (imageFormatFromPath(path) != ImageFormat::Unknown)  // a label map: one segment per label
    return readLabelMap(path, reference, warnings);
  auto seg = readSeg(path, &reference);
  if (seg.ok()) {
    if (warnings) warnings->insert(warnings->end(), seg->warnings.begin(), seg->warnings.end());
    return std::move(seg->segmentation);
  }
  // Not a SEG (another SOP class, or no pixel module at all): an RTSTRUCT? Else the SEG reader's error,
  // which is also the answer for a missing file or one of the SEG's own faults.
  const std::string& why = seg.error().code;
  if (why != "seg.not_seg" && why != "seg.bad_file") return seg.error();
  auto rt = readRtStruct(path, reference, warnings);
  if (rt.ok()) return std::move(*rt);
  const std::string& rtWhy = rt.error().code;
  return rtWhy == "rtstruct.not_rtstruct" || rtWhy == "rtstruct.bad_file" ? seg.error() : rt.error();
}

}  // namespace cvx::io
