// SPDX-License-Identifier: MIT
// render::resliceCpu against values the test computes itself: a volume whose value is a linear
// function of the patient position (trilinear interpolation reproduces it exactly), on an
// anisotropic, oblique grid with and without a gantry-tilt shear; rescale; bad requests.
#include <cvx/core/reslice.h>
#include <cvx/render/reslice.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "phantom.h"

namespace {

using cvx::Vec3;
using cvx::hd::SlabMode;

// Float coordinates carry ~1e-5 voxel of round-off; the linear function changes by < 10 per voxel.
constexpr double kLinearTolerance = 2e-2;
// Pixels this close (in voxels) to the grid's edge are not judged: inside or out is round-off there.
constexpr double kEdgeBand = 1e-3;

// An oblique plane through the volume centre, 0.6 mm pixels, rotated away from every grid axis.
cvx::WorldPlane obliquePlane(const cvx::Geometry& g, const std::array<int64_t, 4>& d, int w, int h) {
  const Vec3 e1 = cvx::normalized({1, 0.3, -0.4});
  const Vec3 t{0.2, 1, 0.5};
  const Vec3 e2 = cvx::normalized(t - e1 * cvx::dot(t, e1));
  const Vec3 centre = g.worldAt((d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0);
  const Vec3 du = e1 * 0.6, dv = e2 * 0.6;
  return {centre - du * (w / 2.0) - dv * (h / 2.0), du, dv};
}

// Where a world point falls: 1 inside, 0 outside, -1 in the edge band (not judged).
int where(const Vec3& idx, const std::array<int64_t, 4>& d) {
  int r = 1;
  for (int a = 0; a < 3; ++a) {
    const double lo = -0.5, hi = static_cast<double>(d[a]) - 0.5;
    if (idx[a] < lo - kEdgeBand || idx[a] > hi + kEdgeBand) return 0;
    if (idx[a] < lo + kEdgeBand || idx[a] > hi - kEdgeBand) r = -1;
  }
  return r;
}

class LinearVolume : public ::testing::TestWithParam<bool> {};

TEST_P(LinearVolume, ThinObliquePlaneIsTheFunctionAtEachPixel) {
  const cvx::Geometry g = cvx::test::obliqueGeometry(GetParam());
  const std::array<int64_t, 4> d{40, 36, 24, 2};
  const cvx::test::Linear f;
  auto v = cvx::test::fillVolume(g, d, f);
  const int w = 96, h = 80;
  const cvx::WorldPlane plane = obliquePlane(g, d, w, h);
  const auto p = cvx::resliceParams(g, plane, 0, SlabMode::Mip);
  const cvx::Mat4 voxelFromWorld = g.voxelFromWorld();
  for (int phase = 0; phase < 2; ++phase) {
    std::vector<float> out(w * h);
    ASSERT_TRUE(cvx::render::resliceCpu(*v, phase, p, w, h, out.data()).ok());
    int inside = 0, outside = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const Vec3 world = plane.origin + plane.du * x + plane.dv * y;
        Vec3 idx = voxelFromWorld.applyPoint(world);
        const int at = where(idx, d);
        const float got = out[y * w + x];
        if (at == 0) {
          ASSERT_TRUE(std::isnan(got)) << x << "," << y;
          ++outside;
        } else if (at == 1) {
          // Within half a voxel outside the centres the edge value holds: clamp, then f.
          for (int a = 0; a < 3; ++a) idx[a] = std::clamp(idx[a], 0.0, static_cast<double>(d[a] - 1));
          const double want = f(g.worldAt(idx.x, idx.y, idx.z)) + 1000.0 * phase;
          ASSERT_NEAR(got, want, kLinearTolerance) << x << "," << y << " phase " << phase;
          ++inside;
        }
      }
    EXPECT_GT(inside, w * h / 4);
    EXPECT_GT(outside, w * h / 20);
  }
}

TEST_P(LinearVolume, SlabsOfALinearFunctionAreExact) {
  // Along the plane normal n, f changes by a.n per mm: the slab of 2h+1 samples, `step` mm apart,
  // has its MIP at f + |a.n| h step, its MinIP at f - |a.n| h step and its mean at f. The step and
  // the count follow the rule in docs/rendering.md, worked out here from the geometry.
  const cvx::Geometry g = cvx::test::obliqueGeometry(GetParam());
  const std::array<int64_t, 4> d{40, 36, 24, 1};
  const cvx::test::Linear f;
  auto v = cvx::test::fillVolume(g, d, f);
  const int w = 96, h = 80;
  const cvx::WorldPlane plane = obliquePlane(g, d, w, h);
  const Vec3 n = cvx::normalized(cvx::cross(plane.du, plane.dv));
  const cvx::Mat4 voxelFromWorld = g.voxelFromWorld();
  const Vec3 perMm = voxelFromWorld.applyVector(n);
  const double step = 1 / std::max({std::fabs(perMm.x), std::fabs(perMm.y), std::fabs(perMm.z)});
  const double slabMm = 8;
  const int half = static_cast<int>(std::floor(slabMm / (2 * step)));
  ASSERT_GE(half, 2);
  const double reach = std::fabs(cvx::dot(f.a, n)) * half * step;
  for (SlabMode mode : {SlabMode::Mip, SlabMode::MinIp, SlabMode::Mean}) {
    const auto p = cvx::resliceParams(g, plane, slabMm, mode);
    ASSERT_EQ(p.slabSamples, 2 * half + 1);
    std::vector<float> out(w * h);
    ASSERT_TRUE(cvx::render::resliceCpu(*v, 0, p, w, h, out.data()).ok());
    int judged = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const Vec3 world = plane.origin + plane.du * x + plane.dv * y;
        // Judge pixels whose whole slab lies within the voxel centres (no clamping, no outside).
        bool whole = true;
        for (double s : {-1.0, 1.0}) {
          const Vec3 idx = voxelFromWorld.applyPoint(world + n * (s * half * step));
          for (int a = 0; a < 3; ++a) whole = whole && idx[a] > 0.01 && idx[a] < d[a] - 1.01;
        }
        if (!whole) continue;
        const double centre = f(world);
        const double want = mode == SlabMode::Mip ? centre + reach : mode == SlabMode::MinIp ? centre - reach : centre;
        ASSERT_NEAR(out[y * w + x], want, kLinearTolerance) << x << "," << y;
        ++judged;
      }
    EXPECT_GT(judged, w * h / 8);
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, LinearVolume, ::testing::Values(false, true),
                         [](const auto& i) { return i.param ? "Sheared" : "Oblique"; });

// int16 stored values i + 10 j + 100 k: trilinear in index space is exact too.
std::shared_ptr<cvx::Volume> indexVolume(double slope, double intercept, bool applied) {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {6, 5, 4, 1}).value();
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 6; ++i) *p++ = static_cast<int16_t>(i + 10 * j + 100 * k);
  v->info.rescaleSlope = slope;
  v->info.rescaleIntercept = intercept;
  v->info.rescaleApplied = applied;
  return v;
}

