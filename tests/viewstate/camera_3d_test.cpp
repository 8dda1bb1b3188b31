// SPDX-License-Identifier: MIT
// The 3D camera's frame and fit (viewstate/camera_3d.h) against geometry worked out here: a box's
// cylinder from its size and rotation; at zoom 1 every point of the frame's cylinder lands inside
// the image at every azimuth and from above and below, and one view touches the 5 % margin; the
// fit does not change while the camera turns; a pan moves the orbit's centre with the mouse; Reset
// brings the camera home; the renderer frames what a preset shows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/state.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr double kPi = std::numbers::pi;

// nx x ny x nz voxels of `spacing`, turned by `turnDeg` about z, with a ball of 1000 (radius
// ballMm) at `ball` in the air (0).
std::shared_ptr<Volume> volume(std::array<int64_t, 3> n, Vec3 spacing, double turnDeg, Vec3 ball = {},
                               double ballMm = 0) {
  auto v = Volume::create(PixelType::Int16, {n[0], n[1], n[2], 1}).value();
  v->geometry.spacingMm = spacing;
  const double t = turnDeg * kPi / 180;
  v->geometry.direction = {Vec3{std::cos(t), std::sin(t), 0}, Vec3{-std::sin(t), std::cos(t), 0}, Vec3{0, 0, 1}};
  v->geometry.originMm = {-7, 12, -30};
  int16_t* p = v->as<int16_t>();
  for (int64_t k = 0; k < n[2]; ++k)
    for (int64_t j = 0; j < n[1]; ++j)
      for (int64_t i = 0; i < n[0]; ++i) *p++ = norm(v->geometry.worldAt(i, j, k) - ball) <= ballMm ? 1000 : 0;
  return v;
}

// Points on the frame's cylinder: its two rims and its axis's ends.
std::vector<Vec3> cylinderPoints(const Frame3D& f) {
  std::vector<Vec3> p;
  for (int i = 0; i < 360; ++i)
    for (double z : {-f.halfHeightMm, f.halfHeightMm}) {
      const double a = i * kPi / 180;
      p.push_back(f.centre + Vec3{f.radiusMm * std::cos(a), f.radiusMm * std::sin(a), z});
    }
  return p;
}

// The largest share of the image's half-width or half-height that the points reach from its centre
// (1: an edge), or 99 when one is behind the camera.
double reach(const Camera3D& cam, const std::vector<Vec3>& points, int w, int h) {
  double r = 0;
  for (const Vec3& q : points) {
    const auto at = projectToPixel(cam, q, w, h);
    if (!at) return 99;
    r = std::max({r, std::abs((*at)[0] - w / 2.0) / (w / 2.0), std::abs((*at)[1] - h / 2.0) / (h / 2.0)});
  }
  return r;
}

using cvx::test::opaqueWhite;

}  // namespace

// A box turned about z keeps its cylinder: radius half its x-y diagonal, half-height half its
// height, centred on its middle voxel's centre.
TEST(Camera3d, TheFrameOfATurnedBoxIsItsCylinder) {
  auto v = volume({20, 30, 10}, {1, 2, 3}, 30);
  const Frame3D f = boxFrame(*v);
  EXPECT_EQ(f.volume, v->serial());
  const Vec3 c = v->geometry.worldAt(9.5, 14.5, 4.5);
  EXPECT_NEAR(norm(f.centre - c), 0, 1e-9);
  EXPECT_NEAR(f.radiusMm, std::hypot(10.0, 30.0), 1e-9);
  EXPECT_NEAR(f.halfHeightMm, 15, 1e-9);
  // Half the box, by its voxel faces.
  const Frame3D half = frameOfBox(*v, {Vec3{-0.5, -0.5, -0.5}, Vec3{9.5, 29.5, 9.5}});
  EXPECT_NEAR(half.radiusMm, std::hypot(5.0, 30.0), 1e-9);
  EXPECT_NEAR(norm(half.centre - v->geometry.worldAt(4.5, 14.5, 4.5)), 0, 1e-9);
}

// Zoom 1: the cylinder inside the image from the front, back and sides at every azimuth, for wide,
// tall and square images, in both projections, and some view reaches the margin (1 / 1.05 of the
// way to an edge), so the fit is no looser than it must be; likewise from above and below.
TEST(Camera3d, ZoomOneFitsTheFrameAtEveryAzimuthAndFromAboveAndBelow) {
  for (const auto& [n, spacing] : {std::pair{std::array<int64_t, 3>{40, 40, 100}, Vec3{1, 1, 1}},
                                   std::pair{std::array<int64_t, 3>{100, 60, 10}, Vec3{1, 1, 3}},
                                   std::pair{std::array<int64_t, 3>{512, 512, 134}, Vec3{0.98, 0.98, 3}}}) {
    auto v = volume(n, spacing, 20);
    const Frame3D f = boxFrame(*v);
    const std::vector<Vec3> points = cylinderPoints(f);
    for (const bool perspective : {true, false})
      for (const auto& [w, h] : {std::pair{300, 150}, std::pair{150, 300}, std::pair{200, 200}}) {
        const std::string what = std::to_string(n[0]) + "x" + std::to_string(n[1]) + "x" + std::to_string(n[2]) +
                                  " in " + std::to_string(w) + "x" + std::to_string(h) +
                                  (perspective ? " perspective" : " parallel");
        double most = 0;
        Camera3DView c;
        c.perspective = perspective;
        c.frame = f;
        for (const double el : {0.0, 90.0, -90.0})
          for (int az = 0; az < 360; az += 15) {
            c.azimuthDeg = az;
            c.elevationDeg = el;
            const double r = reach(orbitCamera(*v, c, w, h), points, w, h);
            EXPECT_LE(r, 1 / 1.05 + 1e-9) << "az " << az << " el " << el << ", " << what;
            most = std::max(most, r);
          }
        // Parallel: exactly the margin. Perspective: the margin is on the tangents' sines, a little
        // less in pixels (at most 2 % here).
        EXPECT_GT(most, perspective ? 0.93 : 1 / 1.05 - 1e-9) << what;
      }
  }
}

