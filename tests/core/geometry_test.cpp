#include <cvx/core/geometry.h>
#include <gtest/gtest.h>

#include <cmath>

using cvx::Vec3;

TEST(Geometry, WorldFromVoxelMatchesWorldAt) {
  cvx::Geometry g;
  g.spacingMm = {0.5, 0.8, 2.0};
  g.originMm = {-10, 20, 30};
  const double c = std::cos(0.3), s = std::sin(0.3);
  g.direction = {Vec3{c, s, 0}, Vec3{-s, c, 0}, Vec3{0, 0, 1}};
  const auto m = g.worldFromVoxel();
  for (double i : {0.0, 3.0, 17.5})
    for (double k : {0.0, 4.0}) {
      const Vec3 a = m.applyPoint({i, 2, k});
      const Vec3 b = g.worldAt(i, 2, k);
      EXPECT_NEAR(a.x, b.x, 1e-12);
      EXPECT_NEAR(a.y, b.y, 1e-12);
      EXPECT_NEAR(a.z, b.z, 1e-12);
    }
  // Analytic: voxel (1,0,0) lies 0.5 mm along the row cosine from the origin.
  const Vec3 p = m.applyPoint({1, 0, 0});
  EXPECT_NEAR(p.x, -10 + 0.5 * c, 1e-12);
  EXPECT_NEAR(p.y, 20 + 0.5 * s, 1e-12);
}

TEST(Geometry, InverseRoundTrips) {
  cvx::Geometry g;
  g.spacingMm = {0.7, 0.7, 3.3};
  g.originMm = {100, -50, 7};
  g.direction = {Vec3{0, 1, 0}, Vec3{0, 0, -1}, Vec3{-1, 0, 0}};
  const auto fwd = g.worldFromVoxel();
  const auto inv = g.voxelFromWorld();
  const Vec3 v{3, 4, 5};
  const Vec3 back = inv.applyPoint(fwd.applyPoint(v));
  EXPECT_NEAR(back.x, 3, 1e-9);
  EXPECT_NEAR(back.y, 4, 1e-9);
  EXPECT_NEAR(back.z, 5, 1e-9);
}

TEST(Geometry, SingularMatrixIsRejected) {
  cvx::Mat4 m;
  m.m[1] = {0, 0, 0, 0};
  cvx::Mat4 out;
  EXPECT_FALSE(cvx::invertAffine(m, out));
}
