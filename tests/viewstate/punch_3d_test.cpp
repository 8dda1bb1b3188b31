// SPDX-License-Identifier: MIT
// Punching the 3D view (punch_3d.h): which voxels a lasso or a segment leaves out, counted against
// the geometry written out here (a prism for a parallel view, a cone from the eye for a perspective
// one: similar triangles), their order, and the punches' undo. The punched phases and what the
// renderer draws under them: punch_3d_render_test.cpp.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/punch_3d.h>

#include "punch_3d_test_util.h"

using namespace cvx;
using namespace cvx::view;
using namespace cvx::test::punch;

TEST(Punch3d, AParallelLassoRemovesThePrismBehindIt) {
  const Geometry g = centred();
  const std::array<int64_t, 3> d{kN, kN, kN};
  auto removed = punchedVoxels(g, d, {lassoPunch(square(5.5, 0), false)});
  ASSERT_TRUE(removed.ok()) << removed.error().str();
  EXPECT_EQ(count(*removed), 11 * 11 * kN);  // |x|, |z| <= 5 at every depth
  for (int64_t k = 0, i = 0; k < kN; ++k)
    for (int64_t y = 0; y < kN; ++y)
      for (int64_t x = 0; x < kN; ++x, ++i) {
        const Vec3 w = g.worldAt(x, y, k);
        ASSERT_EQ((*removed)[static_cast<size_t>(i)], std::abs(w.x) <= 5 && std::abs(w.z) <= 5)
            << x << " " << y << " " << k;
      }
  auto kept = punchedVoxels(g, d, {lassoPunch(square(5.5, 0), true)});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(count(*kept), int64_t{kN} * kN * kN - 11 * 11 * kN) << "keeping the inside removes the rest";
}

TEST(Punch3d, APerspectiveLassoRemovesTheConeFromTheEye) {
  // The eye 100 mm in front of the plane y = 0: at depth y the square's half side is 5.5 (y + 100) / 100.
  const Geometry g = centred();
  auto removed = punchedVoxels(g, {kN, kN, kN}, {lassoPunch(square(5.5, 0, true), false)});
  ASSERT_TRUE(removed.ok());
  for (int64_t y = 0; y < kN; ++y) {
    const double depth = g.worldAt(0, y, 0).y + 100, half = 5.5 * depth / 100;
    const int64_t side = 2 * static_cast<int64_t>(std::floor(half)) + 1;
    int64_t n = 0;
    for (int64_t k = 0; k < kN; ++k)
      for (int64_t x = 0; x < kN; ++x) n += (*removed)[static_cast<size_t>((k * kN + y) * kN + x)];
    EXPECT_EQ(n, side * side) << "depth " << depth;
  }
  // Nothing behind the eye: the same cone with the eye inside the grid removes nothing before it.
  auto fromInside = punchedVoxels(g, {kN, kN, kN}, {lassoPunch(square(2.5, 0, true, {0, -10, 0}), false)});
  ASSERT_TRUE(fromInside.ok());
  for (int64_t y = 0; y < 10; ++y)  // y = -20 .. -11 mm: behind the eye at -10
    for (int64_t k = 0; k < kN; ++k)
      for (int64_t x = 0; x < kN; ++x)
        ASSERT_EQ((*fromInside)[static_cast<size_t>((k * kN + y) * kN + x)], 0);
}

// Voxel by voxel: whether w projects through the eye inside the polygon (even-odd, a ray towards +u on
// the polygon's plane), written out apart from ScissorsRegion.
bool seenInside(const ScissorsCut& c, Vec3 w) {
  const std::vector<Vec3>& p = c.polygon;
  const Vec3 n = normalized(cross(p[1] - p[0], p[2] - p[0]));
  const Vec3 e1 = normalized(p[1] - p[0]), e2 = cross(n, e1);
  const double den = dot(n, w - c.eye);
  if (den == 0) return false;
  const double t = dot(n, p[0] - c.eye) / den;
  if (!(t > 0)) return false;
  const Vec3 q = c.eye + (w - c.eye) * t;
  const double x = dot(q - p[0], e1), y = dot(q - p[0], e2);
  bool in = false;
  for (size_t i = 0, j = p.size() - 1; i < p.size(); j = i++) {
    const double xi = dot(p[i] - p[0], e1), yi = dot(p[i] - p[0], e2), xj = dot(p[j] - p[0], e1),
                 yj = dot(p[j] - p[0], e2);
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
  }
  return in;
}

