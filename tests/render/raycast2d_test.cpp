// SPDX-License-Identifier: MIT
// Two-dimensional transfer functions in the CPU ray caster (hd/transfer2d.h's rules) on analytic
// ramps: the gradient magnitude is known in patient space, so a table that is opaque only for steep
// ramps draws 1 - exp(-sigma L) on a steep one and nothing on a shallow one; skipping keeps the bits.
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/transfer2d.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "phantom.h"

namespace {

using cvx::Vec3;

struct Rendered {
  std::vector<float> rgba, depth;
};

// A ramp of `perMm` modality units per mm along patient z on 2 mm slices (the gradient per voxel
// step is twice the gradient per mm: the inverse-transpose must undo it), seen from the front.
Rendered renderRamp(double perMm, const cvx::TransferTable2D& t2, bool skip) {
  cvx::Geometry g;
  g.spacingMm = {1, 1, 2};
  const std::array<int64_t, 4> d{12, 40, 12, 1};  // 40 mm deep along y
  auto v = cvx::test::fillVolume(g, d, [&](Vec3 p) { return perMm * p.z; });
  cvx::Camera3D cam;
  cam.center = g.worldAt(5.5, 19.5, 5.5);
  cam.eye = cam.center - Vec3{0, 300, 0};
  cam.perspective = false;
  cam.parallelHalfHeightMm = 2;  // 4 x 4 pixels of 1 mm around the centre: z well inside
  auto p = cvx::raycastParams(g, d, cam, 4, 4);
  p.stepMm = 0.5f;
  p.opaque = 2;
  p.shading.on = true;
  p.tf2 = t2.view();
  const cvx::BrickRanges ranges = cvx::brickRanges(*v, 0);
  const std::vector<uint8_t> map = cvx::brickSkipMap(ranges, t2.envelope());
  if (skip) p.bricks = cvx::brickMapView(ranges, map);
  Rendered r{std::vector<float>(64), std::vector<float>(16)};
  EXPECT_TRUE(cvx::render::raycastCpu(*v, 0, p, t2.envelope().view(), 4, 4, r.rgba.data(), r.depth.data()).ok());
  return r;
}

TEST(Raycast2D, OpaqueOnlyWhereTheGradientIsSteep) {
  // Opacity 0.05 per mm at every value, times 0 below |g| = 5 per mm and 1 above 6 per mm.
  auto t2 = cvx::buildGradientTable({{-1000, 1, 1, 1, 0.05f}, {1000, 1, 1, 1, 0.05f}}, 1.0,
                                    {{0, 0}, {5, 0}, {6, 1}, {100, 1}});
  ASSERT_TRUE(t2.ok()) << t2.error().str();
  const double sigma = -std::log(1 - 0.05), want = 1 - std::exp(-sigma * 40.0);
  const Rendered steep = renderRamp(10, *t2, false), shallow = renderRamp(2, *t2, false);
  for (int i = 0; i < 16; ++i) {
    EXPECT_NEAR(steep.rgba[4 * i + 3], want, 1e-4) << i;
    EXPECT_EQ(shallow.rgba[4 * i + 3], 0.0f) << i;
    // Lit from the viewer, the gradient (along z) is perpendicular to the view: ambient only.
    EXPECT_NEAR(steep.rgba[4 * i], 0.2 * want, 1e-3) << i;
  }
  // Halfway up the bend (5.5 per mm: factor 0.5), on a table with a gradient node there (every
  // 0.5 per mm): half the opacity per unit distance.
  auto fine = cvx::buildGradientTable({{-1000, 1, 1, 1, 0.05f}, {1000, 1, 1, 1, 0.05f}}, 1.0,
                                      {{0, 0}, {5, 0}, {6, 1}, {100, 1}}, 1024, 201);
  ASSERT_TRUE(fine.ok());
  const double half = -std::log(1 - 0.025), wantHalf = 1 - std::exp(-half * 40.0);
  const Rendered mid = renderRamp(5.5, *fine, false);
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(mid.rgba[4 * i + 3], wantHalf, 2e-3) << i;
}

TEST(Raycast2D, SkippingKeepsEveryBit) {
  // Visible only above 300 with a steep gradient: most of the ramp is skipped.
  auto t2 = cvx::buildGradientTable({{-1000, 1, 1, 1, 0}, {300, 1, 1, 1, 0}, {320, 0.9f, 0.8f, 0.7f, 0.3f}}, 1.0,
                                    {{0, 0}, {5, 0}, {6, 1}});
  ASSERT_TRUE(t2.ok());
  const Rendered a = renderRamp(10, *t2, false), b = renderRamp(10, *t2, true);
  for (size_t i = 0; i < a.rgba.size(); ++i) ASSERT_EQ(a.rgba[i], b.rgba[i]) << i;
  for (size_t i = 0; i < a.depth.size(); ++i) ASSERT_EQ(a.depth[i], b.depth[i]) << i;
}

}  // namespace
