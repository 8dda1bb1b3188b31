// SPDX-License-Identifier: MIT
// Laterality, edge letters and markers on real series (issue 10, "Must show"): the demo's
// asymmetric oblique anisotropic phantom (demo/OBLIQUE), the Philips pCASL (pcasl/classic), the
// sagittal T1 (sagittal_t1) and the gantry-tilted CT (tilt, a sheared grid).
//
// Where a voxel is comes from DCMTK, not from cvx::io: the world point of voxel (i, j) of the loaded
// volume's slice k is read from that slice's own file (Volume::sources[k]) as
// ImagePositionPatient + i * PixelSpacing[1] * row cosine + j * PixelSpacing[0] * column cosine
// (PS3.3 C.7.6.2.1.1). The pixel where a view shows a point is worked out here from what state.h and
// plane.h document, by hand: the standard screen axes (axial: right = +x (L), down = +y (P);
// coronal: right = +x, down = -z; sagittal: right = +y (P), down = -z, i.e. seen from the patient's
// left, anterior on the screen's left as peers show it; neurological mirrors x in axial and
// coronal), the image centred on the grid's extent (voxel edges, from DCMTK's corners) and fitting
// it edge to edge at zoom 1.
//
// Note: DCMTK reads ImageOrientationPatient 1\0\0\0\1\0 in every pcasl/classic file (Philips
// SliceOrientation TRANSVERSAL, no angulation): the "oblique pCASL" is in fact an axial stack. The
// oblique acquisition here is the demo phantom (rotated 20 deg about x and y, 0.5\0.8 mm pixels).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include <cvx/io/dicom.h>
#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/render_view.h>

#include "../io/demo_test_util.h"
#include "test_data.h"

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr int kW = 300, kH = 240;  // not square: the fit keeps the aspect in one direction only
constexpr int kAxial = 0, kCoronal = 1, kSagittal = 2;  // ViewerState's default views

// The screen axes of the standard views, written out from plane.h's table.
struct Axes {
  Vec3 right, down;
};
Axes handAxes(int view, Convention c) {
  const double lr = c == Convention::Radiological ? 1.0 : -1.0;
  if (view == kAxial) return {{lr, 0, 0}, {0, 1, 0}};
  if (view == kCoronal) return {{lr, 0, 0}, {0, 0, -1}};
  return {{0, 1, 0}, {0, 0, -1}};
}

// The letters at the four edges, derived by hand from those axes (left edge = -right, top = -down):
// axial R|L over A/P, coronal R|L over S/I, sagittal A|P over S/I; neurological swaps R and L.
std::string handLabels(int view, Convention c) {
  const bool radio = c == Convention::Radiological;
  if (view == kAxial) return radio ? "RLAP" : "LRAP";
  if (view == kCoronal) return radio ? "RLSI" : "LRSI";
  return "APSI";
}

// A loaded series and DCMTK's reading of the file of each of its slices.
struct Loaded {
  std::shared_ptr<Volume> volume;
  std::vector<test::DcmSlice> slices;  // per z
  std::array<Vec3, 3> step;            // LPS mm per index step along i, j, k (DCMTK)
  std::string error;
};

Loaded load(const std::string& dir) {
  Loaded r;
  auto v = io::loadPath(dir);
  if (!v.ok()) {
    r.error = v.error().str();
    return r;
  }
  r.volume = *v;
  const auto& d = r.volume->dims();
  if (d[3] != 1 || d[2] < 2 || r.volume->sources.size() != static_cast<size_t>(d[2])) {
    r.error = "expected one 3D stack with a source per slice";
    return r;
  }
  for (int64_t k = 0; k < d[2]; ++k) {
    test::DcmSlice s;
    const std::string& file = r.volume->sources[static_cast<size_t>(k)].file;
    if (!test::readSlice(file, s)) {
      r.error = "DCMTK cannot read " + file;
      return r;
    }
    if (s.cols != d[0] || s.rows != d[1]) {
      r.error = "slice size differs from the volume's: " + file;
      return r;
    }
    s.stored.clear();  // geometry only
    r.slices.push_back(std::move(s));
  }
  const test::DcmSlice &first = r.slices.front(), &last = r.slices.back();
  r.step = {first.rowDir * first.colSpacing, first.colDir * first.rowSpacing,
            (last.position - first.position) * (1.0 / static_cast<double>(d[2] - 1))};
  return r;
}

