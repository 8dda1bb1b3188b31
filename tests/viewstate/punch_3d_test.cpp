// SPDX-License-Identifier: MIT
// Punching the 3D view (punch_3d.h): which voxels a lasso or a segment leaves out, counted against
// the geometry written out here (a prism for a parallel view, a cone from the eye for a perspective
// one: similar triangles), their order and undo, the punched phase's values, and what the renderer
// draws and picks under them (against the same volume edited by hand).
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include <cvx/viewstate/punch_3d.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/tf_edit.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr int kN = 41;  // a 41^3 grid of 1 mm voxels centred on the origin

Geometry centred(double spacing = 1, int n = kN) {
  Geometry g;
  g.spacingMm = {spacing, spacing, spacing};
  const double h = spacing * (n - 1) / 2;
  g.originMm = {-h, -h, -h};
  return g;
}

// The square |x|, |z| <= half on the plane y = at, seen along +y (from the front).
ScissorsCut square(double half, double at, bool perspective = false, Vec3 eye = {0, -100, 0}) {
  ScissorsCut c;
  c.polygon = {{-half, at, -half}, {half, at, -half}, {half, at, half}, {-half, at, half}};
  c.viewDirection = {0, 1, 0};
  c.perspective = perspective;
  c.eye = eye;
  return c;
}

int64_t count(const std::vector<uint8_t>& m) {
  int64_t n = 0;
  for (uint8_t b : m) n += b;
  return n;
}

// Balls of radius r at the given centres (value 1000) in air (0), on the centred grid.
std::shared_ptr<Volume> balls(const std::vector<Vec3>& centres, double r = 5, int phases = 1) {
  auto v = Volume::create(PixelType::Int16, {kN, kN, kN, phases}).value();
  v->geometry = centred();
  int16_t* p = v->as<int16_t>();
  for (int t = 0; t < phases; ++t)
    for (int k = 0; k < kN; ++k)
      for (int j = 0; j < kN; ++j)
        for (int i = 0; i < kN; ++i) {
          int16_t value = 0;
          for (const Vec3& c : centres)
            if (norm(v->geometry.worldAt(i, j, k) - c) <= r) value = static_cast<int16_t>(1000 + t);
          *p++ = value;
        }
  return v;
}

// Segment 0 of a segmentation on v's grid: the voxels where in(world) holds.
std::shared_ptr<Segmentation> segmentWhere(const Volume& v, const std::function<bool(Vec3)>& in) {
  std::vector<uint8_t> mask(static_cast<size_t>(v.voxelsPerPhase()));
  const auto& d = v.dims();
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) mask[static_cast<size_t>(i)] = in(v.geometry.worldAt(x, y, k));
  auto s = std::make_shared<Segmentation>(Segmentation::onGridOf(v));
  Segment seg;
  seg.name = "ball";
  EXPECT_TRUE(s->addSegment(seg, mask.data()).ok());
  return s;
}

Camera3DView front(bool perspective = false) {
  Camera3DView c;
  c.perspective = perspective;
  return c;
}

}  // namespace

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

