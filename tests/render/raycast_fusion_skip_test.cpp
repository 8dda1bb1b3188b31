// SPDX-License-Identifier: MIT
// Empty-space skipping while a second volume is fused (cvx::fusedRanges, the pair's brickSkipMap,
// hd::BrickMap::fused): the second volume's ranges in the first's bricks hold every value its sampler
// reads there (dense samples, brute force); the image and depth with the pair's map are bit for bit
// those cast without skipping, with far fewer samples; a map of the first volume alone is not used
// while fusing (and would lose the second volume where the first is empty, which shows the test can
// fail).
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/reslice.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "phantom.h"

namespace {

using cvx::Vec3;

// A hot sphere on an axis-aligned 3 mm grid of its own, half of it where the blobs are not.
std::shared_ptr<cvx::Volume> hotSpot(const cvx::Volume& first) {
  cvx::Geometry g;
  g.spacingMm = {3, 3, 3};
  const Vec3 c = first.geometry.worldAt(55, 12, 10);
  g.originMm = c - Vec3{30, 30, 30};
  return cvx::test::fillVolume(g, {21, 21, 21, 1}, [&](Vec3 w) { return 400 * std::exp(-cvx::dot(w - c, w - c) / 150); });
}

struct Pair {
  std::shared_ptr<cvx::Volume> first = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0), second = hotSpot(*first);
  cvx::test::BlobScene scene = cvx::test::blobScene(*first);
  cvx::TransferTable hot = *cvx::buildTransferTable({{0, 0, 0, 0, 0}, {50, 1, 0.3f, 0, 0}, {400, 1, 1, 0.5f, 0.6f}}, 1.0);
  cvx::hd::Fusion fusion = cvx::fusionParams(first->geometry, second->geometry, second->dims(), hot.view());
  std::vector<float> ranges2 = cvx::fusedRanges(scene.ranges, fusion, *second, 0);
};

TEST(FusedRanges, HoldEveryValueTheSecondSamplerReadsInEachBrick) {
  Pair pr;
  const cvx::BrickRanges& r = pr.scene.ranges;
  ASSERT_EQ(pr.ranges2.size(), r.minMax.size());
  const cvx::hd::GridSampler<float> s2 = cvx::gridSampler(*pr.second, pr.second->as<float>());
  int inside = 0, outside = 0, none = 0;
  for (int bz = 0; bz < r.bz; ++bz)
    for (int by = 0; by < r.by; ++by)
      for (int bx = 0; bx < r.bx; ++bx) {
        const size_t i = (static_cast<size_t>(bz) * r.by + by) * r.bx + bx;
        const float mn = pr.ranges2[2 * i], mx = pr.ranges2[2 * i + 1];
        none += mn > mx;
        // Positions across the brick, its faces included: [b s - 0.5, (b + 1) s - 0.5].
        for (int k = 0; k <= 4; ++k)
          for (int j = 0; j <= 4; ++j)
            for (int l = 0; l <= 4; ++l) {
              const cvx::hd::Vec3f q{bx * r.size.x - 0.5f + r.size.x * l / 4.0f, by * r.size.y - 0.5f + r.size.y * j / 4.0f,
                                     bz * r.size.z - 0.5f + r.size.z * k / 4.0f};
              cvx::hd::Vec3f q2;
              if (!cvx::hd::fusedPoint(pr.fusion, q, q2)) {
                ++outside;
                continue;
              }
              ++inside;
              const float v = s2.sample(q2);
              ASSERT_LE(mn, v) << bx << " " << by << " " << bz;
              ASSERT_GE(mx, v) << bx << " " << by << " " << bz;
            }
      }
  EXPECT_GT(inside, 10000);
  EXPECT_GT(outside, 10000);
  EXPECT_GT(none, static_cast<int>(r.minMax.size() / 2) / 4);  // most of the first lies outside the sphere's grid
  // A second volume of one value: exactly that value wherever it reaches.
  auto flat = cvx::test::fillVolume(pr.second->geometry, pr.second->dims(), [](Vec3) { return 7.0; });
  const std::vector<float> f = cvx::fusedRanges(r, pr.fusion, *flat, 0);
  for (size_t i = 0; i < f.size(); i += 2)
    if (f[i] <= f[i + 1]) {
      ASSERT_TRUE(f[i] == 7 && f[i + 1] == 7) << i;
    }
  EXPECT_TRUE(cvx::fusedRanges(cvx::BrickRanges{}, pr.fusion, *flat, 0).empty());
  EXPECT_TRUE(cvx::fusedRanges(r, pr.fusion, *flat, 1).empty());  // no phase 1
}

