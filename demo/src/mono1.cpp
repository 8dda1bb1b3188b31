// SPDX-License-Identifier: MIT
// Demo study: a MONOCHROME1 CT-like stack (128x128x8, 1 mm pixels, 2 mm slices): eight vertical
// bands stored 0, 512, ..., 3584 from left (column 0) to right, a disc of radius 20 pixels at the
// centre and a 16x16 square in the top-left corner, both stored 4000. MONOCHROME1 shows stored 0
// as white: on screen the left band is white, the disc and the corner square are black.
#include <vector>


#include "internal.h"

namespace cvx::demo {
namespace {

constexpr int kSize = 128, kSlices = 8;

uint16_t storedAt(int i, int j) {
  const int di = i - 64, dj = j - 64;
  if (di * di + dj * dj <= 20 * 20) return 4000;
  if (i < 16 && j < 16) return 4000;
  return static_cast<uint16_t>(512 * (i / 16));
}

}  // namespace

Status writeMono1(const std::string& outDir, const Study& study) {
  auto dir = seriesDir(outDir, "MONO1");
  if (!dir) return dir.error();
  Series s{newUid(), newUid(), "CT", kCtImageStorage, "Demo MONOCHROME1 bands (stored 0 = white)",
           "105000", 6};
  std::vector<uint16_t> px(static_cast<size_t>(kSize) * kSize);
  for (int j = 0; j < kSize; ++j)
    for (int i = 0; i < kSize; ++i) px[static_cast<size_t>(j) * kSize + i] = storedAt(i, j);
  for (int k = 0; k < kSlices; ++k) {
    DicomWriter file;
    DicomItemWriter& d = file;
    putCommon(d, study, s, k + 1);
    d.set("ImageType", "DERIVED\\SECONDARY\\AXIAL");
    d.set("KVP", "");
    d.set("RescaleIntercept", "0");
    d.set("RescaleSlope", "1");
    d.set("RescaleType", "US");
    putWindows(d, {2048}, {4096}, "FULL");
    const Vec3 origin{-63.5, -63.5, 2.0 * k};
    putPlane(d, Plane{origin, {1, 0, 0}, {0, 1, 0}, 1.0, 1.0, 2.0});
    putPixels(d, Pixels{kSize, kSize, 12, false, "MONOCHROME1", px.data()});
    CVX_TRY(save(file, instancePath(*dir, k + 1)));
  }
  return {};
}

}  // namespace cvx::demo