TEST(Punch3d, APunchedPhaseHoldsItsLowestValueWhereRemovedAndIsMadeOnce) {
  auto v = balls({{0, 0, 0}}, 8, 2);  // phase 1's ball is 1001
  int16_t* p1 = v->as<int16_t>() + v->voxelsPerPhase();
  p1[5] = -7;  // phase 1's lowest value
  PunchedPhases cache;
  const std::vector<Punch3D> punches{lassoPunch(square(4.5, 0), false)};
  auto a = cache.get(v, 1, 1, punches);
  ASSERT_TRUE(a.ok()) << a.error().str();
  ASSERT_NE(a->volume, v);
  EXPECT_EQ(a->phase, 0);
  ASSERT_EQ(a->volume->dims()[3], 1);
  auto removed = punchedVoxels(v->geometry, {kN, kN, kN}, punches).value();
  const int16_t* c = a->volume->as<int16_t>();
  for (int64_t i = 0; i < v->voxelsPerPhase(); ++i)
    ASSERT_EQ(c[i], removed[static_cast<size_t>(i)] ? -7 : p1[i]) << i;
  EXPECT_EQ(cache.get(v, 1, 1, punches)->volume, a->volume) << "kept while nothing changes";
  auto b = cache.get(v, 1, 2, punches);  // the voxels changed in place
  EXPECT_NE(b->volume, a->volume);
  EXPECT_EQ(cache.kept(), 1u) << "the copy of the old voxels is dropped";
  auto none = cache.get(v, 1, 2, {});
  EXPECT_EQ(none->volume, v);
  EXPECT_EQ(none->phase, 1);
  EXPECT_EQ(cache.get(v, 2, 1, punches).error().code, "render.bad_request");
}

TEST(Punch3d, TheRendererDrawsWhatIsLeftAsTheSeriesEditedByHandFramedAsTheSeries) {
  // Two balls, left and right; a lasso round the image's right half (the patient's left, +x) from the front.
  auto v = balls({{-10, 0, 0}, {10, 0, 0}});
  auto byHand = balls({{-10, 0, 0}});
  VolumeRenderer plain;
  auto frame = plain.contentFrame(v, 0, test::opaqueWhite());
  ASSERT_TRUE(frame.ok());
  // A relative preset's [p1, p99] are the series' own (punching the right ball away would drop p99 to air).
  TransferPreset relative = test::opaqueWhite();
  relative.relative = true;
  for (TfPoint& p : relative.points) p.value /= 1000;
  auto absolute = editablePreset(relative, *v);
  ASSERT_TRUE(absolute.ok());
  for (const auto& [preset, drawnAs] :
       {std::pair{test::opaqueWhite(), test::opaqueWhite()}, std::pair{relative, *absolute}})
    for (const bool perspective : {false, true}) {
      Camera3DView cam = front(perspective);
      cam.frame = *frame;  // the view framed the series' content
      VolumeRenderer punched;
      Quality3D q;
      q.jitter = false;
      ScissorsCut cut = square(12, 0, perspective, orbitCamera(*v, cam, 64, 64).eye);
      for (Vec3& p : cut.polygon) p.x += 12.5;  // x in [0.5, 24.5]: the right ball, no voxel of the left
      punched.setPunches({lassoPunch(cut, false)});
      auto im = punched.draw(v, 0, preset, cam, 64, 64, q);
      ASSERT_TRUE(im.ok()) << im.error().str();
      VolumeRenderer reference;
      Camera3DView refCam = cam;
      refCam.frame.volume = byHand->serial();  // the same frame, of the hand-edited copy
      auto want = reference.draw(byHand, 0, drawnAs, refCam, 64, 64, q);
      ASSERT_TRUE(want.ok());
      EXPECT_EQ((*im)->pixels, (*want)->pixels)
          << "perspective " << perspective << ", relative " << preset.relative;
      int drawn = 0;
      for (uint32_t px : (*im)->pixels) drawn += (px & 0xFF) > 64;
      EXPECT_GT(drawn, 20) << "the left ball is still there";
    }
}

TEST(Punch3d, PickingSeesThroughTheVoxelsAPunchRemoves) {
  // A ball in front (y = -12) and one behind (y = +12): leaving the front one out, a pick at the image's
  // centre finds the back one's front surface (y about +12 - 5).
  auto v = balls({{0, -12, 0}, {0, 12, 0}});
  auto seg = segmentWhere(*v, [](Vec3 w) { return w.y < 0; });
  VolumeRenderer r;
  const Camera3DView cam = front(false);
  auto before = r.pick(v, 0, test::opaqueWhite(), cam, 64, 64, 32, 32);
  ASSERT_TRUE(before.has_value());
  EXPECT_NEAR(before->y, -17, 1.5);
  r.setPunches({segmentPunch(*seg, 0, false).value()});
  auto after = r.pick(v, 0, test::opaqueWhite(), cam, 64, 64, 32, 32);
  ASSERT_TRUE(after.has_value());
  EXPECT_NEAR(after->y, 7, 1.5);
  r.setPunches({});
  EXPECT_NEAR(r.pick(v, 0, test::opaqueWhite(), cam, 64, 64, 32, 32)->y, -17, 1.5) << "no punch: as before";
}