std::string seriesDir(const std::string& rel) {
  return rel == "OBLIQUE" ? test::DemoStudy::get().dir("OBLIQUE") : test::dataPath(rel);
}

// The pixel (continuous; pixel (x, y) has its centre at (x, y)) where a point shows in a view whose
// plane goes through it, at kW x kH: the grid's edges (corners at index -0.5 and n - 0.5, DCMTK's
// geometry) span [lo, hi] along each screen axis; the image is centred on that span and the larger
// of the two mm-per-pixel ratios fits it.
std::array<double, 2> expectedPixel(const Loaded& L, Vec3 p, const Axes& a) {
  const auto& d = L.volume->dims();
  double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
  for (int c = 0; c < 8; ++c) {
    const Vec3 w = L.slices.front().position + L.step[0] * (c & 1 ? d[0] - 0.5 : -0.5) +
                   L.step[1] * (c & 2 ? d[1] - 0.5 : -0.5) + L.step[2] * (c & 4 ? d[2] - 0.5 : -0.5);
    const double u[2] = {dot(w, a.right), dot(w, a.down)};
    for (int q = 0; q < 2; ++q) lo[q] = std::min(lo[q], u[q]), hi[q] = std::max(hi[q], u[q]);
  }
  const double mpp = std::max((hi[0] - lo[0]) / kW, (hi[1] - lo[1]) / kH);
  return {(kW - 1) / 2.0 + (dot(p, a.right) - (lo[0] + hi[0]) / 2) / mpp,
          (kH - 1) / 2.0 + (dot(p, a.down) - (lo[1] + hi[1]) / 2) / mpp};
}

// A block of voxels around index `centre`, half-size `half` (at least 2 mm each way, so that it
// spans a few pixels in every view), at the patient's extreme side `toward`.
struct Marker {
  std::array<int64_t, 3> centre{}, half{};
  Vec3 world;  // DCMTK's position of the centre voxel
};

// Per index axis: the last index (minus the half-size) when a step along it goes toward the side,
// the first when it goes away, the middle when it is perpendicular.
Marker pickMarker(const Loaded& L, Vec3 toward) {
  Marker m;
  const auto& d = L.volume->dims();
  for (int a = 0; a < 3; ++a) {
    const double len = norm(L.step[static_cast<size_t>(a)]);
    const int64_t n = d[static_cast<size_t>(a)];
    const int64_t h = std::min<int64_t>(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(2.0 / len))), (n - 1) / 2);
    const double cosine = dot(L.step[static_cast<size_t>(a)], toward) / len;
    m.half[static_cast<size_t>(a)] = h;
    m.centre[static_cast<size_t>(a)] = cosine > 1e-3 ? n - 1 - h : (cosine < -1e-3 ? h : (n - 1) / 2);
  }
  m.world = L.slices[static_cast<size_t>(m.centre[2])].patientAt(static_cast<int>(m.centre[0]),
                                                                 static_cast<int>(m.centre[1]));
  return m;
}

void setStored(Volume& v, int64_t index, double value) {
  switch (v.type()) {
    case PixelType::UInt8: v.as<uint8_t>()[index] = static_cast<uint8_t>(value); break;
    case PixelType::Int16: v.as<int16_t>()[index] = static_cast<int16_t>(value); break;
    case PixelType::UInt16: v.as<uint16_t>()[index] = static_cast<uint16_t>(value); break;
    case PixelType::Float32: v.as<float>()[index] = static_cast<float>(value); break;
    default: ADD_FAILURE() << "unexpected voxel type " << toString(v.type());
  }
}

