// SPDX-License-Identifier: MIT
// Level tracing (level_trace.h): the region against phantoms whose regions are known by
// construction (two discs of one value on a background, a ramp, a ring around a hole), on each of
// the grid's three slice axes and on a sheared grid; the dark side; a flat point; a source on
// another grid; the trace filled into a segment by SegEditor within the range, erased, undone.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <cvx/viewstate/level_trace.h>
#include <cvx/viewstate/seg_edit.h>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

const std::array<int64_t, 3> kDims{40, 36, 12};

// Voxel (i, j, k)'s stored value from f, on grid g, as the segmentation's own series.
template <class F>
std::shared_ptr<Volume> series(const Geometry& g, const F& f) {
  auto v = Volume::create(PixelType::Int16, {kDims[0], kDims[1], kDims[2], 1}).value();
  v->geometry = g;
  int16_t* p = v->as<int16_t>();
  for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++n) p[n] = static_cast<int16_t>(f(i, j, k));
  return v;
}

bool inDisc(int64_t u, int64_t v, double cu, double cv, double r) {
  return (u - cu) * (u - cu) + (v - cv) * (v - cv) <= r * r;
}

// Two discs of 300 (radius 6 about (10, 12), radius 5 about (28, 20)) on 0, on every slice across k.
int discs(int64_t i, int64_t j, int64_t) {
  return inDisc(i, j, 10, 12, 6) || inDisc(i, j, 28, 20, 5) ? 300 : 0;
}

}  // namespace

TEST(LevelTrace, TheBrightSideIsTheDiscUnderTheSeedAlone) {
  const Geometry g{};
  Segmentation seg = test::withOneSegment(kDims, g);
  const auto v = series(g, discs);
  // (16, 12) is the first disc's rim: its right neighbour (17, 12) lies outside, at 0.
  const auto t = levelTrace(seg, *v, 0, {16, 12, 5}, 2);
  ASSERT_TRUE(t.ok()) << t.error().str();
  EXPECT_EQ(t->level, 300);
  EXPECT_TRUE(t->above);
  size_t want = 0, second = 0;
  for (int64_t j = 0; j < kDims[1]; ++j)
    for (int64_t i = 0; i < kDims[0]; ++i) {
      const bool in = inDisc(i, j, 10, 12, 6);
      want += in;
      second += inDisc(i, j, 28, 20, 5);
      ASSERT_EQ(t->mask[static_cast<size_t>(j * kDims[0] + i)], in ? 1 : 0) << i << ", " << j;
    }
  EXPECT_EQ(t->count, want);
  EXPECT_EQ(t->voxel(3, 4), (std::array<int64_t, 3>{3, 4, 5}));
  // On the background beside the rim: only brighter neighbours, so the dark side: the background,
  // both discs left out.
  const auto out = levelTrace(seg, *v, 0, {17, 12, 5}, 2);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->above);
  EXPECT_EQ(out->count, static_cast<size_t>(kDims[0] * kDims[1]) - want - second);
  // Inside the disc, away from its rim: flat.
  EXPECT_EQ(levelTrace(seg, *v, 0, {10, 12, 5}, 2).error().code, "seg.edit_flat");
  EXPECT_EQ(levelTrace(seg, *v, 0, {40, 12, 5}, 2).error().code, "seg.edit_no_island");
}

TEST(LevelTrace, ARampKeepsTheColumnsAtOrAboveTheSeedsOnEachAxis) {
  // value = 3 i + 5 j + 7 k: on a slice across axis a the region >= the seed's value is a half-plane
  // of the other two, counted here voxel by voxel.
  const Geometry g{};
  Segmentation seg = test::withOneSegment(kDims, g);
  const auto v = series(g, [](int64_t i, int64_t j, int64_t k) { return 3 * i + 5 * j + 7 * k; });
  const std::array<int64_t, 3> seed{13, 17, 6};
  const int level = 3 * 13 + 5 * 17 + 7 * 6;
  for (int axis = 0; axis < 3; ++axis) {
    const auto t = levelTrace(seg, *v, 0, seed, axis);
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(t->above);
    size_t want = 0;
    for (int64_t k = 0; k < kDims[2]; ++k)
      for (int64_t j = 0; j < kDims[1]; ++j)
        for (int64_t i = 0; i < kDims[0]; ++i) {
          const int64_t p[3] = {i, j, k};
          if (p[axis] != seed[static_cast<size_t>(axis)]) continue;
          want += 3 * i + 5 * j + 7 * k >= level;
        }
    EXPECT_EQ(t->count, want) << "axis " << axis;
    EXPECT_EQ(t->slice, seed[static_cast<size_t>(axis)]);
  }
}