TEST(RaycastFusionSkip, ThePairsMapSkipsAndTheImageKeepsItsBits) {
  Pair pr;
  const std::vector<uint8_t> skip = cvx::brickSkipMap(pr.scene.ranges, pr.scene.table, pr.ranges2, pr.hot);
  ASSERT_EQ(skip.size(), pr.scene.skip.size());
  const int w = 72, h = 60;
  for (bool perspective : {true, false})
    for (bool jitter : {false, true}) {
      cvx::Camera3D cam;
      cam.center = pr.first->geometry.worldAt(40, 25, 15);
      cam.eye = cam.center + Vec3{-150, -230, 80};
      cam.up = {0, 0, 1};
      cam.perspective = perspective;
      cam.fovYDeg = 30;
      cam.parallelHalfHeightMm = 50;
      auto p = cvx::raycastParams(pr.first->geometry, pr.first->dims(), cam, w, h);
      p.stepMm = 0.45f;
      p.shading.on = true;
      p.jitter = jitter;
      p.fusion = pr.fusion;
      const cvx::hd::TransferFunction1D tf = pr.scene.table.view();
      auto cast = [&](const cvx::hd::BrickMap& bricks, std::vector<float>& rgba, std::vector<float>& depth) {
        p.bricks = bricks;
        rgba.assign(4 * w * h, 0);
        depth.assign(w * h, 0);
        ASSERT_TRUE(cvx::render::raycastCpuFused(*pr.first, 0, *pr.second, 0, p, tf, w, h, rgba.data(), depth.data()).ok());
      };
      std::vector<float> plain, plainDepth, skipped, skippedDepth, alone, aloneDepth;
      cast({}, plain, plainDepth);
      cvx::hd::BrickMap pairMap = cvx::brickMapView(pr.scene.ranges, skip);
      pairMap.fused = true;
      cast(pairMap, skipped, skippedDepth);
      ASSERT_EQ(std::memcmp(plain.data(), skipped.data(), plain.size() * sizeof(float)), 0) << perspective << jitter;
      ASSERT_EQ(std::memcmp(plainDepth.data(), skippedDepth.data(), plainDepth.size() * sizeof(float)), 0);
      // The first volume's own map is not used while fusing...
      cast(cvx::brickMapView(pr.scene.ranges, pr.scene.skip), alone, aloneDepth);
      ASSERT_EQ(std::memcmp(plain.data(), alone.data(), plain.size() * sizeof(float)), 0);
      // ...and marked as a pair's, it loses the sphere where the blobs are not.
      cvx::hd::BrickMap wrong = cvx::brickMapView(pr.scene.ranges, pr.scene.skip);
      wrong.fused = true;
      cast(wrong, alone, aloneDepth);
      int lost = 0, drawn = 0;
      for (size_t i = 0; i < plain.size(); i += 4) {
        lost += plain[i + 3] - alone[i + 3] > 0.05f;
        drawn += plain[i + 3] > 0.05f;
      }
      EXPECT_GT(lost, 100) << perspective << jitter;
      EXPECT_GT(drawn, lost);  // the blobs too
      // Far fewer samples of both volumes (counted through the scalar path).
      cvx::test::Counting<int16_t> s1{cvx::gridSampler(*pr.first, pr.first->as<int16_t>())};
      cvx::test::Counting<float> s2{cvx::gridSampler(*pr.second, pr.second->as<float>())};
      long all1 = 0, all2 = 0;
      for (const cvx::hd::BrickMap& m : {cvx::hd::BrickMap{}, pairMap}) {
        p.bricks = m;
        s1.samples = s2.samples = 0;
        for (int y = 0; y < h; ++y)
          for (int x = 0; x < w; ++x) (void)cvx::hd::shadePixel(p, tf, s1, &s2, x, y);
        if (m.skip == nullptr) {
          all1 = s1.samples, all2 = s2.samples;
          continue;
        }
        EXPECT_LT(s1.samples, all1 / 2) << s1.samples << " of " << all1;
        EXPECT_LT(s2.samples, all2) << s2.samples << " of " << all2;
      }
    }
}

}  // namespace
