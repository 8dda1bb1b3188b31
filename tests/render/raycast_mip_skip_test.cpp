// SPDX-License-Identifier: MIT
// MIP and MinIP pass over bricks whose value range cannot beat the ray's extreme so far
// (hd::BrickMap::range, hd::projectSpan): the image, value and depth stay bit for bit those cast
// without the ranges, at every SIMD level, for noisy 16-bit blobs on an oblique sheared grid, for
// bricks of 2, 4 and 8 voxels and of 4x4x1, perspective and parallel, with and without jitter; and far fewer samples
// are read (counted through a sampler that counts its calls: 70-83 % of them on these noisy blobs,
// whose background noise keeps many bricks above a ray's maximum so far). Bounded from a neighbour's
// extreme (hd::shadePixelHinted, the CPU's tile loop), fewer still (65-87 % of those) and the same
// bits, whatever the hint.
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/reslice.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "phantom.h"
#include "simd_level.h"

namespace {

using cvx::Vec3;
using cvx::hd::RenderMode;

using RaycastMipSkip = cvx::test::AtSimdLevel;

struct Image {
  std::vector<float> rgba, depth, value;
  Image(int w, int h) : rgba(4 * size_t(w) * h), depth(size_t(w) * h), value(size_t(w) * h) {}
};

cvx::Camera3D camera(const cvx::Volume& v, bool perspective) {
  cvx::Camera3D cam;
  cam.center = v.geometry.worldAt(35, 30, 18);
  cam.eye = cam.center + Vec3{-160, -220, 90};
  cam.up = {0, 0, 1};
  cam.perspective = perspective;
  cam.fovYDeg = 28;
  cam.parallelHalfHeightMm = 45;
  return cam;
}

template <class T>
void expectSameImageFewerSamples(const cvx::Volume& v) {
  const int w = 77, h = 64;
  const std::vector<cvx::hd::TfNode> nodes = {{0, 0, 0, 1}, {1, 1, 1, 1}};
  const cvx::hd::TransferFunction1D tf{nodes.data(), nullptr, 2, -400, 900};
  int cases = 0;
  for (const cvx::BrickSize size : {cvx::BrickSize{2, 2, 2}, {4, 4, 4}, {8, 8, 8}, {4, 4, 1}}) {
    const cvx::BrickRanges ranges = cvx::brickRanges(v, 0, size);
    ASSERT_FALSE(ranges.minMax.empty());
    for (RenderMode mode : {RenderMode::Mip, RenderMode::MinIp})
      for (bool perspective : {true, false})
        for (bool jitter : {false, true}) {
          const std::string what = std::string(mode == RenderMode::Mip ? "mip" : "minip") + " size " +
                                   std::to_string(size.x) + std::to_string(size.y) + std::to_string(size.z) + (perspective ? " perspective" : " parallel") +
                                   (jitter ? " jitter" : "");
          auto p = cvx::raycastParams(v.geometry, v.dims(), camera(v, perspective), w, h);
          p.stepMm = 0.37f;
          p.mode = mode;
          p.jitter = jitter;
          p.seed = 5;
          Image plain(w, h), passed(w, h);
          ASSERT_TRUE(cvx::render::raycastCpu(v, 0, p, tf, w, h, plain.rgba.data(), plain.depth.data(),
                                              plain.value.data())
                          .ok());
          cvx::hd::RaycastParams q = p;
          q.bricks = cvx::brickMapView(ranges, {});
          ASSERT_NE(q.bricks.range, nullptr);
          ASSERT_EQ(q.bricks.skip, nullptr);
          ASSERT_TRUE(cvx::render::raycastCpu(v, 0, q, tf, w, h, passed.rgba.data(), passed.depth.data(),
                                              passed.value.data())
                          .ok());
          int drawn = 0;
          for (size_t i = 0; i < plain.value.size(); ++i) {
            ASSERT_EQ(std::memcmp(&plain.rgba[4 * i], &passed.rgba[4 * i], 4 * sizeof(float)), 0) << what << " " << i;
            ASSERT_EQ(std::memcmp(&plain.value[i], &passed.value[i], sizeof(float)), 0) << what << " " << i;
            ASSERT_EQ(std::memcmp(&plain.depth[i], &passed.depth[i], sizeof(float)), 0) << what << " " << i;
            drawn += plain.rgba[4 * i + 3] > 0;
          }
          EXPECT_GT(drawn, w * h / 4) << what;
          // The samples read, pixel by pixel through hd::shadePixel: with the ranges, far fewer.
          cvx::test::Counting<T> all{cvx::gridSampler(v, v.as<T>())}, fewer{cvx::gridSampler(v, v.as<T>())};
          for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
              const auto a = cvx::hd::shadePixel(p, tf, all, x, y), b = cvx::hd::shadePixel(q, tf, fewer, x, y);
              ASSERT_EQ(std::memcmp(&a.value, &b.value, sizeof(float)), 0) << what;
            }
          EXPECT_GT(all.samples, 100000) << what;
          EXPECT_LT(fewer.samples, all.samples * 17 / 20) << what << ": " << fewer.samples << " of " << all.samples;
          // Bounded from the left neighbour's extreme (the CPU's tile loop, hd::shadePixelHinted):
          // the same bits again, and fewer samples still (the bound's own three reads counted).
          cvx::test::Counting<T> hinted{cvx::gridSampler(v, v.as<T>())};
          const cvx::hd::NoSecond* none = nullptr;
          for (int y = 0; y < h; ++y) {
            cvx::hd::Vec3f hint;
            bool have = false;
            for (int x = 0; x < w; ++x) {
              const auto a = cvx::hd::shadePixel(p, tf, all, x, y);
              const auto c = cvx::hd::shadePixelHinted(q, tf, hinted, none, x, y, hint, have);
              ASSERT_EQ(std::memcmp(&a.value, &c.value, sizeof(float)), 0) << what << " " << x << "," << y;
              ASSERT_EQ(std::memcmp(&a.depth, &c.depth, sizeof(float)), 0) << what << " " << x << "," << y;
            }
          }
          EXPECT_LT(hinted.samples, fewer.samples) << what << ": " << hinted.samples << " of " << fewer.samples;
          ++cases;
        }
  }
  EXPECT_EQ(cases, 32);  // 4 brick sizes x 2 modes x 2 projections x 2 jitters
}

