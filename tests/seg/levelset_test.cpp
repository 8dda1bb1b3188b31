// The threshold level set (cvx::seg::thresholdLevelSet) on phantoms with analytic answers: a bright
// sphere of radius R in a dark background, with the range chosen so that P = +1 inside and -1
// outside. The expected region is the set of voxels whose centre lies within R mm of the sphere's
// centre (computed here in double, independently of the code under test); the front must settle
// within one voxel of that surface, on isotropic and anisotropic grids, from inside (growing) and
// from outside (shrinking). With curvature a noisy boundary comes out smoother than region growing.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

#include <cvx/seg/levelset.h>

#include "seg_phantom.h"

namespace cvx::seg {
namespace {

using test::countNonZero;

constexpr double kPi = 3.14159265358979323846;

struct Sphere {
  double cx, cy, cz, r;  // centre in voxel indices, radius in mm
  double distMm(const Vec3& s, int64_t x, int64_t y, int64_t z) const {
    const double dx = (x - cx) * s.x, dy = (y - cy) * s.y, dz = (z - cz) * s.z;
    return std::sqrt(dx * dx + dy * dy + dz * dz);
  }
};

// 100 inside the sphere, 0 outside; the range [50, 150] gives P = +1 inside and -1 outside.
std::shared_ptr<Volume> brightSphere(int64_t nx, int64_t ny, int64_t nz, Vec3 s, const Sphere& sp) {
  return test::phantom<int16_t>(nx, ny, nz, s, [&](int64_t x, int64_t y, int64_t z) {
    return sp.distMm(s, x, y, z) <= sp.r ? 100.0 : 0.0;
  });
}

LevelSetParams params() {
  LevelSetParams p;
  p.lower = 50;
  p.upper = 150;
  p.curvature = 0.2;
  p.maxIterations = 600;
  return p;
}

struct SurfaceCheck {
  int64_t expected = 0;    // voxels with centre inside the sphere
  int64_t mismatched = 0;  // voxels where the result differs from that
  double worstMm = 0;      // the largest | |x - c| - R | over the mismatched voxels
};

SurfaceCheck check(const Volume& mask, const Sphere& sp) {
  SurfaceCheck c;
  const Vec3 s = mask.geometry.spacingMm;
  for (int64_t z = 0; z < mask.dims()[2]; ++z)
    for (int64_t y = 0; y < mask.dims()[1]; ++y)
      for (int64_t x = 0; x < mask.dims()[0]; ++x) {
        const double d = sp.distMm(s, x, y, z);
        const bool want = d <= sp.r, got = test::at(mask, x, y, z) != 0;
        c.expected += want;
        if (want == got) continue;
        ++c.mismatched;
        c.worstMm = std::max(c.worstMm, std::fabs(d - sp.r));
      }
  return c;
}

void expectSphere(const Volume& mask, const Sphere& sp, double tolFraction) {
  const Vec3 s = mask.geometry.spacingMm;
  const double voxelMm3 = s.x * s.y * s.z, hmax = std::max({s.x, s.y, s.z});
  const double analytic = 4.0 / 3.0 * kPi * sp.r * sp.r * sp.r / voxelMm3;
  const SurfaceCheck c = check(mask, sp);
  const int64_t got = countNonZero(mask);
  std::cout << "[ sphere ] " << got << " voxels (analytic " << analytic << ", centres inside " << c.expected
            << "), " << c.mismatched << " differ, worst " << c.worstMm << " mm from the surface\n";
  EXPECT_NEAR(static_cast<double>(got), analytic, tolFraction * analytic);
  EXPECT_LE(c.worstMm, hmax) << c.mismatched << " voxels differ from the sphere";
  EXPECT_LT(c.mismatched, c.expected / 10);
}

TEST(LevelSet, GrowsFromASmallSphereToTheBrightSphere) {
  const Vec3 s{1, 1, 1};
  const Sphere sp{31, 32, 30, 18};
  auto vol = brightSphere(64, 64, 62, s, sp);
  auto init = seedSpheres(*vol, {{31, 32, 30}}, 4.0);
  ASSERT_TRUE(init.ok()) << init.error().str();
  Progress prog;
  auto r = thresholdLevelSet(*vol, **init, params(), 0, &prog);
  ASSERT_TRUE(r.ok()) << r.error().str();
  std::cout << "[ run ] " << r->iterations << " iterations, rms " << r->rmsChange
            << (r->converged ? " converged" : "") << "\n";
  test::expectMaskOf(*r->mask, *vol);
  EXPECT_TRUE(r->converged);
  EXPECT_LT(r->iterations, 600);
  EXPECT_GE(r->iterations, 60);  // 14 mm at dt * w_p ~ 0.17 mm per iteration
  EXPECT_LT(r->rmsChange, params().rmsTolerance);
  EXPECT_EQ(prog.done(), r->iterations);
  EXPECT_EQ(prog.total(), 600);
  expectSphere(*r->mask, sp, 0.03);
  // phi is a signed distance near the front: at the centre it is clamped to -band (3 mm).
  EXPECT_FLOAT_EQ(r->phi[(30 * 64 + 32) * 64 + 31], -3.0f);
}

TEST(LevelSet, ShrinksFromOutsideOntoTheBrightSphere) {
  const Vec3 s{1, 1, 1};
  const Sphere sp{30, 30, 30, 12};
  auto vol = brightSphere(60, 60, 60, s, sp);
  auto init = seedSpheres(*vol, {{30, 30, 30}}, 22.0);
  ASSERT_TRUE(init.ok());
  auto r = thresholdLevelSet(*vol, **init, params());
  ASSERT_TRUE(r.ok()) << r.error().str();
  std::cout << "[ run ] " << r->iterations << " iterations, rms " << r->rmsChange
            << (r->converged ? " converged" : "") << "\n";
  EXPECT_TRUE(r->converged);
  expectSphere(*r->mask, sp, 0.04);
}

// Spacing 0.8 x 1.0 x 2.0 mm: the region must be a sphere in mm (an ellipsoid in voxels).
TEST(LevelSet, AnisotropicSpacingGivesASphereInMillimetres) {
  const Vec3 s{0.8, 1.0, 2.0};
  const Sphere sp{30, 25, 12, 16};
  auto vol = brightSphere(60, 50, 24, s, sp);
  auto init = seedSpheres(*vol, {{30, 25, 12}}, 5.0);
  ASSERT_TRUE(init.ok());
  auto r = thresholdLevelSet(*vol, **init, params());
  ASSERT_TRUE(r.ok()) << r.error().str();
  std::cout << "[ run ] " << r->iterations << " iterations, rms " << r->rmsChange
            << (r->converged ? " converged" : "") << "\n";
  EXPECT_TRUE(r->converged);
  expectSphere(*r->mask, sp, 0.04);
  // The extents in voxels follow the spacing: along x 2R/0.8 = 40, along z 2R/2 = 16 (+-1 each side).
  int64_t x0 = 1000, x1 = -1, z0 = 1000, z1 = -1;
  for (int64_t z = 0; z < 24; ++z)
    for (int64_t x = 0; x < 60; ++x)
      if (test::at(*r->mask, x, 25, z))
        x0 = std::min(x0, x), x1 = std::max(x1, x), z0 = std::min(z0, z), z1 = std::max(z1, z);
  EXPECT_NEAR(static_cast<double>(x1 - x0 + 1), 41, 2);
  EXPECT_NEAR(static_cast<double>(z1 - z0 + 1), 17, 2);
}

// Voxels of the mask with a 6-neighbour outside it (the grid's border counts as outside).
int64_t boundaryVoxels(const Volume& m) {
  const int64_t nx = m.dims()[0], ny = m.dims()[1], nz = m.dims()[2];
  int64_t n = 0;
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        if (!test::at(m, x, y, z)) continue;
        bool edge = false;
        const int64_t o[6][3] = {{-1, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}, {0, 0, 1}};
        for (const auto& d : o) {
          const int64_t a = x + d[0], b = y + d[1], c = z + d[2];
          edge |= a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz || !test::at(m, a, b, c);
        }
        n += edge;
      }
  return n;
}

// Salt noise in a 3 mm shell outside the sphere and pepper in a 3 mm shell inside (20% each, fixed
// seed): region growing follows every speck, the level set with curvature does not.
TEST(LevelSet, CurvatureSmoothsANoisyBoundary) {
  const Vec3 s{1, 1, 1};
  const Sphere sp{32, 32, 32, 16};
  std::mt19937 rng(1234);
  std::uniform_real_distribution<double> u(0, 1);
  auto vol = test::phantom<int16_t>(64, 64, 64, s, [&](int64_t x, int64_t y, int64_t z) {
    const double d = sp.distMm(s, x, y, z);
    const bool in = d <= sp.r;
    const double noise = u(rng);
    if (in && d > sp.r - 3 && noise < 0.2) return 0.0;
    if (!in && d < sp.r + 3 && noise < 0.2) return 100.0;
    return in ? 100.0 : 0.0;
  });
  auto grown = connectedThreshold(*vol, {{32, 32, 32}}, 50, 150, 6);
  ASSERT_TRUE(grown.ok());
  auto init = seedSpheres(*vol, {{32, 32, 32}}, 5.0);
  ASSERT_TRUE(init.ok());
  LevelSetParams p = params();
  p.curvature = 1.0;
  auto r = thresholdLevelSet(*vol, **init, p);
  ASSERT_TRUE(r.ok()) << r.error().str();
  std::cout << "[ run ] " << r->iterations << " iterations, rms " << r->rmsChange
            << (r->converged ? " converged" : "") << "\n";
  const int64_t bLs = boundaryVoxels(*r->mask), bRg = boundaryVoxels(**grown);
  const double analytic = 4.0 / 3.0 * kPi * sp.r * sp.r * sp.r;
  std::cout << "[ noisy ] boundary voxels: level set " << bLs << ", region growing " << bRg << "; volume "
            << countNonZero(*r->mask) << " (analytic " << analytic << "), " << r->iterations
            << " iterations, " << (r->converged ? "converged" : "not converged") << "\n";
  EXPECT_LT(bLs, 0.7 * bRg) << "level set " << bLs << " vs region growing " << bRg;
  EXPECT_NEAR(static_cast<double>(countNonZero(*r->mask)), analytic, 0.05 * analytic);
  EXPECT_LE(check(*r->mask, sp).worstMm, 3.0);
}

TEST(LevelSet, StopsAtMaxIterations) {
  const Vec3 s{1, 1, 1};
  auto vol = brightSphere(40, 40, 40, s, {20, 20, 20, 15});
  auto init = seedSpheres(*vol, {{20, 20, 20}}, 3.0);
  ASSERT_TRUE(init.ok());
  LevelSetParams p = params();
  p.maxIterations = 7;
  auto r = thresholdLevelSet(*vol, **init, p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->iterations, 7);
  EXPECT_FALSE(r->converged);
  // 7 steps of at most dt * w_p = 0.5 / sqrt(3 + ...) mm: the region grew, but by less than 2 mm.
  const int64_t n = countNonZero(*r->mask), n0 = countNonZero(**init);
  EXPECT_GT(n, n0);
  EXPECT_LT(n, 4.0 / 3.0 * kPi * 5 * 5 * 5);
  p.maxIterations = 0;
  auto z = thresholdLevelSet(*vol, **init, p);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(test::countDiff(*z->mask, **init), 0);  // the reinitialisation keeps the region
}

TEST(LevelSet, CancelAndErrors) {
  const Vec3 s{1, 1, 1};
  auto vol = brightSphere(24, 24, 24, s, {12, 12, 12, 8});
  auto init = seedSpheres(*vol, {{12, 12, 12}}, 2.0);
  ASSERT_TRUE(init.ok());
  Progress cancelled;
  cancelled.cancel();
  auto c = thresholdLevelSet(*vol, **init, params(), 0, &cancelled);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "seg.cancelled");
  auto empty = test::maskPhantom(24, 24, 24, s, [](int64_t, int64_t, int64_t) { return false; });
  EXPECT_EQ(thresholdLevelSet(*vol, *empty, params()).error().code, "seg.empty_region");
  auto small = test::maskPhantom(24, 24, 23, s, [](int64_t, int64_t, int64_t) { return true; });
  EXPECT_EQ(thresholdLevelSet(*vol, *small, params()).error().code, "seg.size_mismatch");
  LevelSetParams p = params();
  p.lower = 200;
  EXPECT_EQ(thresholdLevelSet(*vol, **init, p).error().code, "seg.bad_range");
  p = params();
  p.curvature = -1;
  EXPECT_EQ(thresholdLevelSet(*vol, **init, p).error().code, "seg.bad_parameter");
  EXPECT_EQ(seedSpheres(*vol, {{24, 0, 0}}, 2.0).error().code, "seg.bad_seed");
}

}  // namespace
}  // namespace cvx::seg