TEST(Punch3d, APerspectiveLassoOnAnObliqueGridTakesTheCentresSeenInsideIt) {
  // A 13-pointed star on a tilted plane, an oblique grid, the eye outside the grid and inside it.
  Geometry g = centred();
  const double a = 0.4;
  g.direction = {Vec3{std::cos(a), std::sin(a), 0}, Vec3{-std::sin(a), std::cos(a), 0}, Vec3{0, 0.2, 0.98}};
  g.direction[2] = normalized(g.direction[2]);
  // The last two look along the grid's rows, one each way: their vanishing point lies inside the star,
  // so a row's projection runs from it to infinity (an odd count of crossings), either way round the pole.
  // The fifth lies on the line of the grid's row (y 20, z 20), which then projects to one point.
  for (const Vec3 eye : {Vec3{7, -90, 12}, Vec3{3, -4, 2}, g.direction[0] * -60 + Vec3{1, 2, 3},
                         g.direction[0] * 60 + Vec3{1, 2, 3}, g.worldAt(-40, 20, 20)}) {
    ScissorsCut c;
    c.perspective = true;
    c.eye = eye;
    // Looking at the grid's centre, the star on a plane tilted from square to the line of sight.
    const Vec3 look = normalized(Vec3{0, 0, 0} - eye), u = normalized(cross(look, Vec3{0.1, 0.2, 1}));
    const Vec3 v = normalized(cross(look, u) + look * 0.4), centre = eye + look * 30;
    for (int i = 0; i < 26; ++i) {
      const double r = i % 2 ? 6 : 14, t = 2 * 3.14159265358979 * i / 26 + 0.1;
      c.polygon.push_back(centre + u * (r * std::cos(t)) + v * (r * std::sin(t)));
    }
    auto removed = punchedVoxels(g, {kN, kN, kN}, {lassoPunch(c, false)});
    ASSERT_TRUE(removed.ok()) << removed.error().str();
    int64_t differ = 0, in = 0;
    for (int64_t k = 0, i = 0; k < kN; ++k)
      for (int64_t y = 0; y < kN; ++y)
        for (int64_t x = 0; x < kN; ++x, ++i) {
          const bool want = seenInside(c, g.worldAt(x, y, k));
          in += want;
          differ += (*removed)[static_cast<size_t>(i)] != want;
        }
    EXPECT_GT(in, 2000) << "eye " << eye.y;
    EXPECT_EQ(differ, 0) << "eye " << eye.y << ": " << in << " inside";
  }
}

