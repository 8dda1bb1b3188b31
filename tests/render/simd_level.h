// SPDX-License-Identifier: MIT
// A test fixture run at each SIMD level (TEST_P over cvx::render::Simd): sets the level for the
// test and restores the previous one; a level this CPU (or build) lacks is a skip, never a pass.
#pragma once
#include <cvx/render/simd.h>

#include <gtest/gtest.h>

namespace cvx::test {

class AtSimdLevel : public ::testing::TestWithParam<cvx::render::Simd> {
 protected:
  void SetUp() override {
    before_ = cvx::render::simdLevel();
    if (cvx::render::setSimdLevel(GetParam()) != GetParam())
      GTEST_SKIP() << "no " << toString(GetParam()) << " here (the CPU, or a build without its kernels)";
  }
  void TearDown() override { cvx::render::setSimdLevel(before_); }
  cvx::render::Simd before_ = cvx::render::Simd::Sse2;
};

}  // namespace cvx::test
