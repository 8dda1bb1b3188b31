// SPDX-License-Identifier: MIT
// Threshold, seeded region growing (connected threshold) and hole filling: a parallel per-voxel
// pass of the hd rule, then a sequential scanline flood fill over a byte state.
#include <cmath>
#include <limits>
#include <type_traits>

#include <cvx/core/hd/segment.h>

#include "common.h"

namespace cvx::seg {
namespace detail {

Status floodFill(uint8_t* state, const Dims& d, std::vector<RowSpan> stack, int connectivity,
                 Progress* progress) {
  // The rows next to a row: 6-connectivity reaches the 4 face rows over the same x range, 26 the 8
  // rows around it over the range widened by one voxel on each side.
  int nRows = 0;
  int rows[8][2];
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy) {
      if (dy == 0 && dz == 0) continue;
      if (connectivity == 6 && dy != 0 && dz != 0) continue;
      rows[nRows][0] = dy;
      rows[nRows][1] = dz;
      ++nRows;
    }
  const int widen = connectivity == 26 ? 1 : 0;
  const int32_t nx = static_cast<int32_t>(d.nx), ny = static_cast<int32_t>(d.ny), nz = static_cast<int32_t>(d.nz);
  int64_t pops = 0;
  while (!stack.empty()) {
    const RowSpan s = stack.back();
    stack.pop_back();
    if ((++pops & 0xFFF) == 0 && cancelled(progress)) return cancelledError();
    uint8_t* row = state + (static_cast<int64_t>(s.z) * ny + s.y) * nx;
    int32_t x = s.x0;
    while (x <= s.x1) {
      if (row[x] != 1) {
        ++x;
        continue;
      }
      int32_t l = x, r = x;
      while (l > 0 && row[l - 1] == 1) --l;
      while (r < nx - 1 && row[r + 1] == 1) ++r;
      std::memset(row + l, 2, static_cast<size_t>(r - l + 1));
      const int32_t a = std::max(0, l - widen), b = std::min(nx - 1, r + widen);
      for (int n = 0; n < nRows; ++n) {
        const int32_t y = s.y + rows[n][0], z = s.z + rows[n][1];
        if (y < 0 || y >= ny || z < 0 || z >= nz) continue;
        stack.push_back({y, z, a, b});
      }
      x = r + 2;  // r + 1 is closed or the end of the row
    }
  }
  return {};
}

}  // namespace detail

using namespace detail;

namespace {

// Writes out[i] = inRange(v[i]) ? inside : 0 for every voxel of the phase, slices in parallel.
template <class T>
Status rangePass(const T* v, const Dims& d, double lo, double hi, uint8_t inside, uint8_t* out,
                 Progress* progress) {
  const int64_t n = d.slice();
  if constexpr (std::is_integral_v<T>) {
    // For integer voxels lo <= v <= hi is ceil(lo) <= v <= floor(hi): the same test, vectorised.
    const double tmin = static_cast<double>(std::numeric_limits<T>::min());
    const double tmax = static_cast<double>(std::numeric_limits<T>::max());
    const double l = std::ceil(lo), h = std::floor(hi);
    if (l > h || l > tmax || h < tmin) {
      return forBlocks(d.nz, progress, [&](int, int64_t z) {
        std::memset(out + z * n, 0, static_cast<size_t>(n));
        addProgress(progress);
      });
    }
    const T li = static_cast<T>(std::max(l, tmin)), hi_ = static_cast<T>(std::min(h, tmax));
    return forBlocks(d.nz, progress, [&](int, int64_t z) {
      const T* src = v + z * n;
      uint8_t* dst = out + z * n;
      for (int64_t i = 0; i < n; ++i) dst[i] = (src[i] >= li && src[i] <= hi_) ? inside : 0;
      addProgress(progress);
    });
  } else {
    return forBlocks(d.nz, progress, [&](int, int64_t z) {
      const T* src = v + z * n;
      uint8_t* dst = out + z * n;
      for (int64_t i = 0; i < n; ++i) dst[i] = hd::inRange(src[i], lo, hi) ? inside : 0;
      addProgress(progress);
    });
  }
}

// out[i] = (out[i] == value), slices in parallel.
Status keepValue(uint8_t* out, const Dims& d, uint8_t value, Progress* progress) {
  const int64_t n = d.slice();
  return forBlocks(d.nz, progress, [&](int, int64_t z) {
    uint8_t* p = out + z * n;
    for (int64_t i = 0; i < n; ++i) p[i] = p[i] == value ? 1 : 0;
    addProgress(progress);
  });
}

Status checkBounds(double lo, double hi) {
  if (std::isnan(lo) || std::isnan(hi))
    return makeError("seg.bad_range", "a threshold bound is not a number");
  return {};
}

}  // namespace

