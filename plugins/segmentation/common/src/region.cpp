// SPDX-License-Identifier: MIT
// Threshold (a parallel per-voxel pass of the hd rule); seeded region growing (connected
// threshold): that pass, then a sequential scanline flood fill from the seeds; hole filling: the
// connected components of the background's runs (runs.h) that touch the border stay background.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include <cvx/core/hd/segment.h>

#include "runs.h"

namespace cvx::seg {
using namespace detail;

namespace {

// The per-slice kernels: plain loops over restrict pointers and locals, which the compiler
// vectorises (a captured reference would be reloaded after every byte store).
template <class T>
void rangeSliceInt(const T* __restrict src, uint8_t* __restrict dst, int64_t n, T lo, T hi, uint8_t inside) {
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>((src[i] >= lo) & (src[i] <= hi)) * inside;
}
template <class T>
void rangeSliceReal(const T* __restrict src, uint8_t* __restrict dst, int64_t n, double lo, double hi,
                    uint8_t inside) {
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>(hd::inRange(src[i], lo, hi)) * inside;
}
// dst[i] = (dst[i] == value).
void equalsSlice(uint8_t* __restrict p, int64_t n, uint8_t value) {
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(p[i] == value);
}
// The integer bounds [li, hi] equivalent to lo <= v <= hi for an integer type; false when no value
// of the type is inside.
template <class T>
bool integerBounds(double lo, double hi, T& li, T& hiOut) {
  const double tmin = static_cast<double>(std::numeric_limits<T>::min());
  const double tmax = static_cast<double>(std::numeric_limits<T>::max());
  const double l = std::ceil(lo), h = std::floor(hi);
  if (l > h || l > tmax || h < tmin) return false;
  li = static_cast<T>(std::max(l, tmin));
  hiOut = static_cast<T>(std::min(h, tmax));
  return true;
}

// Writes out[i] = inRange(v[i]) ? inside : 0 for every voxel of the phase, slices in parallel.
template <class T>
Status rangePass(const T* v, const Dims& d, double lo, double hi, uint8_t inside, uint8_t* out,
                 Progress* progress) {
  const int64_t n = d.slice();
  if constexpr (std::is_integral_v<T>) {
    // For integer voxels lo <= v <= hi is ceil(lo) <= v <= floor(hi): the same test, vectorised.
    T li{}, hi_{};
    if (!integerBounds(lo, hi, li, hi_)) {
      return forBlocks(d.nz, progress, [&](int, int64_t z) {
        std::memset(out + z * n, 0, static_cast<size_t>(n));
        addProgress(progress);
      });
    }
    return forBlocks(d.nz, progress, [&](int, int64_t z) {
      rangeSliceInt(v + z * n, out + z * n, n, li, hi_, inside);
      addProgress(progress);
    });
  } else {
    return forBlocks(d.nz, progress, [&](int, int64_t z) {
      rangeSliceReal(v + z * n, out + z * n, n, lo, hi, inside);
      addProgress(progress);
    });
  }
}

// The flood fill of region growing over a byte state (0 = closed, 1 = open, 2 = filled): every
// open voxel connected (6 or 26) to a start is filled. A row span {y, z, x0, x1} asks for a scan of
// row (y, z) over x0..x1; each open stretch found is filled whole and asks for the rows around it.
struct RowSpan {
  int32_t y, z, x0, x1;
};

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
  const int32_t nx = static_cast<int32_t>(d.nx), ny = static_cast<int32_t>(d.ny),
                nz = static_cast<int32_t>(d.nz);
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

}  // namespace

Result<VolumePtr> threshold(const Volume& vol, double lo, double hi, int64_t t, Progress* progress) try {
  CVX_TRY(seginputs::intensity(vol, t));
  CVX_TRY(seginputs::bounds(lo, hi));
  auto out = makeMask(vol);
  if (!out.ok()) return out.error();
  const Dims d = dimsOf(vol);
  addTotal(progress, d.nz);
  uint8_t* o = (*out)->as<uint8_t>();
  CVX_TRY(withTyped(vol, t, [&](const auto* v) { return rangePass(v, d, lo, hi, 1, o, progress); }));
  return out;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

Result<VolumePtr> connectedThreshold(const Volume& vol, const std::vector<Index3>& seeds, double lo,
                                     double hi, int connectivity, int64_t t, Progress* progress) try {
  CVX_TRY(seginputs::intensity(vol, t));
  CVX_TRY(seginputs::bounds(lo, hi));
  CVX_TRY(seginputs::connectivity(connectivity));
  const Dims d = dimsOf(vol);
  for (const Index3& s : seeds)
    if (!d.contains(s))
      return makeError("seg.bad_seed", "seed (" + std::to_string(s.x) + ", " + std::to_string(s.y) + ", " +
                                           std::to_string(s.z) + ") is outside the volume");
  if (d.nx > INT32_MAX / 2 || d.ny > INT32_MAX || d.nz > INT32_MAX)
    return makeError("seg.bad_seed", "the volume is too large for region growing");
  std::vector<RowSpan> starts;
  for (const Index3& s : seeds)
    starts.push_back({static_cast<int32_t>(s.y), static_cast<int32_t>(s.z), static_cast<int32_t>(s.x),
                      static_cast<int32_t>(s.x)});
  // The in-range voxels are open (1), the others closed (0); the fill marks the region 2, then
  // a last pass keeps it. Its cost follows the region, not the volume (unlike components).
  auto out = makeMask(vol);
  if (!out.ok()) return out.error();
  addTotal(progress, 2 * d.nz + 1);
  uint8_t* o = (*out)->as<uint8_t>();
  CVX_TRY(withTyped(vol, t, [&](const auto* v) { return rangePass(v, d, lo, hi, 1, o, progress); }));
  CVX_TRY(floodFill(o, d, std::move(starts), connectivity, progress));
  addProgress(progress);
  const int64_t n = d.slice();
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    equalsSlice(o + z * n, n, 2);
    addProgress(progress);
  }));
  return out;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

Result<VolumePtr> fillHoles(const Volume& mask, int connectivity, Progress* progress) try {
  // The background's components; those with a voxel on the border of the volume stay background.
  auto rl = labelMaskRuns(mask, connectivity, true, progress);
  if (!rl.ok()) return rl.error();
  const Dims d = dimsOf(mask);
  std::vector<uint8_t> outside(rl->voxels.size(), 0);
  for (int64_t z = 0; z < d.nz; ++z)
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      const bool borderRow = z == 0 || z == d.nz - 1 || y == 0 || y == d.ny - 1;
      for (int64_t i = rl->rowStart[r]; i < rl->rowStart[r + 1]; ++i)
        if (borderRow || rl->runs[i].x0 == 0 || rl->runs[i].x1 == d.nx - 1) outside[rl->label[i]] = 1;
    }
  return maskOfRuns(mask, *rl, outside, true, progress);
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace cvx::seg
