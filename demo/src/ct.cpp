// SPDX-License-Identifier: MIT
// Demo study: the CT series. 256x256x120 axial slices of the body phantom, 0.9 mm pixels, 2 mm
// slices, stored unsigned 12-bit with RescaleIntercept -1024 (stored = HU + 1024).
#include <algorithm>
#include <cmath>
#include <vector>


#include "internal.h"

namespace cvx::demo {
namespace {

constexpr int kSize = 256, kSlices = 120;
constexpr double kPixelMm = 0.9, kSliceMm = 2.0;

// Centre of voxel (i, j, k) in patient space: the volume is centred on x = y = 0.
Vec3 ctVoxelCentre(int i, int j, int k) {
  return {(i - (kSize - 1) / 2.0) * kPixelMm, (j - (kSize - 1) / 2.0) * kPixelMm,
          (k - (kSlices - 1) / 2.0) * kSliceMm};
}

void fillSlice(int k, std::vector<uint16_t>& px) {
  for (int j = 0; j < kSize; ++j)
    for (int i = 0; i < kSize; ++i) {
      const double hu = huOf(tissueAt(ctVoxelCentre(i, j, k)));
      px[static_cast<size_t>(j) * kSize + i] = static_cast<uint16_t>(std::clamp(hu + 1024.0, 0.0, 4095.0));
    }
}

void putCtModules(DicomItemWriter& d) {
  d.set("ImageType", "ORIGINAL\\PRIMARY\\AXIAL");
  d.set("KVP", "120");
  d.set("ConvolutionKernel", "STANDARD");
  d.set("BodyPartExamined", "CHEST");
  d.set("RescaleIntercept", "-1024");
  d.set("RescaleSlope", "1");
  d.set("RescaleType", "HU");
  putWindows(d, {40, -600, 400}, {400, 1500, 1800}, "ABDOMEN\\LUNG\\BONE");
}

}  // namespace

Status writeCt(const std::string& outDir, const Study& study) {
  auto dir = seriesDir(outDir, "CT");
  if (!dir) return dir.error();
  Series s{newUid(), study.ctFrameUid, "CT", kCtImageStorage, "Demo CT phantom (liver lesion, lung nodule)",
           "093000", 2};
  std::vector<uint16_t> px(static_cast<size_t>(kSize) * kSize);
  for (int k = 0; k < kSlices; ++k) {
    fillSlice(k, px);
    DicomWriter file;
    DicomItemWriter& d = file;
    const int instance = kSlices - k;  // head first: instance 1 is the most superior slice
    putCommon(d, study, s, instance);
    putCtModules(d);
    putPlane(d, Plane{ctVoxelCentre(0, 0, k), {1, 0, 0}, {0, 1, 0}, kPixelMm, kPixelMm, kSliceMm});
    putPixels(d, Pixels{kSize, kSize, 12, false, "MONOCHROME2", px.data()});
    CVX_TRY(save(file, instancePath(*dir, instance)));
  }
  return {};
}

}  // namespace cvx::demo