// Writes the block with a stored value above every other voxel; returns {that value, the largest
// other stored value}.
std::array<double, 2> writeBlock(Volume& v, const Marker& m) {
  const auto& d = v.dims();
  double top = -1e300;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) top = std::max(top, v.valueAt(x, y, z));
  double value = 0;
  switch (v.type()) {
    case PixelType::UInt8: value = 255; break;
    case PixelType::Int16: value = 32767; break;
    case PixelType::UInt16: value = 65535; break;
    default: value = top + 1000 * (std::abs(top) + 1); break;
  }
  for (int64_t z = m.centre[2] - m.half[2]; z <= m.centre[2] + m.half[2]; ++z)
    for (int64_t y = m.centre[1] - m.half[1]; y <= m.centre[1] + m.half[1]; ++y)
      for (int64_t x = m.centre[0] - m.half[0]; x <= m.centre[0] + m.half[0]; ++x)
        setStored(v, (z * d[1] + y) * d[0] + x, value);
  return {value, top};
}

// The brightest blob of an image: the centroid of the pixels drawn at least half white.
struct Blob {
  double x = 0, y = 0;
  int pixels = 0;
};
Blob brightBlob(const RgbaImage& img) {
  Blob b;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      if ((img.pixels[static_cast<size_t>(y) * img.width + x] & 0xFF) >= 128) b.x += x, b.y += y, ++b.pixels;
  if (b.pixels > 0) b.x /= b.pixels, b.y /= b.pixels;
  return b;
}

enum class Side { Left, Anterior, Superior };
const char* name(Side s) { return s == Side::Left ? "Left" : (s == Side::Anterior ? "Anterior" : "Superior"); }
Vec3 direction(Side s) {  // LPS: +x is the patient's left, -y anterior, +z superior
  return s == Side::Left ? Vec3{1, 0, 0} : (s == Side::Anterior ? Vec3{0, -1, 0} : Vec3{0, 0, 1});
}

class Laterality : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    const std::string rel = GetParam();
    if (rel == "OBLIQUE") {
      CVX_REQUIRE_DEMO(test::DemoStudy::get());
    } else {
      CVX_REQUIRE_FOLDER(rel);
    }
  }
};

}  // namespace

// One marker at a time at each extreme side; each view drawn through it in both conventions.
TEST_P(Laterality, AMarkerAtAKnownPatientPositionIsAtItsPixelInAllThreePlanes) {
  for (const Side side : {Side::Left, Side::Anterior, Side::Superior}) {
    SCOPED_TRACE(name(side));
    Loaded L = load(seriesDir(GetParam()));  // a fresh copy: the block is written into its voxels
    ASSERT_TRUE(L.error.empty()) << L.error;
    const Marker m = pickMarker(L, direction(side));
    const auto [value, top] = writeBlock(*L.volume, m);
    ASSERT_GT(value, top);
    ViewerState s;
    s.addLayer(L.volume);
    DisplayMapping map;  // everything up to the brightest other voxel black, the block white
    const double lo = modalityValue(*L.volume, top), hi = modalityValue(*L.volume, value);
    map.center = (lo + hi) / 2;
    map.width = hi - lo;
    s.setMapping(0, map);
    s.setCursor(m.world);
    // The cursor stays on the marker (snapping, when the views are aligned with the grid, goes to
    // the nearest voxel centre of the loader's geometry: the same point if it agrees with DCMTK).
    EXPECT_LT(norm(s.cursor() - m.world), 1e-3);
    for (const Convention c : {Convention::Radiological, Convention::Neurological}) {
      s.setConvention(c);
      const bool radio = c == Convention::Radiological;
      SCOPED_TRACE(radio ? "radiological" : "neurological");
      ViewRenderer r;
      Blob blob[3];
      for (int view = 0; view < 3; ++view) {
        SCOPED_TRACE(toString(s.view(view).orientation));
        auto img = r.draw(s, view, kW, kH);
        ASSERT_TRUE(img.ok()) << img.error().str();
        const auto want = expectedPixel(L, m.world, handAxes(view, c));
        blob[view] = brightBlob(**img);
        ASSERT_GE(blob[view].pixels, 4) << "the marker is not drawn";
        EXPECT_NEAR(blob[view].x, want[0], 1.0);
        EXPECT_NEAR(blob[view].y, want[1], 1.0);
        // The overlay's marker position (what a marker or a measurement end is drawn at).
        const MarkerPixel mp = pixelOf(s, view, m.world, kW, kH);
        EXPECT_NEAR(mp.x, want[0], 1e-3);
        EXPECT_NEAR(mp.y, want[1], 1e-3);
        EXPECT_NEAR(mp.distanceMm, 0, 1e-3);
        EXPECT_TRUE(mp.inViewport);
      }
      // Laterality, read off the drawn images.
      const double midX = kW / 2.0, midY = kH / 2.0;
      switch (side) {
        case Side::Left:  // screen right in radiological, screen left in neurological
          EXPECT_EQ(blob[kAxial].x > midX, radio);
          EXPECT_EQ(blob[kCoronal].x > midX, radio);
          break;
        case Side::Anterior:  // top of the axial, screen left of the sagittal
          EXPECT_LT(blob[kAxial].y, midY);
          EXPECT_LT(blob[kSagittal].x, midX);
          break;
        case Side::Superior:  // top of the coronal and the sagittal
          EXPECT_LT(blob[kCoronal].y, midY);
          EXPECT_LT(blob[kSagittal].y, midY);
          break;
      }
    }
  }
}

