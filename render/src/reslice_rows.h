// SPDX-License-Identifier: MIT
// The CPU reslice loop over one row (private to render). Each row is split into
//   [0, g0)  and  (g1, w): no sample can be inside (a bound with a 2-pixel margin): NaN;
//   [g0, a0) and  (a1, g1]: the edges, where hd::reslicePixel itself runs, with its checks;
//   [a0, a1]: every sample is inside, proven by the exact check at both ends (the inside set of a
//             row is an interval): the same samples and the same reduction without the checks.
// Two fast paths set up the weights that do not change once, and skip a lerp whose weight is 0
// (lerp(a, b, 0) is a, bit for bit):
// - Rows: du along one grid axis A only (axial, coronal and sagittal views of a stack, and
//   obliques tilted about A), dn without A or a thin slice: the other two indices of every sample
//   are constant along a row, so only A is worked out per pixel (a thin axial slice through slice
//   centres is two loads and a lerp).
// - Slices: k constant over the image, dn along k (a rotated axial view): k once per image.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <cvx/core/hd/reslice.h>

#include <cvx/render/simd.h>

#include "flatten.h"
#include "reslice_avx2.h"
#include "reslice_lanes.h"
#include "reslice_runs.h"

namespace cvx::render::detail {

// Pixels [x0, x1] of a row (x0 > x1: none).
struct Span {
  int x0 = 0, x1 = -1;
};

// Pixels x in [0, w) with lo[a] <= base[a] + d[a] * x <= hi[a] on every axis, in double: an
// estimate of the float computation, to be widened or checked by the caller.
inline Span solveSpan(hd::Vec3f base, hd::Vec3f d, const double lo[3], const double hi[3], int w) {
  double x0 = 0, x1 = w - 1;
  const float b[3] = {base.x, base.y, base.z}, s[3] = {d.x, d.y, d.z};
  for (int a = 0; a < 3; ++a) {
    if (s[a] == 0) {
      if (b[a] < lo[a] || b[a] > hi[a]) return {};
      continue;
    }
    double ta = (lo[a] - b[a]) / s[a], tb = (hi[a] - b[a]) / s[a];
    if (ta > tb) std::swap(ta, tb);
    x0 = std::max(x0, std::ceil(ta));
    x1 = std::min(x1, std::floor(tb));
  }
  if (!(x0 <= x1)) return {};
  return {static_cast<int>(x0), static_cast<int>(x1)};
}

enum class Path { General, Slices, Rows };

// Per-image set-up shared by all rows.
struct Plan {
  hd::ResliceParams p;
  hd::GridDims dims;
  int width = 0, n = 1;
  std::vector<float> t;  // slab offsets hd::slabOffset(s, n)
  Path path = Path::General;
  bool avx2 = false;  // simdLevel() at the start of the image
  int rowAxis = 0;  // Rows: the axis A that du runs along
  std::vector<hd::AxisLerp> kept;  // Slices: k lookups of the samples inside along k, in order
  double anyLo[3], anyHi[3], allLo[3], allHi[3];
};

inline Plan makePlan(const hd::ResliceParams& p, hd::GridDims dims, int width) {
  Plan plan;
  plan.p = p;
  plan.dims = dims;
  plan.width = width;
  plan.n = hd::slabCount(p);
  plan.avx2 = simdLevel() == Simd::Avx2;
  for (int s = 0; s < plan.n; ++s) plan.t.push_back(hd::slabOffset(s, plan.n));
  const float du[3] = {p.du.x, p.du.y, p.du.z}, dn3[3] = {p.dn.x, p.dn.y, p.dn.z};
  for (int a = 0; a < 3; ++a) {
    if (du[(a + 1) % 3] == 0 && du[(a + 2) % 3] == 0 && (plan.n == 1 || dn3[a] == 0)) {
      plan.path = Path::Rows;
      plan.rowAxis = a;
      break;
    }
  }
  if (plan.path != Path::Rows && p.du.z == 0 && p.dv.z == 0 && (plan.n == 1 || (p.dn.x == 0 && p.dn.y == 0))) {
    plan.path = Path::Slices;
    // resliceCentre's z is origin.z + 0 + 0 for every pixel; a sample's z is that + dn.z * t.
    const float cz = hd::resliceCentre(p, 0, 0).z;
    for (int s = 0; s < plan.n; ++s) {
      const float z = cz + p.dn.z * plan.t[s];
      if (hd::insideAxis(z, dims.nz)) plan.kept.push_back(hd::axisLerp(z, dims.nz));
    }
  }
  const double half = 0.5 * (plan.n - 1);
  const float dn[3] = {p.dn.x, p.dn.y, p.dn.z};
  const int nd[3] = {dims.nx, dims.ny, dims.nz};
  for (int a = 0; a < 3; ++a) {
    const double reach = std::fabs(static_cast<double>(dn[a])) * half;
    plan.anyLo[a] = -0.5 - reach - 1e-3;
    plan.anyHi[a] = nd[a] - 0.5 + reach + 1e-3;
    plan.allLo[a] = -0.5 + reach;
    plan.allHi[a] = nd[a] - 0.5 - reach;
    // Axes the path settles itself (per image or per row) need no test along the row.
    if ((plan.path == Path::Slices && a == 2) || (plan.path == Path::Rows && a != plan.rowAxis)) {
      plan.allLo[a] = plan.anyLo[a] = -1e30;
      plan.allHi[a] = plan.anyHi[a] = 1e30;
    }
  }
  return plan;
}

inline float axisOf(hd::Vec3f v, int a) { return a == 0 ? v.x : (a == 1 ? v.y : v.z); }
inline int axisOf(hd::GridDims d, int a) { return a == 0 ? d.nx : (a == 1 ? d.ny : d.nz); }

// True when every sample of pixel x that the fast path takes is inside (the exact float test).
template <class Sampler>
bool fastOk(const Plan& plan, const Sampler& s, hd::Vec3f base, int x) {
  const hd::Vec3f c = base + plan.p.du * static_cast<float>(x);
  if (plan.path == Path::Rows) return hd::insideAxis(axisOf(c, plan.rowAxis), axisOf(plan.dims, plan.rowAxis));
  if (plan.path == Path::Slices) return hd::insideAxis(c.x, plan.dims.nx) && hd::insideAxis(c.y, plan.dims.ny);
  for (int k = 0; k < plan.n; ++k)
    if (!s.inside(c + plan.p.dn * plan.t[k])) return false;
  return true;
}

// Fast span [a0, a1] within the margin span g: estimated, widened by a pixel, then shrunk until
// both ends pass the exact test (pixels it leaves out go to the checked path, still exact).
template <class Sampler>
Span fastSpan(const Plan& plan, const Sampler& s, hd::Vec3f base, Span g) {
  Span a = solveSpan(base, plan.p.du, plan.allLo, plan.allHi, plan.width);
  if (a.x0 > a.x1 || (plan.path == Path::Slices && plan.kept.empty())) return {};
  a.x0 = std::max(a.x0 - 1, g.x0);
  a.x1 = std::min(a.x1 + 1, g.x1);
  while (a.x0 <= a.x1 && !fastOk(plan, s, base, a.x0)) ++a.x0;
  while (a.x1 >= a.x0 && !fastOk(plan, s, base, a.x1)) --a.x1;
  return a;
}

// Rows: one slab sample's set-up for a whole row: b holds the two fixed axes' lower indices; o and f
// their offsets to the upper neighbours and weights (A's entries are filled per pixel).
template <class T>
struct RowSample {
  const T* b;
  int64_t o[3];
  float f[3];
};

// hd::GridSampler::sampleAt: the same lerps in the same order (i, then j, then k). kX / kY / kZ
// false skip that axis' lerps, exact when its weight is 0 (lerp(a, b, 0) is a, bit for bit).
template <bool kX, bool kY, bool kZ, class T>
float sampleSkipping(const T* b, const int64_t o[3], const float f[3], float slope, float intercept) {
  auto alongI = [&](const T* q) {
    if constexpr (kX) return hd::lerp(hd::loadVoxel(q), hd::loadVoxel(q + o[0]), f[0]);
    else return hd::loadVoxel(q);
  };
  auto bilinear = [&](const T* q) {
    if constexpr (kY) return hd::lerp(alongI(q), alongI(q + o[1]), f[1]);
    else return alongI(q);
  };
  if constexpr (kZ) return hd::lerp(bilinear(b), bilinear(b + o[2]), f[2]) * slope + intercept;
  else return bilinear(b) * slope + intercept;
}

// hd::SlabAccumulator's result for one finite sample v (integer voxels are never NaN): v itself for
// MIP and MinIP, (0 + v) / 1 for the mean (which turns a -0 into +0, as the accumulator does).
inline float thinResult(float v, hd::SlabMode mode) { return mode == hd::SlabMode::Mean ? (0.0f + v) / 1.0f : v; }

// Rows: the samples are neighbours along i (b steps by +-1, in order) with the same fixed-axis
// offsets and weights: one run of voxels per pixel.
template <class T>
bool isRun(const std::vector<RowSample<T>>& rows) {
  const RowSample<T>& r0 = rows.front();
  const int64_t dir = rows.size() > 1 && rows[1].b < r0.b ? -1 : 1;
  for (size_t k = 1; k < rows.size(); ++k) {
    const RowSample<T>& r = rows[k];
    if (r.b != r0.b + dir * static_cast<int64_t>(k) || r.o[0] != r0.o[0] || r.o[2] != r0.o[2] || r.f[0] != 0.0f ||
        r.f[2] != r0.f[2])
      return false;
  }
  return r0.f[0] == 0.0f;
}

// Rows: pixels [x0, x1], every sample inside. Only axis A is worked out per pixel; kP / kQ say
// whether any sample of the row has a weight on the first / second fixed axis.
// flatten: g++ does not always inline CVX_HD_INLINE (plain `inline` on the host) in these loops.
template <int A, bool kP, bool kQ, class T>
CVX_FLATTEN void rowsPixels(const Plan& plan, const hd::GridSampler<T>& s, hd::Vec3f base, int x0, int x1,
                            const std::vector<RowSample<T>>& rows, float* row) {
  constexpr bool kX = A == 0 || kP, kY = A == 1 || (A == 0 ? kP : kQ), kZ = A == 2 || kQ;
  const float b0 = axisOf(base, A), d = axisOf(plan.p.du, A);  // c[A] of resliceCentre
  const int n = axisOf(plan.dims, A);
  const int64_t stride = A == 0 ? 1 : (A == 1 ? s.sy : s.sz);
  const hd::SlabMode mode = plan.p.mode;
  const RowSample<T>* r0 = rows.data();
  const size_t count = rows.size();
  if constexpr (A == 1 && !kP && kRunVoxel<T>) {
    if (mode != hd::SlabMode::Mean && count >= 4 && isRun(rows)) {
      // The slab runs along i: every pixel's samples are one run of voxels (reslice_runs.h).
      const int dir = r0[count - 1].b > r0[0].b ? 1 : -1;
      const T* lowest = dir > 0 ? r0[0].b : r0[count - 1].b;
      const int64_t o2 = r0[0].o[2];
      const float f2 = r0[0].f[2];
      for (int x = x0; x <= x1; ++x) {
        const hd::AxisLerp a = hd::axisLerp(b0 + d * static_cast<float>(x), n);
        const int64_t off = a.i * stride, step = a.step * stride;
        row[x] = mode == hd::SlabMode::Mip
                     ? runExtreme<kQ, true>(lowest + off, int(count), r0[0].b + off, dir, step, o2, a.f, f2, s.slope,
                                            s.intercept)
                     : runExtreme<kQ, false>(lowest + off, int(count), r0[0].b + off, dir, step, o2, a.f, f2,
                                             s.slope, s.intercept);
      }
      return;
    }
  }
  if constexpr (kRunVoxel<T>) {
    if (count == 1) {  // a thin slice: one sample, no reduction (thinResult)
      const RowSample<T>& r = r0[0];
      int x = x0;
#if CVX_AVX2_KERNELS
      if constexpr (A == 0 && kPairVoxel<T>) {
        if (plan.avx2 && n >= 2)
          x = rowsThin8<kY, kZ>(r.b, r.o, r.f, b0, d, n, s.slope, s.intercept, mode, x0, x1, row);
      }
#endif
      for (; x <= x1; ++x) {
        const hd::AxisLerp a = hd::axisLerp(b0 + d * static_cast<float>(x), n);
        const int64_t step = a.step * stride;
        const int64_t o[3] = {A == 0 ? step : r.o[0], A == 1 ? step : r.o[1], A == 2 ? step : r.o[2]};
        const float f[3] = {A == 0 ? a.f : r.f[0], A == 1 ? a.f : r.f[1], A == 2 ? a.f : r.f[2]};
        row[x] = thinResult(sampleSkipping<kX, kY, kZ>(r.b + a.i * stride, o, f, s.slope, s.intercept), mode);
      }
      return;
    }
  }
  for (int x = x0; x <= x1; ++x) {
    const hd::AxisLerp a = hd::axisLerp(b0 + d * static_cast<float>(x), n);
    const int64_t off = a.i * stride, step = a.step * stride;
    hd::SlabAccumulator acc;
    for (size_t k = 0; k < count; ++k) {
      const RowSample<T>& r = r0[k];
      const int64_t o[3] = {A == 0 ? step : r.o[0], A == 1 ? step : r.o[1], A == 2 ? step : r.o[2]};
      const float f[3] = {A == 0 ? a.f : r.f[0], A == 1 ? a.f : r.f[1], A == 2 ? a.f : r.f[2]};
      acc.add(sampleSkipping<kX, kY, kZ>(r.b + off, o, f, s.slope, s.intercept));
    }
    row[x] = acc.result(mode);
  }
}

template <int A, class T>
void rowsDispatch(const Plan& plan, const hd::GridSampler<T>& s, hd::Vec3f base, int x0, int x1,
                  const std::vector<RowSample<T>>& rows, float* row) {
  constexpr int P = A == 0 ? 1 : 0, Q = A == 2 ? 1 : 2;
  bool p = false, q = false;
  for (const RowSample<T>& r : rows) {
    p = p || r.f[P] != 0.0f;
    q = q || r.f[Q] != 0.0f;
  }
  if (p && q) return rowsPixels<A, true, true>(plan, s, base, x0, x1, rows, row);
  if (p) return rowsPixels<A, true, false>(plan, s, base, x0, x1, rows, row);
  if (q) return rowsPixels<A, false, true>(plan, s, base, x0, x1, rows, row);
  return rowsPixels<A, false, false>(plan, s, base, x0, x1, rows, row);
}

// Rows: the row's samples that are inside along the two fixed axes (the only ones any pixel can use).
template <class T>
void rowSamples(const Plan& plan, const hd::GridSampler<T>& s, hd::Vec3f base, std::vector<RowSample<T>>& out) {
  out.clear();
  const int64_t stride[3] = {1, s.sy, s.sz};
  for (int k = 0; k < plan.n; ++k) {
    const hd::Vec3f q = base + plan.p.dn * plan.t[k];  // the fixed indices of every pixel's sample k
    RowSample<T> r{s.data, {0, 0, 0}, {0, 0, 0}};
    bool inside = true;
    for (int a = 0; a < 3; ++a) {
      if (a == plan.rowAxis) continue;
      const float c = axisOf(q, a);
      const int n = axisOf(s.dims, a);
      inside = inside && hd::insideAxis(c, n);
      const hd::AxisLerp l = hd::axisLerp(c, n);
      r.b += l.i * stride[a];
      r.o[a] = l.step * stride[a];
      r.f[a] = l.f;
    }
    if (inside) out.push_back(r);
  }
}

// The fast path over pixels [x0, x1] of a row: every sample it takes is known to be inside.
template <class T>
CVX_FLATTEN void fastPixels(const Plan& plan, const hd::GridSampler<T>& s, hd::Vec3f base, int x0, int x1,
                            const std::vector<RowSample<T>>& rows, float* row) {
  const hd::ResliceParams& p = plan.p;
  if (plan.path == Path::Rows) {
    if (plan.rowAxis == 0) return rowsDispatch<0>(plan, s, base, x0, x1, rows, row);
    if (plan.rowAxis == 1) return rowsDispatch<1>(plan, s, base, x0, x1, rows, row);
    return rowsDispatch<2>(plan, s, base, x0, x1, rows, row);
  }
  if constexpr (kRunVoxel<T>) {
    if (plan.path == Path::General) {
#if CVX_AVX2_KERNELS
      if constexpr (kPairVoxel<T>) {
        if (plan.avx2 && avx2Fits(s)) x0 = lanesPixels8(p, s, plan.t.data(), plan.n, base, x0, x1, row);
      }
#endif
      x0 = lanesPixels(p, s, plan.t.data(), plan.n, base, x0, x1, row);
    }
  }
  for (int x = x0; x <= x1; ++x) {
    const hd::Vec3f c = base + p.du * static_cast<float>(x);
    hd::SlabAccumulator acc;
    if (plan.path == Path::Slices) {
      const hd::AxisLerp ax = hd::axisLerp(c.x, plan.dims.nx), ay = hd::axisLerp(c.y, plan.dims.ny);
      const T* b = s.data + (ax.i + ay.i * s.sy);
      for (const hd::AxisLerp& az : plan.kept) {
        if (az.f == 0.0f)
          acc.add(hd::bilinear(b + az.i * s.sz, s.sy, ax, ay) * s.slope + s.intercept);
        else
          acc.add(s.sampleAt(ax, ay, az));
      }
    } else if (kRunVoxel<T> && plan.n == 1) {
      row[x] = thinResult(s.sample(c + p.dn * plan.t[0]), p.mode);
      continue;
    } else {
      for (int k = 0; k < plan.n; ++k) acc.add(s.sample(c + p.dn * plan.t[k]));
    }
    row[x] = acc.result(p.mode);
  }
}

// row[x0, x1) = NaN, four at a time (g++ -O2 leaves the plain loop scalar); returns x1.
inline int fillNaN(float* row, int x0, int x1) {
  const F4 nan = splat(hd::quietNaN());
  for (; x0 + 4 <= x1; x0 += 4) std::memcpy(row + x0, &nan, sizeof nan);
  for (; x0 < x1; ++x0) row[x0] = nan[0];
  return x1;
}

// One row; `scratch` is the calling thread's, reused from row to row.
template <class T>
void resliceRow(const Plan& plan, const hd::GridSampler<T>& s, int y, float* row,
                std::vector<RowSample<T>>& scratch) {
  const hd::ResliceParams& p = plan.p;
  const hd::Vec3f base = p.origin + p.dv * static_cast<float>(y);  // as hd::resliceCentre
  const int w = plan.width;
  if (plan.path == Path::Rows) {
    rowSamples(plan, s, base, scratch);
    if (scratch.empty()) {  // no sample of this row is inside along j and k
      fillNaN(row, 0, w);
      return;
    }
  }
  Span g = solveSpan(base, p.du, plan.anyLo, plan.anyHi, w);
  if (g.x0 <= g.x1) {
    g.x0 = std::max(g.x0 - 2, 0);
    g.x1 = std::min(g.x1 + 2, w - 1);
  }
  const Span a = fastSpan(plan, s, base, g);
  int x = 0;
  x = fillNaN(row, x, std::min(g.x0, w));
  if (g.x0 <= g.x1) {
    const int fastEnd = a.x0 <= a.x1 ? a.x0 : g.x1 + 1;
    for (; x < fastEnd; ++x) row[x] = hd::reslicePixel(p, s, x, y);
    if (a.x0 <= a.x1) {
      fastPixels(plan, s, base, a.x0, a.x1, scratch, row);
      x = a.x1 + 1;
    }
    for (; x <= g.x1; ++x) row[x] = hd::reslicePixel(p, s, x, y);
  }
  fillNaN(row, x, w);
}

}  // namespace cvx::render::detail
