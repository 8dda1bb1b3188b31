// SPDX-License-Identifier: MIT
// render::raycastCpu against analytic answers on procedural phantoms: a sphere's MIP is a disc of
// its radius; a uniform medium composites to 1 - exp(-sigma L) at every step; a sphere's isosurface
// is lit by its normal (Lambert) at the depth of its surface; the scene depth, crop box and clip
// planes shorten the medium as they should; empty-space skipping and the step keep the image.
#include <cvx/core/raycast.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "phantom.h"

namespace {

using cvx::Vec3;
using cvx::hd::RenderMode;

// A two-node table over [lo, hi]: colour (1, 1, 1) and extinction s0 at lo to s1 at hi.
struct Table {
  std::vector<cvx::hd::TfNode> nodes;
  cvx::hd::TransferFunction1D view;
  Table(float lo, float hi, float s0, float s1, int n = 2) {
    for (int i = 0; i < n; ++i) {
      const float f = static_cast<float>(i) / static_cast<float>(n - 1);
      nodes.push_back({1, 1, 1, s0 + f * (s1 - s0)});
    }
    view = {nodes.data(), nullptr, n, lo, hi};
  }
};

struct Image {
  std::vector<float> rgba, depth, value;
  explicit Image(int w, int h) : rgba(4 * w * h), depth(w * h), value(w * h) {}
};

Image render(const cvx::Volume& v, const cvx::hd::RaycastParams& p, const cvx::hd::TransferFunction1D& tf, int w,
             int h) {
  Image im(w, h);
  EXPECT_TRUE(cvx::render::raycastCpu(v, 0, p, tf, w, h, im.rgba.data(), im.depth.data(), im.value.data()).ok());
  return im;
}

// A parallel camera looking along +y (from the front) at `center`, 1 / pixelsPerMm mm pixels.
cvx::Camera3D frontCamera(Vec3 center, int h, double pixelsPerMm) {
  cvx::Camera3D c;
  c.eye = center - Vec3{0, 300, 0};
  c.center = center;
  c.up = {0, 0, 1};
  c.perspective = false;
  c.parallelHalfHeightMm = h / 2.0 / pixelsPerMm;
  return c;
}

TEST(RaycastCpu, SphereMipIsADiscOfItsRadius) {
  const cvx::Geometry g = cvx::test::obliqueGeometry(false);  // anisotropic, oblique: the disc stays round
  const std::array<int64_t, 4> d{64, 48, 24, 1};
  const Vec3 c = g.worldAt(31.5, 23.5, 11.5);
  const double radius = 15;
  auto v = cvx::test::fillVolume(g, d, [&](Vec3 p) { return cvx::norm(p - c) <= radius ? 1000.0 : 0.0; });
  const int w = 120, h = 120;
  const double ppm = 2;  // 0.5 mm pixels
  auto p = cvx::raycastParams(g, d, frontCamera(c, h, ppm), w, h);
  p.mode = RenderMode::Mip;
  p.stepMm = 0.25f;
  const Table tf(0, 1000, 0, 0);
  const Image im = render(*v, p, tf.view, w, h);
  int inside = 0;
  const double rim = 2.3 * std::sqrt(3.0);  // the largest voxel diagonal (2.3 mm slices): interpolation's reach
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double rho = std::hypot((x + 0.5 - w / 2.0) / ppm, (y + 0.5 - h / 2.0) / ppm);
      const float m = im.value[static_cast<size_t>(y) * w + x];
      if (rho < radius - rim) {
        EXPECT_GT(m, 500) << x << "," << y;
      }
      if (rho > radius + rim) {
        EXPECT_FALSE(m >= 500) << x << "," << y;  // below, or NaN where the ray misses the grid
      }
      inside += m >= 500;
    }
  // The disc's area over pi gives its radius: within a quarter voxel of 15 mm.
  EXPECT_NEAR(std::sqrt(inside / std::numbers::pi) / ppm, radius, 0.6);
}

TEST(RaycastCpu, UniformMediumCompositesToOneMinusExpAtEveryStep) {
  cvx::Geometry g;
  g.spacingMm = {1, 1, 1.5};
  const std::array<int64_t, 4> d{8, 20, 8, 1};  // 20 voxels along y: L = 20 mm
  auto v = cvx::test::fillVolume(g, d, [](Vec3) { return 100.0; });
  const float sigma = 0.075f;  // sigma L = 1.5
  const Table tf(0, 200, sigma, sigma);
  const double want = 1 - std::exp(-sigma * 20.0);
  for (bool jitter : {false, true})
    for (float step : {0.25f, 0.5f, 0.8f, 2.0f, 4.0f}) {  // each divides 20 mm
      auto p = cvx::raycastParams(g, d, frontCamera(g.worldAt(3.5, 9.5, 3.5), 4, 1), 4, 4);
      p.stepMm = step;
      p.opaque = 2;  // no early termination
      p.jitter = jitter;
      const Image im = render(*v, p, tf.view, 4, 4);
      for (int i = 0; i < 16; ++i) {
        EXPECT_NEAR(im.rgba[4 * i + 3], want, 2e-5) << "step " << step;
        EXPECT_NEAR(im.rgba[4 * i], want, 2e-5);  // white, premultiplied
      }
    }
}

