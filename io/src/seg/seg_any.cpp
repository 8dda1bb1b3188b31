// SPDX-License-Identifier: MIT
#include <cvx/io/seg.h>

namespace cvx::io {
namespace {

bool isLabelMapFile(const std::string& path) {
  for (const std::string e : {".nrrd", ".nhdr", ".nii", ".nii.gz", ".mha", ".mhd"})
    if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) return true;
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
  // Not a SEG we can read: an RTSTRUCT? Else the SEG reader's error.
  auto rt = readRtStruct(path, reference, warnings);
  if (!rt.ok()) return rt.error().code == "rtstruct.not_rtstruct" ? seg.error() : rt.error();
  return std::move(*rt);
}

}  // namespace cvx::io
