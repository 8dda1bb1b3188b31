// SPDX-License-Identifier: MIT
// The CPU ray caster at every SIMD level (its AVX2 sampler reads eight samples of a ray at once)
// against hd::shadePixel called pixel by pixel with the plain scalar sampler: the same bits, for
// 16-bit volumes (signed and unsigned, rescaled, on an oblique sheared grid) and float ones, composite
// with shading, jitter and skipping, MIP and isosurface; and fused pairs.
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/reslice.h>
#include <cvx/core/transfer2d.h>
#include <cvx/render/raycast.h>
#include <cvx/render/simd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "phantom.h"
#include "simd_level.h"

namespace {

using cvx::Vec3;

using RaycastCpuSimd = cvx::test::AtSimdLevel;

template <class T>
void expectScalarBits(const cvx::Volume& v) {
  const cvx::test::BlobScene scene = cvx::test::blobScene(v);
  const auto tf = scene.table.view();
  const cvx::BrickRanges& ranges = scene.ranges;
  const std::vector<uint8_t>& skip = scene.skip;
  cvx::Camera3D cam;
  cam.center = v.geometry.worldAt(35, 30, 18);
  cam.eye = cam.center + Vec3{-160, -220, 90};
  cam.fovYDeg = 28;
  const int w = 83, h = 71;
  const auto sampler = cvx::gridSampler(v, v.as<T>());
  int cases = 0;
  for (int mode = 0; mode < 4; ++mode) {
    auto p = cvx::raycastParams(v.geometry, v.dims(), cam, w, h);
    p.stepMm = 0.37f;
    p.shading.on = true;
    p.jitter = mode % 2 == 1;
    p.seed = 11;
    if (mode >= 1) p.bricks = cvx::brickMapView(ranges, skip);
    if (mode == 2) p.mode = cvx::hd::RenderMode::Mip;
    if (mode == 3) p.mode = cvx::hd::RenderMode::Isosurface, p.isoValue = 250;
    std::vector<float> rgba(4 * w * h), depth(w * h), value(w * h);
    ASSERT_TRUE(cvx::render::raycastCpu(v, 0, p, tf, w, h, rgba.data(), depth.data(), value.data()).ok());
    int drawn = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const cvx::hd::PixelResult r = cvx::hd::shadePixel(p, tf, sampler, x, y);
        const size_t i = size_t(y) * w + x;
        const float ref[4] = {r.colour.r, r.colour.g, r.colour.b, r.colour.a};
        ASSERT_EQ(std::memcmp(ref, &rgba[4 * i], sizeof ref), 0) << "mode " << mode << " pixel " << x << "," << y;
        ASSERT_EQ(std::memcmp(&r.depth, &depth[i], sizeof(float)), 0);
        drawn += r.colour.a > 0.05f;
      }
    EXPECT_GT(drawn, w * h / 20) << mode;
    ++cases;
  }
  EXPECT_EQ(cases, 4);
}

TEST_P(RaycastCpuSimd, SixteenBitVolumesGiveTheScalarBits) {
  expectScalarBits<int16_t>(*cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0));
  expectScalarBits<uint16_t>(*cvx::test::blobs<uint16_t>(cvx::PixelType::UInt16, 2000));
}

// Float voxels (a PET) run the AVX2 loop with the SSE gradient, one sample at a time.
TEST_P(RaycastCpuSimd, FloatVolumesGiveTheScalarBits) {
  expectScalarBits<float>(*cvx::test::blobs<float>(cvx::PixelType::Float32, 0));
}

// A fused second volume (float, on its own coarser, shifted grid; its own table, 1D and then 2D),
// without and with the pair's brick map: the same bits as hd::shadePixel with the scalar samplers.
TEST_P(RaycastCpuSimd, FusedVolumesGiveTheScalarBits) {
  const auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0);
  const cvx::test::BlobScene scene = cvx::test::blobScene(*v);
  cvx::Geometry g2 = v->geometry;
  g2.spacingMm = g2.spacingMm * 1.7;
  g2.originMm = g2.originMm + Vec3{3, -2, 4};
  const auto second = cvx::test::fillVolume(g2, {40, 36, 22, 1}, [](Vec3 q) {
    return 2 * q.x - q.y + 0.5 * q.z + 40 * std::sin(0.3 * q.x) * std::cos(0.2 * q.y + 0.1 * q.z);  // curved: gradients differ voxel by voxel
  });
  auto red = cvx::buildGradientTable({{-200, 1, 0, 0, 0}, {0, 1, 0.2f, 0, 0.02f}, {300, 1, 1, 0, 0.1f}}, 1.0,
                                     {{0, 0.2f}, {2, 1}});
  ASSERT_TRUE(red.ok());
  cvx::Camera3D cam;
  cam.center = v->geometry.worldAt(35, 30, 18);
  cam.eye = cam.center + Vec3{-160, -220, 90};
  cam.fovYDeg = 28;
  const int w = 61, h = 53;
  const auto s1 = cvx::gridSampler(*v, v->as<int16_t>());
  const auto s2 = cvx::gridSampler(*second, second->as<float>());
  const auto tf = scene.table.view();
  const cvx::hd::Fusion fusion = cvx::fusionParams(v->geometry, g2, second->dims(), red->envelope().view());
  const std::vector<uint8_t> pairSkip = cvx::brickSkipMap(
      scene.ranges, scene.table, cvx::fusedRanges(scene.ranges, fusion, *second, 0), red->envelope());
  for (int mode = 0; mode < 3; ++mode) {
    auto p = cvx::raycastParams(v->geometry, v->dims(), cam, w, h);
    p.stepMm = 0.37f;
    p.shading.on = true;
    p.jitter = true;
    p.seed = 5;
    p.fusion = fusion;
    if (mode >= 1) {
      p.bricks = cvx::brickMapView(scene.ranges, pairSkip);
      p.bricks.fused = true;
    }
    if (mode == 2) p.fusion.tf2 = red->view();
    std::vector<float> rgba(4 * w * h);
    ASSERT_TRUE(cvx::render::raycastCpuFused(*v, 0, *second, 0, p, tf, w, h, rgba.data()).ok());
    int both = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const cvx::hd::PixelResult r = cvx::hd::shadePixel(p, tf, s1, &s2, x, y);
        const size_t i = size_t(y) * w + x;
        const float ref[4] = {r.colour.r, r.colour.g, r.colour.b, r.colour.a};
        ASSERT_EQ(std::memcmp(ref, &rgba[4 * i], sizeof ref), 0) << "mode " << mode << " pixel " << x << "," << y;
        both += r.colour.a > 0.05f && r.colour.r > r.colour.b + 0.1f;  // the red layer shows
      }
    EXPECT_GT(both, w * h / 20) << mode;
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, RaycastCpuSimd,
                         ::testing::Values(cvx::render::Simd::Sse2, cvx::render::Simd::Avx2),
                         [](const auto& info) { return std::string(cvx::render::toString(info.param)); });

}  // namespace
