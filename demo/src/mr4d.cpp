// SPDX-License-Identifier: MIT
// Demo study: the 4D MR series. 10 phases of 96x96x24 axial slices (2.5 mm pixels, 5 mm slices),
// classic single-frame files in one series: a beating ventricle and a blob moving along +x.
// Phase t (0-based) has TemporalPositionIdentifier t+1 and TriggerTime 80 t ms.
#include <cmath>
#include <numbers>
#include <vector>


#include "internal.h"

namespace cvx::demo {
namespace {

constexpr int kSize = 96, kSlices = 24, kPhases = 10;
constexpr double kPixelMm = 2.5, kSliceMm = 5.0, kPhaseMs = 80.0;

Vec3 mrVoxelCentre(int i, int j, int k) {
  return {(i - (kSize - 1) / 2.0) * kPixelMm, (j - (kSize - 1) / 2.0) * kPixelMm,
          (k - (kSlices - 1) / 2.0) * kSliceMm};
}

// Signal at p in phase t: blood pool radius 25 + 10 cos(2 pi t / 10) mm at the origin, a 6 mm
// myocardial wall around it, a 8 mm blob centred at (-40 + 8 t, 40, 0) mm, in a 100x80 mm body.
uint16_t signalAt(Vec3 p, int t) {
  const double radius = 25.0 + 10.0 * std::cos(2.0 * std::numbers::pi * t / kPhases);
  const double r = norm(p);
  const Vec3 blob{-40.0 + 8.0 * t, 40.0, 0.0};
  if (norm(p - blob) <= 8.0) return 800;
  if (r <= radius) return 1000;
  if (r <= radius + 6.0) return 500;
  const double bx = p.x / 100.0, by = p.y / 80.0;
  return bx * bx + by * by <= 1.0 ? 300 : 0;
}

void putMrModules(DicomItemWriter& d, int t) {
  d.set("ImageType", "ORIGINAL\\PRIMARY\\M\\ND");
  d.set("ScanningSequence", "GR");
  d.set("SequenceVariant", "SS");
  d.set("ScanOptions", "CG");
  d.set("MRAcquisitionType", "2D");
  d.set("RepetitionTime", "3.2");
  d.set("EchoTime", "1.4");
  d.set("EchoTrainLength", "1");
  d.set("MagneticFieldStrength", "1.5");
  d.set("ImagedNucleus", "1H");
  d.set("TriggerTime", ds(kPhaseMs * t));
  d.set("TemporalPositionIdentifier", std::to_string(t + 1));
  d.set("NumberOfTemporalPositions", std::to_string(kPhases));
  d.set("CardiacNumberOfImages", std::to_string(kPhases));
  putWindows(d, {500}, {1000}, "DEFAULT");
}

Status writePhaseSlice(const std::string& dir, const Study& study, const Series& s, int t, int k,
                       std::vector<uint16_t>& px) {
  for (int j = 0; j < kSize; ++j)
    for (int i = 0; i < kSize; ++i) px[static_cast<size_t>(j) * kSize + i] = signalAt(mrVoxelCentre(i, j, k), t);
  DicomWriter file;
  DicomItemWriter& d = file;
  const int instance = t * kSlices + k + 1;
  putCommon(d, study, s, instance);
  putMrModules(d, t);
  putPlane(d, Plane{mrVoxelCentre(0, 0, k), {1, 0, 0}, {0, 1, 0}, kPixelMm, kPixelMm, kSliceMm});
  putPixels(d, Pixels{kSize, kSize, 12, false, "MONOCHROME2", px.data()});
  return save(file, instancePath(dir, instance));
}

}  // namespace

Status writeMr4d(const std::string& outDir, const Study& study) {
  auto dir = seriesDir(outDir, "MR4D");
  if (!dir) return dir.error();
  Series s{newUid(), newUid(), "MR", kMrImageStorage, "Demo 4D cine (10 phases, beating + moving)",
           "103000", 4};
  std::vector<uint16_t> px(static_cast<size_t>(kSize) * kSize);
  for (int t = 0; t < kPhases; ++t)
    for (int k = 0; k < kSlices; ++k) CVX_TRY(writePhaseSlice(*dir, study, s, t, k, px));
  return {};
}

}  // namespace cvx::demo
