// SPDX-License-Identifier: MIT
// MPR reslicing for CPU and GPU alike: one output pixel of a thin or thick (MIP/MinIP/mean) slice.
#pragma once
#include <cstdint>
#include <type_traits>

#include <cvx/core/hd/config.h>
#include <cvx/core/hd/math.h>

namespace cvx::hd {

// The rules (docs/rendering.md):
// - Coordinates are continuous voxel indices: voxel (i,j,k)'s centre is at (i,j,k), so the centres
//   of a grid of n voxels along an axis span [0, n-1]. The host turns a plane in patient space into
//   these (cvx::resliceParams), which makes anisotropic, oblique and sheared grids all alike here.
// - Output pixel (x,y)'s centre is c = origin + dv*y + du*x (evaluated in that order). Slab sample s
//   of n is at c + dn*t with t = s - (n-1)/2, s = 0..n-1: centred on the plane, n = 1 is thin.
// - A point is inside when every coordinate lies in [-0.5, dim-0.5] (the voxels' own extent). An
//   inside point within half a voxel of the edge takes the edge value (coordinates are clamped to
//   [0, dim-1] before trilinear interpolation); a point further out is outside. NaN is outside.
// - Outside samples are ignored: MIP is the largest inside sample, MinIP the smallest, Mean their
//   average. A pixel with no inside sample is NaN (background: drawn as nothing).

enum class SlabMode : int { Mip = 0, MinIp = 1, Mean = 2 };

struct ResliceParams {
  Vec3f origin;  // continuous voxel index of output pixel (0,0)'s centre, on the slab's central plane
  Vec3f du, dv;  // voxel-index step per output pixel right / down
  Vec3f dn;      // voxel-index step between slab samples
  int slabSamples = 1;  // samples at t = -(n-1)/2 .. (n-1)/2; values below 1 mean 1
  SlabMode mode = SlabMode::Mip;
};
static_assert(std::is_trivially_copyable_v<ResliceParams>);

CVX_HD_INLINE float quietNaN() { return __builtin_nanf(""); }

// Centre of output pixel (x, y) on the central plane.
CVX_HD_INLINE Vec3f resliceCentre(const ResliceParams& p, int x, int y) {
  return (p.origin + p.dv * static_cast<float>(y)) + p.du * static_cast<float>(x);
}
CVX_HD_INLINE int slabCount(const ResliceParams& p) { return p.slabSamples < 1 ? 1 : p.slabSamples; }
// Offset t of sample s of n along dn.
CVX_HD_INLINE float slabOffset(int s, int n) { return static_cast<float>(s) - 0.5f * static_cast<float>(n - 1); }

// Grid size in voxels along i, j, k.
struct GridDims {
  int nx = 0, ny = 0, nz = 0;
};
CVX_HD_INLINE bool insideAxis(float c, int n) { return c >= -0.5f && c <= static_cast<float>(n) - 0.5f; }
CVX_HD_INLINE bool insideGrid(Vec3f p, GridDims d) {
  return insideAxis(p.x, d.nx) && insideAxis(p.y, d.ny) && insideAxis(p.z, d.nz);
}

// One axis of a trilinear lookup: index i of the lower neighbour, offset to the upper one (0 for a
// one-voxel axis) and weight f of the upper one. c is clamped to [0, n-1] first (the half-voxel rim).
struct AxisLerp {
  int i = 0, step = 0;
  float f = 0;
};
CVX_HD_INLINE AxisLerp axisLerp(float c, int n) {
  const float hi = static_cast<float>(n - 1);
  c = c > 0.0f ? c : 0.0f;
  c = c < hi ? c : hi;
  const int last = n > 1 ? n - 2 : 0;
  int i = static_cast<int>(c);
  i = i < last ? i : last;
  return {i, n > 1 ? 1 : 0, c - static_cast<float>(i)};
}
CVX_HD_INLINE float lerp(float a, float b, float f) { return a + f * (b - a); }

// Voxel types: scalars read as themselves; RGB (interleaved channels) as Rec. 601 luminance, which
// is linear, so interpolating luminance equals the luminance of the interpolated colour.
template <class C>
struct Rgb {
  C c[3];
};
template <class T>
CVX_HD_INLINE float loadVoxel(const T* p) {
#if CVX_DEVICE_CODE
  return static_cast<float>(__ldg(p));  // the read-only data path: voxels never change in a kernel
#else
  return static_cast<float>(*p);
#endif
}
template <class C>
CVX_HD_INLINE float loadVoxel(const Rgb<C>* p) {
  return 0.299f * static_cast<float>(p->c[0]) + 0.587f * static_cast<float>(p->c[1]) +
         0.114f * static_cast<float>(p->c[2]);
}

// Bilinear in x then y on the slice that starts at b (row stride sy, in voxels).
template <class T>
CVX_HD_INLINE float bilinear(const T* b, int64_t sy, AxisLerp ax, AxisLerp ay) {
  const int64_t ox = ax.step, oy = ay.step * sy;
  const float v0 = lerp(loadVoxel(b), loadVoxel(b + ox), ax.f);
  const float v1 = lerp(loadVoxel(b + oy), loadVoxel(b + oy + ox), ax.f);
  return lerp(v0, v1, ay.f);
}

// Samples one phase held in memory (host or device), x fastest, then y, z. Returns modality values:
// stored * slope + intercept (applied per sample, so MIP stays right for a negative slope).
template <class T>
struct GridSampler {
  const T* data = nullptr;
  GridDims dims;
  int64_t sy = 0, sz = 0;  // strides in voxels: nx, nx*ny
  float slope = 1.0f, intercept = 0.0f;

