// SPDX-License-Identifier: MIT
// The CUDA probe, the hd kernel against the same function on the CPU, and the back end.
// GPU tests skip without a device, and fail instead when CVX_REQUIRE_CUDA=1.
#include <cvx/core/hd/window.h>
#include <cvx/cuda/backend.h>
#include <cvx/cuda/device.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "need_gpu.h"

namespace {

TEST(CudaProbe, AnswersWithoutCrashingAndIsStable) {
  auto a = cvx::cuda::probeDevice();
  auto b = cvx::cuda::probeDevice();
  ASSERT_EQ(a.ok(), b.ok());
  if (a.ok()) {
    EXPECT_FALSE(a->name.empty());
    EXPECT_GE(a->computeMajor * 10 + a->computeMinor, 75);
    EXPECT_GT(a->totalMemoryBytes, 0u);
  } else {
    EXPECT_TRUE(a.error().code == "cuda.no_device" || a.error().code == "cuda.compute_too_old")
        << a.error().str();
    EXPECT_FALSE(cvx::test::requireCuda()) << a.error().str();
  }
}

TEST(CudaProbe, WithoutDeviceKernelGivesCleanError) {
  if (cvx::cuda::probeDevice().ok()) GTEST_SKIP() << "a device is present";
  std::vector<float> in(8, 1.0f), out(8);
  auto s = cvx::cuda::applyWindow(in, out, 0, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "cuda.no_device");
}

TEST(CudaProbe, RegistersOnlyWithDevice) {
  cvx::BackendRegistry r;
  const bool registered = cvx::cuda::registerBackend(r);
  EXPECT_EQ(registered, cvx::cuda::probeDevice().ok());
  EXPECT_EQ(r.has("cuda"), registered);
  EXPECT_TRUE(cvx::cuda::registerBackend(r) == registered);  // idempotent
}

TEST(CudaKernel, ApplyWindowMatchesCpu) {
  CVX_NEED_GPU();
  // Values around and beyond the window edges, plus random CT-like values.
  std::vector<float> in = {-1024, -160, -159.5f, 39.5f, 40, 239, 239.5f, 3071};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(-1100, 3100);
  for (int i = 0; i < 100000; ++i) in.push_back(d(rng));
  std::vector<float> gpu(in.size(), -1.0f);
  ASSERT_TRUE(cvx::cuda::applyWindow(in, gpu, 40, 400).ok());
  // Same function, same float operations: allow 1 ulp-ish for FMA contraction on the device.
  for (size_t i = 0; i < in.size(); ++i) {
    ASSERT_NEAR(gpu[i], cvx::hd::applyWindow(in[i], 40, 400), 1e-6f) << "x=" << in[i];
  }
}

TEST(CudaKernel, SizeMismatchIsAnError) {
  std::vector<float> in(4), out(3);
  EXPECT_EQ(cvx::cuda::applyWindow(in, out, 0, 1).error().code, "cuda.size_mismatch");
}

TEST(CudaBackend, SelectedFirstAndRoundTripsAVolume) {
  CVX_NEED_GPU();
  cvx::BackendRegistry r;
  ASSERT_TRUE(cvx::cuda::registerBackend(r));
  auto b = r.select("");
  ASSERT_TRUE(b.ok()) << b.error().str();
  ASSERT_EQ(b.value()->name(), "cuda");
  EXPECT_TRUE(b.value()->capabilities().gpu);
  auto vol = cvx::Volume::create(cvx::PixelType::Int16, {37, 29, 11, 2});
  ASSERT_TRUE(vol.ok());
  auto* v = vol.value()->as<int16_t>();
  for (int64_t i = 0; i < vol.value()->voxelCount(); ++i) v[i] = static_cast<int16_t>(i * 7919 % 65536 - 32768);
  auto h = b.value()->uploadVolume(*vol.value());
  ASSERT_TRUE(h.ok()) << h.error().str();
  std::vector<std::byte> back(vol.value()->byteSize());
  auto* cuda = dynamic_cast<cvx::cuda::CudaBackend*>(b.value().get());
  ASSERT_NE(cuda, nullptr);
  ASSERT_TRUE(cuda->download(h.value(), back).ok());
  EXPECT_EQ(std::memcmp(back.data(), vol.value()->data(), back.size()), 0);
  EXPECT_TRUE(b.value()->release(h.value()).ok());
  EXPECT_EQ(b.value()->release(h.value()).error().code, "backend.bad_handle");
}

}  // namespace
