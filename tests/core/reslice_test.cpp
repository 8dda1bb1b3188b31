// SPDX-License-Identifier: MIT
// hd::reslicePixel and hd::GridSampler on tiny synthetic samplers, and cvx::resliceParams (plane in
// patient space -> voxel-index steps, slab sample counts) on hand-worked geometries.
#include <cvx/core/hd/reslice.h>
#include <cvx/core/reslice.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace {

using cvx::hd::ResliceParams;
using cvx::hd::SlabMode;
using cvx::hd::Vec3f;

// f(p) = 1 + 2x + 3y + 5z, inside where every coordinate is in [lo, hi].
struct LinearSampler {
  float lo = -1e9f, hi = 1e9f;
  bool inside(Vec3f p) const {
    return p.x >= lo && p.x <= hi && p.y >= lo && p.y <= hi && p.z >= lo && p.z <= hi;
  }
  float sample(Vec3f p) const { return 1 + 2 * p.x + 3 * p.y + 5 * p.z; }
};

ResliceParams plane(int samples, SlabMode mode) {
  ResliceParams p;
  p.origin = {1.25f, 2.5f, 3.0f};
  p.du = {0.5f, 0.25f, 0};
  p.dv = {0, 0.5f, 0.125f};
  p.dn = {0, 0, 1};
  p.slabSamples = samples;
  p.mode = mode;
  return p;
}

TEST(ReslicePixel, ThinIsTheSamplerAtThePixelCentre) {
  const LinearSampler s;
  const ResliceParams p = plane(1, SlabMode::Mip);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      const Vec3f c{1.25f + 0.5f * x, 2.5f + 0.25f * x + 0.5f * y, 3.0f + 0.125f * y};
      EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(p, s, x, y), s.sample(c)) << x << "," << y;
    }
}

TEST(ReslicePixel, SlabOfALinearFunction) {
  // Samples at z = 3 + t, t = -3..3: f changes by 5 per sample.
  const LinearSampler s;
  const float centre = s.sample({1.25f, 2.5f, 3.0f});
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(7, SlabMode::Mip), s, 0, 0), centre + 15);
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(7, SlabMode::MinIp), s, 0, 0), centre - 15);
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(7, SlabMode::Mean), s, 0, 0), centre);
  // An even count is centred too: t = -1.5, -0.5, 0.5, 1.5.
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(4, SlabMode::Mip), s, 0, 0), centre + 7.5f);
  // slabSamples below 1 means thin.
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(0, SlabMode::Mip), s, 0, 0), centre);
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(-5, SlabMode::Mean), s, 0, 0), centre);
}

TEST(ReslicePixel, OutsideSamplesAreIgnoredAndNoneIsNaN) {
  LinearSampler s;
  s.lo = 0;
  s.hi = 4.5f;  // z = 0..6 for t = -3..3; inside: z = 0..4 (t = -3..1)
  const float c = s.sample({1.25f, 2.5f, 3.0f});
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(7, SlabMode::Mip), s, 0, 0), c + 5);
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(7, SlabMode::MinIp), s, 0, 0), c - 15);
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(plane(7, SlabMode::Mean), s, 0, 0), c - 5);  // mean of t=-3..1
  s.hi = -1;  // nothing inside
  for (SlabMode m : {SlabMode::Mip, SlabMode::MinIp, SlabMode::Mean}) {
    EXPECT_TRUE(std::isnan(cvx::hd::reslicePixel(plane(7, m), s, 0, 0)));
    EXPECT_TRUE(std::isnan(cvx::hd::reslicePixel(plane(1, m), s, 2, 3)));
  }
}

// A 3 x 2 x 2 grid: value = 100*k + 10*j + i.
struct TinyGrid {
  std::vector<int16_t> v;
  cvx::hd::GridSampler<int16_t> s;
  TinyGrid() {
    for (int k = 0; k < 2; ++k)
      for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 3; ++i) v.push_back(static_cast<int16_t>(100 * k + 10 * j + i));
    s.data = v.data();
    s.dims = {3, 2, 2};
    s.sy = 3;
    s.sz = 6;
  }
};

TEST(GridSampler, TrilinearIsExactForALinearGrid) {
  const TinyGrid g;
  EXPECT_FLOAT_EQ(g.s.sample({0, 0, 0}), 0);
  EXPECT_FLOAT_EQ(g.s.sample({2, 1, 1}), 112);
  EXPECT_FLOAT_EQ(g.s.sample({1.5f, 0.5f, 0.5f}), 56.5f);
  EXPECT_FLOAT_EQ(g.s.sample({0.25f, 0.75f, 0.1f}), 10 + 7.5f + 0.25f);
}

