// SPDX-License-Identifier: MIT
// GrowCut on the GPU against cvx::seg::growCut (the CPU reference): identical labels, ROI, range,
// iteration count and convergence, on noisy three-class phantoms with 6 and 26 neighbours, with a
// ROI smaller than the volume, and stopped before convergence. Dice per class is reported (the
// issue asks >= 0.99 for iterative methods; the shared float rule gives 1). Skips without a device,
// fails with CVX_REQUIRE_CUDA=1.
#include <cvx/cuda/growcut.h>
#include <cvx/seg/growcut.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "need_gpu.h"

namespace {
using cvx::PixelType;
using cvx::Volume;

struct Scene {
  std::shared_ptr<Volume> vol, seeds;
};

// Blobs of mean 0, 120 and 260 with Gaussian noise (SD 25); seed strokes of 3 classes; Int16 or
// Float32 voxels on an anisotropic grid.
template <class T>
Scene scene(int64_t nx, int64_t ny, int64_t nz, unsigned seed) {
  auto v = Volume::create(std::is_same_v<T, float> ? PixelType::Float32 : PixelType::Int16, {nx, ny, nz, 1});
  auto s = Volume::create(PixelType::UInt8, {nx, ny, nz, 1});
  EXPECT_TRUE(v.ok() && s.ok());
  Scene sc{*v, *s};
  sc.vol->geometry.spacingMm = {0.8, 0.8, 1.5};
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 25);
  T* p = sc.vol->as<T>();
  uint8_t* q = sc.seeds->as<uint8_t>();
  const double cx = nx * 0.4, cy = ny * 0.5, cz = nz * 0.5, r = nx * 0.22;
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        const int64_t i = (z * ny + y) * nx + x;
        const double d = std::sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz));
        const double base = d < r ? 260 : (x > nx * 0.7 ? 120 : 0);
        const double val = base + noise(rng);
        p[i] = std::is_same_v<T, float> ? static_cast<T>(val) : static_cast<T>(std::lround(val));
        q[i] = 0;
        if (z == static_cast<int64_t>(cz) && y == static_cast<int64_t>(cy) && std::abs(x - cx) < r / 2)
          q[i] = 1;
        if (z == static_cast<int64_t>(cz) && x == nx - 4 && y > 4 && y < ny - 4) q[i] = 2;
        if (z == static_cast<int64_t>(cz) && x == 3 && y > 4 && y < ny - 4) q[i] = 3;
      }
  return sc;
}

double dice(const Volume& a, const Volume& b, uint8_t label) {
  int64_t both = 0, na = 0, nb = 0;
  for (int64_t i = 0; i < a.voxelCount(); ++i) {
    const bool x = a.as<uint8_t>()[i] == label, y = b.as<uint8_t>()[i] == label;
    both += x && y, na += x, nb += y;
  }
  return na + nb == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(na + nb);
}

void expectSame(const Scene& sc, const cvx::hd::GrowCutOptions& o, const char* what) {
  SCOPED_TRACE(what);
  auto cpu = cvx::seg::growCut(*sc.vol, *sc.seeds, o);
  auto gpu = cvx::cuda::growCut(*sc.vol, *sc.seeds, o);
  ASSERT_TRUE(cpu.ok()) << cpu.error().str();
  ASSERT_TRUE(gpu.ok()) << gpu.error().str();
  EXPECT_EQ(gpu->roi.x0, cpu->roi.x0);
  EXPECT_EQ(gpu->roi.z1, cpu->roi.z1);
  EXPECT_EQ(gpu->roi.count(), cpu->roi.count());
  EXPECT_EQ(gpu->range, cpu->range);
  EXPECT_EQ(gpu->iterations, cpu->iterations);
  EXPECT_EQ(gpu->converged, cpu->converged);
  int64_t diff = 0;
  for (int64_t i = 0; i < cpu->labels->voxelCount(); ++i)
    diff += cpu->labels->as<uint8_t>()[i] != gpu->labels->as<uint8_t>()[i];
  std::printf("[ growcut ] %s: %d iterations (converged %d), Dice %.6f %.6f %.6f, %lld voxels differ\n", what,
              cpu->iterations, cpu->converged ? 1 : 0, dice(*cpu->labels, *gpu->labels, 1),
              dice(*cpu->labels, *gpu->labels, 2), dice(*cpu->labels, *gpu->labels, 3),
              static_cast<long long>(diff));
  EXPECT_EQ(diff, 0);
  for (uint8_t c = 1; c <= 3; ++c) EXPECT_GE(dice(*cpu->labels, *gpu->labels, c), 0.99);
}

TEST(CudaGrowCut, SameLabelsAsTheCpu) {
  CVX_NEED_GPU();
  const Scene a = scene<int16_t>(70, 60, 40, 11);
  cvx::hd::GrowCutOptions o;
  o.marginMm = 1000;
  o.connectivity = 6;
  expectSame(a, o, "int16, 6 neighbours, whole volume");
  o.connectivity = 26;
  expectSame(a, o, "int16, 26 neighbours, whole volume");
  o.marginMm = 6;  // a ROI inside the volume: voxels outside it stay 0 on both
  expectSame(a, o, "int16, 26 neighbours, 6 mm margin");
  o.maxIterations = 7;  // stopped early: the same intermediate state
  expectSame(a, o, "int16, 26 neighbours, 7 iterations");
  const Scene b = scene<float>(61, 47, 33, 12);
  o = {};
  o.marginMm = 1000;
  o.range = 150;  // g clamps at 0 across the larger steps
  expectSame(b, o, "float32, 6 neighbours, range 150");
}

TEST(CudaGrowCut, RefusesBadInputsWithTheCpuCodesWithoutADevice) {
  const Scene a = scene<int16_t>(20, 16, 8, 3);
  cvx::hd::GrowCutOptions o;
  o.connectivity = 18;
  auto r = cvx::cuda::growCut(*a.vol, *a.seeds, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.bad_connectivity");
  auto empty = Volume::create(PixelType::UInt8, {20, 16, 8, 1});
  ASSERT_TRUE(empty.ok());
  o = {};
  auto e = cvx::cuda::growCut(*a.vol, **empty, o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "seg.bad_seed");
  if (!cvx::cuda::probeDevice().ok()) {
    auto n = cvx::cuda::growCut(*a.vol, *a.seeds, o);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().code, "cuda.no_device");
  }
}

TEST(CudaGrowCut, CancelledBeforeStart) {
  CVX_NEED_GPU();
  const Scene a = scene<int16_t>(20, 16, 8, 3);
  cvx::Progress p;
  p.cancel();
  auto r = cvx::cuda::growCut(*a.vol, *a.seeds, {}, &p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.cancelled");
}

}  // namespace