TEST(Punch3d, FindNeverMakesACopyAndSaysWhyAMakeFailed) {
  auto v = balls({{0, 0, 0}});
  PunchedPhases cache;
  const std::vector<Punch3D> punches{lassoPunch(square(4.5, 0), false)};
  auto before = cache.find(v, 0, 1, punches);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value()) << "not made yet";
  EXPECT_EQ(cache.kept(), 0u);
  auto made = cache.get(v, 0, 1, punches);
  ASSERT_TRUE(made.ok());
  auto after = cache.find(v, 0, 1, punches);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->volume, made->volume);
  auto colour = Volume::create(PixelType::RGB8, {8, 8, 8, 1}).value();
  EXPECT_EQ(cache.get(colour, 0, 1, punches).error().code, "render.bad_request");
  EXPECT_EQ(cache.find(colour, 0, 1, punches).error().code, "render.bad_request")
      << "the failure, not a wait";
  // Renderers asking for one copy at once get one copy.
  std::shared_ptr<const Volume> a, b;
  std::thread t([&] { a = cache.get(v, 0, 2, punches)->volume; });
  b = cache.get(v, 0, 2, punches)->volume;
  t.join();
  EXPECT_EQ(a, b);
  // No punches: the copies of v go.
  EXPECT_EQ(cache.get(v, 0, 2, {})->volume, v);
  EXPECT_EQ(cache.kept(), 0u);
}

TEST(Punch3d, ARendererThatNeverWaitsDrawsThePunchedPhaseOnceAnotherHasMadeIt) {
  auto v = balls({{-10, 0, 0}, {10, 0, 0}});
  auto shared = std::make_shared<PunchedPhases>();
  const std::vector<Punch3D> punches{lassoPunch(square(12, 0), false)};
  Quality3D q;
  q.jitter = false;
  VolumeRenderer preview, worker;
  preview.buildMaps(false);
  for (VolumeRenderer* r : {&preview, &worker}) {
    r->sharePunched(shared);
    r->setPunches(punches);
  }
  auto pending = preview.draw(v, 0, test::opaqueWhite(), front(), 48, 48, q);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().code, "render.punch_pending");
  auto full = worker.draw(v, 0, test::opaqueWhite(), front(), 48, 48, q);
  ASSERT_TRUE(full.ok());
  const std::vector<uint32_t> want = (*full)->pixels;
  auto drawn = preview.draw(v, 0, test::opaqueWhite(), front(), 48, 48, q);
  ASSERT_TRUE(drawn.ok()) << drawn.error().str();
  EXPECT_EQ((*drawn)->pixels, want);
  // A 4D series: a loop's phases are made as they are drawn, the preview waiting for them.
  auto loop = balls({{-10, 0, 0}, {10, 0, 0}}, 5, 2);
  EXPECT_TRUE(preview.draw(loop, 1, test::opaqueWhite(), front(), 48, 48, q).ok());
}

TEST(Punch3d, TheHistoryKeepsItsLastSteps) {
  Punches3D p;
  for (int i = 0; i < 40; ++i) p.add(lassoPunch(square(1 + i, 0), false));
  int undone = 0;
  while (p.undo()) ++undone;
  EXPECT_EQ(undone, static_cast<int>(Punches3D::kHistory));
  EXPECT_EQ(p.list().size(), 40u - Punches3D::kHistory);
}
