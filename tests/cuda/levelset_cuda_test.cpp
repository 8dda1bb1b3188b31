// SPDX-License-Identifier: MIT
// cuda::thresholdLevelSet against cvx::seg::thresholdLevelSet (the oracle). Both run the same
// hd/levelset.h functions with explicit round-to-nearest float operations (no fused multiply-add),
// synchronous passes and integer sums, so phi must be bit-equal (memcmp), the masks identical
// and the iteration counts the same; the Dice coefficient (the bound for iterative
// methods is 0.99) is asserted too. Phantoms: a noisy bright sphere (Int16, anisotropic, with
// curvature), a smooth Float32 blob whose speed takes every value in [-1, 1], and a UInt8 two-lobe
// phantom that the front must split around. Skips without a device; fails with CVX_REQUIRE_CUDA=1.
#include <cvx/cuda/levelset.h>
#include <cvx/seg/levelset.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "need_gpu.h"

namespace {

using VolumePtr = std::shared_ptr<cvx::Volume>;

template <class T>
VolumePtr make(cvx::PixelType type, int nx, int ny, int nz, cvx::Vec3 sp,
               const std::function<double(int, int, int)>& f) {
  auto r = cvx::Volume::create(type, {nx, ny, nz, 1});
  EXPECT_TRUE(r.ok());
  (*r)->geometry.spacingMm = sp;
  T* p = (*r)->template as<T>();
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x)
        p[(static_cast<int64_t>(z) * ny + y) * nx + x] = static_cast<T>(f(x, y, z));
  return *r;
}

// A deterministic noise in [-amp, amp] (a hash of the voxel index).
int noise(int64_t i, int amp) {
  uint64_t h = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return static_cast<int>(h % static_cast<uint64_t>(2 * amp + 1)) - amp;
}

double dice(const cvx::Volume& a, const cvx::Volume& b) {
  int64_t na = 0, nb = 0, both = 0;
  for (int64_t i = 0; i < a.voxelCount(); ++i) {
    const bool x = a.as<uint8_t>()[i] != 0, y = b.as<uint8_t>()[i] != 0;
    na += x, nb += y, both += x && y;
  }
  return na + nb == 0 ? 1.0 : 2.0 * both / static_cast<double>(na + nb);
}

void compare(const cvx::Volume& vol, const cvx::Volume& init, const cvx::hd::LevelSetParams& p) {
  auto cpu = cvx::seg::thresholdLevelSet(vol, init, p);
  ASSERT_TRUE(cpu.ok()) << cpu.error().str();
  cvx::Progress prog;
  auto gpu = cvx::cuda::thresholdLevelSet(vol, init, p, 0, &prog);
  ASSERT_TRUE(gpu.ok()) << gpu.error().str();
  EXPECT_EQ(gpu->iterations, cpu->iterations);
  EXPECT_EQ(gpu->converged, cpu->converged);
  EXPECT_EQ(gpu->rmsChange, cpu->rmsChange);
  EXPECT_EQ(prog.done(), gpu->iterations);
  ASSERT_EQ(gpu->phi.size(), cpu->phi.size());
  int64_t differ = 0;
  for (size_t i = 0; i < cpu->phi.size(); ++i)
    differ += std::memcmp(&cpu->phi[i], &gpu->phi[i], sizeof(float)) != 0;
  EXPECT_EQ(differ, 0) << "phi differs in " << differ << " voxels";
  ASSERT_EQ(gpu->mask->voxelCount(), cpu->mask->voxelCount());
  EXPECT_EQ(std::memcmp(gpu->mask->data(), cpu->mask->data(), static_cast<size_t>(cpu->mask->voxelCount())),
            0);
  const double d = dice(*gpu->mask, *cpu->mask);
  EXPECT_GE(d, 0.99);
  std::cout << "[ levelset ] " << cpu->iterations << " iterations, Dice " << d << "\n";
}