TEST(RaycastCpu, SceneDepthCropAndClipPlanesShortenTheMedium) {
  cvx::Geometry g;
  const std::array<int64_t, 4> d{8, 20, 8, 1};
  auto v = cvx::test::fillVolume(g, d, [](Vec3) { return 100.0; });
  const float sigma = 0.1f;
  const Table tf(0, 200, sigma, sigma);
  auto p = cvx::raycastParams(g, d, frontCamera(g.worldAt(3.5, 9.5, 3.5), 2, 1), 2, 2);
  p.stepMm = 0.5f;
  p.opaque = 2;
  // The eye is 300 mm in front of the centre: the volume (y from -0.5 to 19.5) starts at t = 290.
  const std::vector<float> depth(4, 298.0f);  // a mesh 8 mm into the volume
  p.depthIn = depth.data();
  EXPECT_NEAR(render(*v, p, tf.view, 2, 2).rgba[3], 1 - std::exp(-sigma * 8.0), 2e-5);
  p.depthIn = nullptr;
  p.boxHi.y = 9.5f;  // crop to the front 10 mm
  EXPECT_NEAR(render(*v, p, tf.view, 2, 2).rgba[3], 1 - std::exp(-sigma * 10.0), 2e-5);
  p.boxHi.y = 19.5f;
  p.planes[0] = {{0, 1, 0}, -4.5f};  // keep y >= 4.5: the back 15 mm
  p.planeCount = 1;
  EXPECT_NEAR(render(*v, p, tf.view, 2, 2).rgba[3], 1 - std::exp(-sigma * 15.0), 2e-5);
}

// A signed distance field of a sphere (linear along every ray through the centre): the isosurface 0
// is the sphere; with a headlight, ambient a and diffuse k, a pixel at distance rho from the centre
// sees the surface at cos(theta) = sqrt(1 - rho^2 / R^2), depth (eye distance) - R cos(theta).
TEST(RaycastCpu, SphereIsosurfaceIsLitByItsNormalAtItsDepth) {
  cvx::Geometry g;
  g.spacingMm = {0.9, 1.0, 1.2};
  const std::array<int64_t, 4> d{56, 50, 42, 1};
  const Vec3 c = g.worldAt(27.5, 24.5, 20.5);
  const double radius = 18;
  auto v = cvx::test::fillVolume(g, d, [&](Vec3 p) { return radius - cvx::norm(p - c); });
  const int w = 80, h = 80;
  const double ppm = 2;
  auto p = cvx::raycastParams(g, d, frontCamera(c, h, ppm), w, h);
  p.mode = RenderMode::Isosurface;
  p.isoValue = 0;
  p.stepMm = 0.5f;
  p.shading.on = true;
  p.shading.ambient = 0.1f;
  p.shading.diffuse = 0.9f;
  p.shading.specular = 0;
  const Table tf(-50, 50, 0, 0);
  const Image im = render(*v, p, tf.view, w, h);
  int judged = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double rho = std::hypot((x + 0.5 - w / 2.0) / ppm, (y + 0.5 - h / 2.0) / ppm);
      const size_t i = static_cast<size_t>(y) * w + x;
      if (rho > radius + 1) {
        EXPECT_EQ(im.rgba[4 * i + 3], 0) << x << "," << y;
        continue;
      }
      if (rho > 0.9 * radius) continue;  // grazing: the normal turns fast
      const double cosTheta = std::sqrt(1 - rho * rho / (radius * radius));
      EXPECT_NEAR(im.rgba[4 * i], 0.1 + 0.9 * cosTheta, 0.02) << x << "," << y;
      EXPECT_NEAR(im.depth[i], 300 - radius * cosTheta, 0.05) << x << "," << y;
      ++judged;
    }
  EXPECT_GT(judged, 2000);
}

