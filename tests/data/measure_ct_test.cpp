// SPDX-License-Identifier: MIT
// Measurements on the real chest CT (../shared/data/ct, 512 x 512 x 134, 0.977 x 0.977 x 3 mm)
// against its DICOM headers and pixels read here with DCMTK, not with cvx::io: a distance between
// two voxel centres equals their index distance times the spacing (ImagePositionPatient,
// PixelSpacing, ImageOrientationPatient; PS3.3 C.7.6.2.1.1) within half a voxel, and ROI values
// equal the statistics of DCMTK's decoded pixels (stored x slope + intercept) inside the ROI.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>
#include <cvx/viewstate/measure.h>

#include "../io/demo_test_util.h"
#include "../viewstate/viewstate_test_util.h"
#include "dcmtk_oracle.h"
#include "test_data.h"

using namespace cvx;
using namespace cvx::view;

namespace {

// One slice's header as DCMTK reads it.
struct Header {
  std::string file;
  Vec3 position, rowDir, colDir;
  double rowSpacing = 0, colSpacing = 0;  // PixelSpacing[0] (between rows), [1] (between columns)
  double slope = 1, intercept = 0;
  int rows = 0, cols = 0;
  Vec3 patientAt(double col, double row) const {
    return position + rowDir * (col * colSpacing) + colDir * (row * rowSpacing);
  }
};

std::vector<Header> readHeaders(const std::string& dir) {
  std::vector<Header> out;
  for (const auto& f : test::filesIn(dir)) {
    DcmFileFormat ff;
    if (ff.loadFile(f.c_str()).bad()) continue;
    DcmDataset& d = *ff.getDataset();
    Header h;
    h.file = f;
    for (int i = 0; i < 3; ++i) {
      h.position[i] = test::tagNum(d, DCM_ImagePositionPatient, static_cast<unsigned long>(i));
      h.rowDir[i] = test::tagNum(d, DCM_ImageOrientationPatient, static_cast<unsigned long>(i));
      h.colDir[i] = test::tagNum(d, DCM_ImageOrientationPatient, static_cast<unsigned long>(i + 3));
    }
    h.rowSpacing = test::tagNum(d, DCM_PixelSpacing, 0);
    h.colSpacing = test::tagNum(d, DCM_PixelSpacing, 1);
    if (d.tagExists(DCM_RescaleSlope)) h.slope = test::tagNum(d, DCM_RescaleSlope);
    if (d.tagExists(DCM_RescaleIntercept)) h.intercept = test::tagNum(d, DCM_RescaleIntercept);
    Uint16 rows = 0, cols = 0;
    d.findAndGetUint16(DCM_Rows, rows);
    d.findAndGetUint16(DCM_Columns, cols);
    h.rows = rows;
    h.cols = cols;
    out.push_back(h);
  }
  // Slice order along the normal, found here from the positions.
  if (!out.empty()) {
    const Vec3 n = cross(out[0].rowDir, out[0].colDir);
    std::sort(out.begin(), out.end(), [&](const Header& a, const Header& b) { return dot(a.position, n) < dot(b.position, n); });
  }
  return out;
}

struct Ct {
  std::shared_ptr<Volume> volume;
  std::vector<Header> slices;
  std::string error;
};

const Ct& ct() {
  static const Ct c = [] {
    Ct r;
    const std::string dir = test::dataPath("ct");
    auto v = io::loadPath(dir);
    if (!v) r.error = v.error().str();
    else r.volume = *v;
    r.slices = readHeaders(dir);
    return r;
  }();
  return c;
}

// The loaded volume's slice index that holds DICOM slice s: the one whose plane is nearest.
int64_t volumeSlice(const Volume& v, const Header& s) {
  const Vec3 n = cross(s.rowDir, s.colDir);
  int64_t best = -1;
  double bestDist = 1e300;
  for (int64_t k = 0; k < v.dims()[2]; ++k) {
    const double d = std::abs(dot(v.geometry.worldAt(0, 0, k) - s.position, n));
    if (d < bestDist) bestDist = d, best = k;
  }
  return best;
}

// The axial view plane of the viewer (right = L = +x, down = P = +y) through a point.
Plane axialThrough(Vec3 p) {
  Plane pl;
  pl.center = p;
  return pl;
}

// Count, mean, sample SD, min, max of DCMTK's modality values at the pixels `inside` accepts.
struct Expected {
  int64_t count = 0;
  double mean = 0, sd = 0, min = 1e300, max = -1e300;
};
template <class Inside>
Expected dcmtkStats(const Header& h, Inside inside) {
  const auto stored = test::dcmtkStoredFrame(h.file);
  EXPECT_EQ(stored.size(), static_cast<size_t>(h.rows) * static_cast<size_t>(h.cols));
  Expected e;
  double sum = 0, sum2 = 0;
  for (int r = 0; r < h.rows; ++r)
    for (int c = 0; c < h.cols; ++c) {
      if (!inside(c, r)) continue;
      const double v = stored[static_cast<size_t>(r) * static_cast<size_t>(h.cols) + static_cast<size_t>(c)] * h.slope + h.intercept;
      ++e.count, sum += v, sum2 += v * v, e.min = std::min(e.min, v), e.max = std::max(e.max, v);
    }
  e.mean = sum / static_cast<double>(e.count);
  e.sd = std::sqrt((sum2 - sum * e.mean) / static_cast<double>(e.count - 1));
  return e;
}

// CT values are integers, exact in the float reslice; PET values (per-slice slopes) are held as
// float32 modality values, so they agree to float rounding (relative 1e-6).
void expectStats(const RoiStats& got, const Expected& e, double relative = 0) {
  EXPECT_EQ(got.count, e.count);
  EXPECT_NEAR(got.mean, e.mean, std::max(1e-9, relative) * std::max(1.0, std::abs(e.mean)));
  EXPECT_NEAR(got.sd, e.sd, std::max(1e-6, relative) * std::max(1.0, e.sd));
  EXPECT_NEAR(got.min, e.min, relative * std::abs(e.min));
  EXPECT_NEAR(got.max, e.max, relative * std::abs(e.max));
}

}  // namespace

