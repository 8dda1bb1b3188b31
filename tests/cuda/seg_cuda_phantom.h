// SPDX-License-Identifier: MIT
// Phantoms and the label comparison of the CUDA segmentation tests (seg_*_test.cpp): the CPU
// (cvx::seg) is the oracle; labels must be identical (memcmp), and the Dice coefficient is
// reported alongside.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include <cvx/core/volume.h>

namespace cvx::test::segcuda {

using VolumePtr = std::shared_ptr<Volume>;

inline VolumePtr make(PixelType t, int64_t nx, int64_t ny, int64_t nz, Vec3 spacing = {1, 1, 1}) {
  auto r = Volume::create(t, {nx, ny, nz, 1});
  EXPECT_TRUE(r.ok());
  (*r)->geometry.spacingMm = spacing;
  return *r;
}

// A deterministic noise in [-amp, amp] (a hash of the voxel index).
inline int noise(int64_t i, int amp) {
  uint64_t h = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return static_cast<int>(h % static_cast<uint64_t>(2 * amp + 1)) - amp;
}

// Int16 spheres with noise on a background of 0: sphere s at (cx, cy, cz) mm of radius r mm holds
// value 400 * (s + 1); amp is the noise amplitude.
inline VolumePtr spheres(int64_t nx, int64_t ny, int64_t nz, Vec3 sp, int amp) {
  auto v = make(PixelType::Int16, nx, ny, nz, sp);
  struct S {
    double x, y, z, r;
  };
  const S s[] = {{0.3, 0.35, 0.4, 0.22}, {0.7, 0.6, 0.55, 0.18}, {0.45, 0.75, 0.3, 0.12}};
  int16_t* p = v->as<int16_t>();
  const double ex = nx * sp.x, ey = ny * sp.y, ez = nz * sp.z, e = std::min(ex, std::min(ey, ez));
  for (int64_t z = 0, i = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x, ++i) {
        int val = 0;
        for (int k = 0; k < 3; ++k) {
          const double dx = x * sp.x - s[k].x * ex, dy = y * sp.y - s[k].y * ey, dz = z * sp.z - s[k].z * ez;
          if (dx * dx + dy * dy + dz * dz <= s[k].r * e * s[k].r * e) val = 400 * (k + 1);
        }
        p[i] = static_cast<int16_t>(val + noise(i, amp));
      }
  return v;
}

inline int64_t countOnes(const Volume& m) {
  int64_t n = 0;
  for (int64_t i = 0; i < m.voxelsPerPhase(); ++i) n += m.as<uint8_t>()[i] != 0;
  return n;
}

// Labels identical (memcmp) and Dice reported; also fails on a shape mismatch.
inline void expectSameLabels(const Volume& cpu, const Volume& gpu, const std::string& what) {
  ASSERT_EQ(cpu.type(), gpu.type()) << what;
  ASSERT_EQ(cpu.dims(), gpu.dims()) << what;
  const int64_t n = cpu.voxelsPerPhase();
  const uint8_t* a = cpu.as<uint8_t>();
  const uint8_t* b = gpu.as<uint8_t>();
  int64_t both = 0, na = 0, nb = 0, differ = 0;
  for (int64_t i = 0; i < n; ++i) {
    na += a[i] != 0;
    nb += b[i] != 0;
    both += a[i] != 0 && b[i] != 0;
    differ += a[i] != b[i];
  }
  const double dice = na + nb == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(na + nb);
  std::cout << "[ dice     ] " << what << ": " << dice << " (" << na << " CPU voxels, " << differ
            << " differ)\n";
  EXPECT_EQ(std::memcmp(a, b, static_cast<size_t>(n)), 0)
      << what << ": " << differ << " voxels differ, Dice " << dice;
  EXPECT_EQ(cpu.geometry.spacingMm.x, gpu.geometry.spacingMm.x) << what;
}

}  // namespace cvx::test::segcuda
