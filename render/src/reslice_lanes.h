// SPDX-License-Identifier: MIT
// The general (oblique) fast path four pixels at a time: the coordinates, the axis lookups, the
// lerps and the slab reduction of four neighbouring pixels of a row run in the lanes of one SSE
// register (GCC vector extensions), each lane with the very operations of hd::reslicePixel in the
// same order (no reassociation, no fused multiply-add on the x86-64 baseline), so every pixel is
// bit for bit the reference's; only the eight voxel loads of a sample stay scalar. Integer voxels
// only (loads convert exactly; a vector compare orders NaN as the scalar one does, but RGB and float
// stay on the scalar path, which is simpler to keep the reference).
#pragma once
#include <cstdint>

#include <cvx/core/hd/reslice.h>

#include "reslice_runs.h"

namespace cvx::render::detail {

using I4 = int32_t __attribute__((vector_size(16)));

// hd::axisLerp on four coordinates: lower index i and weight f (the step is the axis' own).
struct AxisLerp4 {
  I4 i;
  F4 f;
};
inline AxisLerp4 axisLerp4(F4 c, int n) {
  const float hi = static_cast<float>(n - 1);
  c = c > 0.0f ? c : splat(0.0f);
  c = c < hi ? c : splat(hi);
  const int last = n > 1 ? n - 2 : 0;
  I4 i = __builtin_convertvector(c, I4);  // truncation, as static_cast<int>
  i = i < last ? i : I4{last, last, last, last};
  return {i, c - __builtin_convertvector(i, F4)};
}

inline F4 lerp4(F4 a, F4 b, F4 f) { return a + f * (b - a); }

// Pixels [x0, x1] of a row (every sample inside), four at a time; returns the first pixel it left
// to the scalar loop (fewer than four remain).
template <class T>
int lanesPixels(const hd::ResliceParams& p, const hd::GridSampler<T>& s, const float* t, int n, hd::Vec3f base,
                int x0, int x1, float* row) {
  const hd::GridDims d = s.dims;
  const int64_t ox = d.nx > 1 ? 1 : 0, oy = (d.ny > 1 ? 1 : 0) * s.sy, oz = (d.nz > 1 ? 1 : 0) * s.sz;
  const F4 slope = splat(s.slope), intercept = splat(s.intercept);
  int x = x0;
  for (; x + 3 <= x1; x += 4) {
    const float xf0 = static_cast<float>(x), xf1 = static_cast<float>(x + 1), xf2 = static_cast<float>(x + 2),
                xf3 = static_cast<float>(x + 3);
    const F4 xf = {xf0, xf1, xf2, xf3};
    // resliceCentre: base + du * x, per coordinate.
    const F4 cx = base.x + p.du.x * xf, cy = base.y + p.du.y * xf, cz = base.z + p.du.z * xf;
    F4 hi = splat(-__builtin_inff()), lo = splat(__builtin_inff()), sum = splat(0.0f);
    for (int k = 0; k < n; ++k) {
      // c + dn * t: the scalar product dn * t once, added per lane.
      const AxisLerp4 ax = axisLerp4(cx + p.dn.x * t[k], d.nx), ay = axisLerp4(cy + p.dn.y * t[k], d.ny),
                      az = axisLerp4(cz + p.dn.z * t[k], d.nz);
      // Two groups ahead, as lanesPixels8 (reslice_avx2.h): the first and last lane's lines.
      for (int l : {0, 3}) {
        const float ax8 = (cx[l] + p.du.x * 8.0f) + p.dn.x * t[k], ay8 = (cy[l] + p.du.y * 8.0f) + p.dn.y * t[k],
                    az8 = (cz[l] + p.du.z * 8.0f) + p.dn.z * t[k];
        const int64_t i = static_cast<int64_t>(ax8) + static_cast<int64_t>(ay8) * s.sy + static_cast<int64_t>(az8) * s.sz;
        prefetchCorners(s.data, i, oy, oz);
      }
      int32_t v[8][4];
      for (int l = 0; l < 4; ++l) {
        const T* b = s.data + (ax.i[l] + ay.i[l] * s.sy + az.i[l] * s.sz);
        v[0][l] = b[0], v[1][l] = b[ox], v[2][l] = b[oy], v[3][l] = b[oy + ox];
        b += oz;
        v[4][l] = b[0], v[5][l] = b[ox], v[6][l] = b[oy], v[7][l] = b[oy + ox];
      }
      F4 f[8];
      for (int c = 0; c < 8; ++c) f[c] = __builtin_convertvector((I4{v[c][0], v[c][1], v[c][2], v[c][3]}), F4);
      const F4 below = lerp4(lerp4(f[0], f[1], ax.f), lerp4(f[2], f[3], ax.f), ay.f);
      const F4 above = lerp4(lerp4(f[4], f[5], ax.f), lerp4(f[6], f[7], ax.f), ay.f);
      const F4 value = lerp4(below, above, az.f) * slope + intercept;
      // hd::SlabAccumulator::add, lane by lane.
      hi = value > hi ? value : hi;
      lo = value < lo ? value : lo;
      sum += value;
    }
    const F4 r = p.mode == hd::SlabMode::Mip ? hi : (p.mode == hd::SlabMode::MinIp ? lo : sum / static_cast<float>(n));
    row[x] = r[0], row[x + 1] = r[1], row[x + 2] = r[2], row[x + 3] = r[3];
  }
  return x;
}

}  // namespace cvx::render::detail