TEST(GridSampler, HalfVoxelRimClampsAndFurtherIsOutside) {
  const TinyGrid g;
  EXPECT_TRUE(g.s.inside({-0.5f, -0.5f, -0.5f}));
  EXPECT_TRUE(g.s.inside({2.5f, 1.5f, 1.5f}));
  EXPECT_FALSE(g.s.inside({-0.51f, 0, 0}));
  EXPECT_FALSE(g.s.inside({0, 1.51f, 0}));
  EXPECT_FALSE(g.s.inside({0, 0, 1.6f}));
  EXPECT_FALSE(g.s.inside({std::nanf(""), 0, 0}));
  EXPECT_FLOAT_EQ(g.s.sample({-0.4f, 0, 0}), 0);        // clamped to the edge voxel
  EXPECT_FLOAT_EQ(g.s.sample({2.49f, 1.3f, 1.2f}), 112);
  EXPECT_FLOAT_EQ(g.s.sample({1, -0.5f, 0.5f}), 51);
}

TEST(GridSampler, OneVoxelAxesAndRescaleAndRgb) {
  const int16_t one[2] = {7, 9};  // 2 x 1 x 1
  cvx::hd::GridSampler<int16_t> s;
  s.data = one;
  s.dims = {2, 1, 1};
  s.sy = 2;
  s.sz = 2;
  s.slope = -2;
  s.intercept = 1;
  EXPECT_FLOAT_EQ(s.sample({0.5f, 0.3f, -0.2f}), -2 * 8 + 1);
  // A negative slope: MIP is the largest modality value, i.e. the smallest stored one.
  ResliceParams p;
  p.origin = {0.5f, 0, 0};
  p.dn = {1, 0, 0};
  p.slabSamples = 3;  // x = -0.5, 0.5, 1.5
  EXPECT_FLOAT_EQ(cvx::hd::reslicePixel(p, s, 0, 0), -13);
  const cvx::hd::Rgb<uint8_t> rgb[1] = {{{200, 100, 50}}};
  cvx::hd::GridSampler<cvx::hd::Rgb<uint8_t>> c;
  c.data = rgb;
  c.dims = {1, 1, 1};
  EXPECT_NEAR(c.sample({0, 0, 0}), 0.299 * 200 + 0.587 * 100 + 0.114 * 50, 1e-3);
}

// ---- resliceParams ----

cvx::Geometry aniso() {
  cvx::Geometry g;
  g.spacingMm = {0.5, 0.5, 2.5};
  g.originMm = {-10, 20, 30};
  return g;
}

TEST(ResliceParams, AxialPlaneOnAnAnisotropicGrid) {
  const cvx::Geometry g = aniso();
  const cvx::WorldPlane axial{g.worldAt(3, 4, 5), {0.25, 0, 0}, {0, 0.25, 0}};
  const ResliceParams p = cvx::resliceParams(g, axial, 0, SlabMode::Mip);
  EXPECT_NEAR(p.origin.x, 3, 1e-5);
  EXPECT_NEAR(p.origin.y, 4, 1e-5);
  EXPECT_NEAR(p.origin.z, 5, 1e-5);
  EXPECT_EQ(p.du.x, 0.5f);
  EXPECT_EQ(p.du.y, 0.0f);
  EXPECT_EQ(p.du.z, 0.0f);
  EXPECT_EQ(p.dv.y, 0.5f);
  EXPECT_EQ(p.slabSamples, 1);
  // du x dv = +z: one step is one slice (2.5 mm); the samples within +-T/2 of the plane.
  EXPECT_EQ(p.dn.z, 1.0f);
  EXPECT_EQ(p.dn.x, 0.0f);
  EXPECT_EQ(cvx::resliceParams(g, axial, 10, SlabMode::Mip).slabSamples, 5);    // -5 .. 5 mm
  EXPECT_EQ(cvx::resliceParams(g, axial, 9.9, SlabMode::Mip).slabSamples, 3);   // -2.5 .. 2.5
  EXPECT_EQ(cvx::resliceParams(g, axial, 5, SlabMode::Mip).slabSamples, 3);
  EXPECT_EQ(cvx::resliceParams(g, axial, 4.9, SlabMode::Mip).slabSamples, 1);
  EXPECT_EQ(cvx::resliceParams(g, axial, -1, SlabMode::Mip).slabSamples, 1);
  EXPECT_EQ(cvx::resliceParams(g, axial, std::nan(""), SlabMode::Mip).slabSamples, 1);
  EXPECT_EQ(cvx::resliceParams(g, axial, 1e9, SlabMode::Mip).slabSamples, cvx::kMaxSlabSamples);
  EXPECT_EQ(cvx::resliceParams(g, axial, 10, SlabMode::Mean).mode, SlabMode::Mean);
  EXPECT_NEAR(cvx::slabStepMm(g, cvx::resliceParams(g, axial, 10, SlabMode::Mip)), 2.5, 1e-9);
}

