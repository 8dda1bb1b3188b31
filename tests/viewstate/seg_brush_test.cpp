// SPDX-License-Identifier: MIT
// 3D scissors (SegEditor::scissors, seg_brush.cpp) against the voxels whose centres project inside
// the polygon, with the projection and the inside test written out here per voxel.
#include <gtest/gtest.h>

#include <cvx/viewstate/seg_edit.h>
#include <cmath>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::centreOf;

namespace {

const std::array<int64_t, 3> kDims{40, 36, 22};

Geometry anisoOblique(bool shear = false) {
  return test::obliqueGeometry({0.7, 0.9, 2.3}, {-12.3, 5.1, 40.2}, 0.4, 0.25, -0.3, shear);
}

Vec3 gridPoint(const Geometry& g, double i, double j, double k) { return g.worldAt(i, j, k); }

const uint8_t* layer0(const Segmentation& s) { return s.layers()[0]->as<uint8_t>(); }

}  // namespace

namespace {

// A square of half-size a on the plane (c, n), cut through a full segment on an oblique grid;
// expected: the voxels whose centres, projected along the view (parallel) or from the eye
// (perspective) onto the plane, land inside the square, written out here per voxel.
void scissorsSquare(bool perspective, ScissorsMode mode, bool alongRows = false, double eyeMm = 60) {
  const Geometry g = anisoOblique();
  Segmentation seg(kDims, g);
  std::vector<uint8_t> all(static_cast<size_t>(seg.voxelsPerLayer()), 1);
  ASSERT_TRUE(seg.addSegment(test::named("all"), all.data()).ok());
  SegEditor ed(seg);
  // alongRows: seen along the grid's rows, each row projects to one point.
  const Vec3 c = gridPoint(g, 20.2, 17.7, 11.3), n = alongRows ? g.direction[0] : normalized({0.2, 0.1, 1.0});
  const Vec3 e1 = normalized(cross(n, {0, 1, 0})), e2 = cross(n, e1);
  const double a = 6.3;
  ScissorsCut cut;
  cut.polygon = {c - e1 * a - e2 * a, c + e1 * a - e2 * a, c + e1 * a + e2 * a, c - e1 * a + e2 * a};
  cut.viewDirection = alongRows ? g.direction[0] : normalized({0.3, -0.2, 1.0});
  cut.perspective = perspective;
  cut.eye = c - normalized({0.1, 0.1, 1.0}) * eyeMm;
  ASSERT_TRUE(ed.scissors(0, cut, mode).ok());
  int64_t inside = 0, mismatches = 0, behindInSquare = 0;
  for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++m) {
        const Vec3 p = centreOf(g, i, j, k);
        Vec3 q;
        bool front = true;
        if (perspective) {
          const double t = dot(n, c - cut.eye) / dot(n, p - cut.eye);
          front = t > 0;
          q = cut.eye + (p - cut.eye) * t;
        } else {
          q = p - cut.viewDirection * (dot(n, p - c) / dot(n, cut.viewDirection));
        }
        const bool inSquare = std::fabs(dot(q - c, e1)) < a && std::fabs(dot(q - c, e2)) < a;
        const bool in = front && inSquare;
        behindInSquare += !front && inSquare;
        inside += in;
        const bool kept = mode == ScissorsMode::EraseInside ? !in : in;
        mismatches += kept != (layer0(seg)[m] == 1);
      }
  EXPECT_GT(inside, 1000);
  EXPECT_LT(inside, seg.voxelsPerLayer() / 2);
  EXPECT_EQ(mismatches, 0);
  if (perspective && eyeMm < 25) {  // the rule about the eye matters
    EXPECT_GT(behindInSquare, 100);
  }
  EXPECT_EQ(ed.undoSteps(), 1u);
  ASSERT_TRUE(ed.undo());
  EXPECT_EQ(seg.voxelCount(0), seg.voxelsPerLayer());
}

}  // namespace

TEST(SegEdit, ScissorsParallelSquareCutsExactlyTheProjectedVoxels) {
  scissorsSquare(false, ScissorsMode::EraseInside);
  scissorsSquare(false, ScissorsMode::KeepInside);
  scissorsSquare(false, ScissorsMode::EraseInside, true);
}

TEST(SegEdit, ScissorsPerspectiveSquareCutsExactlyTheProjectedVoxels) {
  scissorsSquare(true, ScissorsMode::EraseInside);
  scissorsSquare(true, ScissorsMode::KeepInside);
  // The eye inside the volume: the voxels behind it never count as inside.
  scissorsSquare(true, ScissorsMode::EraseInside, false, 12);
}