TEST(CudaLevelSet, NoisySphereAnisotropicWithCurvature) {
  CVX_NEED_GPU();
  const cvx::Vec3 sp{0.8, 0.9, 2.0};
  auto vol = make<int16_t>(cvx::PixelType::Int16, 70, 60, 30, sp, [&](int x, int y, int z) {
    const double dx = (x - 35) * sp.x, dy = (y - 30) * sp.y, dz = (z - 15) * sp.z;
    const double v = std::sqrt(dx * dx + dy * dy + dz * dz) <= 20 ? 200 : 0;
    return v + noise((static_cast<int64_t>(z) * 60 + y) * 70 + x, 90);
  });
  auto init = cvx::seg::seedSpheres(*vol, {{35, 30, 15}}, 6.0);
  ASSERT_TRUE(init.ok());
  cvx::hd::LevelSetParams p;
  p.lower = 100;
  p.upper = 400;
  p.curvature = 0.5;
  p.maxIterations = 300;
  compare(*vol, **init, p);
}

TEST(CudaLevelSet, SmoothFloatBlobAndMaxIterations) {
  CVX_NEED_GPU();
  const cvx::Vec3 sp{1, 1, 1};
  auto vol = make<float>(cvx::PixelType::Float32, 48, 52, 44, sp, [](int x, int y, int z) {
    return 100 * std::exp(-((x - 24) * (x - 24) + (y - 26) * (y - 26) * 0.6 + (z - 22) * (z - 22) * 1.4) /
                          200.0) +
           10 * std::sin(x * 0.7 + y * 0.3);
  });
  auto init = cvx::seg::seedSpheres(*vol, {{24, 26, 22}}, 3.0);
  ASSERT_TRUE(init.ok());
  cvx::hd::LevelSetParams p;
  p.lower = 40;
  p.upper = 200;
  p.curvature = 0.3;
  p.maxIterations = 400;
  compare(*vol, **init, p);
  p.maxIterations = 13;  // stops between two reinitialisations
  compare(*vol, **init, p);
}

TEST(CudaLevelSet, UInt8TwoLobesFromTwoSeeds) {
  CVX_NEED_GPU();
  const cvx::Vec3 sp{1.2, 1.2, 1.2};
  auto vol = make<uint8_t>(cvx::PixelType::UInt8, 64, 40, 40, sp, [](int x, int y, int z) {
    const double a = std::hypot(std::hypot(x - 18.0, y - 20.0), z - 20.0),
                 b = std::hypot(std::hypot(x - 44.0, y - 20.0), z - 20.0);
    const bool bar = std::abs(y - 20) <= 1 && std::abs(z - 20) <= 1;
    return (a <= 11 || b <= 9 || bar) ? 180 : 30;
  });
  auto init = cvx::seg::seedSpheres(*vol, {{18, 20, 20}, {44, 20, 20}}, 2.5);
  ASSERT_TRUE(init.ok());
  cvx::hd::LevelSetParams p;
  p.lower = 120;
  p.upper = 255;
  p.curvature = 0.8;
  p.reinitInterval = 4;
  p.bandVoxels = 4;
  compare(*vol, **init, p);
}

TEST(CudaLevelSet, SameErrorsAsTheCpu) {
  CVX_NEED_GPU();
  auto vol = make<int16_t>(cvx::PixelType::Int16, 16, 16, 16, {1, 1, 1}, [](int, int, int) { return 0; });
  auto empty = make<uint8_t>(cvx::PixelType::UInt8, 16, 16, 16, {1, 1, 1}, [](int, int, int) { return 0; });
  cvx::hd::LevelSetParams p;
  p.lower = 1;
  p.upper = 2;
  EXPECT_EQ(cvx::cuda::thresholdLevelSet(*vol, *empty, p).error().code, "seg.empty_region");
  p.lower = 3;
  EXPECT_EQ(cvx::cuda::thresholdLevelSet(*vol, *empty, p).error().code, "seg.bad_range");
  p.lower = 1;
  p.cfl = 2;
  EXPECT_EQ(cvx::cuda::thresholdLevelSet(*vol, *empty, p).error().code, "seg.bad_parameter");
}

}  // namespace
