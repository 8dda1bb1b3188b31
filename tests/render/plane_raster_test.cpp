// SPDX-License-Identifier: MIT
// render::rasterizeImagePlanes against geometry worked out here: an image placed on the plane y = 10
// seen from the front, in parallel and perspective projection, is drawn where the pixel's ray meets
// it inside its outline, with the image's colour at that point (a linear ramp, so bilinear sampling
// is exact) and the depth along the ray; nearer surfaces, cuts and an edge-on view hide it, and its
// transparent pixels are see-through.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include <cvx/render/plane_raster.h>

namespace cvx {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// An 81 x 61 image on y = 10: pixel (i, j) at x = -20 + 0.5 i, z = 15 - 0.5 j; red 3 i, green 4 j,
// blue 77. Its outline: the whole rectangle unless given.
struct Ramp {
  std::vector<uint32_t> pixels;
  render::ImagePlane plane;
  explicit Ramp(std::vector<std::array<double, 2>> outline = {{0, 0}, {80, 0}, {80, 60}, {0, 60}}) {
    for (int j = 0; j < 61; ++j)
      for (int i = 0; i < 81; ++i)
        pixels.push_back(0xFF000000u | (77u << 16) | (static_cast<uint32_t>(4 * j) << 8) | static_cast<uint32_t>(3 * i));
    plane.origin = {-20, 10, 15};
    plane.du = {0.5, 0, 0};
    plane.dv = {0, 0, -0.5};
    plane.width = 81, plane.height = 61;
    plane.pixels = pixels.data();
    plane.outline = std::move(outline);
  }
};

struct Buffers {
  int w, h;
  std::vector<float> rgba, depth;
  Buffers(int w_, int h_) : w(w_), h(h_), rgba(4 * static_cast<size_t>(w_ * h_), 0.0f), depth(static_cast<size_t>(w_ * h_), kInf) {}
  float t(int x, int y) const { return depth[static_cast<size_t>(y * w + x)]; }
  const float* px(int x, int y) const { return &rgba[4 * static_cast<size_t>(y * w + x)]; }
};

Camera3D parallelFront() {
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -100, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 32;  // 64 px of 1 mm
  return cam;
}

// Pixel (x, y) of a 64 x 64 parallel image from the front: the world x and z of its ray (the
// camera's definition, core/raycast.h: the image's right is +x, its up +z, 1 mm pixels).
double worldX(int x) { return x + 0.5 - 32; }
double worldZ(int y) { return 32 - (y + 0.5); }

// The ramp's colour at world (x, z) on its plane: its continuous pixel (i, j) = ((x + 20) / 0.5,
// (15 - z) / 0.5); red 3 i / 255, green 4 j / 255.
void expectRamp(const float* px, double x, double z) {
  EXPECT_NEAR(px[0], 3 * (x + 20) / 0.5 / 255, 1e-4);
  EXPECT_NEAR(px[1], 4 * (15 - z) / 0.5 / 255, 1e-4);
  EXPECT_NEAR(px[2], 77 / 255.0, 1e-6);
  EXPECT_EQ(px[3], 1.0f);
}

TEST(PlaneRaster, DrawsTheImageWhereTheRaysMeetItInParallel) {
  Ramp ramp;
  Buffers b(64, 64);
  ASSERT_TRUE(render::rasterizeImagePlanes({&ramp.plane, 1}, parallelFront(), 64, 64, b.rgba.data(), b.depth.data()).ok());
  int drawn = 0;
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      const double wx = worldX(x), wz = worldZ(y);
      const bool inside = wx >= -20 && wx <= 20 && wz >= -15 && wz <= 15;
      if (!inside) {
        EXPECT_EQ(b.t(x, y), kInf) << x << "," << y;
        continue;
      }
      ++drawn;
      EXPECT_NEAR(b.t(x, y), 110, 1e-4);  // from the plane through the eye (y = -100) to y = 10
      expectRamp(b.px(x, y), wx, wz);
      EXPECT_EQ(render::imagePlaneDepthAt({&ramp.plane, 1}, parallelFront(), 64, 64, x, y), b.t(x, y));
    }
  EXPECT_EQ(drawn, 40 * 30);
}

TEST(PlaneRaster, PerspectiveDepthIsTheDistanceAlongTheRay) {
  Ramp ramp;
  Camera3D cam;
  cam.eye = {0, -100, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1}, cam.fovYDeg = 30;
  const int w = 48, h = 40;
  Buffers b(w, h);
  ASSERT_TRUE(render::rasterizeImagePlanes({&ramp.plane, 1}, cam, w, h, b.rgba.data(), b.depth.data()).ok());
  // The ray of pixel (x, y) leaves the eye along (u, 1, v) with u = (x + 0.5 - w/2) p,
  // v = -(y + 0.5 - h/2) p, p = 2 tan(15 deg) / h; it meets y = 10 after 110 along y.
  const double p = 2 * std::tan(15 * std::numbers::pi / 180) / h;
  int drawn = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double u = (x + 0.5 - w / 2.0) * p, v = -(y + 0.5 - h / 2.0) * p;
      const double wx = 110 * u, wz = 110 * v;
      if (std::abs(wx) > 19.9 || std::abs(wz) > 14.9) continue;
      ++drawn;
      EXPECT_NEAR(b.t(x, y), 110 * std::sqrt(1 + u * u + v * v), 1e-3);
      expectRamp(b.px(x, y), wx, wz);
    }
  EXPECT_GT(drawn, 500);
}

