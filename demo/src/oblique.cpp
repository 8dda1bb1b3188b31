// SPDX-License-Identifier: MIT
// Demo study: the oblique orientation phantom. 160 columns x 200 rows x 40 slices, PixelSpacing
// 0.5\0.8 (0.5 mm between rows, 0.8 mm between columns), 2.5 mm slices, the plane rotated 20 deg
// about x then 20 deg about y. Its content is defined in patient space (docs/demo.md), so a
// row/column or left/right swap in a reader moves the markers away from where they belong.
#include <cmath>
#include <numbers>
#include <vector>


#include "internal.h"

namespace cvx::demo {
namespace {

constexpr int kCols = 160, kRows = 200, kSlices = 40;
constexpr double kColSpacing = 0.8, kRowSpacing = 0.5, kSliceMm = 2.5;

struct Frame {
  Vec3 row, col, normal;
};

// R = Ry(20 deg) * Rx(20 deg); row = R e_x, column = R e_y, normal = R e_z.
Frame obliqueFrame() {
  const double a = 20.0 * std::numbers::pi / 180.0;
  const double c = std::cos(a), s = std::sin(a);
  return {{c, 0, -s}, {s * s, c, c * s}, {s * c, -s, c * c}};
}

// Centre of voxel (i, j, k): the grid is centred on the patient origin.
Vec3 voxelCentre(const Frame& f, int i, int j, int k) {
  return f.row * ((i - (kCols - 1) / 2.0) * kColSpacing) + f.col * ((j - (kRows - 1) / 2.0) * kRowSpacing) +
         f.normal * ((k - (kSlices - 1) / 2.0) * kSliceMm);
}

bool inSphere(Vec3 p, Vec3 c, double r) { return norm(p - c) <= r; }

// An upright "L" seen on an axial display (patient right on screen left, anterior up):
// the stem x in [-45,-38], y in [5,40]; the foot x in [-45,-20], y in [33,40]; |z| <= 20.
bool inLetterL(Vec3 p) {
  if (std::abs(p.z) > 20.0 || p.x < -45.0 || p.y > 40.0) return false;
  const bool stem = p.x <= -38.0 && p.y >= 5.0;
  const bool foot = p.x <= -20.0 && p.y >= 33.0;
  return stem || foot;
}

uint16_t valueAt(Vec3 p) {
  if (inSphere(p, {30, 0, 0}, 10)) return 1000;   // patient left only
  if (inSphere(p, {0, -30, 0}, 6)) return 700;    // anterior
  if (inSphere(p, {0, 0, 30}, 8)) return 400;     // superior (head)
  if (inLetterL(p)) return 500;
  const double x = p.x / 60.0, y = p.y / 48.0, z = p.z / 45.0;
  return x * x + y * y + z * z <= 1.0 ? 100 : 0;
}

void putObliqueModules(DicomItemWriter& d) {
  d.set("ImageType", "ORIGINAL\\PRIMARY\\M\\ND");
  d.set("ScanningSequence", "SE");
  d.set("SequenceVariant", "NONE");
  d.set("ScanOptions", "");
  d.set("MRAcquisitionType", "2D");
  d.set("RepetitionTime", "500");
  d.set("EchoTime", "15");
  d.set("EchoTrainLength", "1");
  d.set("MagneticFieldStrength", "1.5");
  putWindows(d, {500}, {1000}, "DEFAULT");
}

}  // namespace

Status writeOblique(const std::string& outDir, const Study& study) {
  auto dir = seriesDir(outDir, "OBLIQUE");
  if (!dir) return dir.error();
  Series s{newUid(), newUid(), "MR", kMrImageStorage, "Demo oblique orientation phantom (L marker)",
           "104000", 5};
  const Frame f = obliqueFrame();
  std::vector<uint16_t> px(static_cast<size_t>(kCols) * kRows);
  for (int k = 0; k < kSlices; ++k) {
    for (int j = 0; j < kRows; ++j)
      for (int i = 0; i < kCols; ++i) px[static_cast<size_t>(j) * kCols + i] = valueAt(voxelCentre(f, i, j, k));
    DicomWriter file;
    DicomItemWriter& d = file;
    putCommon(d, study, s, k + 1);
    putObliqueModules(d);
    putPlane(d, Plane{voxelCentre(f, 0, 0, k), f.row, f.col, kRowSpacing, kColSpacing, kSliceMm});
    putPixels(d, Pixels{kRows, kCols, 12, false, "MONOCHROME2", px.data()});
    CVX_TRY(save(file, instancePath(*dir, k + 1)));
  }
  return {};
}

}  // namespace cvx::demo