TEST(LevelTrace, ARingLeavesItsHoleOut) {
  // A ring of 500 (radius 4 to 9 about (20, 18)) around a hole of 0: the bright side from its outer
  // rim holds the ring only (the hole is below the level), 4-connected.
  const Geometry g = test::obliqueGeometry({0.8, 0.8, 2.5}, {-10, 5, 3}, 0.3, 0.2, 0.1, true);  // sheared
  Segmentation seg = test::withOneSegment(kDims, g);
  auto ring = [](int64_t i, int64_t j, int64_t) {
    return inDisc(i, j, 20, 18, 9) && !inDisc(i, j, 20, 18, 4) ? 500 : 0;
  };
  const auto v = series(g, ring);
  const auto t = levelTrace(seg, *v, 0, {29, 18, 3}, 2);
  ASSERT_TRUE(t.ok());
  size_t want = 0;
  for (int64_t j = 0; j < kDims[1]; ++j)
    for (int64_t i = 0; i < kDims[0]; ++i) {
      const bool in = ring(i, j, 3) == 500;
      want += in;
      ASSERT_EQ(t->mask[static_cast<size_t>(j * kDims[0] + i)], in ? 1 : 0) << i << ", " << j;
    }
  EXPECT_EQ(t->count, want);
  // The view's normal picks the slice axis: the grid's own slices, whatever its orientation and
  // shear (each slice's plane from three of its voxel centres).
  for (int a = 0; a < 3; ++a) {
    int64_t c0[3] = {2, 3, 4}, c1[3] = {2, 3, 4}, c2[3] = {2, 3, 4};
    c1[(a + 1) % 3] += 1;
    c2[(a + 2) % 3] += 1;
    const Vec3 p0 = test::centreOf(g, c0[0], c0[1], c0[2]);
    const Vec3 across =
        cross(test::centreOf(g, c1[0], c1[1], c1[2]) - p0, test::centreOf(g, c2[0], c2[1], c2[2]) - p0);
    EXPECT_EQ(sliceAxis(g, across * -2.0).value(), a) << "axis " << a;
  }
  EXPECT_EQ(sliceAxis(g, g.direction[0] + g.direction[1]).error().code, "seg.edit_oblique");
}

TEST(LevelTrace, ReadsASourceOnAnotherGridAtTheVoxelCentres) {
  // A float source of twice the spacing holding the patient x coordinate: trilinear interpolation
  // reproduces it, so the bright side of the seed's level is the voxels whose centre x >= its own.
  const Geometry g{};
  Segmentation seg = test::withOneSegment(kDims, g);
  auto src = Volume::create(PixelType::Float32, {16, 24, 8, 1}).value();
  src->geometry.spacingMm = {2, 2, 2};
  src->geometry.originMm = {-1, -1, -1};
  src->info.rescaleApplied = true;
  float* p = src->as<float>();
  for (int64_t k = 0, n = 0; k < 8; ++k)
    for (int64_t j = 0; j < 24; ++j)
      for (int64_t i = 0; i < 16; ++i, ++n)
        p[n] = static_cast<float>(src->geometry.worldAt(double(i), double(j), double(k)).x);
  const auto t = levelTrace(seg, *src, 0, {12, 10, 4}, 2);
  ASSERT_TRUE(t.ok()) << t.error().str();
  EXPECT_NEAR(t->level, 12, 1e-4);
  // The source's box ends at x = 30 mm (voxel 15's centre 29, plus half a voxel): voxels 12..30 lie
  // inside it, 31..39 have no value and are never in the region; y 0..35 lie inside (its box reaches
  // 46 mm).
  EXPECT_EQ(t->count, static_cast<size_t>((30 - 12 + 1) * kDims[1]));
  EXPECT_EQ(levelTrace(seg, *src, 0, {35, 10, 4}, 2).error().code, "seg.edit_no_island") << "no value there";
  EXPECT_EQ(levelTrace(seg, *src, 1, {12, 10, 4}, 2).error().code, "seg.edit_bad_range") << "no phase 1";
  auto colour = Volume::create(PixelType::RGB8, {kDims[0], kDims[1], kDims[2], 1}).value();
  EXPECT_EQ(levelTrace(seg, *colour, 0, {12, 10, 4}, 2).error().code, "seg.edit_bad_range");
}