  CVX_HD_INLINE bool inside(Vec3f p) const { return insideGrid(p, dims); }
  // Trilinear at p, clamped to [0, dim-1]; call only where inside(p).
  CVX_HD_INLINE float sample(Vec3f p) const {
    return sampleAt(axisLerp(p.x, dims.nx), axisLerp(p.y, dims.ny), axisLerp(p.z, dims.nz));
  }
  CVX_HD_INLINE float sampleAt(AxisLerp ax, AxisLerp ay, AxisLerp az) const {
    const T* b = data + (ax.i + ay.i * sy + az.i * sz);
    const float lo = bilinear(b, sy, ax, ay);
    const float hi = bilinear(b + az.step * sz, sy, ax, ay);
    return lerp(lo, hi, az.f) * slope + intercept;
  }
  // The gradient at p in modality units per voxel (voxel-index axes): the trilinear interpolation,
  // with sample(p)'s weights, of per-voxel central differences (v[i+1] - v[i-1]) / 2 whose
  // neighbours are clamped to the grid. Inside, that equals central differences of the trilinear
  // field itself, (sample(p + e) - sample(p - e)) / 2, from 32 voxels instead of 48 (the hd
  // ray caster's shading gradient).
  CVX_HD_INLINE Vec3f gradient(Vec3f p) const {
    const AxisLerp ax = axisLerp(p.x, dims.nx), ay = axisLerp(p.y, dims.ny), az = axisLerp(p.z, dims.nz);
    const T* b = data + (ax.i + ay.i * sy + az.i * sz);
    // Along each axis: the lower neighbour of the lower voxel, the upper voxel, and its upper neighbour.
    const int64_t xm = ax.i > 0 ? -1 : 0, x1 = ax.step, x2 = ax.i + 2 < dims.nx ? 2 : x1;
    const int64_t ym = ay.i > 0 ? -sy : 0, y1 = ay.step * sy, y2 = ay.i + 2 < dims.ny ? 2 * sy : y1;
    const int64_t zm = az.i > 0 ? -sz : 0, z1 = az.step * sz, z2 = az.i + 2 < dims.nz ? 2 * sz : z1;
    // Differences along an axis (m, 1, 2 offsets) at the lower and upper voxel from corner c, interpolated.
    auto diff = [&](int64_t c, int64_t m, int64_t u1, int64_t u2, float f) {
      return lerp(loadVoxel(b + c + u1) - loadVoxel(b + c + m), loadVoxel(b + c + u2) - loadVoxel(b + c), f);
    };
    const float gx = lerp(lerp(diff(0, xm, x1, x2, ax.f), diff(y1, xm, x1, x2, ax.f), ay.f),
                          lerp(diff(z1, xm, x1, x2, ax.f), diff(y1 + z1, xm, x1, x2, ax.f), ay.f), az.f);
    const float gy = lerp(lerp(diff(0, ym, y1, y2, ay.f), diff(x1, ym, y1, y2, ay.f), ax.f),
                          lerp(diff(z1, ym, y1, y2, ay.f), diff(x1 + z1, ym, y1, y2, ay.f), ax.f), az.f);
    const float gz = lerp(lerp(diff(0, zm, z1, z2, az.f), diff(x1, zm, z1, z2, az.f), ax.f),
                          lerp(diff(y1, zm, z1, z2, az.f), diff(x1 + y1, zm, z1, z2, az.f), ax.f), ay.f);
    const float k = 0.5f * slope;
    return {gx * k, gy * k, gz * k};
  }
};

// Combines a pixel's samples; all three reductions are kept so that adding a sample has no branch.
struct SlabAccumulator {
  float hi = -__builtin_inff(), lo = __builtin_inff(), sum = 0;
  int count = 0;
  CVX_HD_INLINE void add(float v) {
    hi = v > hi ? v : hi;
    lo = v < lo ? v : lo;
    sum += v;
    ++count;
  }
  CVX_HD_INLINE float result(SlabMode mode) const {
    if (count == 0) return quietNaN();
    switch (mode) {
      case SlabMode::Mip: return hi;
      case SlabMode::MinIp: return lo;
      case SlabMode::Mean: return sum / static_cast<float>(count);
    }
    return quietNaN();
  }
};

// The reference: output pixel (x, y). Sampler: bool inside(Vec3f) and float sample(Vec3f), the
// modality value at a continuous voxel index (called only where inside).
template <class Sampler>
CVX_HD_INLINE float reslicePixel(const ResliceParams& p, const Sampler& sampler, int x, int y) {
  const Vec3f c = resliceCentre(p, x, y);
  const int n = slabCount(p);
  SlabAccumulator acc;
  for (int s = 0; s < n; ++s) {
    const Vec3f q = c + p.dn * slabOffset(s, n);
    if (sampler.inside(q)) acc.add(sampler.sample(q));
  }
  return acc.result(p.mode);
}

}  // namespace cvx::hd