// Blobs in an empty volume, a table transparent below 300: skipping empty bricks (of 4 and of 8, whole
// runs of them at once) must not change a single bit (the samples that count are the very same), and must skip most of the volume.
TEST(RaycastCpu, EmptySpaceSkippingKeepsEveryPixel) {
  cvx::Geometry g;
  g.spacingMm = {1, 1, 1.5};
  const std::array<int64_t, 4> d{72, 64, 40, 1};
  const Vec3 a = g.worldAt(20, 20, 12), b = g.worldAt(50, 40, 26);
  auto v = cvx::test::fillVolume(g, d, [&](Vec3 p) {
    return 1000 * std::exp(-cvx::dot(p - a, p - a) / 60) + 800 * std::exp(-cvx::dot(p - b, p - b) / 30);
  });
  // And a sharp cube whose faces lie on brick faces (voxels 24..39, 16..31, 8..15 of bricks of 8):
  // a ray leaves an empty brick right where the medium starts.
  for (int64_t k = 8; k < 16; ++k)
    for (int64_t j = 16; j < 32; ++j)
      for (int64_t i = 24; i < 40; ++i) v->as<float>()[(k * d[1] + j) * d[0] + i] = 500;
  std::vector<cvx::hd::TfNode> nodes = {{1, 1, 1, 0}, {1, 1, 1, 0}, {1, 0.8f, 0.6f, 0.8f}};
  const cvx::hd::TransferFunction1D tf{nodes.data(), nullptr, 3, 0, 600};  // sigma 0 up to 300 HU
  for (const cvx::BrickSize size : {cvx::BrickSize{4, 4, 4}, {8, 8, 8}, {4, 4, 1}, {3, 2, 5}}) {
    const cvx::BrickRanges ranges = cvx::brickRanges(*v, 0, size);
    std::vector<uint8_t> empty(ranges.minMax.size() / 2);
    int emptyCount = 0;
    for (size_t i = 0; i < empty.size(); ++i) {
      // Empty when the table is 0 at every value of the brick's range (sampled densely, ends included).
      bool zero = true;
      for (int k = 0; k <= 1000 && zero; ++k) {
        const float val = ranges.minMax[2 * i] + (ranges.minMax[2 * i + 1] - ranges.minMax[2 * i]) * k / 1000.0f;
        zero = cvx::hd::tfLookup(tf, val).sigma == 0;
      }
      empty[i] = zero;
      emptyCount += zero;
    }
    EXPECT_GT(emptyCount, static_cast<int>(empty.size()) / 2);
    const std::vector<uint8_t> skip = cvx::test::octantSkip(empty, ranges.bx, ranges.by, ranges.bz);
    for (bool jitter : {false, true}) {
      cvx::Camera3D cam = frontCamera(g.worldAt(35.5, 31.5, 19.5), 90, 1);
      cam.eye = cam.center + Vec3{-150, -250, 90};  // oblique through both blobs
      cam.perspective = true;
      cam.fovYDeg = 12;
      auto p = cvx::raycastParams(g, d, cam, 90, 90);
      p.stepMm = 0.4f;
      p.shading.on = true;
      p.jitter = jitter;
      const Image plain = render(*v, p, tf, 90, 90);
      p.bricks = cvx::brickMapView(ranges, skip);
      const Image skipped = render(*v, p, tf, 90, 90);
      int drawn = 0;
      for (size_t i = 0; i < plain.depth.size(); ++i) {
        for (int c = 0; c < 4; ++c) ASSERT_EQ(skipped.rgba[4 * i + c], plain.rgba[4 * i + c]) << i << " size " << size.x << size.y << size.z;
        ASSERT_EQ(skipped.depth[i], plain.depth[i]) << i;
        drawn += plain.rgba[4 * i + 3] > 0.05f;
      }
      EXPECT_GT(drawn, 200);
    }
  }
}

// Opacity correction: a smooth blob rendered at steps 0.25 and 1 mm composites to nearly the same
// image (the exact answer is the integral along each ray; both steps approach it).
TEST(RaycastCpu, TheStepChangesTheImageOnlyByDiscretisation) {
  cvx::Geometry g;
  const std::array<int64_t, 4> d{48, 48, 48, 1};
  const Vec3 c = g.worldAt(23.5, 23.5, 23.5);
  auto v = cvx::test::fillVolume(g, d, [&](Vec3 p) { return 1000 * std::exp(-cvx::dot(p - c, p - c) / 200); });
  const Table tf(0, 1000, 0, 0.15f, 64);
  auto p = cvx::raycastParams(g, d, frontCamera(c, 40, 1), 40, 40);
  p.opaque = 2;
  p.stepMm = 0.25f;
  const Image fine = render(*v, p, tf.view, 40, 40);
  p.stepMm = 1.0f;
  const Image coarse = render(*v, p, tf.view, 40, 40);
  double sum = 0, worst = 0, peak = 0;
  for (size_t i = 0; i < fine.depth.size(); ++i) {
    const double diff = std::abs(fine.rgba[4 * i + 3] - coarse.rgba[4 * i + 3]);
    sum += diff;
    worst = std::max(worst, diff);
    peak = std::max(peak, static_cast<double>(fine.rgba[4 * i + 3]));
  }
  EXPECT_GT(peak, 0.9);  // the blob is dense: a real test of the correction
  EXPECT_LT(sum / fine.depth.size(), 0.003);
  EXPECT_LT(worst, 0.02);
}

