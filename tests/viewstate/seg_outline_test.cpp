// SPDX-License-Identifier: MIT
// The Draw tool's outline (SegEditor::dab(BrushPolygon), seg_brush.cpp): filled one voxel thick by
// the disk's rule, against the voxels whose centres lie within the half thickness of the plane and
// project along its normal inside the outline, both written out here per voxel (the thickness from
// the rule's definition, the inside test by crossings); erase, the value range, undo, and errors.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/seg_edit.h>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::centreOf;

namespace {

const std::array<int64_t, 3> kDims{40, 36, 22};

// Half the largest distance along n between centres adjacent along one grid axis (the rule).
double halfThickness(const Geometry& g, Vec3 n) {
  const double s[3] = {g.spacingMm.x, g.spacingMm.y, g.spacingMm.z};
  double h = 0;
  for (int a = 0; a < 3; ++a) h = std::max(h, std::fabs(dot(n, g.direction[a]) * s[a]));
  return h / 2;
}

// A seven-pointed star about c on the plane with unit normal n.
std::vector<Vec3> star(Vec3 c, Vec3 n, double r) {
  const Vec3 e1 = normalized(cross(n, Vec3{0.1, 1, 0.2})), e2 = cross(n, e1);
  std::vector<Vec3> p;
  for (int i = 0; i < 14; ++i) {
    const double a = 2 * 3.14159265358979 * i / 14, rr = i % 2 ? r * 0.45 : r;
    p.push_back(c + e1 * (rr * std::cos(a)) + e2 * (rr * std::sin(a)));
  }
  return p;
}

// Whether p projects along n inside the outline (even-odd on the plane's axes).
bool insideOutline(const std::vector<Vec3>& poly, Vec3 n, Vec3 p) {
  const Vec3 e1 = normalized(poly[1] - poly[0] - n * dot(poly[1] - poly[0], n)), e2 = cross(n, e1);
  const double x = dot(p - poly[0], e1), y = dot(p - poly[0], e2);
  bool in = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const double xi = dot(poly[i] - poly[0], e1), yi = dot(poly[i] - poly[0], e2);
    const double xj = dot(poly[j] - poly[0], e1), yj = dot(poly[j] - poly[0], e2);
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
  }
  return in;
}

}  // namespace

