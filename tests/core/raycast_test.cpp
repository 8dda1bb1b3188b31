// SPDX-License-Identifier: MIT
// The ray caster's geometry (hd/raycast.h, core/raycast.h) against answers worked out by hand: the
// ray-box interval and its edge cases, clip planes, the pixel jitter, and the camera's rays in
// patient space (which way the image's right points, where the rays start).
#include <cvx/core/raycast.h>

#include <gtest/gtest.h>

#include <cmath>

namespace {

using cvx::hd::Vec3f;

struct Interval {
  bool hit;
  float t0, t1;
};
Interval box(Vec3f o, Vec3f d, float t0 = 0, float t1 = INFINITY) {
  const bool hit = cvx::hd::rayBox(o, d, {0, 0, 0}, {4, 4, 4}, t0, t1);
  return {hit, t0, t1};
}

TEST(RayBox, EntryAndExitAlongAnAxis) {
  const Interval i = box({-5, 1, 1}, {1, 0, 0});
  ASSERT_TRUE(i.hit);
  EXPECT_FLOAT_EQ(i.t0, 5);
  EXPECT_FLOAT_EQ(i.t1, 9);
  const Interval back = box({9, 1, 1}, {-2, 0, 0});  // the other way, twice as fast
  ASSERT_TRUE(back.hit);
  EXPECT_FLOAT_EQ(back.t0, 2.5f);
  EXPECT_FLOAT_EQ(back.t1, 4.5f);
}

TEST(RayBox, ParallelToAFaceIsInsideOnlyWithinItsSlab) {
  EXPECT_FALSE(box({-5, 5, 1}, {1, 0, 0}).hit);     // beside the box
  EXPECT_FALSE(box({-5, -1e-3f, 1}, {1, 0, 0}).hit);
  const Interval face = box({-5, 4, 1}, {1, 0, 0});  // on the face y = 4: faces belong to the box
  ASSERT_TRUE(face.hit);
  EXPECT_FLOAT_EQ(face.t0, 5);
  EXPECT_FLOAT_EQ(face.t1, 9);
}

TEST(RayBox, CornersEdgesAndDiagonals) {
  const Interval diag = box({-1, -1, -1}, {1, 1, 1});  // through two opposite corners
  ASSERT_TRUE(diag.hit);
  EXPECT_FLOAT_EQ(diag.t0, 1);
  EXPECT_FLOAT_EQ(diag.t1, 5);
  const Interval touch = box({-1, 3, 2}, {1, 1, 0});  // touches the edge x = 0, y = 4 only
  ASSERT_TRUE(touch.hit);
  EXPECT_FLOAT_EQ(touch.t0, 1);
  EXPECT_FLOAT_EQ(touch.t1, 1);
  EXPECT_FALSE(box({-1, 3.01f, 2}, {1, 1, 0}).hit);  // passes just outside that edge
}

TEST(RayBox, OriginInsideBehindAndInvalid) {
  const Interval inside = box({2, 2, 2}, {0, 0, 1});
  ASSERT_TRUE(inside.hit);
  EXPECT_FLOAT_EQ(inside.t0, 0);  // starts where the ray starts
  EXPECT_FLOAT_EQ(inside.t1, 2);
  EXPECT_FALSE(box({10, 2, 2}, {1, 0, 0}).hit);  // the box is behind
  EXPECT_FALSE(box({NAN, 2, 2}, {1, 0, 0}).hit);
  EXPECT_FALSE(box({-5, 2, 2}, {NAN, 0, 0}).hit);
  EXPECT_FALSE(box({-5, 2, 2}, {1, 0, 0}, 0, 4).hit);  // the ray ends (scene depth) before the box
  const Interval cut = box({-5, 2, 2}, {1, 0, 0}, 0, 6.5f);
  ASSERT_TRUE(cut.hit);
  EXPECT_FLOAT_EQ(cut.t1, 6.5f);
}

TEST(ClipPlane, CutsTheIntervalOnTheKeptSide) {
  float t0 = 5, t1 = 9;
  // Keep x >= 2 (n = +x, c = -2) on a ray along +x from x = -5: enters the kept side at t = 7.
  ASSERT_TRUE(cvx::hd::clipByPlane({{1, 0, 0}, -2}, {-5, 1, 1}, {1, 0, 0}, t0, t1));
  EXPECT_FLOAT_EQ(t0, 7);
  EXPECT_FLOAT_EQ(t1, 9);
  // Keep x <= 3 (n = -x, c = 3): leaves at t = 8.
  ASSERT_TRUE(cvx::hd::clipByPlane({{-1, 0, 0}, 3}, {-5, 1, 1}, {1, 0, 0}, t0, t1));
  EXPECT_FLOAT_EQ(t1, 8);
  // A plane parallel to the ray: all or nothing.
  EXPECT_TRUE(cvx::hd::clipByPlane({{0, 1, 0}, 0}, {-5, 1, 1}, {1, 0, 0}, t0, t1));
  EXPECT_FALSE(cvx::hd::clipByPlane({{0, 1, 0}, -2}, {-5, 1, 1}, {1, 0, 0}, t0, t1));
}

TEST(PixelJitter, DeterministicUniformAndDifferentPerPixel) {
  double sum = 0;
  int same = 0;
  for (int y = 0; y < 300; ++y)
    for (int x = 0; x < 300; ++x) {
      const float j = cvx::hd::pixelJitter(x, y, 7);
      ASSERT_GE(j, 0.0f);
      ASSERT_LT(j, 1.0f);
      ASSERT_EQ(j, cvx::hd::pixelJitter(x, y, 7));
      sum += j;
      same += j == cvx::hd::pixelJitter(x + 1, y, 7);
    }
  EXPECT_NEAR(sum / 90000, 0.5, 0.01);
  EXPECT_LT(same, 10);
  EXPECT_NE(cvx::hd::pixelJitter(3, 4, 1), cvx::hd::pixelJitter(3, 4, 2));
}

// A grid rotated about z and anisotropic: the camera's rays, mapped back to patient space, start
// and point where the camera says.
TEST(RayCamera, RaysInPatientSpace) {
  cvx::Geometry g;
  g.spacingMm = {0.7, 1.3, 2.5};
  g.originMm = {-40, 25, -60};
  const double a = 0.4;
  g.direction = {cvx::Vec3{std::cos(a), std::sin(a), 0}, cvx::Vec3{-std::sin(a), std::cos(a), 0}, cvx::Vec3{0, 0, 1}};
  const cvx::Mat4 world = g.worldFromVoxel();
  auto toWorld = [&](Vec3f p) { return world.applyPoint({p.x, p.y, p.z}); };
  auto dirWorld = [&](Vec3f d) { return world.applyVector({d.x, d.y, d.z}); };
  const int w = 40, h = 30;
  cvx::Camera3D front;  // anterior view: eye at -y (anterior), up +z (superior)
  front.eye = {0, -400, 10};
  front.center = {0, 0, 10};
  front.perspective = false;
  front.parallelHalfHeightMm = 15;  // 1 mm pixels
  const cvx::hd::RayCamera c = cvx::rayCamera(g, front, w, h);
  for (int y : {0, 14, 29})
    for (int x : {0, 20, 39}) {
      Vec3f o, d;
      cvx::hd::pixelRay(c, x, y, o, d);
      const cvx::Vec3 ow = toWorld(o), dw = dirWorld(d);
      // Pixel centres 1 mm apart; the image's right is the patient's left (+x), its top superior.
      EXPECT_NEAR(ow.x, x + 0.5 - w / 2.0, 1e-3) << x << "," << y;
      EXPECT_NEAR(ow.y, -400, 1e-3);
      EXPECT_NEAR(ow.z, 10 - (y + 0.5 - h / 2.0), 1e-3);
      // d is a unit step in patient space, along +y (posterior).
      EXPECT_NEAR(dw.x, 0, 1e-5);
      EXPECT_NEAR(dw.y, 1, 1e-5);
      EXPECT_NEAR(dw.z, 0, 1e-5);
    }
  cvx::Camera3D persp = front;
  persp.perspective = true;
  persp.fovYDeg = 90;  // the top edge of the image is 45 degrees up
  const cvx::hd::RayCamera pc = cvx::rayCamera(g, persp, w, h);
  Vec3f o, d;
  cvx::hd::pixelRay(pc, 20, 0, o, d);
  const cvx::Vec3 ow = toWorld(o), dw = dirWorld(d);
  EXPECT_NEAR(ow.y, -400, 1e-3);  // every perspective ray starts at the eye
  EXPECT_NEAR(std::hypot(dw.x, dw.y, dw.z), 1, 1e-5);
  // Pixel row 0's centre is 14.5 of 15 half-rows up: tan(angle) = 14.5 / 15 * tan(45 deg).
  EXPECT_NEAR(dw.z / dw.y, 14.5 / 15, 1e-4);
  // A degenerate camera hits nothing.
  cvx::Camera3D bad = front;
  bad.up = bad.center - bad.eye;
  EXPECT_TRUE(std::isinf(cvx::rayCamera(g, bad, w, h).tNear));
}

}  // namespace

namespace {

// The specular power by squaring against the library's pow (whole powers), and powf otherwise.
TEST(PowUnit, WholePowersBySquaringMatchPow) {
  for (float p : {0.0f, 1.0f, 2.0f, 5.0f, 20.0f, 64.0f, 127.0f, 128.0f})
    for (float x = 0.0f; x <= 1.0f; x += 0.03125f) {
      const double expected = std::pow(static_cast<double>(x), static_cast<double>(p));
      EXPECT_NEAR(cvx::hd::powUnit(x, p), expected, 1e-6 + 4e-6 * expected) << x << "^" << p;
    }
  EXPECT_EQ(cvx::hd::powUnit(0.5f, 2.5f), std::pow(0.5f, 2.5f));
  EXPECT_EQ(cvx::hd::powUnit(0.5f, 300.0f), std::pow(0.5f, 300.0f));
}

}  // namespace