TEST(ResliceParams, CoronalSlabStepsInPlaneVoxels) {
  const cvx::Geometry g = aniso();
  // Right = +x, down = -z (superior at the top): normal = x * -z = +y.
  const cvx::WorldPlane coronal{g.worldAt(3, 4, 5), {1, 0, 0}, {0, 0, -1}};
  const ResliceParams p = cvx::resliceParams(g, coronal, 10, SlabMode::Mip);
  EXPECT_EQ(p.dn.y, 1.0f);
  EXPECT_EQ(p.dn.x, 0.0f);
  EXPECT_EQ(p.dn.z, 0.0f);
  EXPECT_EQ(p.slabSamples, 21);  // 0.5 mm steps, -5 .. 5 mm
  EXPECT_NEAR(p.dv.z, -0.4f, 1e-7);
}

TEST(ResliceParams, ObliquePlaneStepsOneVoxelOnTheMostAlignedAxis) {
  cvx::Geometry g;
  g.spacingMm = {1, 2, 3};
  // Plane normal (1, 1, 0)/sqrt 2: per mm (0.707, 0.354, 0) voxels; step = sqrt 2 mm.
  const double r = std::sqrt(0.5);
  const cvx::WorldPlane oblique{{5, 5, 5}, {0, 0, 1}, {r, -r, 0}};
  const ResliceParams p = cvx::resliceParams(g, oblique, 10, SlabMode::Mip);
  const float sign = p.dn.x > 0 ? 1.0f : -1.0f;
  EXPECT_NEAR(p.dn.x * sign, 1.0f, 1e-6);
  EXPECT_NEAR(p.dn.y * sign, 0.5f, 1e-6);
  EXPECT_NEAR(p.dn.z, 0.0f, 1e-6);
  EXPECT_EQ(p.slabSamples, 7);  // floor(10 / (2 sqrt 2)) = 3
  EXPECT_NEAR(cvx::slabStepMm(g, p), std::sqrt(2.0), 1e-6);
}

TEST(ResliceParams, ShearedGridMapsThePlaneExactly) {
  cvx::Geometry g;
  g.spacingMm = {0.7, 0.7, 1.5};
  g.originMm = {-100, -120, 40};
  const double tilt = 20 * std::numbers::pi / 180;
  g.direction = {cvx::Vec3{1, 0, 0}, cvx::Vec3{0, std::cos(0.1), std::sin(0.1)},
                 cvx::normalized(cvx::Vec3{0, -std::sin(0.1) + std::tan(tilt), std::cos(0.1)})};
  g.sheared = true;
  const cvx::WorldPlane axial{{-90, -100, 50}, {0.5, 0, 0}, {0, 0.5, 0}};
  const ResliceParams p = cvx::resliceParams(g, axial, 6, SlabMode::Mip);
  // The pixel centres go back to the plane's world points.
  for (int y : {0, 7})
    for (int x : {0, 13}) {
      const cvx::Vec3 w = g.worldAt(p.origin.x + p.du.x * x + p.dv.x * y, p.origin.y + p.du.y * x + p.dv.y * y,
                                    p.origin.z + p.du.z * x + p.dv.z * y);
      EXPECT_NEAR(w.x, -90 + 0.5 * x, 1e-3);
      EXPECT_NEAR(w.y, -100 + 0.5 * y, 1e-3);
      EXPECT_NEAR(w.z, 50, 1e-3);
    }
  // The slab steps along the plane normal (+z) in world space, whatever the shear.
  const cvx::Vec3 step = g.worldFromVoxel().applyVector({p.dn.x, p.dn.y, p.dn.z});
  EXPECT_NEAR(step.x, 0, 1e-6);
  EXPECT_NEAR(step.y, 0, 1e-6);
  EXPECT_GT(step.z, 0);
  const double largest = std::max({std::fabs(p.dn.x), std::fabs(p.dn.y), std::fabs(p.dn.z)});
  EXPECT_FLOAT_EQ(static_cast<float>(largest), 1.0f);
  EXPECT_EQ(p.slabSamples, 2 * static_cast<int>(std::floor(3 / step.z)) + 1);
}

TEST(ResliceParams, DegeneratePlaneIsThin) {
  const cvx::Geometry g = aniso();
  const ResliceParams p = cvx::resliceParams(g, {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}}, 10, SlabMode::Mip);
  EXPECT_EQ(p.slabSamples, 1);
  EXPECT_EQ(p.dn.x, 0.0f);
  EXPECT_EQ(p.dn.y, 0.0f);
  EXPECT_EQ(p.dn.z, 0.0f);
}

}  // namespace
