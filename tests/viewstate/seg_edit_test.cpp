// SPDX-License-Identifier: MIT
// The segmentation editor's brush and undo (cvx/viewstate/seg_edit.h) against brute-force
// membership written here from the documented rules (a loop over every voxel of the grid).
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

void sphereMatchesBruteForce(bool shear) {
  const Geometry g = anisoOblique(shear);
  Segmentation seg = test::withOneSegment(kDims, g);
  SegEditor ed(seg);
  const BrushSphere s{gridPoint(g, 17.3, 15.8, 10.4), 6.17};
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(s).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  int64_t inside = 0, mismatches = 0;
  for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++n) {
        const bool in = norm(centreOf(g, i, j, k) - s.centre) <= s.radiusMm;
        inside += in;
        mismatches += in != (layer0(seg)[n] == 1);
      }
  EXPECT_GT(inside, 300);  // the ball is well inside the grid: (4/3) pi r^3 / voxel volume ~ 667
  EXPECT_EQ(mismatches, 0);
}

}  // namespace

TEST(SegEdit, SphereOnAnisotropicObliqueGridEqualsBruteForce) { sphereMatchesBruteForce(false); }
TEST(SegEdit, SphereOnShearedGridEqualsBruteForce) { sphereMatchesBruteForce(true); }

TEST(SegEdit, DiskPaintsOneSliceOnAxisAlignedGrid) {
  Geometry g;
  g.spacingMm = {0.8, 0.8, 3.0};
  g.originMm = {-10, -20, 5};
  for (double kc : {7.2, 7.5}) {  // 7.5: the plane halfway between two slices paints slice 7 only
    Segmentation seg = test::withOneSegment(kDims, g);
    SegEditor ed(seg);
    const BrushDisk d{gridPoint(g, 20.1, 17.6, kc), {0, 0, 1}, 5.3};
    ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
    ASSERT_TRUE(ed.dab(d).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    int64_t mismatches = 0, painted = 0;
    for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
      for (int64_t j = 0; j < kDims[1]; ++j)
        for (int64_t i = 0; i < kDims[0]; ++i, ++n) {
          const Vec3 p = centreOf(g, i, j, k);
          const double dx = p.x - d.centre.x, dy = p.y - d.centre.y;
          const bool in = k == 7 && dx * dx + dy * dy <= d.radiusMm * d.radiusMm;
          painted += layer0(seg)[n] == 1;
          mismatches += in != (layer0(seg)[n] == 1);
        }
    EXPECT_GT(painted, 100) << kc;  // pi 5.3^2 / 0.64 ~ 138
    EXPECT_EQ(mismatches, 0) << kc;
  }
}

namespace {
void obliqueDisk(bool shear);
}  // namespace

TEST(SegEdit, ObliqueDiskIsOneVoxelThickAndEqualsBruteForce) {
  for (bool shear : {false, true}) {
    SCOPED_TRACE(shear ? "sheared grid" : "oblique grid");
    obliqueDisk(shear);
  }
}

namespace {
void obliqueDisk(bool shear) {
  const Geometry g = anisoOblique(shear);
  Segmentation seg = test::withOneSegment(kDims, g);
  SegEditor ed(seg);
  const Vec3 n = normalized({0.3, -0.5, 0.8});
  const BrushDisk d{gridPoint(g, 19.6, 17.2, 11.1), n, 9.5};
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(d).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  // h: half the largest step along n between centres adjacent along one grid axis.
  const Vec3 steps[3] = {g.direction[0] * g.spacingMm.x, g.direction[1] * g.spacingMm.y,
                         g.direction[2] * g.spacingMm.z};
  int dominant = 0;
  for (int a = 1; a < 3; ++a)
    if (std::fabs(dot(steps[a], n)) > std::fabs(dot(steps[dominant], n))) dominant = a;
  const double h = std::fabs(dot(steps[dominant], n)) / 2;
  std::vector<int> perLine(static_cast<size_t>(kDims[0] * kDims[1] * kDims[2] / kDims[dominant]), 0);
  int64_t mismatches = 0, painted = 0;
  for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++m) {
        const Vec3 q = centreOf(g, i, j, k) - d.centre;
        const double along = dot(q, n);
        const Vec3 inPlane = q - n * along;
        const bool in = along >= -h && along < h && norm(inPlane) <= d.radiusMm;
        const bool got = layer0(seg)[m] == 1;
        mismatches += in != got;
        painted += got;
        const int64_t idx[3] = {i, j, k};
        const int a1 = (dominant + 1) % 3, a2 = (dominant + 2) % 3;
        if (got) ++perLine[static_cast<size_t>(idx[a1] + idx[a2] * kDims[a1])];
      }
  EXPECT_GT(painted, 150);
  EXPECT_EQ(mismatches, 0);
  EXPECT_LE(*std::max_element(perLine.begin(), perLine.end()), 1);  // one voxel thick
}
}  // namespace