TEST_P(RaycastMipSkip, BricksThatCannotWinArePassedOverAndTheImageKeepsItsBits) {
  expectSameImageFewerSamples<int16_t>(*cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0));
  expectSameImageFewerSamples<uint16_t>(*cvx::test::blobs<uint16_t>(cvx::PixelType::UInt16, 2000));
}

INSTANTIATE_TEST_SUITE_P(Levels, RaycastMipSkip, ::testing::Values(cvx::render::Simd::Sse2, cvx::render::Simd::Avx2),
                         [](const auto& info) { return std::string(cvx::render::toString(info.param)); });

// A hint is only where to look for a bound: wherever it points (a far pixel's extreme, outside the
// volume, behind the camera, NaN), the bound is one of the ray's own samples, so every pixel keeps
// its bits.
TEST(RaycastMipSkipHint, AnyHintKeepsThePixelsBits) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0);
  const cvx::BrickRanges ranges = cvx::brickRanges(*v, 0, cvx::BrickSize{4, 4, 1});
  const std::vector<cvx::hd::TfNode> nodes = {{0, 0, 0, 1}, {1, 1, 1, 1}};
  const cvx::hd::TransferFunction1D tf{nodes.data(), nullptr, 2, -400, 900};
  const cvx::hd::NoSecond* none = nullptr;
  const cvx::hd::GridSampler<int16_t> s = cvx::gridSampler(*v, v->as<int16_t>());
  const float nan = std::nanf("");
  const cvx::hd::Vec3f hints[] = {{35, 30, 18}, {0, 0, 0}, {69, 60, 36}, {-500, 800, 90},
                                  {1e30f, -1e30f, 1e30f}, {nan, 1, 2}, {nan, nan, nan}};
  for (RenderMode mode : {RenderMode::Mip, RenderMode::MinIp}) {
    auto p = cvx::raycastParams(v->geometry, v->dims(), camera(*v, true), 31, 27);
    p.stepMm = 0.37f;
    p.mode = mode;
    cvx::hd::RaycastParams q = p;
    q.bricks = cvx::brickMapView(ranges, {});
    int drawn = 0;
    for (int y = 0; y < 27; ++y)
      for (int x = 0; x < 31; ++x) {
        const auto a = cvx::hd::shadePixel(p, tf, s, x, y);
        drawn += !std::isnan(a.value);
        for (const cvx::hd::Vec3f& h : hints) {
          cvx::hd::Vec3f hint = h;
          bool have = true;
          const auto c = cvx::hd::shadePixelHinted(q, tf, s, none, x, y, hint, have);
          ASSERT_EQ(std::memcmp(&a.value, &c.value, sizeof(float)), 0) << x << "," << y << " hint " << h.x;
          ASSERT_EQ(std::memcmp(&a.depth, &c.depth, sizeof(float)), 0) << x << "," << y << " hint " << h.x;
        }
      }
    EXPECT_GT(drawn, 200);  // of 837: the blobs fill the middle of the view
  }
}

// Ranges that lie (every brick's max below the data) change a MIP: the ranges are what decides.
TEST(RaycastMipSkipRanges, RangesThatLieChangeTheImage) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0);
  cvx::BrickRanges ranges = cvx::brickRanges(*v, 0, 4);
  for (size_t i = 0; i < ranges.minMax.size(); i += 2) ranges.minMax[i + 1] = -1e9f;
  const std::vector<cvx::hd::TfNode> nodes = {{0, 0, 0, 1}, {1, 1, 1, 1}};
  const cvx::hd::TransferFunction1D tf{nodes.data(), nullptr, 2, -400, 900};
  auto p = cvx::raycastParams(v->geometry, v->dims(), camera(*v, true), 40, 40);
  p.stepMm = 0.37f;
  p.mode = RenderMode::Mip;
  Image plain(40, 40), lied(40, 40);
  ASSERT_TRUE(cvx::render::raycastCpu(*v, 0, p, tf, 40, 40, plain.rgba.data(), plain.depth.data(), plain.value.data()).ok());
  p.bricks = cvx::brickMapView(ranges, {});
  ASSERT_TRUE(cvx::render::raycastCpu(*v, 0, p, tf, 40, 40, lied.rgba.data(), lied.depth.data(), lied.value.data()).ok());
  // Lower, or nothing at all where a neighbour's bound passed over every brick of the ray.
  int lower = 0;
  for (size_t i = 0; i < plain.value.size(); ++i)
    lower += !std::isnan(plain.value[i]) && (std::isnan(lied.value[i]) || lied.value[i] < plain.value[i]);
  EXPECT_GT(lower, 400);
}

}  // namespace