cvx::hd::ResliceParams betweenSlices() {
  cvx::hd::ResliceParams p;
  p.origin = {0.25f, 0.5f, 2.5f};  // halfway between slices 2 and 3
  p.du = {1, 0, 0};
  p.dv = {0, 1, 0};
  p.dn = {0, 0, 1};
  return p;
}

TEST(ResliceCpu, AppliesTheRescaleUnlessAlreadyApplied) {
  std::vector<float> out(4 * 3);
  ASSERT_TRUE(cvx::render::resliceCpu(*indexVolume(2, -1024, false), 0, betweenSlices(), 4, 3, out.data()).ok());
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 4; ++x)
      EXPECT_FLOAT_EQ(out[y * 4 + x], 2 * (x + 0.25f + 10 * (y + 0.5f) + 250) - 1024) << x << "," << y;
  ASSERT_TRUE(cvx::render::resliceCpu(*indexVolume(2, -1024, true), 0, betweenSlices(), 4, 3, out.data()).ok());
  EXPECT_FLOAT_EQ(out[0], 0.25f + 5 + 250);
}

TEST(ResliceCpu, PlaneOutsideTheGridIsAllNaN) {
  auto p = betweenSlices();
  std::vector<float> out(8 * 8, 0.0f);
  p.origin.z = 3.51f;  // beyond the half-voxel rim of the last slice
  ASSERT_TRUE(cvx::render::resliceCpu(*indexVolume(1, 0, false), 0, p, 8, 8, out.data()).ok());
  for (float x : out) ASSERT_TRUE(std::isnan(x));
  p.origin.z = 3.49f;  // within it: the last slice's values, and NaN beyond x = 5.5 or y = 4.5
  ASSERT_TRUE(cvx::render::resliceCpu(*indexVolume(1, 0, false), 0, p, 8, 8, out.data()).ok());
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) {
      const bool inside = x + 0.25 <= 5.5 && y + 0.5 <= 4.5;
      if (!inside) {
        EXPECT_TRUE(std::isnan(out[y * 8 + x])) << x << "," << y;
      } else {
        EXPECT_FLOAT_EQ(out[y * 8 + x], std::min(x + 0.25f, 5.0f) + 10 * std::min(y + 0.5f, 4.0f) + 300);
      }
    }
  p.origin = {std::nanf(""), 0, 0};
  ASSERT_TRUE(cvx::render::resliceCpu(*indexVolume(1, 0, false), 0, p, 8, 8, out.data()).ok());
  for (float x : out) ASSERT_TRUE(std::isnan(x));
}

TEST(ResliceCpu, BadRequests) {
  auto v = indexVolume(1, 0, false);
  std::vector<float> out(16);
  const auto p = betweenSlices();
  EXPECT_EQ(cvx::render::resliceCpu(*v, 1, p, 4, 4, out.data()).error().code, "render.bad_request");
  EXPECT_EQ(cvx::render::resliceCpu(*v, -1, p, 4, 4, out.data()).error().code, "render.bad_request");
  EXPECT_EQ(cvx::render::resliceCpu(*v, 0, p, 4, 4, nullptr).error().code, "render.bad_request");
  EXPECT_EQ(cvx::render::resliceCpu(*v, 0, p, 0, 4, out.data()).error().code, "render.bad_request");
  EXPECT_EQ(cvx::render::resliceCpu(*v, 0, p, 4, -1, out.data()).error().code, "render.bad_request");
  EXPECT_TRUE(cvx::render::resliceCpu(*v, 0, p, 4, 4, out.data()).ok());
}

}  // namespace