// The views are patient-axis planes whatever the acquisition plane: their screen axes and edge
// letters are the standard ones for the oblique phantom, the axial pCASL, the sagittal T1 and the
// tilted CT alike.
TEST_P(Laterality, EdgeLettersAreThePatientsDirectionsOfTheStandardViews) {
  const Loaded L = load(seriesDir(GetParam()));
  ASSERT_TRUE(L.error.empty()) << L.error;
  ViewerState s;
  s.addLayer(L.volume);
  s.setCursor(L.slices[L.slices.size() / 2].patientAt(L.slices[0].cols / 3, L.slices[0].rows / 4));
  for (const Convention c : {Convention::Radiological, Convention::Neurological}) {
    s.setConvention(c);
    for (int view = 0; view < 3; ++view) {
      SCOPED_TRACE(std::string(toString(s.view(view).orientation)) +
                   (c == Convention::Radiological ? " radiological" : " neurological"));
      const Axes a = handAxes(view, c);
      EXPECT_LT(norm(s.view(view).plane.right - a.right), 1e-12);
      EXPECT_LT(norm(s.view(view).plane.down - a.down), 1e-12);
      const EdgeLabels e = edgeLabels(s, view);
      EXPECT_EQ(e.left + e.right + e.top + e.bottom, handLabels(view, c));
    }
  }
}

// The acquisition planes are what the letters above must not follow: DCMTK's row and column
// cosines, as read from the files.
TEST_P(Laterality, TheAcquisitionPlaneIsWhatTheSeriesSaysItIs) {
  const Loaded L = load(seriesDir(GetParam()));
  ASSERT_TRUE(L.error.empty()) << L.error;
  const test::DcmSlice& s = L.slices.front();
  const std::string rel = GetParam();
  const Vec3 normal = cross(s.rowDir, s.colDir);
  if (rel == "OBLIQUE") {  // Ry(20) Rx(20): no cosine along a patient axis
    EXPECT_NEAR(s.rowDir.x, std::cos(20 * std::numbers::pi / 180), 1e-6);
    EXPECT_NEAR(normal.z, std::cos(20 * std::numbers::pi / 180) * std::cos(20 * std::numbers::pi / 180), 1e-6);
    EXPECT_NEAR(s.rowSpacing, 0.5, 1e-9);
    EXPECT_NEAR(s.colSpacing, 0.8, 1e-9);
  } else if (rel == "sagittal_t1") {  // rows run posterior, columns run down
    EXPECT_NEAR(std::abs(normal.x), 1, 1e-6);
    EXPECT_NEAR(s.rowDir.y, 1, 1e-6);
    EXPECT_NEAR(s.colDir.z, -1, 1e-6);
  } else if (rel == "tilt") {  // the slices lean ~14 deg; the stack steps along z: a sheared grid
    EXPECT_NEAR(std::acos(normal.z) * 180 / std::numbers::pi, 14, 0.1);
    EXPECT_LT(std::abs(dot(normalized(L.step[2]), normal)), 0.98);
    EXPECT_TRUE(L.volume->geometry.sheared);
  } else {  // pcasl/classic: axial
    EXPECT_NEAR(normal.z, 1, 1e-9);
  }
}