TEST(SegEdit, EraseClearsOnlyTheSegmentsOwnLabel) {
  Geometry g;
  Segmentation seg(kDims, g);
  const int64_t n = seg.voxelsPerLayer();
  std::vector<uint8_t> left(n, 0), right(n, 0), all(n, 1);
  for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++m) (i < 20 ? left : right)[m] = 1;
  SegEditor ed(seg);
  ASSERT_EQ(*ed.addSegment(test::named("left"), left.data()), 0u);
  ASSERT_EQ(*ed.addSegment(test::named("right"), right.data()), 1u);
  ASSERT_EQ(*ed.addSegment(test::named("all"), all.data()), 2u);  // overlaps both: a second layer
  ASSERT_EQ(seg.segments()[2].layer, 1u);
  const BrushSphere s{{20, 18, 11}, 5.5};
  // Painting "left" across x = 20 takes voxels of "right" (same layer), never of "all".
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok() && ed.dab(s).ok() && ed.endStroke().ok());
  const int64_t ball = seg.voxelCount(0) - 20 * 36 * 22;
  int64_t inBall = 0, inBallRight = 0;
  for (int64_t k = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i)
        if (norm(Vec3{double(i), double(j), double(k)} - s.centre) <= s.radiusMm)
          ++inBall, inBallRight += i >= 20;
  EXPECT_EQ(ball, inBallRight);
  EXPECT_EQ(seg.voxelCount(1), 20 * 36 * 22 - inBallRight);
  EXPECT_EQ(seg.voxelCount(2), n);
  // Erasing "right" over the whole ball clears only its label; "left" keeps the ball's voxels.
  ASSERT_TRUE(ed.beginStroke(1, BrushMode::Erase).ok() && ed.dab(s).ok() && ed.endStroke().ok());
  EXPECT_EQ(seg.voxelCount(0), 20 * 36 * 22 + inBallRight);
  EXPECT_EQ(seg.voxelCount(1), 20 * 36 * 22 - inBallRight);
  // Erasing "left" leaves 0 under the ball: the ball's right half is no longer "right" either.
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Erase).ok() && ed.dab(s).ok() && ed.endStroke().ok());
  EXPECT_EQ(seg.voxelCount(0), 20 * 36 * 22 - (inBall - inBallRight));
  EXPECT_EQ(seg.voxelCount(2), n);
}

