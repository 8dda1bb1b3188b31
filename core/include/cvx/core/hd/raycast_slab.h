// SPDX-License-Identifier: MIT
// Casting a volume that does not fit in memory (out of core): the volume is cut into slabs along
// its third voxel axis, each resident in turn with an apron, and every ray is cast in spans of
// samples, one span per slab, its RayState carried from slab to slab (raycast_shade.h).
//
// The rules:
// - Slab i owns the positions whose third voxel index z lies in [zLo_i, zHi_i): the first slab's zLo
//   is -inf and the last slab's zHi +inf, so every sample is owned by exactly one slab. Sample k of a
//   ray is owned by the slab holding z_k = o.z + d.z * t_k, computed as the samplers compute it.
// - z_k is monotone in k (every float operation in it is), so a ray's samples in a slab are one
//   range of k, found by slabSpan, and a ray meets the slabs in z order: ascending when d.z > 0.
//   Slabs are cast in an order in which every ray meets them front to back (cvx::slabOrder).
// - A slab's resident voxels include an apron wide enough for every value the span reads: the
//   trilinear corners and shading differences (one voxel below, two above) and, for isosurfaces,
//   the bisection back into the previous span (one step). Inside, the samplers read the very voxels
//   at the very weights of the whole volume, so the image equals the in-core one bit for bit.
#pragma once
#include <cvx/core/hd/raycast.h>

namespace cvx::hd {

// z of sample k (as o + d * t in compositeSpan and the samplers).
CVX_HD_INLINE float sampleZ(const RaycastParams& p, const PixelRay& r, int k) {
  return r.o.z + r.d.z * (r.t0 + (static_cast<float>(k) + r.j) * p.stepMm);
}

// The number of samples of the ray (the first k with t_k >= t1), at most kMax.
CVX_HD_INLINE int sampleCount(const RaycastParams& p, const PixelRay& r, int kMax) {
  auto tk = [&](int k) { return r.t0 + (static_cast<float>(k) + r.j) * p.stepMm; };
  const float e = ceilf((r.t1 - r.t0) / p.stepMm - r.j);
  int k = e > 0.0f ? (e < static_cast<float>(kMax) ? static_cast<int>(e) : kMax) : 0;
  while (k > 0 && !(tk(k - 1) < r.t1)) --k;
  while (k < kMax && tk(k) < r.t1) ++k;
  return k;
}

// The first k in [0, n] whose sample lies at or beyond b in the ray's z order (z_k >= b when d.z > 0,
// z_k < b when d.z < 0): the samples before it are on the near side of b.
CVX_HD_INLINE int firstBeyond(const RaycastParams& p, const PixelRay& r, float b, int n) {
  if (b == -__builtin_inff()) return r.d.z > 0.0f ? 0 : n;
  if (b == __builtin_inff()) return r.d.z > 0.0f ? n : 0;
  const bool up = r.d.z > 0.0f;
  auto beyond = [&](int k) { return up ? sampleZ(p, r, k) >= b : sampleZ(p, r, k) < b; };
  const float e = ((b - r.o.z) / r.d.z - r.t0) / p.stepMm - r.j;
  int k = e > 0.0f ? (e < static_cast<float>(n) ? static_cast<int>(e) : n) : 0;
  while (k > 0 && beyond(k - 1)) --k;
  while (k < n && !beyond(k)) ++k;
  return k;
}

// The samples [kBegin, kEnd) of the ray that slab [zLo, zHi) owns.
CVX_HD_INLINE void slabSpan(const RaycastParams& p, const PixelRay& r, float zLo, float zHi, int& kBegin, int& kEnd) {
  const int n = sampleCount(p, r, 1 << 30);
  if (!(r.d.z > 0.0f) && !(r.d.z < 0.0f)) {  // parallel to the slabs (or NaN): all or nothing
    const float z = sampleZ(p, r, 0);
    const bool in = z >= zLo && z < zHi;
    kBegin = 0;
    kEnd = in ? n : 0;
    return;
  }
  const float nearB = r.d.z > 0.0f ? zLo : zHi, farB = r.d.z > 0.0f ? zHi : zLo;
  kBegin = firstBeyond(p, r, nearB, n);
  kEnd = firstBeyond(p, r, farB, n);
  if (kEnd < kBegin) kEnd = kBegin;
}

// One pixel's span in a slab: sets up its ray, casts the samples the slab owns from where its state
// stands, and returns whether the ray is finished. The state starts as RayState{}.
template <class Sampler, class Sampler2>
CVX_HD_INLINE void castSlab(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                            const Sampler2* s2, int x, int y, float zLo, float zHi, RayState& st) {
  if (st.done) return;
  PixelRay ray;
  if (!pixelRayOf(p, x, y, ray)) {
    st.done = true;
    return;
  }
  int kBegin = 0, kEnd = 0;
  slabSpan(p, ray, zLo, zHi, kBegin, kEnd);
  if (st.k < kBegin) st.k = kBegin;  // not reached in slab order: kept safe
  if (st.k < kEnd) shadeSpan(p, tf, s, s2, ray, kEnd, st);
}

// The pixel once every slab is cast.
CVX_HD_INLINE PixelResult finishSlabs(const RaycastParams& p, const TransferFunction1D& tf, int x, int y,
                                      const RayState& st) {
  PixelRay ray;
  if (!pixelRayOf(p, x, y, ray)) return {};
  return finishRay(p, tf, ray, st);
}

// A sampler of a slab held in memory: Base over the slab's voxels, whose first slice is slice zOff
// of the volume; positions are the volume's (z - zOff is exact for the positions a span reads,
// z >= zOff >= 0, so every weight is the whole volume's).
template <class Base>
struct SlabSampler : Base {
  float zOff = 0;
  CVX_HD_INLINE float sample(Vec3f q) const {
    q.z -= zOff;
    return Base::sample(q);
  }
  CVX_HD_INLINE Vec3f gradient(Vec3f q) const {
    q.z -= zOff;
    return Base::gradient(q);
  }
};

}  // namespace cvx::hd
