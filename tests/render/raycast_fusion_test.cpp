// SPDX-License-Identifier: MIT
// Two volumes in one pass (raycast.h's Fusion) on uniform media whose composite is known in closed
// form: a white medium 40 mm deep, the middle 20 mm of it shared with a red medium on a coarser,
// shifted grid.
#include <cvx/core/raycast.h>
#include <cvx/core/transfer2d.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "phantom.h"

namespace {

using cvx::Vec3;

struct Uniform {
  std::vector<cvx::hd::TfNode> nodes;
  cvx::hd::TransferFunction1D tf;
  Uniform(float r, float g, float b, float sigma) : nodes(2, cvx::hd::TfNode{r, g, b, sigma}) {
    tf = {nodes.data(), nullptr, 2, 0, 1000};
  }
};

struct Scene {
  cvx::Geometry g1, g2;
  std::shared_ptr<cvx::Volume> first, second;
  cvx::hd::RaycastParams p;
};

// The second volume is 50 + perMmZ * z (patient z, across the rays).
Scene scene(double secondOriginY, double perMmZ = 0) {
  Scene s;
  const std::array<int64_t, 4> d1{10, 40, 10, 1}, d2{8, 10, 8, 1};  // y: 40 x 1 mm; 10 x 2 mm
  s.g2.spacingMm = {2, 2, 2};
  s.g2.originMm = {-2, secondOriginY, -2};
  s.first = cvx::test::fillVolume(s.g1, d1, [](Vec3) { return 100.0; });
  s.second = cvx::test::fillVolume(s.g2, d2, [&](Vec3 q) { return 50.0 + perMmZ * q.z; });
  cvx::Camera3D cam;
  cam.center = s.g1.worldAt(4.5, 19.5, 4.5);
  cam.eye = cam.center - Vec3{0, 300, 0};
  cam.perspective = false;
  cam.parallelHalfHeightMm = 2;
  s.p = cvx::raycastParams(s.g1, d1, cam, 4, 4);
  s.p.stepMm = 0.5f;
  s.p.opaque = 2;
  return s;
}

// The composite of the closed-form scene: white 40 mm deep (sigma1 per mm), the middle 20 mm shared
// with red (sigma2 per mm); 0.5 mm samples. {alpha, green} (red is alpha).
std::array<double, 2> twoMedia(double sigma1, double sigma2) {
  const double a1 = 1 - std::exp(-sigma1 * 0.5), a2 = 1 - std::exp(-sigma2 * 0.5);
  const double tA = std::pow(1 - a1, 20), tB = std::pow((1 - a1) * (1 - a2), 40);
  return {1 - std::exp(-sigma1 * 40 - sigma2 * 20), (1 - tA) + tA * (1 - tB) * a1 / (a1 + a2) + tA * tB * (1 - tA)};
}

TEST(RaycastFusion, TwoMediaCompositeInClosedForm) {
  const Uniform white(1, 1, 1, 0.02f), red(1, 0, 0, 0.05f);
  Scene s = scene(10.5);  // the second's box spans y 9.5 .. 29.5: the middle 20 mm of the first's -0.5 .. 39.5
  s.p.fusion = cvx::fusionParams(s.g1, s.g2, s.second->dims(), red.tf);
  std::vector<float> rgba(64);
  ASSERT_TRUE(cvx::render::raycastCpuFused(*s.first, 0, *s.second, 0, s.p, white.tf, 4, 4, rgba.data()).ok());
  const auto [alpha, green] = twoMedia(0.02, 0.05);
  for (int i = 0; i < 16; ++i) {
    EXPECT_NEAR(rgba[4 * i + 3], alpha, 1e-4) << i;
    EXPECT_NEAR(rgba[4 * i], alpha, 1e-4) << i;  // red: 1 in both media
    EXPECT_NEAR(rgba[4 * i + 1], green, 1e-4) << i;
  }
  // Moved out of the ray's way, the second volume changes nothing.
  Scene far = scene(500);
  far.p.fusion = cvx::fusionParams(far.g1, far.g2, far.second->dims(), red.tf);
  std::vector<float> fused(64), alone(64);
  ASSERT_TRUE(cvx::render::raycastCpuFused(*far.first, 0, *far.second, 0, far.p, white.tf, 4, 4, fused.data()).ok());
  ASSERT_TRUE(cvx::render::raycastCpu(*far.first, 0, far.p, white.tf, 4, 4, alone.data()).ok());
  EXPECT_EQ(fused, alone);
  EXPECT_NEAR(alone[3], 1 - std::exp(-0.02 * 40), 1e-4);
}

TEST(RaycastFusion, TheSecondVolumesTableMayBeTwoDimensional) {
  // Red, opacity 0.05 per mm, times 0 below |gradient| = 5 per mm and 1 above 6 per mm (VTK's
  // gradient opacity), over the second volume's own gradient: a ramp along z on its 2 mm grid.
  auto red2 = cvx::buildGradientTable({{-1000, 1, 0, 0, 0.05f}, {1000, 1, 0, 0, 0.05f}}, 1.0,
                                      {{0, 0}, {5, 0}, {6, 1}, {100, 1}});
  ASSERT_TRUE(red2.ok()) << red2.error().str();
  const Uniform white(1, 1, 1, 0.02f);
  const auto want = twoMedia(0.02, -std::log(1 - 0.05));
  for (double perMm : {10.0, 2.0}) {  // steep: drawn as the uniform red medium; shallow: not at all
    Scene s = scene(10.5, perMm);
    s.p.fusion = cvx::fusionParams(s.g1, s.g2, s.second->dims(), red2->envelope().view());
    s.p.fusion.tf2 = red2->view();
    std::vector<float> fused(64), alone(64);
    ASSERT_TRUE(cvx::render::raycastCpuFused(*s.first, 0, *s.second, 0, s.p, white.tf, 4, 4, fused.data()).ok());
    ASSERT_TRUE(cvx::render::raycastCpu(*s.first, 0, s.p, white.tf, 4, 4, alone.data()).ok());
    if (perMm < 5) {
      EXPECT_EQ(fused, alone);
      continue;
    }
    for (int i = 0; i < 16; ++i) {
      EXPECT_NEAR(fused[4 * i + 3], want[0], 1e-4) << i;
      EXPECT_NEAR(fused[4 * i], want[0], 1e-4) << i;
      EXPECT_NEAR(fused[4 * i + 1], want[1], 1e-4) << i;
    }
  }
  // A 2D table without a shape is refused.
  Scene s = scene(10.5);
  s.p.fusion = cvx::fusionParams(s.g1, s.g2, s.second->dims(), red2->envelope().view());
  s.p.fusion.tf2 = red2->view();
  s.p.fusion.tf2.gMax = 0;
  std::vector<float> rgba(64);
  auto r = cvx::render::raycastCpuFused(*s.first, 0, *s.second, 0, s.p, white.tf, 4, 4, rgba.data());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "render.bad_request");
}

TEST(RaycastFusion, BadSecondVolumes) {
  const Uniform white(1, 1, 1, 0.02f);
  Scene s = scene(10.5);
  std::vector<float> rgba(64);
  s.p.fusion = cvx::fusionParams(s.g1, s.g2, s.second->dims(), {});  // no transfer function
  auto r = cvx::render::raycastCpuFused(*s.first, 0, *s.second, 0, s.p, white.tf, 4, 4, rgba.data());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "render.bad_request");
  s.p.fusion.tf = white.tf;
  r = cvx::render::raycastCpuFused(*s.first, 0, *s.second, 1, s.p, white.tf, 4, 4, rgba.data());  // no phase 1
  ASSERT_FALSE(r.ok());
  auto rgb = cvx::Volume::create(cvx::PixelType::RGB8, {4, 4, 4, 1});
  ASSERT_TRUE(rgb.ok());
  r = cvx::render::raycastCpuFused(*s.first, 0, **rgb, 0, s.p, white.tf, 4, 4, rgba.data());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "render.bad_request");
}

}  // namespace