TEST(SegEdit, StrokeInterpolationLeavesNoGap) {
  Geometry g;
  g.spacingMm = {0.5, 0.5, 0.5};
  const std::array<int64_t, 3> dims{120, 40, 40};
  Segmentation seg = test::withOneSegment(dims, g);
  SegEditor ed(seg);
  const Vec3 a{3.1, 10.2, 9.9}, b{56.7, 9.3, 10.4};
  const double r = 2.0;
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(BrushSphere{a, r}).ok());
  ASSERT_TRUE(ed.dab(BrushSphere{b, r}).ok());  // one fast move of 53.6 mm = 27 radii
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_EQ(ed.undoSteps(), 1u);
  // Spheres at most r/2 apart cover the capsule of radius sqrt(r^2 - (r/4)^2) > 0.96 r, and the
  // stroke never reaches beyond the capsule of radius r.
  int64_t covered = 0, missing = 0, beyond = 0;
  const Vec3 ab = b - a;
  for (int64_t k = 0, m = 0; k < dims[2]; ++k)
    for (int64_t j = 0; j < dims[1]; ++j)
      for (int64_t i = 0; i < dims[0]; ++i, ++m) {
        const Vec3 p = centreOf(g, i, j, k);
        const double t = std::clamp(dot(p - a, ab) / dot(ab, ab), 0.0, 1.0);
        const double dist = norm(p - (a + ab * t));
        const bool got = layer0(seg)[m] == 1;
        if (dist <= 0.96 * r) ++covered, missing += !got;
        if (dist > r) beyond += got;
      }
  EXPECT_GT(covered, 4000);
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(beyond, 0);
}

TEST(SegEdit, UndoRedoRestoreByteIdenticalLayers) {
  const Geometry g = anisoOblique();
  Segmentation seg = test::withOneSegment(kDims, g);
  SegEditor ed(seg);
  std::vector<test::SegSnapshot> states{test::snapshot(seg)};
  auto stroke = [&](size_t i, BrushMode m, Vec3 idx, double r) {
    ASSERT_TRUE(ed.beginStroke(i, m).ok());
    ASSERT_TRUE(ed.dab(BrushSphere{gridPoint(g, idx.x, idx.y, idx.z), r}).ok());
    ASSERT_TRUE(ed.dab(BrushSphere{gridPoint(g, idx.x + 9, idx.y + 3, idx.z), r}).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    states.push_back(test::snapshot(seg));
  };
  stroke(0, BrushMode::Paint, {10, 10, 10}, 5);
  std::vector<uint8_t> box(static_cast<size_t>(seg.voxelsPerLayer()), 0);
  for (size_t m = 0; m < box.size(); m += 7) box[m] = 1;
  ASSERT_TRUE(ed.addSegment(test::named("b"), box.data()).ok());  // overlaps: a new layer
  states.push_back(test::snapshot(seg));
  stroke(1, BrushMode::Erase, {14, 12, 9}, 4);
  stroke(0, BrushMode::Erase, {12, 11, 10}, 3);
  Segment info = seg.segments()[0];
  info.name = "renamed", info.rgb = {1, 2, 3};
  ASSERT_TRUE(ed.setSegmentInfo(0, info).ok());
  states.push_back(test::snapshot(seg));
  ScissorsCut cut;
  cut.polygon = {gridPoint(g, 5, 5, 11), gridPoint(g, 18, 5, 11), gridPoint(g, 18, 14, 11)};
  cut.viewDirection = g.direction[2];
  ASSERT_TRUE(ed.scissors(0, cut, ScissorsMode::EraseInside).ok());
  states.push_back(test::snapshot(seg));
  ASSERT_TRUE(ed.removeSegment(1).ok());
  states.push_back(test::snapshot(seg));
  ASSERT_EQ(ed.undoSteps(), states.size() - 1);
  for (size_t s = states.size() - 1; s-- > 0;) {
    ASSERT_TRUE(ed.undo());
    EXPECT_TRUE(test::sameContent(test::snapshot(seg), states[s])) << "after undo to state " << s;
  }
  EXPECT_FALSE(ed.undo());
  for (size_t s = 1; s < states.size(); ++s) {
    ASSERT_TRUE(ed.redo());
    EXPECT_TRUE(test::sameContent(test::snapshot(seg), states[s])) << "after redo to state " << s;
  }
  EXPECT_FALSE(ed.redo());
  // A new step after an undo clears the redo steps.
  ASSERT_TRUE(ed.undo());
  stroke(0, BrushMode::Paint, {20, 20, 8}, 3);
  EXPECT_FALSE(ed.canRedo());
}

TEST(SegEdit, HistoryHoldsBricksNotVolumes) {
  Geometry g;
  const std::array<int64_t, 3> dims{256, 256, 256};
  Segmentation seg = test::withOneSegment(dims, g);
  SegEditor ed(seg);
  EXPECT_EQ(ed.historyLimitBytes(), kDefaultHistoryBytes);
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(BrushSphere{{100.3, 90.2, 120.7}, 3.0}).ok());  // within 8 bricks
  ASSERT_TRUE(ed.endStroke().ok());
  // 8 bricks of 4096 bytes, before-images in full, would be 32 KiB; the volume is 16 MiB.
  EXPECT_GT(ed.historyBytes(), 0u);
  EXPECT_LT(ed.historyBytes(), 8u * (4096 + 256));
  // The cap drops the oldest steps; the newest one always stays.
  ed.setHistoryLimitBytes(2000);
  for (int s = 0; s < 20; ++s) {
    ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
    ASSERT_TRUE(ed.dab(BrushSphere{{10.0 + 11 * s, 30.3, 40.1}, 4.0}).ok());
    ASSERT_TRUE(ed.endStroke().ok());
    EXPECT_TRUE(ed.historyBytes() <= 2000 || ed.undoSteps() == 1) << ed.historyBytes();
  }
  EXPECT_LT(ed.undoSteps(), 21u);
  ed.clearHistory();
  EXPECT_EQ(ed.historyBytes(), 0u);
  EXPECT_FALSE(ed.canUndo());
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(BrushSphere{{200.3, 30.3, 40.1}, 4.0}).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_GE(ed.undoSteps(), 1u);
  const int64_t before = seg.voxelCount(0);
  ASSERT_TRUE(ed.undo());  // the last stroke's ball goes
  EXPECT_LT(seg.voxelCount(0), before);
}