TEST(SegOutline, FillsTheVoxelsOfItsSliceInsideIt) {
  for (const bool oblique : {false, true}) {
    const Geometry g = oblique ? test::obliqueGeometry({0.7, 0.9, 2.3}, {-12.3, 5.1, 40.2}, 0.4, 0.25, -0.3)
                               : test::obliqueGeometry({0.8, 0.8, 2.5}, {0, 0, 0}, 0, 0, 0);
    Segmentation seg = test::withOneSegment(kDims, g);
    SegEditor ed(seg);
    // A view plane through a point between centres: an axial one (one slice) or a tilted one.
    const Vec3 c = g.worldAt(19.3, 17.6, 10.4);
    const Vec3 n = oblique ? normalized(Vec3{0.2, -0.3, 1}) : g.direction[2];
    const std::vector<Vec3> outline = star(c, n, 11);
    ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
    ASSERT_TRUE(ed.dab(BrushPolygon{outline, n}).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    const double h = halfThickness(g, n);
    const uint8_t* p = seg.layers()[0]->as<uint8_t>();
    int64_t want = 0, differ = 0;
    std::vector<int64_t> perSlice(static_cast<size_t>(kDims[2]), 0);
    for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
      for (int64_t j = 0; j < kDims[1]; ++j)
        for (int64_t i = 0; i < kDims[0]; ++i, ++m) {
          const Vec3 q = centreOf(g, i, j, k);
          const double d = dot(q - c, n);
          const bool in = d >= -h && d < h && insideOutline(outline, n, q);
          want += in;
          differ += (p[m] != 0) != in;
          perSlice[static_cast<size_t>(k)] += p[m] != 0;
        }
    EXPECT_GT(want, 50) << "oblique " << oblique;
    EXPECT_EQ(differ, 0) << "oblique " << oblique << ", " << want << " inside";
    if (!oblique) {
      int slices = 0;
      for (int64_t s : perSlice) slices += s > 0;
      EXPECT_EQ(slices, 1) << "an axial outline fills one slice";
      EXPECT_EQ(perSlice[10], want);
    }
    // Erasing the same outline takes them all out again; undo brings them back.
    ASSERT_TRUE(ed.beginStroke(0, BrushMode::Erase).ok());
    ASSERT_TRUE(ed.dab(BrushPolygon{outline, n}).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    EXPECT_EQ(seg.voxelCount(0), 0u);
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(seg.voxelCount(0), static_cast<uint64_t>(want));
  }
}

TEST(SegOutline, KeepsToTheRangeAndRefusesBadOutlines) {
  const Geometry g = test::obliqueGeometry({1, 1, 1}, {0, 0, 0}, 0, 0, 0);
  Segmentation seg = test::withOneSegment(kDims, g);
  auto source = Volume::create(PixelType::Int16, {kDims[0], kDims[1], kDims[2], 1}).value();
  source->geometry = g;
  int16_t* v = source->as<int16_t>();
  for (int64_t i = 0; i < source->voxelsPerPhase(); ++i) v[i] = (i % kDims[0]) < 20 ? 100 : 0;  // x < 20: 100
  SegEditor ed(seg);
  const std::vector<Vec3> square = {{4.5, 4.5, 7}, {35.5, 4.5, 7}, {35.5, 30.5, 7}, {4.5, 30.5, 7}};
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint, BrushRange{source.get(), 0, 50, 200}).ok());
  ASSERT_TRUE(ed.dab(BrushPolygon{square, {0, 0, 1}}).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_EQ(seg.voxelCount(0), 15u * 26u) << "x 5..19 (in range) by y 5..30 on slice 7";
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  EXPECT_EQ(ed.dab(BrushPolygon{{{5, 5, 7}, {35, 5, 7}}, {0, 0, 1}}).error().code, "seg.edit_bad_polygon");
  EXPECT_EQ(ed.dab(BrushPolygon{square, {0, 0, 0}}).error().code, "seg.edit_bad_brush");
  EXPECT_EQ(ed.dab(BrushPolygon{{{5, 5, 7}, {35, 5, 7}, {20, 5, 7}}, {0, 0, 1}}).error().code,
            "seg.edit_bad_polygon");
  // Disks before and after an outline: no dabs are added between the disks and it (the stroke would
  // join two disks 10 mm apart with disks every half radius).
  ASSERT_TRUE(ed.dab(BrushDisk{{20, 33, 2}, {0, 0, 1}, 1}).ok());
  ASSERT_TRUE(ed.dab(BrushPolygon{square, {0, 0, 1}}).ok());
  ASSERT_TRUE(ed.dab(BrushDisk{{20, 33, 12}, {0, 0, 1}, 1}).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  const uint8_t* p = seg.layers()[0]->as<uint8_t>();
  const int64_t slice = kDims[0] * kDims[1];
  for (int64_t k : {3, 4, 5, 6, 8, 9, 10, 11})
    for (int64_t i = 0; i < slice; ++i) ASSERT_EQ(p[k * slice + i], 0) << "slice " << k;
  EXPECT_NE(p[2 * slice + 33 * kDims[0] + 20], 0);
  EXPECT_NE(p[12 * slice + 33 * kDims[0] + 20], 0);
  // Two disks with nothing between them are joined (so the emptiness above means something).
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(BrushDisk{{10, 33, 14}, {0, 0, 1}, 1}).ok());
  ASSERT_TRUE(ed.dab(BrushDisk{{10, 33, 20}, {0, 0, 1}, 1}).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_NE(p[17 * slice + 33 * kDims[0] + 10], 0);
  ASSERT_EQ(ed.dab(BrushPolygon{square, {0, 0, 1}}).error().code, "seg.edit_no_stroke");
}