TEST(RaycastCpu, BadRequests) {
  cvx::Geometry g;
  auto v = cvx::test::fillVolume(g, {4, 4, 4, 1}, [](Vec3) { return 1.0; });
  const Table tf(0, 1, 0, 1);
  const auto p = cvx::raycastParams(g, {4, 4, 4, 1}, frontCamera({1.5, 1.5, 1.5}, 4, 1), 4, 4);
  std::vector<float> rgba(64);
  EXPECT_EQ(cvx::render::raycastCpu(*v, 0, p, tf.view, 4, 4, nullptr).error().code, "render.bad_request");
  EXPECT_EQ(cvx::render::raycastCpu(*v, 1, p, tf.view, 4, 4, rgba.data()).error().code, "render.bad_request");
  EXPECT_EQ(cvx::render::raycastCpu(*v, 0, p, tf.view, 0, 4, rgba.data()).error().code, "render.bad_request");
  auto tiny = p;
  tiny.stepMm = 1e-6f;  // would take hours: refused
  EXPECT_EQ(cvx::render::raycastCpu(*v, 0, tiny, tf.view, 4, 4, rgba.data()).error().code, "render.bad_request");
  tiny.stepMm = NAN;
  EXPECT_EQ(cvx::render::raycastCpu(*v, 0, tiny, tf.view, 4, 4, rgba.data()).error().code, "render.bad_request");
  cvx::hd::TransferFunction1D one = tf.view;
  one.n = 1;
  EXPECT_EQ(cvx::render::raycastCpu(*v, 0, p, one, 4, 4, rgba.data()).error().code, "render.bad_request");
  EXPECT_TRUE(cvx::render::raycastCpu(*v, 0, p, tf.view, 4, 4, rgba.data()).ok());
}

// Degenerate grids (one voxel; one voxel thick), non-finite voxels and RGB volumes render without
// a crash: every output is finite and within [0, 1], in every mode.
TEST(RaycastCpu, DegenerateGridsAndNonFiniteVoxelsGiveFiniteImages) {
  const Table tf(0, 100, 0, 0.5f, 8);
  auto check = [&](const cvx::Volume& v) {
    for (RenderMode m : {RenderMode::Composite, RenderMode::Mip, RenderMode::MinIp, RenderMode::Average,
                         RenderMode::Isosurface}) {
      cvx::Camera3D cam;
      cam.center = v.geometry.worldAt((v.dims()[0] - 1) / 2.0, (v.dims()[1] - 1) / 2.0, (v.dims()[2] - 1) / 2.0);
      cam.eye = cam.center + Vec3{30, -40, 20};
      auto p = cvx::raycastParams(v.geometry, v.dims(), cam, 24, 20);
      p.mode = m;
      p.isoValue = 50;
      p.shading.on = true;
      p.jitter = true;
      Image im(24, 20);
      ASSERT_TRUE(cvx::render::raycastCpu(v, 0, p, tf.view, 24, 20, im.rgba.data(), im.depth.data()).ok());
      for (float c : im.rgba) ASSERT_TRUE(std::isfinite(c) && c >= 0 && c <= 1.0001f) << c << " mode " << int(m);
    }
  };
  cvx::Geometry g;
  check(*cvx::test::fillVolume(g, {1, 1, 1, 1}, [](Vec3) { return 80.0; }));
  check(*cvx::test::fillVolume(g, {1, 7, 1, 1}, [](Vec3 p) { return 10.0 * p.y; }));
  auto nan = cvx::test::fillVolume(g, {6, 6, 6, 1}, [](Vec3 p) { return p.x > 2 ? NAN : (p.y > 3 ? INFINITY : 60.0); });
  check(*nan);
  auto rgb = cvx::Volume::create(cvx::PixelType::RGB8, {5, 5, 5, 1}).value();
  for (int i = 0; i < 5 * 5 * 5 * 3; ++i) rgb->as<uint8_t>()[i] = static_cast<uint8_t>(i * 7);
  check(*rgb);
}

}  // namespace