TEST(MeasureCt, DistanceBetweenVoxelCentresIsIndexDistanceTimesSpacing) {
  CVX_REQUIRE_FOLDER("ct");
  const Ct& c = ct();
  ASSERT_TRUE(c.volume) << c.error;
  ASSERT_EQ(c.slices.size(), 134u);
  const Volume& v = *c.volume;
  ASSERT_TRUE(v.geometry.spacingKnown);
  // Voxel centres (column, row, slice in position order) picked across the volume.
  struct Pick {
    int col, row, slice;
  };
  const std::vector<std::pair<Pick, Pick>> pairs = {
      {{100, 150, 10}, {400, 380, 120}}, {{0, 0, 0}, {511, 511, 133}}, {{256, 256, 67}, {256, 256, 68}},
      {{30, 470, 5}, {480, 20, 5}}};
  for (const auto& [a, b] : pairs) {
    const Header& ha = c.slices[static_cast<size_t>(a.slice)];
    const Header& hb = c.slices[static_cast<size_t>(b.slice)];
    // Index distance times spacing: columns x PixelSpacing[1], rows x PixelSpacing[0], and the
    // slices' distance along the normal from their ImagePositionPatient.
    const Vec3 n = cross(ha.rowDir, ha.colDir);
    const double dz = dot(hb.position - ha.position, n);
    const double expected = std::sqrt(std::pow((b.col - a.col) * ha.colSpacing, 2) +
                                      std::pow((b.row - a.row) * ha.rowSpacing, 2) + dz * dz);
    // The same from the pixels' patient positions (PS3.3 C.7.6.2.1.1).
    EXPECT_NEAR(norm(hb.patientAt(b.col, b.row) - ha.patientAt(a.col, a.row)), expected, 1e-9);
    // What the viewer measures between the loaded volume's voxel centres.
    const Vec3 pa = v.geometry.worldAt(a.col, a.row, static_cast<double>(volumeSlice(v, ha)));
    const Vec3 pb = v.geometry.worldAt(b.col, b.row, static_cast<double>(volumeSlice(v, hb)));
    Measurement m;
    m.kind = MeasureKind::Distance;
    m.plane = axialThrough(pa);
    m.points = {pa, pb};
    const auto r = measure(m, v);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_EQ(r->unit, "mm");
    const double halfVoxel = 0.5 * std::min({ha.colSpacing, ha.rowSpacing, v.geometry.spacingMm.z});
    EXPECT_NEAR(r->value, expected, halfVoxel) << a.col << "," << a.row << "," << a.slice;
    EXPECT_NEAR(r->value, expected, 1e-3);  // what it actually is: positions agree to float rounding
    test::expectVec(pa, ha.patientAt(a.col, a.row), 1e-3);
  }
}

