// SPDX-License-Identifier: MIT
// Shared by the viewer-state tests.
#pragma once
#include <gtest/gtest.h>

#include <cvx/core/geometry.h>

namespace cvx::test {

inline void expectVec(Vec3 a, Vec3 b, double tol = 1e-9) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

}  // namespace cvx::test
