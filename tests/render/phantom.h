// SPDX-License-Identifier: MIT
// Phantoms for the reslice and ray-casting tests: volumes whose values the tests know without the
// code under test, and a brute-force oracle of the skip map.
#pragma once
#include <cvx/core/bricks.h>
#include <cvx/core/geometry.h>
#include <cvx/core/transfer.h>
#include <cvx/core/volume.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

namespace cvx::test {

// An anisotropic grid with an oblique orientation (rotated about two axes); sheared adds a 15
// degree gantry tilt: the stack direction leans away from the slice normal.
inline Geometry obliqueGeometry(bool sheared) {
  Geometry g;
  g.spacingMm = {0.8, 1.1, 2.3};
  g.originMm = {-20, 15, -30};
  const double a = 0.35, b = -0.2;
  const Vec3 row{std::cos(a), std::sin(a), 0};
  const Vec3 col0{-std::sin(a), std::cos(a), 0};
  const Vec3 col = normalized(col0 * std::cos(b) + Vec3{0, 0, 1} * std::sin(b));
  const Vec3 normal = normalized(cross(row, col));
  g.direction = {row, col, normal};
  if (sheared) {
    g.direction[2] = normalized(normal + col * std::tan(15 * 3.14159265358979 / 180));
    g.sheared = true;
  }
  return g;
}

// A float32 volume with value(world) = f(world) at each voxel centre.
inline std::shared_ptr<Volume> fillVolume(const Geometry& g, std::array<int64_t, 4> dims,
                                          const std::function<double(Vec3)>& f) {
  auto r = Volume::create(PixelType::Float32, dims);
  EXPECT_TRUE(r.ok());
  auto v = r.value();
  v->geometry = g;
  float* p = v->as<float>();
  for (int64_t t = 0; t < dims[3]; ++t)
    for (int64_t k = 0; k < dims[2]; ++k)
      for (int64_t j = 0; j < dims[1]; ++j)
        for (int64_t i = 0; i < dims[0]; ++i)
          *p++ = static_cast<float>(f(g.worldAt(static_cast<double>(i), static_cast<double>(j),
                                                static_cast<double>(k))) + 1000.0 * static_cast<double>(t));
  return v;
}

// A linear function of the patient position (mm): trilinear interpolation reproduces it exactly.
struct Linear {
  Vec3 a{2.0, -3.0, 1.5};
  double d = 40;
  double operator()(Vec3 w) const { return dot(a, w) + d; }
};

// hd::BrickMap's skip entries from empty flags (x fastest), by brute force: per octant o (plane o,
// direction signs from o's bits), 0 for a brick that is not empty, else the largest k up to 255 for
// which the forward cube b + [0, k - 1] * signs holds no brick that is not empty: the smallest, over
// the bricks q that are not empty and lie ahead of b on every axis, of max over the axes of
// (q - b) * sign (255 when there is none).
inline std::vector<uint8_t> octantSkip(const std::vector<uint8_t>& empty, int bx, int by, int bz) {
  const size_t n = empty.size();
  std::vector<uint8_t> out(8 * n, 0);
  std::vector<std::array<int, 3>> solid;
  for (int z = 0; z < bz; ++z)
    for (int y = 0; y < by; ++y)
      for (int x = 0; x < bx; ++x)
        if (!empty[(size_t(z) * by + y) * bx + x]) solid.push_back({x, y, z});
  for (int o = 0; o < 8; ++o) {
    const int s[3] = {(o & 1) ? -1 : 1, (o & 2) ? -1 : 1, (o & 4) ? -1 : 1};
    for (int z = 0; z < bz; ++z)
      for (int y = 0; y < by; ++y)
        for (int x = 0; x < bx; ++x) {
          const int b[3] = {x, y, z};
          int best = 255;
          for (const auto& q : solid) {
            int far = 0;
            for (int a = 0; a < 3 && far >= 0; ++a) {
              const int ahead = (q[a] - b[a]) * s[a];
              far = ahead < 0 ? -1 : std::max(far, ahead);
            }
            if (far >= 0) best = std::min(best, far);
          }
          out[o * n + (size_t(z) * by + y) * bx + x] = static_cast<uint8_t>(best);
        }
  }
  return out;
}

// The scalar sampler, counting the samples it is asked for.
template <class T>
struct Counting {
  hd::GridSampler<T> s;
  mutable long samples = 0;
  float sample(hd::Vec3f q) const { return ++samples, s.sample(q); }
  hd::Vec3f gradient(hd::Vec3f q) const { return s.gradient(q); }
};

// Two Gaussian blobs over -300 with a little noise on the sheared oblique grid, stored as T with
// a rescale (slope 1.5, intercept -1.5 offset): values the ray casters' tests compare back ends on.
template <class T>
inline std::shared_ptr<cvx::Volume> blobs(cvx::PixelType type, double offset) {
  const std::array<int64_t, 4> d{70, 61, 37, 1};
  auto r = cvx::Volume::create(type, d);
  EXPECT_TRUE(r.ok());
  auto v = r.value();
  v->geometry = obliqueGeometry(true);
  v->info.rescaleApplied = false;
  v->info.rescaleSlope = 1.5;
  v->info.rescaleIntercept = -offset * 1.5;
  const Vec3 a = v->geometry.worldAt(20, 25, 12), b = v->geometry.worldAt(50, 35, 25);
  T* p = v->as<T>();
  uint32_t h = 7;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) {
        const Vec3 w = v->geometry.worldAt(double(i), double(j), double(k));
        h = h * 1664525u + 1013904223u;
        const double hu = 900 * std::exp(-cvx::dot(w - a, w - a) / 500) + 700 * std::exp(-cvx::dot(w - b, w - b) / 300) +
                          double(h % 40u) - 20 - 300;
        *p++ = static_cast<T>(std::lround(hu / 1.5 + offset));
      }
  return v;
}

// The transfer function the blob tests render with (clear below 100 HU, a bone-like ramp above),
// with v's brick ranges and skip map for it.
struct BlobScene {
  TransferTable table;
  BrickRanges ranges;
  std::vector<uint8_t> skip;
};
inline BlobScene blobScene(const Volume& v) {
  BlobScene b;
  auto table = buildTransferTable(
      {{-1000, 0, 0, 0, 0}, {100, 0.8f, 0.3f, 0.2f, 0}, {400, 1, 0.9f, 0.7f, 0.3f}, {900, 1, 1, 1, 0.8f}}, 1.0);
  EXPECT_TRUE(table.ok());
  if (table.ok()) b.table = std::move(*table);
  b.ranges = brickRanges(v, 0);
  b.skip = brickSkipMap(b.ranges, b.table);
  return b;
}

}  // namespace cvx::test