TEST(PlaneRaster, TheOutlineBoundsWhatIsDrawn) {
  // The triangle (0, 0), (80, 0), (0, 60) in pixels: world x - (-20) over 40 plus (15 - z) over 30
  // at most 1.
  Ramp ramp({{0, 0}, {80, 0}, {0, 60}});
  Buffers b(64, 64);
  ASSERT_TRUE(render::rasterizeImagePlanes({&ramp.plane, 1}, parallelFront(), 64, 64, b.rgba.data(), b.depth.data()).ok());
  int in = 0, out = 0;
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      const double wx = worldX(x), wz = worldZ(y);
      if (wx < -20 || wz > 15) continue;
      const double s = (wx + 20) / 40 + (15 - wz) / 30;
      if (s < 0.98) in += b.t(x, y) < kInf;
      if (s > 1.02) out += b.t(x, y) < kInf;
      if (s < 0.98) {
        EXPECT_LT(b.t(x, y), kInf) << x << "," << y;
      }
    }
  EXPECT_GT(in, 500);
  EXPECT_EQ(out, 0);
}

TEST(PlaneRaster, NearerDepthCutsAndEdgeOnHideIt) {
  Ramp ramp;
  Buffers b(64, 64);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 32; ++x) b.depth[static_cast<size_t>(y * 64 + x)] = 50;  // a surface nearer on the left
  const render::CutPlane cut{{0, 0, 5}, {0, 0, -1}};  // keeps z <= 5
  ASSERT_TRUE(render::rasterizeImagePlanes({&ramp.plane, 1}, parallelFront(), 64, 64, b.rgba.data(), b.depth.data(),
                                           {&cut, 1})
                  .ok());
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      const double wx = worldX(x), wz = worldZ(y);
      if (x < 32) {
        EXPECT_EQ(b.t(x, y), 50);  // untouched
        EXPECT_EQ(b.px(x, y)[3], 0.0f);
      } else if (wx <= 20 && wz >= -15 && wz < 5) {
        EXPECT_NEAR(b.t(x, y), 110, 1e-4) << x << "," << y;
      } else {
        EXPECT_EQ(b.t(x, y), kInf) << x << "," << y;  // cut away (z > 5) or off the image
      }
      if (x % 9 == 0) {
        EXPECT_EQ(render::imagePlaneDepthAt({&ramp.plane, 1}, parallelFront(), 64, 64, x, y, {&cut, 1}),
                  x >= 32 ? b.t(x, y) : (wz < 5 && wx >= -20 && wz >= -15 ? 110.0f : kInf));
      }
    }
  // Seen from above (looking down -z), the plane y = 10 is edge-on: nothing drawn.
  Camera3D top;
  top.perspective = false;
  top.eye = {0, 0, 100}, top.center = {0, 0, 0}, top.up = {0, 1, 0}, top.parallelHalfHeightMm = 32;
  Buffers e(64, 64);
  ASSERT_TRUE(render::rasterizeImagePlanes({&ramp.plane, 1}, top, 64, 64, e.rgba.data(), e.depth.data()).ok());
  for (float t : e.depth) EXPECT_EQ(t, kInf);
}

// Pixels of alpha 0 are see-through: the left half of the ramp (i < 40) made transparent is not
// drawn, its right half is, in the ramp's colours (the alpha-weighted bilinear of opaque pixels).
TEST(PlaneRaster, TransparentPixelsAreSeeThrough) {
  Ramp ramp;
  for (int j = 0; j < 61; ++j)
    for (int i = 0; i < 40; ++i) ramp.pixels[static_cast<size_t>(j * 81 + i)] &= 0x00FFFFFFu;
  Buffers b(64, 64);
  ASSERT_TRUE(render::rasterizeImagePlanes({&ramp.plane, 1}, parallelFront(), 64, 64, b.rgba.data(), b.depth.data()).ok());
  for (int y = 4; y < 60; ++y) {
    if (std::abs(worldZ(y)) > 15) continue;
    for (int x = 0; x < 64; ++x) {
      const double wx = worldX(x), i = (wx + 20) / 0.5;  // the image's column there
      if (wx < -20 || wx > 20) continue;
      if (i < 39.4) {
        EXPECT_EQ(b.t(x, y), kInf) << x << "," << y;
        EXPECT_EQ(render::imagePlaneDepthAt({&ramp.plane, 1}, parallelFront(), 64, 64, x, y), kInf);
      } else if (i >= 40) {
        EXPECT_NEAR(b.t(x, y), 110, 1e-4) << x << "," << y;
        expectRamp(b.px(x, y), wx, worldZ(y));
      }
    }
  }
}

TEST(PlaneRaster, BadRequests) {
  Ramp ramp;
  Buffers b(8, 8);
  render::ImagePlane none = ramp.plane;
  none.pixels = nullptr;
  EXPECT_EQ(render::rasterizeImagePlanes({&none, 1}, parallelFront(), 8, 8, b.rgba.data(), b.depth.data()).error().code,
            "render.bad_request");
  render::ImagePlane flat = ramp.plane;
  flat.dv = {0, 0, 0};
  EXPECT_EQ(render::rasterizeImagePlanes({&flat, 1}, parallelFront(), 8, 8, b.rgba.data(), b.depth.data()).error().code,
            "render.bad_request");
  EXPECT_EQ(render::rasterizeImagePlanes({&ramp.plane, 1}, parallelFront(), 0, 8, b.rgba.data(), b.depth.data())
                .error()
                .code,
            "render.bad_request");
  render::ImagePlane noOutline = ramp.plane;
  noOutline.outline.clear();  // nothing drawn, not an error
  EXPECT_TRUE(render::rasterizeImagePlanes({&noOutline, 1}, parallelFront(), 8, 8, b.rgba.data(), b.depth.data()).ok());
  for (float t : b.depth) EXPECT_EQ(t, kInf);
}

}  // namespace
}  // namespace cvx
