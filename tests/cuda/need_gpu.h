// SPDX-License-Identifier: MIT
// GPU tests skip without a usable device and fail with CVX_REQUIRE_CUDA=1 (the project's rule).
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <cvx/cuda/device.h>

namespace cvx::test {

inline bool requireCuda() {
  const char* v = std::getenv("CVX_REQUIRE_CUDA");
  return v && std::string(v) == "1";
}

}  // namespace cvx::test

#define CVX_NEED_GPU()                                                                        \
  do {                                                                                        \
    auto dev_ = cvx::cuda::probeDevice();                                                     \
    if (!dev_.ok()) {                                                                         \
      if (cvx::test::requireCuda()) FAIL() << "CVX_REQUIRE_CUDA=1 but " << dev_.error().str(); \
      GTEST_SKIP() << dev_.error().str();                                                     \
    }                                                                                         \
  } while (0)