// Turning the camera never zooms: the eye's distance (perspective) and the image's height in mm
// (parallel) are the same at every angle; zoom 2 halves them.
TEST(Camera3d, TheFitDoesNotChangeWhileTheCameraTurns) {
  auto v = volume({50, 40, 30}, {1, 1, 2}, 0);
  Camera3DView c;
  const double d0 = norm(orbitCamera(*v, c, 160, 120).eye - orbitCamera(*v, c, 160, 120).center);
  c.perspective = false;
  const double h0 = orbitCamera(*v, c, 160, 120).parallelHalfHeightMm;
  for (double az : {0.0, 37.0, 90.0, 200.0})
    for (double el : {-90.0, -30.0, 0.0, 55.0}) {
      c.azimuthDeg = az, c.elevationDeg = el;
      c.perspective = true;
      const Camera3D p = orbitCamera(*v, c, 160, 120);
      EXPECT_NEAR(norm(p.eye - p.center), d0, 1e-9);
      c.perspective = false;
      EXPECT_NEAR(orbitCamera(*v, c, 160, 120).parallelHalfHeightMm, h0, 1e-9);
    }
  c.zoom = 2;
  EXPECT_NEAR(orbitCamera(*v, c, 160, 120).parallelHalfHeightMm, h0 / 2, 1e-9);
  c.perspective = true;
  const Camera3D p = orbitCamera(*v, c, 160, 120);
  EXPECT_NEAR(norm(p.eye - p.center), d0 / 2, 1e-9);
}

// A pan by (dx, dy) pixels: the point at the orbit's centre lands dx right and dy down, in both
// projections, at any angle and zoom; the new centre is the image's centre (the camera turns about
// it).
TEST(Camera3d, APanMovesTheOrbitsCentreWithTheMouse) {
  auto v = volume({50, 40, 30}, {1, 1, 2}, 10);
  for (const bool perspective : {true, false}) {
    Camera3DView c;
    c.perspective = perspective;
    c.azimuthDeg = 30, c.elevationDeg = 20, c.zoom = 1.7;
    const int w = 240, h = 180;
    const Camera3D before = orbitCamera(*v, c, w, h);
    const Camera3DView moved = panCamera(*v, c, w, h, 13, -7);
    const Camera3D after = orbitCamera(*v, moved, w, h);
    const auto was = projectToPixel(before, before.center, w, h), now = projectToPixel(after, before.center, w, h);
    ASSERT_TRUE(was && now);
    EXPECT_NEAR((*now)[0] - (*was)[0], 13, 1e-6);
    EXPECT_NEAR((*now)[1] - (*was)[1], -7, 1e-6);
    const auto centre = projectToPixel(after, after.center, w, h);
    ASSERT_TRUE(centre);
    EXPECT_NEAR((*centre)[0], w / 2.0, 1e-6);
    EXPECT_NEAR((*centre)[1], h / 2.0, 1e-6);
    // The presets turn about the panned centre and keep the pan, zoom and frame.
    const Camera3DView side = cameraPreset(moved, 'L');
    EXPECT_EQ(side.azimuthDeg, 90);
    EXPECT_NEAR(norm(side.panMm - moved.panMm), 0, 0);
    EXPECT_EQ(side.zoom, moved.zoom);
    EXPECT_NEAR(norm(orbitCamera(*v, side, w, h).center - after.center), 0, 1e-9);
  }
}

// Reset: the front, zoom 1, no pan, the frame to be fitted again; the projection is kept.
TEST(Camera3d, ResetBringsTheCameraHome) {
  ViewerState s;
  Camera3DView c;
  c.azimuthDeg = 120, c.elevationDeg = 40, c.zoom = 3, c.perspective = false;
  c.panMm = {5, 6, 7};
  c.frame.volume = 42, c.frame.radiusMm = 10, c.frame.halfHeightMm = 5;
  s.setCamera3d(c);
  int told = 0;
  auto sub = s.subscribe([&](const ChangeEvent& e) { told += (e.what & kView3d) != 0; });
  s.reset();
  EXPECT_EQ(told, 1);
  const Camera3DView& r = s.camera3d();
  EXPECT_EQ(r.azimuthDeg, 0);
  EXPECT_EQ(r.elevationDeg, 0);
  EXPECT_EQ(r.zoom, 1);
  EXPECT_FALSE(r.perspective);
  EXPECT_EQ(norm(r.panMm), 0);
  EXPECT_EQ(r.frame.volume, 0u);
  s.reset(0);  // one MPR view: the 3D camera stays
  EXPECT_EQ(told, 1);
}