TEST(MeasureCt, RectangleRoiValuesAreTheDicomPixelsInside) {
  CVX_REQUIRE_FOLDER("ct");
  const Ct& c = ct();
  ASSERT_TRUE(c.volume) << c.error;
  const Volume& v = *c.volume;
  const Header& h = c.slices[60];
  const double k = static_cast<double>(volumeSlice(v, h));
  // From the centre of column 200, row 220 to column 260, row 250: 61 x 31 pixels.
  Measurement m;
  m.kind = MeasureKind::Rectangle;
  m.plane = axialThrough(v.geometry.worldAt(256, 256, k));
  m.points = {v.geometry.worldAt(200, 220, k), v.geometry.worldAt(260, 250, k)};
  const auto r = measure(m, v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  ASSERT_TRUE(r->stats.has_value());
  const Expected e = dcmtkStats(h, [](int col, int row) { return col >= 200 && col <= 260 && row >= 220 && row <= 250; });
  EXPECT_EQ(e.count, 61 * 31);
  EXPECT_GT(e.max, e.min);
  expectStats(*r->stats, e);
  EXPECT_NEAR(r->value, 60 * h.colSpacing * 30 * h.rowSpacing, 1e-6);
  EXPECT_EQ(r->statsUnit, v.info.units.empty() ? v.info.rescaleType : v.info.units);
}

TEST(MeasureCt, EllipseRoiCountsThePixelCentresInsideIt) {
  CVX_REQUIRE_FOLDER("ct");
  const Ct& c = ct();
  ASSERT_TRUE(c.volume) << c.error;
  const Volume& v = *c.volume;
  const Header& h = c.slices[90];
  const double k = static_cast<double>(volumeSlice(v, h));
  // 40 x 24 mm, centred on the centre of column 256, row 300 (not on any pixel edge: 20.48 and
  // 12.29 pixels).
  const Vec3 centre = v.geometry.worldAt(256, 300, k);
  const double a = 20, b = 12;
  Measurement m;
  m.kind = MeasureKind::Ellipse;
  m.plane = axialThrough(centre);
  m.points = {centre - Vec3{a, b, 0}, centre + Vec3{a, b, 0}};
  const auto r = measure(m, v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Vec3 o = h.patientAt(256, 300);
  const Expected e = dcmtkStats(h, [&](int col, int row) {
    const Vec3 p = h.patientAt(col, row) - o;
    return (p.x / a) * (p.x / a) + (p.y / b) * (p.y / b) <= 1;
  });
  EXPECT_GT(e.count, 700);  // about pi * 20.48 * 12.29 = 790
  EXPECT_GT(e.max, e.min);
  expectStats(*r->stats, e);
  EXPECT_NEAR(r->value, M_PI * a * b, 1e-9);
}

TEST(MeasurePetCt, RoiInBqmlAndSuvbwFromTheDicomPixels) {
  CVX_REQUIRE_FOLDER("pet_ct/PT");
  const std::string dir = test::dataPath("pet_ct/PT");
  auto loaded = io::loadPath(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  const Volume& v = **loaded;
  const auto slices = readHeaders(dir);
  ASSERT_EQ(slices.size(), 40u);
  const Header& h = slices[20];
  const double k = static_cast<double>(volumeSlice(v, h));
  // Columns 50..80, rows 40..70 of one slice (31 x 31 pixels of 4.6875 mm).
  Measurement m;
  m.kind = MeasureKind::Rectangle;
  m.plane = axialThrough(v.geometry.worldAt(64, 64, k));
  m.points = {v.geometry.worldAt(50, 40, k), v.geometry.worldAt(80, 70, k)};
  const auto r = measure(m, v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Expected e = dcmtkStats(h, [](int col, int row) { return col >= 50 && col <= 80 && row >= 40 && row <= 70; });
  ASSERT_EQ(e.count, 31 * 31);
  EXPECT_GT(e.max, e.min);  // not a flat patch: min, max and SD are tested
  expectStats(*r->stats, e, 1e-6);
  EXPECT_EQ(r->statsUnit, "BQML");
  // SUVbw factor by hand from pet_ct/README.md: 71 kg, 3.88777472e8 Bq injected at 10:35:00,
  // series 11:20:11 (2711 s), half-life 6588 s, DecayCorrection START.
  const double factor = 71000.0 / (3.88777472e8 * std::exp2(-2711.0 / 6588.0));
  ASSERT_TRUE(r->suv.has_value()) << r->suvError;
  Expected suv = e;
  suv.mean *= factor, suv.sd *= factor, suv.min *= factor, suv.max *= factor;
  expectStats(*r->suv, suv, 1e-6);
  RecordProperty("suv_mean", std::to_string(r->suv->mean));
  RecordProperty("suv_max", std::to_string(r->suv->max));
}