TEST(LevelTrace, FillsTheActiveSegmentWithinTheRangeAndUndoes) {
  const Geometry g{};
  Segmentation seg = test::withOneSegment(kDims, g);
  const auto v = series(g, discs);
  const auto t = levelTrace(seg, *v, 0, {16, 12, 5}, 2).value();
  SegEditor ed(seg);
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  ASSERT_TRUE(ed.dab(t).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_EQ(seg.voxelCount(0), t.count);
  const auto m = seg.mask(0);
  for (int64_t k = 0, n = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++n)
        ASSERT_EQ(m[static_cast<size_t>(n)], k == 5 && inDisc(i, j, 10, 12, 6) ? 1 : 0)
            << i << ", " << j << ", " << k;
  // Erase it: first within a range at or below 299 HU, which holds every voxel of the disc back, then
  // without one.
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Erase, BrushRange{v.get(), 0, -1000, 299}).ok());
  ASSERT_TRUE(ed.dab(t).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_EQ(seg.voxelCount(0), t.count) << "the range held every voxel back";
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Erase).ok());
  ASSERT_TRUE(ed.dab(t).ok());
  ASSERT_TRUE(ed.endStroke().ok());
  EXPECT_EQ(seg.voxelCount(0), 0u);
  ASSERT_TRUE(ed.undo());
  EXPECT_EQ(seg.voxelCount(0), t.count);
  // A trace of another grid: another size, or the same size placed elsewhere.
  LevelTrace bad = t;
  bad.nu = 7;
  ASSERT_TRUE(ed.beginStroke(0, BrushMode::Paint).ok());
  EXPECT_EQ(ed.dab(bad).error().code, "seg.edit_bad_brush");
  LevelTrace moved = t;
  moved.grid.originMm.x += 5;
  EXPECT_EQ(ed.dab(moved).error().code, "seg.edit_bad_brush");
}

TEST(LevelTrace, TheOutlineRunsAroundTheRegionsSquares) {
  // A plus of five voxels on a coronal slice (axis 1) of an anisotropic grid: 12 edges, each one
  // voxel long along x or z, lying on the slice's plane.
  Geometry g;
  g.spacingMm = {0.5, 0.7, 2.0};
  g.originMm = {3, -4, 10};
  LevelTrace t;
  t.axis = 1;
  t.slice = 4;
  t.nu = 5, t.nv = 5;  // u: x, v: z
  t.mask.assign(25, 0);
  for (const auto& [u, v] : {std::pair{2, 2}, {1, 2}, {3, 2}, {2, 1}, {2, 3}})
    t.mask[static_cast<size_t>(v * 5 + u)] = 1;
  const auto edges = traceOutline(t, g);
  ASSERT_EQ(edges.size(), 12u);
  double lengthX = 0, lengthZ = 0;
  for (const auto& [a, b] : edges) {
    EXPECT_NEAR(a.y, -4 + 4 * 0.7, 1e-9);
    EXPECT_NEAR(b.y, a.y, 1e-9);
    lengthX += std::fabs(b.x - a.x), lengthZ += std::fabs(b.z - a.z);
  }
  EXPECT_NEAR(lengthX, 6 * 0.5, 1e-9) << "six edges across x";
  EXPECT_NEAR(lengthZ, 6 * 2.0, 1e-9) << "six edges across z";
}

TEST(LevelTrace, BlocksTouchingAtCornersAreApart) {
  // A block of 300 and four more touching it only at its corners, one each way: 4-connected, the
  // seed's block alone.
  const Geometry g{};
  Segmentation seg = test::withOneSegment(kDims, g);
  auto block = [](int64_t i, int64_t j, int64_t x0, int64_t y0) {
    return i >= x0 && i < x0 + 3 && j >= y0 && j < y0 + 3;
  };
  const auto v = series(g, [&](int64_t i, int64_t j, int64_t) {
    return block(i, j, 10, 10) || block(i, j, 13, 13) || block(i, j, 7, 7) || block(i, j, 13, 7) ||
                   block(i, j, 7, 13)
               ? 300
               : 0;
  });
  const auto t = levelTrace(seg, *v, 0, {12, 11, 2}, 2);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->count, 9u);
  for (int64_t j = 0; j < kDims[1]; ++j)
    for (int64_t i = 0; i < kDims[0]; ++i)
      ASSERT_EQ(t->mask[static_cast<size_t>(j * kDims[0] + i)], block(i, j, 10, 10) ? 1 : 0)
          << i << ", " << j;
}