TEST(SegEdit, ScissorsSelfCrossingPolygonFollowsTheEvenOddRule) {
  const Geometry g = anisoOblique();
  Segmentation seg(kDims, g);
  std::vector<uint8_t> all(static_cast<size_t>(seg.voxelsPerLayer()), 1);
  ASSERT_TRUE(seg.addSegment(test::named("all"), all.data()).ok());
  SegEditor ed(seg);
  // A pentagram on the plane k = 10.5 of the grid, seen along the stack: its central pentagon is
  // crossed twice (even: outside), its points once (odd: inside).
  const Vec3 c = gridPoint(g, 20.3, 18.1, 10.5), e1 = g.direction[0], e2 = g.direction[1];
  const double R = 11.0;
  ScissorsCut cut;
  std::vector<double> pu, pv;
  for (int k = 0; k < 5; ++k) {
    const double a = 2 * M_PI * (k * 2 % 5) / 5 + 0.1;
    pu.push_back(R * std::cos(a)), pv.push_back(R * std::sin(a));
    cut.polygon.push_back(c + e1 * pu.back() + e2 * pv.back());
  }
  cut.viewDirection = g.direction[2];
  ASSERT_TRUE(ed.scissors(0, cut, ScissorsMode::EraseInside).ok());
  int64_t inside = 0, mismatches = 0;
  for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++m) {
        // The grid is orthonormal here: the projection along direction[2] keeps the in-plane
        // coordinates (p - c) . e1 and (p - c) . e2.
        const Vec3 p = centreOf(g, i, j, k);
        const double x = dot(p - c, e1), y = dot(p - c, e2);
        bool in = false;  // crossing number over every edge
        for (size_t a = 0, b = 4; a < 5; b = a++)
          if ((pv[a] > y) != (pv[b] > y) && x < (pu[b] - pu[a]) * (y - pv[a]) / (pv[b] - pv[a]) + pu[a])
            in = !in;
        inside += in;
        mismatches += in == (layer0(seg)[m] == 1);
      }
  EXPECT_GT(inside, 2000);
  EXPECT_EQ(mismatches, 0);
  // The voxel nearest the star's centre projects into the central pentagon: kept.
  EXPECT_EQ(layer0(seg)[(10 * kDims[1] + 18) * kDims[0] + 20], 1);
}

namespace {

// Even-odd inside test of a point against a closed pixel polygon, written out here.
bool insidePixels(const std::vector<std::array<double, 2>>& poly, double x, double y) {
  bool in = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const auto& a = poly[i];
    const auto& b = poly[j];
    if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) in = !in;
  }
  return in;
}

// A lasso on a 3D view's image (scissorsCutOnImage) cuts exactly the voxels whose centres the
// camera projects inside it (projectToPixel, the 3D view's own projection), parallel and
// perspective; each lasso point lies on the plane through the camera's centre and projects back
// to its pixel.
void lassoOnImage(bool perspective) {
  const Geometry g = anisoOblique();
  Segmentation seg(kDims, g);
  std::vector<uint8_t> all(static_cast<size_t>(seg.voxelsPerLayer()), 1);
  ASSERT_TRUE(seg.addSegment(test::named("all"), all.data()).ok());
  Camera3D cam;
  cam.center = g.worldAt(20, 18, 11);
  cam.eye = cam.center + Vec3{-30, -140, 45};
  cam.up = {0, 0.2, 1};
  cam.perspective = perspective;
  cam.fovYDeg = 28;
  cam.parallelHalfHeightMm = 30;
  const int w = 300, h = 220;
  const std::vector<std::array<double, 2>> lasso = {
      {101.3, 52.7}, {214.9, 71.1}, {188.2, 170.4}, {131.6, 118.9}, {77.4, 161.2}};
  const ScissorsCut cut = scissorsCutOnImage(cam, lasso, w, h);
  ASSERT_EQ(cut.polygon.size(), lasso.size());
  const Vec3 f = normalized(cam.center - cam.eye);
  for (size_t i = 0; i < lasso.size(); ++i) {
    EXPECT_NEAR(dot(cut.polygon[i] - cam.center, f), 0, 1e-9) << "on the plane through the centre";
    const auto px = projectToPixel(cam, cut.polygon[i], w, h);
    ASSERT_TRUE(px);
    EXPECT_NEAR((*px)[0], lasso[i][0], 1e-6);
    EXPECT_NEAR((*px)[1], lasso[i][1], 1e-6);
  }
  SegEditor ed(seg);
  ASSERT_TRUE(ed.scissors(0, cut, ScissorsMode::EraseInside).ok());
  const uint8_t* l = layer0(seg);
  int64_t wrong = 0, erased = 0;
  for (int64_t k = 0, i = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t x = 0; x < kDims[0]; ++x, ++i) {
        const auto px = projectToPixel(cam, g.worldAt(double(x), double(j), double(k)), w, h);
        const bool cutHere = px && insidePixels(lasso, (*px)[0], (*px)[1]);
        wrong += (l[i] == 0) != cutHere;
        erased += l[i] == 0;
      }
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(erased, 1000) << "the lasso must cut through a good part of the grid";
  EXPECT_LT(erased, seg.voxelsPerLayer());
}

}  // namespace

TEST(SegEdit, ScissorsLassoOnA3DViewImageCutsWhatTheViewShowsInside) {
  lassoOnImage(false);
  lassoOnImage(true);
}
