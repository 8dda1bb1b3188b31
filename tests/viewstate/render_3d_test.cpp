// SPDX-License-Identifier: MIT
// The 3D view's orbit camera and VolumeRenderer (Qt-free): a marker at a known patient position
// appears on the side of the image that the radiological 3D convention puts it (from the front the
// patient's right is on the image's left and superior is up; from the left, anterior is on the
// left; from above, anterior is at the bottom), and the renderer draws through the preset.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/render_3d.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

// A 41^3 mm cube of air with one bright ball of radius 4 mm at `offset` mm from the centre.
std::shared_ptr<Volume> marker(Vec3 offset) {
  auto v = Volume::create(PixelType::Int16, {41, 41, 41, 1}).value();
  v->geometry.originMm = {-20, -20, -20};
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 41; ++k)
    for (int j = 0; j < 41; ++j)
      for (int i = 0; i < 41; ++i) {
        const Vec3 w{i - 20.0, j - 20.0, k - 20.0};
        *p++ = norm(w - offset) <= 4 ? 1000 : 0;
      }
  return v;
}

using cvx::test::opaqueWhite;

// Centroid (x, y) of the drawn pixels, in units of the image size from its centre (-0.5..0.5).
std::array<double, 2> centroid(const RgbaImage& im) {
  double sx = 0, sy = 0, n = 0;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x)
      if ((im.pixels[static_cast<size_t>(y) * im.width + x] & 0xFF) > 64) {
        sx += (x + 0.5) / im.width - 0.5;
        sy += (y + 0.5) / im.height - 0.5;
        ++n;
      }
  EXPECT_GT(n, 20) << "the marker is drawn";
  return {sx / n, sy / n};
}

std::array<double, 2> seen(Vec3 offset, double azimuth, double elevation, bool perspective = false) {
  VolumeRenderer r;
  Camera3DView c;
  c.azimuthDeg = azimuth;
  c.elevationDeg = elevation;
  c.perspective = perspective;
  auto im = r.draw(marker(offset), 0, opaqueWhite(), c, 64, 64);
  EXPECT_TRUE(im.ok());
  return im.ok() ? centroid(**im) : std::array<double, 2>{0, 0};
}

}  // namespace

TEST(Render3d, FromTheFrontRightIsLeftAndSuperiorIsUp) {
  for (bool perspective : {false, true}) {
    EXPECT_LT(seen({-12, 0, 0}, 0, 0, perspective)[0], -0.1);  // patient's right (-x): image left
    EXPECT_LT(seen({0, 0, 12}, 0, 0, perspective)[1], -0.1);   // superior (+z): image top
    EXPECT_NEAR(seen({0, -12, 0}, 0, 0, perspective)[0], 0, 0.02);  // anterior: towards the eye
  }
}

TEST(Render3d, OrbitingMovesTheSidesAsTheCameraGoesRound) {
  EXPECT_GT(seen({-12, 0, 0}, 180, 0)[0], 0.1);  // from behind: the patient's right on the image's right
  EXPECT_LT(seen({0, -12, 0}, 90, 0)[0], -0.1);  // from the patient's left: anterior on the image's left
  EXPECT_GT(seen({0, -12, 0}, 0, 90)[1], 0.1);   // from above: anterior at the bottom
  EXPECT_LT(seen({-12, 0, 0}, 0, 90)[0], -0.1);  // ... and the patient's right still on the left
}

TEST(Render3d, ZoomEnlargesAndBadRequestsAreErrors) {
  VolumeRenderer r;
  Camera3DView c;
  c.perspective = false;
  auto count = [&](double zoom) {
    c.zoom = zoom;
    auto im = r.draw(marker({0, 0, 0}), 0, opaqueWhite(), c, 160, 160);
    EXPECT_TRUE(im.ok());
    int n = 0;
    for (uint32_t p : (*im)->pixels) n += (p & 0xFF) > 64;
    return n;
  };
  const int one = count(1), two = count(2);
  EXPECT_GT(one, 200);
  EXPECT_NEAR(static_cast<double>(two) / one, 4.0, 0.4);  // twice the zoom, four times the area
  EXPECT_FALSE(r.draw(marker({0, 0, 0}), 1, opaqueWhite(), c, 64, 64).ok());
  EXPECT_FALSE(r.draw(marker({0, 0, 0}), 0, opaqueWhite(), c, 0, 64).ok());
  TransferPreset bad = opaqueWhite();
  bad.points = {{5, 1, 1, 1, 0}, {1, 1, 1, 1, 1}};  // not sorted
  auto e = r.draw(marker({0, 0, 0}), 0, bad, c, 64, 64);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "tf.bad_points");
}