// The phantom's own asymmetric content (docs/demo.md), with no block written: the 1000-sphere at
// (+30, 0, 0) (patient left only; body, 100, at the mirrored (-30, 0, 0)) is at its pixel in all
// three planes, and the letter L (500, |z| <= 20: stem x in [-45, -38], y in [5, 40]; foot to
// x = -20 at y in [33, 40]) reads upright in the axial plane z = 0: its area's centroid, worked by
// hand at (-37.25, 27.25) mm, lies 4.75 mm toward the patient's right and posterior of its bounding
// box's centre (-32.5, 22.5): left of and below the box centre on a radiological screen.
TEST(LateralityDemo, ThePhantomsLeftSphereAndLetterLAreWhereThePatientSpaceSays) {
  CVX_REQUIRE_DEMO(test::DemoStudy::get());
  const Loaded L = load(test::DemoStudy::get().dir("OBLIQUE"));
  ASSERT_TRUE(L.error.empty()) << L.error;
  ViewerState s;
  s.addLayer(L.volume);
  const Vec3 sphere{30, 0, 0};
  s.setCursor(sphere);
  for (const Convention c : {Convention::Radiological, Convention::Neurological}) {
    s.setConvention(c);
    const bool radio = c == Convention::Radiological;
    SCOPED_TRACE(radio ? "radiological" : "neurological");
    ViewRenderer r;
    for (int view = 0; view < 3; ++view) {
      SCOPED_TRACE(toString(s.view(view).orientation));
      ASSERT_TRUE(r.draw(s, view, kW, kH).ok());
      const std::vector<float>& v = r.values(0);
      auto at = [&](int x, int y) { return v[static_cast<size_t>(y) * kW + x]; };
      double sx = 0, sy = 0, n = 0;  // the sphere: resliced values of at least 950
      double lo[2] = {1e9, 1e9}, hi[2] = {-1e9, -1e9}, lx = 0, ly = 0, ln = 0;  // the L's plateau
      for (int y = 1; y + 1 < kH; ++y)
        for (int x = 1; x + 1 < kW; ++x) {
          if (at(x, y) >= 950) sx += x, sy += y, n += 1;
          bool plateau = true;  // 500 here and at the 4 neighbours (not an edge of the 1000-sphere)
          for (const auto& [dx, dy] : {std::pair{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}})
            plateau = plateau && std::abs(at(x + dx, y + dy) - 500) < 0.5;
          if (!plateau) continue;
          lx += x, ly += y, ln += 1;
          lo[0] = std::min<double>(lo[0], x), hi[0] = std::max<double>(hi[0], x);
          lo[1] = std::min<double>(lo[1], y), hi[1] = std::max<double>(hi[1], y);
        }
      ASSERT_GT(n, 100);
      const auto want = expectedPixel(L, sphere, handAxes(view, c));
      EXPECT_NEAR(sx / n, want[0], 1.0);
      EXPECT_NEAR(sy / n, want[1], 1.0);
      if (view == kSagittal) continue;
      const auto mirrored = expectedPixel(L, {-30, 0, 0}, handAxes(view, c));
      EXPECT_NEAR(at(static_cast<int>(std::lround(mirrored[0])), static_cast<int>(std::lround(mirrored[1]))), 100, 1);
      EXPECT_EQ(sx / n > kW / 2.0, radio);
      if (view != kAxial) continue;
      ASSERT_GT(ln, 100) << "the letter L is missing";
      EXPECT_EQ(lx / ln < (lo[0] + hi[0]) / 2, radio);  // stem on the screen's left in radiological
      EXPECT_GT(ly / ln, (lo[1] + hi[1]) / 2);           // foot at the bottom (posterior)
      const auto corner = expectedPixel(L, {-45, 5, 0}, handAxes(view, c));
      EXPECT_NEAR(radio ? lo[0] : hi[0], corner[0], 3);  // the stem's outer edge (the plateau trims ~1.5 mm)
      EXPECT_NEAR(lo[1], corner[1], 3);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RealSeries, Laterality,
                         ::testing::Values("OBLIQUE", "pcasl/classic", "sagittal_t1", "tilt"),
                         [](const ::testing::TestParamInfo<const char*>& i) {
                           std::string n = i.param;
                           std::replace(n.begin(), n.end(), '/', '_');
                           return n;
                         });
