// SPDX-License-Identifier: MIT
// The voxel index box about a point that holds a ball or a disk in patient space (the brush's
// sphere and disk, PERCIST's liver ball: seg_brush.cpp, percist.cpp). Internal to cvx::viewstate.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

#include <cvx/core/geometry.h>

namespace cvx::view::detail {

// [lo, hi] per axis (inclusive, clamped to the grid): every voxel centre whose index-space offset
// from ci is within ext per axis. Empty when lo > hi on an axis, also for a point or extent that is
// not finite (no cast of an out-of-range double).
struct IndexBox {
  int64_t lo[3], hi[3];
  bool empty() const { return lo[0] > hi[0] || lo[1] > hi[1] || lo[2] > hi[2]; }
};
inline IndexBox indexBox(const std::array<int64_t, 3>& dims, Vec3 ci, const double ext[3]) {
  IndexBox b;
  for (int a = 0; a < 3; ++a) {
    const double eps = 1e-7;  // the exact test runs per voxel; the box only has to hold them
    const double lo = std::ceil(ci[a] - ext[a] - eps), hi = std::floor(ci[a] + ext[a] + eps);
    const double last = static_cast<double>(dims[a] - 1);
    if (!(lo <= hi) || !(hi >= 0) || !(lo <= last)) {  // NaN, or wholly outside
      b.lo[a] = 0, b.hi[a] = -1;
      continue;
    }
    b.lo[a] = lo <= 0 ? 0 : static_cast<int64_t>(lo);
    b.hi[a] = hi >= last ? dims[a] - 1 : static_cast<int64_t>(hi);
  }
  return b;
}

// Row r of m's linear part: |row| x r bounds index axis r's extent of a ball of radius r mm.
inline Vec3 row(const Mat4& m, int r) { return {m.m[r][0], m.m[r][1], m.m[r][2]}; }

}  // namespace cvx::view::detail