// What a preset shows, framed: a ball of radius 6 mm off the centre of a 64 mm cube is framed to
// within a brick and its apron (5 voxels) of the ball's own cylinder; an MIP preset frames the whole
// box; a crop box that leaves the ball out frames the crop box; one that halves it ends at its face.
TEST(Camera3d, TheRendererFramesWhatThePresetShows) {
  const Vec3 ball{10, 30, -10};  // voxel index 17, 18, 20 of a box at x -7..56, y 12..75, z -30..33
  auto v = volume({64, 64, 64}, {1, 1, 1}, 0, ball, 6);
  VolumeRenderer r;
  auto f = r.contentFrame(v, 0, opaqueWhite());
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_EQ(f->volume, v->serial());
  EXPECT_LE(std::abs(f->centre.x - ball.x), 3);
  EXPECT_LE(std::abs(f->centre.y - ball.y), 3);
  EXPECT_LE(std::abs(f->centre.z - ball.z), 3);
  EXPECT_GE(f->radiusMm, 6 * std::sqrt(2.0));
  EXPECT_LE(f->radiusMm, (6 + 5.5) * std::sqrt(2.0));
  EXPECT_GE(f->halfHeightMm, 6);
  EXPECT_LE(f->halfHeightMm, 6 + 5.5);
  const Frame3D box = boxFrame(*v);
  EXPECT_LT(f->radiusMm, box.radiusMm / 2);

  TransferPreset mip = opaqueWhite();
  mip.mip = true;
  auto m = r.contentFrame(v, 0, mip);
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->radiusMm, box.radiusMm, 1e-9);
  EXPECT_NEAR(norm(m->centre - box.centre), 0, 1e-9);

  CropBox3D away;
  away.lo[0] = 0.5;  // x from index 31.5 (LPS 24.5): the ball (x index 11..23) is left out
  auto a = r.contentFrame(v, 0, opaqueWhite(), away);
  ASSERT_TRUE(a.ok());
  EXPECT_NEAR(a->centre.x, -7 + (31.5 + 63.5) / 2, 1e-9);
  EXPECT_NEAR(a->halfHeightMm, 32, 1e-9);

  CropBox3D halved;
  halved.hi[0] = 17.5 / 64;  // x up to index 17 (LPS 10): the ball's centre ends the box
  auto hb = r.contentFrame(v, 0, opaqueWhite(), halved);
  ASSERT_TRUE(hb.ok());
  // From the ball's first face (index 11 - 0.5, or up to a brick before) to the crop's.
  EXPECT_GE(hb->centre.x, (-7 + 6.5 + 10) / 2 - 1e-9);
  EXPECT_LE(hb->centre.x, (-7 + 10.5 + 10) / 2 + 1e-9);
  EXPECT_FALSE(r.contentFrame(v, 1, opaqueWhite()).ok());  // no phase 1
}

// A fused layer (PET on CT) is framed too: a ball in the first volume and a hot spot in a second one
// on a coarser grid, 40 mm apart, frame both, centred between them (to within a brick of each).
TEST(Camera3d, AFusedLayerIsFramedWithTheVolume) {
  const Vec3 ball{10, 30, -10}, hot{10, 30, 30};
  auto v = volume({64, 64, 64}, {1, 1, 1}, 0, ball, 6);
  auto second = volume({32, 32, 32}, {2, 2, 2}, 0, hot, 6);
  second->geometry.originMm = v->geometry.originMm;  // the same space, coarser
  int16_t* p = second->as<int16_t>();
  for (int64_t k = 0; k < 32; ++k)
    for (int64_t j = 0; j < 32; ++j)
      for (int64_t i = 0; i < 32; ++i) *p++ = norm(second->geometry.worldAt(i, j, k) - hot) <= 6 ? 1000 : 0;
  VolumeRenderer r;
  auto alone = r.contentFrame(v, 0, opaqueWhite());
  ASSERT_TRUE(alone.ok());
  EXPECT_LE(alone->halfHeightMm, 6 + 5.5);
  r.setFused(Fused3D{second, 0, opaqueWhite()});
  auto both = r.contentFrame(v, 0, opaqueWhite());
  ASSERT_TRUE(both.ok()) << both.error().str();
  EXPECT_NEAR(both->centre.z, (ball.z + hot.z) / 2, 3);
  EXPECT_GE(both->halfHeightMm, 20 + 6);
  EXPECT_LE(both->halfHeightMm, 20 + 6 + 5.5);
  EXPECT_NEAR(both->centre.x, alone->centre.x, 3);
}