// projectToPixel inverts the ray caster's camera: a point on pixel (x, y)'s ray lands on that
// pixel's centre, for both projections; a point behind a perspective eye has no pixel.
TEST(Render3d, ProjectToPixelInvertsTheCameraRays) {
  auto v = marker({0, 0, 0});
  for (bool perspective : {false, true}) {
    Camera3DView cv;
    cv.azimuthDeg = 35;
    cv.elevationDeg = -20;
    cv.perspective = perspective;
    const Camera3D cam = orbitCamera(*v, cv, 70, 50);
    const hd::RayCamera rays = rayCamera(v->geometry, cam, 70, 50);
    const Mat4 world = v->geometry.worldFromVoxel();
    for (int y : {0, 17, 49})
      for (int x : {0, 33, 69}) {
        hd::Vec3f o, d;
        hd::pixelRay(rays, x, y, o, d);
        const Vec3 p = world.applyPoint(Vec3{o.x, o.y, o.z} + Vec3{d.x, d.y, d.z} * 123.0);
        const auto px = projectToPixel(cam, p, 70, 50);
        ASSERT_TRUE(px.has_value());
        EXPECT_NEAR((*px)[0], x + 0.5, 1e-3) << x << "," << y;
        EXPECT_NEAR((*px)[1], y + 0.5, 1e-3) << x << "," << y;
      }
    if (perspective) {
      EXPECT_FALSE(projectToPixel(cam, cam.eye + (cam.eye - cam.center), 70, 50).has_value());
    }
  }
}

// The orientation marker from the camera presets, worked out by hand: from the front (A) the
// patient's left points right and superior up; from the left side (L) anterior points left; from
// above (S) anterior points down and the patient's left right.
TEST(Render3d, OrientationMarkerAndCameraPresets) {
  auto v = marker({0, 0, 0});
  auto dir = [&](char side, char letter) {
    const auto m = orientationMarker(orbitCamera(*v, cameraPreset({}, side), 64, 64));
    for (const auto& d : m)
      if (d.letter == letter) return std::array<double, 2>{d.dx, d.dy};
    return std::array<double, 2>{99, 99};
  };
  auto expect = [&](char side, char letter, double dx, double dy) {
    const auto d = dir(side, letter);
    EXPECT_NEAR(d[0], dx, 1e-9) << side << " " << letter;
    EXPECT_NEAR(d[1], dy, 1e-9) << side << " " << letter;
  };
  expect('A', 'L', 1, 0);
  expect('A', 'S', 0, -1);
  expect('A', 'A', 0, 0);
  expect('P', 'L', -1, 0);
  expect('L', 'A', -1, 0);
  expect('L', 'S', 0, -1);
  expect('R', 'A', 1, 0);
  expect('S', 'A', 0, 1);
  expect('S', 'L', 1, 0);
  expect('I', 'L', 1, 0);
  expect('I', 'A', 0, -1);
  Camera3DView z;
  z.zoom = 2.5;
  EXPECT_EQ(cameraPreset(z, 'P').zoom, 2.5);
  EXPECT_EQ(cameraPreset(z, 'x').azimuthDeg, z.azimuthDeg);
}

namespace {

// A preset's gradient-opacity curve makes the rendering 2D: a curve of 0 everywhere hides the ball,
// a curve of 1 everywhere draws it as the 1D table does (within the difference between point
// lookups and pre-integration), and the renderer notices the curve changing under the same name;
// so does a fused layer's.
TEST(Render3d, GradientOpacityCurveMakesIt2D) {
  const auto ball = marker({0, 0, 0});
  Camera3DView c;
  VolumeRenderer r;
  auto count = [](const RgbaImage& im) {
    int n = 0;
    for (uint32_t px : im.pixels) n += (px & 0xFF) > 64;
    return n;
  };
  auto plain = r.draw(ball, 0, opaqueWhite(), c, 64, 64);
  ASSERT_TRUE(plain.ok());
  const int drawn = count(**plain);
  EXPECT_GT(drawn, 20);
  TransferPreset hidden = opaqueWhite();
  hidden.gradientOpacity = {{0, 0.0f}, {100, 0.0f}};
  auto none = r.draw(ball, 0, hidden, c, 64, 64);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(count(**none), 0);
  TransferPreset full = opaqueWhite();
  full.gradientOpacity = {{0, 1.0f}, {100, 1.0f}};
  auto all = r.draw(ball, 0, full, c, 64, 64);
  ASSERT_TRUE(all.ok());
  EXPECT_NEAR(count(**all), drawn, 3);
  // The same for a fused layer's preset (hd::Fusion::tf2), over a reference that draws nothing.
  TransferPreset clear = opaqueWhite();
  for (TfPoint& q : clear.points) q.alpha = 0;
  VolumeRenderer f;
  for (const TransferPreset* layer : {&hidden, &full}) {
    f.setFused(Fused3D{marker({0, 0, 0}), 0, *layer});
    auto im = f.draw(marker({0, 0, 0}), 0, clear, c, 64, 64);
    ASSERT_TRUE(im.ok());
    EXPECT_EQ(f.fusedNote(), "");
    if (layer == &hidden) EXPECT_EQ(count(**im), 0);
    else EXPECT_NEAR(count(**im), drawn, 3);
  }
}

}  // namespace
