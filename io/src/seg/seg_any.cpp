// SPDX-License-Identifier: MIT
#include <cvx/io/seg.h>

#include <cctype>

namespace cvx::io {
namespace {

bool isLabelMapFile(const std::string& path) {
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string e : {".nrrd", ".nhdr", ".nii", ".nii.gz", ".mha", ".mhd"})
    if (lower.size() >= e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0) return true;
  return false;
}

}  // namespace

Result<Segmentation> readAnySegmentation(const std::string& path, const Volume& reference,
                                         std::vector<Diagnostic>* warnings) {
  if (isLabelMapFile(path)) return readLabelMap(path, reference, warnings);  // one segment per label
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