TEST(Punch3d, ASegmentPunchReadsItsVoxelsOnAnyGridAndPunchesAddUpInOrder) {
  auto v = balls({{0, 0, 0}}, 8);
  const auto in = [](Vec3 w) { return norm(w - Vec3{3, 0, 0}) <= 8; };
  auto seg = segmentWhere(*v, in);
  auto keep = segmentPunch(*seg, 0, true);
  ASSERT_TRUE(keep.ok());
  EXPECT_EQ(keep->name, "ball");
  // Another grid: 2 mm voxels over the same box, whose centres are every other centre of the mask's.
  const Geometry coarse = centred(2, 21);
  auto removed = punchedVoxels(coarse, {21, 21, 21}, {*keep});
  ASSERT_TRUE(removed.ok());
  for (int64_t k = 0, i = 0; k < 21; ++k)
    for (int64_t y = 0; y < 21; ++y)
      for (int64_t x = 0; x < 21; ++x, ++i)
        ASSERT_EQ((*removed)[static_cast<size_t>(i)], !in(coarse.worldAt(x, y, k)));
  // A lasso, then the segment kept: what either removes.
  const Geometry g = v->geometry;
  auto both = punchedVoxels(g, {kN, kN, kN}, {lassoPunch(square(3.5, 0), false), *keep});
  ASSERT_TRUE(both.ok());
  for (int64_t k = 0, i = 0; k < kN; ++k)
    for (int64_t y = 0; y < kN; ++y)
      for (int64_t x = 0; x < kN; ++x, ++i) {
        const Vec3 w = g.worldAt(x, y, k);
        ASSERT_EQ((*both)[static_cast<size_t>(i)], (std::abs(w.x) <= 3 && std::abs(w.z) <= 3) || !in(w));
      }
  // Two segments kept together: what either holds stays.
  auto two = segmentWhere(*v, in);
  std::vector<uint8_t> other(static_cast<size_t>(v->voxelsPerPhase()), 0);
  for (int64_t k = 0, i = 0; k < kN; ++k)
    for (int64_t y = 0; y < kN; ++y)
      for (int64_t x = 0; x < kN; ++x, ++i) other[static_cast<size_t>(i)] = g.worldAt(x, y, k).z > 15;
  Segment top;
  top.name = "top";
  ASSERT_TRUE(two->addSegment(top, other.data()).ok());
  auto together = segmentPunch(*two, std::vector<size_t>{0, 1}, true);
  ASSERT_TRUE(together.ok());
  EXPECT_EQ(together->name, "ball + top");
  auto keptBoth = punchedVoxels(g, {kN, kN, kN}, {*together});
  ASSERT_TRUE(keptBoth.ok());
  for (int64_t k = 0, i = 0; k < kN; ++k)
    for (int64_t y = 0; y < kN; ++y)
      for (int64_t x = 0; x < kN; ++x, ++i) {
        const Vec3 w = g.worldAt(x, y, k);
        ASSERT_EQ((*keptBoth)[static_cast<size_t>(i)], !(in(w) || w.z > 15));
      }
  // An empty segment is no punch; a lasso without area is refused when the voxels are asked for.
  auto empty = segmentWhere(*v, [](Vec3) { return false; });
  EXPECT_EQ(segmentPunch(*empty, 0, false).error().code, "seg.punch_empty");
  EXPECT_EQ(segmentPunch(*empty, 3, false).error().code, "seg.edit_bad_segment");
  ScissorsCut line = square(3, 0);
  line.polygon.resize(2);
  EXPECT_EQ(punchedVoxels(g, {kN, kN, kN}, {lassoPunch(line, false)}).error().code, "seg.edit_bad_polygon");
}

TEST(Punch3d, UndoRedoAndRestoreAreSteps) {
  Punches3D p;
  EXPECT_FALSE(p.canUndo());
  p.add(lassoPunch(square(3, 0), false));
  p.add(lassoPunch(square(4, 0), true));
  EXPECT_EQ(punchLine(p.list()), "punched: lasso, lasso kept");
  p.clear();
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(punchLine(p.list()), "");
  ASSERT_TRUE(p.undo());  // the restore undone
  EXPECT_EQ(p.list().size(), 2u);
  ASSERT_TRUE(p.undo());
  ASSERT_EQ(p.list().size(), 1u);
  EXPECT_EQ(p.list()[0], lassoPunch(square(3, 0), false));
  ASSERT_TRUE(p.redo());
  EXPECT_EQ(p.list().size(), 2u);
  p.undo();
  p.add(lassoPunch(square(5, 0), false));  // a new step drops what was undone
  EXPECT_FALSE(p.canRedo());
  EXPECT_FALSE(p.list()[1] == lassoPunch(square(4, 0), true));
}

TEST(Punch3d, TheHistoryKeepsItsLastSteps) {
  Punches3D p;
  for (int i = 0; i < 40; ++i) p.add(lassoPunch(square(1 + i, 0), false));
  int undone = 0;
  while (p.undo()) ++undone;
  EXPECT_EQ(undone, static_cast<int>(Punches3D::kHistory));
  EXPECT_EQ(p.list().size(), 40u - Punches3D::kHistory);
}