Result<VolumePtr> threshold(const Volume& vol, double lo, double hi, int64_t t, Progress* progress) {
  CVX_TRY(checkIntensity(vol, t));
  CVX_TRY(checkBounds(lo, hi));
  auto out = makeMask(vol);
  if (!out.ok()) return out.error();
  const Dims d = dimsOf(vol);
  addTotal(progress, d.nz);
  uint8_t* o = (*out)->as<uint8_t>();
  CVX_TRY(withTyped(vol, t, [&](const auto* v) { return rangePass(v, d, lo, hi, 1, o, progress); }));
  return out;
}

Result<VolumePtr> connectedThreshold(const Volume& vol, const std::vector<Index3>& seeds, double lo,
                                     double hi, int connectivity, int64_t t, Progress* progress) {
  CVX_TRY(checkIntensity(vol, t));
  CVX_TRY(checkBounds(lo, hi));
  CVX_TRY(checkConnectivity(connectivity));
  const Dims d = dimsOf(vol);
  if (d.nx > std::numeric_limits<int32_t>::max() / 2 || d.ny > std::numeric_limits<int32_t>::max() ||
      d.nz > std::numeric_limits<int32_t>::max())
    return makeError("seg.bad_seed", "the volume is too large for region growing");
  std::vector<RowSpan> starts;
  for (const Index3& s : seeds) {
    if (s.x < 0 || s.y < 0 || s.z < 0 || s.x >= d.nx || s.y >= d.ny || s.z >= d.nz)
      return makeError("seg.bad_seed", "seed (" + std::to_string(s.x) + ", " + std::to_string(s.y) + ", " +
                                           std::to_string(s.z) + ") is outside the volume");
    starts.push_back({static_cast<int32_t>(s.y), static_cast<int32_t>(s.z), static_cast<int32_t>(s.x),
                      static_cast<int32_t>(s.x)});
  }
  auto out = makeMask(vol);
  if (!out.ok()) return out.error();
  addTotal(progress, 2 * d.nz + 1);
  uint8_t* o = (*out)->as<uint8_t>();
  CVX_TRY(withTyped(vol, t, [&](const auto* v) { return rangePass(v, d, lo, hi, 1, o, progress); }));
  CVX_TRY(floodFill(o, d, std::move(starts), connectivity, progress));
  addProgress(progress);
  CVX_TRY(keepValue(o, d, 2, progress));
  return out;
}

Result<VolumePtr> fillHoles(const Volume& mask, int connectivity, Progress* progress) {
  CVX_TRY(checkMask(mask));
  CVX_TRY(checkConnectivity(connectivity));
  const Dims d = dimsOf(mask);
  auto out = makeMask(mask);
  if (!out.ok()) return out.error();
  addTotal(progress, 2 * d.nz + 1);
  uint8_t* o = (*out)->as<uint8_t>();
  const uint8_t* in = mask.as<uint8_t>();
  const int64_t n = d.slice();
  // Background is open (1), foreground closed (0); the flood starts on every border row.
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    for (int64_t i = 0; i < n; ++i) o[z * n + i] = in[z * n + i] ? 0 : 1;
    addProgress(progress);
  }));
  std::vector<RowSpan> starts;
  const int32_t nx = static_cast<int32_t>(d.nx), ny = static_cast<int32_t>(d.ny), nz = static_cast<int32_t>(d.nz);
  for (int32_t z = 0; z < nz; ++z)
    for (int32_t y = 0; y < ny; ++y) {
      if (z == 0 || z == nz - 1 || y == 0 || y == ny - 1) {
        starts.push_back({y, z, 0, nx - 1});
      } else {
        starts.push_back({y, z, 0, 0});
        starts.push_back({y, z, nx - 1, nx - 1});
      }
    }
  CVX_TRY(floodFill(o, d, std::move(starts), connectivity, progress));
  addProgress(progress);
  // Filled (2) is background that reaches the border; everything else is the result.
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    uint8_t* p = o + z * n;
    for (int64_t i = 0; i < n; ++i) p[i] = p[i] == 2 ? 0 : 1;
    addProgress(progress);
  }));
  return out;
}

}  // namespace cvx::seg
