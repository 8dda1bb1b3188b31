// SPDX-License-Identifier: MIT
// Helpers of the GrowCut tests, independent of cvx::seg: seed maps, label counts, a breadth-first
// distance over a region (the known iteration count of uniform regions), a square spiral corridor,
// and a plain single-threaded GrowCut sweep written from the published rule (the reference).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include <cvx/core/volume.h>

namespace cvx::test::growcut {

// A UInt8 seed map on vol's grid: f(x, y, z) is the class (0: none).
inline std::shared_ptr<Volume> seedMap(const Volume& vol,
                                       const std::function<uint8_t(int64_t, int64_t, int64_t)>& f) {
  auto r = Volume::create(PixelType::UInt8, {vol.dims()[0], vol.dims()[1], vol.dims()[2], 1});
  EXPECT_TRUE(r.ok());
  std::shared_ptr<Volume> s = *r;
  s->geometry = vol.geometry;
  uint8_t* p = s->as<uint8_t>();
  for (int64_t z = 0; z < vol.dims()[2]; ++z)
    for (int64_t y = 0; y < vol.dims()[1]; ++y)
      for (int64_t x = 0; x < vol.dims()[0]; ++x) p[(z * vol.dims()[1] + y) * vol.dims()[0] + x] = f(x, y, z);
  return s;
}

inline int64_t countLabel(const Volume& v, uint8_t label) {
  int64_t n = 0;
  for (int64_t i = 0; i < v.voxelCount(); ++i) n += v.as<uint8_t>()[i] == label;
  return n;
}

// The neighbour offsets, written out: 6 = faces, 26 = the 3x3x3 block without its centre, in the
// order of the documented rule (6: -x +x -y +y -z +z; 26: x fastest, then y, then z).
struct Off {
  int dx, dy, dz;
};
inline std::vector<Off> offsets(int connectivity) {
  if (connectivity == 6) return {{-1, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}, {0, 0, 1}};
  std::vector<Off> o;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if (dx || dy || dz) o.push_back({dx, dy, dz});
  return o;
}

// Breadth-first distance (steps) from the seed voxels of class c through voxels with inRegion(i);
// -1 where unreachable.
inline std::vector<int> bfsDistances(const Volume& seeds, uint8_t c, int connectivity,
                                     const std::function<bool(int64_t)>& inRegion) {
  const int64_t nx = seeds.dims()[0], ny = seeds.dims()[1], nz = seeds.dims()[2];
  std::vector<int> dist(static_cast<size_t>(nx * ny * nz), -1);
  std::deque<int64_t> q;
  for (int64_t i = 0; i < nx * ny * nz; ++i)
    if (seeds.as<uint8_t>()[i] == c) dist[i] = 0, q.push_back(i);
  const auto offs = offsets(connectivity);
  while (!q.empty()) {
    const int64_t i = q.front();
    q.pop_front();
    const int64_t x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
    for (const Off& o : offs) {
      const int64_t a = x + o.dx, b = y + o.dy, e = z + o.dz;
      if (a < 0 || b < 0 || e < 0 || a >= nx || b >= ny || e >= nz) continue;
      const int64_t j = (e * ny + b) * nx + a;
      if (dist[j] >= 0 || !inRegion(j)) continue;
      dist[j] = dist[i] + 1;
      q.push_back(j);
    }
  }
  return dist;
}
inline int maxBfsDistance(const Volume& seeds, uint8_t c, int connectivity,
                          const std::function<bool(int64_t)>& inRegion) {
  const auto d = bfsDistances(seeds, c, connectivity, inRegion);
  return *std::max_element(d.begin(), d.end());
}
inline int64_t farthestVoxel(const Volume& seeds, uint8_t c, int connectivity,
                             const std::function<bool(int64_t)>& inRegion) {
  const auto d = bfsDistances(seeds, c, connectivity, inRegion);
  return std::max_element(d.begin(), d.end()) - d.begin();
}
inline int64_t countAtDistance(const Volume& seeds, uint8_t c, int connectivity,
                               const std::function<bool(int64_t)>& inRegion, int distance) {
  const auto d = bfsDistances(seeds, c, connectivity, inRegion);
  return std::count(d.begin(), d.end(), distance);
}

// An n x n slice with a square spiral corridor (1) of width 1 from the centre outwards, its rings 2
// voxels apart (walls of width 1 between them), staying 1 voxel off the border.
inline std::vector<uint8_t> squareSpiral(int64_t n) {
  std::vector<uint8_t> s(static_cast<size_t>(n * n), 0);
  int64_t x = n / 2, y = n / 2;
  s[y * n + x] = 1;
  const int dx[4] = {1, 0, -1, 0}, dy[4] = {0, 1, 0, -1};
  for (int leg = 0;; ++leg) {
    const int64_t len = 2 * (leg / 2 + 1);
    for (int64_t k = 0; k < len; ++k) {
      const int64_t a = x + dx[leg % 4], b = y + dy[leg % 4];
      if (a < 1 || b < 1 || a > n - 2 || b > n - 2) return s;
      x = a, y = b;
      s[y * n + x] = 1;
    }
  }
}

// GrowCut written from the paper's rule, one voxel after another, the whole volume as ROI:
// g = max(0, 1 - |Ip - Iq| / range) in float, attack g * Sq, strictly greater wins, neighbours in
// the documented order. Returns the labels after convergence or maxIterations sweeps, and the
// number of sweeps that changed something.
struct Reference {
  std::vector<uint8_t> labels;
  int iterations = 0;
  bool converged = false;
};
inline Reference referenceGrowCut(const std::vector<float>& I, const std::vector<uint8_t>& seeds, int64_t nx,
                                  int64_t ny, int64_t nz, int connectivity, float range, int maxIterations) {
  std::vector<uint8_t> L = seeds, L2 = seeds;
  std::vector<float> S(I.size()), S2(I.size());
  for (size_t i = 0; i < I.size(); ++i) S[i] = seeds[i] ? 1.0f : 0.0f;
  const auto offs = offsets(connectivity);
  Reference r;
  for (int it = 0; it < maxIterations; ++it) {
    bool any = false;
    for (int64_t z = 0; z < nz; ++z)
      for (int64_t y = 0; y < ny; ++y)
        for (int64_t x = 0; x < nx; ++x) {
          const int64_t p = (z * ny + y) * nx + x;
          float best = S[p];
          uint8_t label = L[p];
          for (const Off& o : offs) {
            const int64_t a = x + o.dx, b = y + o.dy, e = z + o.dz;
            if (a < 0 || b < 0 || e < 0 || a >= nx || b >= ny || e >= nz) continue;
            const int64_t q = (e * ny + b) * nx + a;
            const float g = std::max(0.0f, 1.0f - std::abs(I[p] - I[q]) / range);
            const float attack = g * S[q];
            if (attack > best) best = attack, label = L[q];
          }
          L2[p] = label;
          S2[p] = best;
          any = any || best != S[p];
        }
    std::swap(L, L2);
    std::swap(S, S2);
    if (!any) {
      r.converged = true;
      break;
    }
    ++r.iterations;
  }
  r.labels = L;
  return r;
}

}  // namespace cvx::test::growcut