TEST(SegEdit, ErrorsHaveCodes) {
  Geometry g;
  Segmentation seg = test::withOneSegment(kDims, g);
  SegEditor ed(seg);
  EXPECT_EQ(ed.beginStroke(3, BrushMode::Paint).error().code, "seg.edit_bad_segment");
  EXPECT_EQ(ed.dab(BrushSphere{{1, 1, 1}, 2}).error().code, "seg.edit_no_stroke");
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  EXPECT_EQ(ed.beginStroke(0, BrushMode::Paint).error().code, "seg.edit_no_stroke");
  EXPECT_EQ(ed.dab(BrushSphere{{1, 1, 1}, 0}).error().code, "seg.edit_bad_brush");
  EXPECT_EQ(ed.dab(BrushSphere{{1, 1, 1}, NAN}).error().code, "seg.edit_bad_brush");
  EXPECT_EQ(ed.dab(BrushDisk{{1, 1, 1}, {0, 0, 0}, 2}).error().code, "seg.edit_bad_brush");
  EXPECT_FALSE(ed.undo());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_EQ(ed.undoSteps(), 0u);  // a stroke that changed nothing is no step
  ScissorsCut cut;
  cut.polygon = {{0, 0, 0}, {1, 0, 0}};
  EXPECT_EQ(ed.scissors(0, cut, ScissorsMode::EraseInside).error().code, "seg.edit_bad_polygon");
  cut.polygon = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
  EXPECT_EQ(ed.scissors(0, cut, ScissorsMode::EraseInside).error().code, "seg.edit_bad_polygon");
  cut.polygon = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}};
  cut.viewDirection = {1, 0, 0};
  EXPECT_EQ(ed.scissors(0, cut, ScissorsMode::EraseInside).error().code, "seg.edit_bad_polygon");
}
