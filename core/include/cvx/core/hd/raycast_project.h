// SPDX-License-Identifier: MIT
// MIP, MinIP and average along a ray (raycast.h's rules), with MIP and MinIP's brick skipping.
// Included by raycast_shade.h.
#pragma once
#include <cvx/core/hd/raycast.h>
#include <cvx/core/hd/brick_walk.h>
#include <cvx/core/hd/raycast_ray.h>

namespace cvx::hd {

// MIP, MinIP and average: samples st.k .. kEnd - 1 into the state's reductions. With brick ranges
// (p.bricks.range), MIP and MinIP pass over bricks whose max (min) cannot beat the ray's maximum
// (minimum) so far: every sample there is <= (>=) it, so neither the value nor its depth changes
// (a tie keeps the first sample's depth). Checked as the ray enters each brick, once it has a
// sample, and from its start where the state holds a bound (st.atLeast, st.atMost: a value one of
// the ray's samples takes): a brick whose max lies below it holds no sample that is the maximum.
template <class Sampler>
CVX_HD_INLINE void projectSpan(const RaycastParams& p, const Sampler& s, const PixelRay& ray, int kEnd,
                               RayState& st) {
  float hi = st.hi, lo = st.lo, sum = st.sum, tHi = st.tHi, tLo = st.tLo, tCheck = st.tCheck;
  int count = st.count, k = st.k;
  const float step = p.stepMm, t0 = ray.t0, j = ray.j;
  const Vec3f o = ray.o, d = ray.d;
  const bool mip = p.mode == RenderMode::Mip;
  const bool leap = p.bricks.range != nullptr && (mip || p.mode == RenderMode::MinIp);
  const float bound = mip ? st.atLeast : st.atMost;
  const bool bounded = mip ? bound > -__builtin_inff() : bound < __builtin_inff();
  BrickWalk walk;
  if (leap) walk = brickWalk(p.bricks, o, d);
  RayReader<Sampler> rd;
  for (; k < kEnd; ++k) {
    const float t = t0 + (static_cast<float>(k) + j) * step;
    if (!(t < ray.t1)) {
      st.done = true;
      break;
    }
    if (leap && (count > 0 || bounded) && !(t < tCheck)) {
      int b[3];
      const int64_t i = brickIndexAt(walk, o + d * t, b);
      if (cannotWin(mip, p.bricks.range[2 * i + (mip ? 1 : 0)], mip ? hi : lo, bound)) {
        // On past the run of bricks that cannot win to the first sample at or past its end, whose
        // brick is checked in turn; the samples passed over all lie before the end (the same t
        // formula decides). Brick by brick without a sample: a leap of one brick at a time cost
        // about what the batch of samples it saved did.
#if CVX_DEVICE_CODE
        tCheck = rangeRunEnd(walk, t, ray.t1, b, mip, mip ? hi : lo, bound);
#else
        tCheck = rangeRunEndFaces(walk, t, ray.t1, b, mip, mip ? hi : lo, bound);
#endif
        auto tk = [&](int n) { return t0 + (static_cast<float>(n) + j) * step; };
        const float kf = ceilf((tCheck - t0) / step - j);
        int kNext = kf > static_cast<float>(k) ? (kf < 2e9f ? static_cast<int>(kf) : 2000000000) : k + 1;
        for (int g = 0; g < 4 && kNext < 2000000000 && tk(kNext) < tCheck; ++g) ++kNext;
        for (int g = 0; g < 4 && kNext > k + 1 && !(tk(kNext - 1) < tCheck); ++g) --kNext;
        if (kNext > k + 1 && !(tk(kNext - 1) < tCheck)) kNext = k + 1;  // only the sample in the brick
        k = (kNext < kEnd ? kNext : kEnd) - 1;
        rd.drop();
        continue;
      }
      tCheck = cubeExit(walk, b, 1);
    }
    const float v = rd.read(s, ray, step, k, kEnd, o + d * t);
    if (v > hi) hi = v, tHi = t;
    if (v < lo) lo = v, tLo = t;
    sum += v;
    ++count;
  }
  st.hi = hi, st.lo = lo, st.sum = sum, st.tHi = tHi, st.tLo = tLo, st.count = count, st.k = k, st.tCheck = tCheck;
}

// Whether p's rays take a bound from a neighbour's hint (MIP or MinIP over brick ranges).
CVX_HD_INLINE bool boundsFromHints(const RaycastParams& p) {
  return p.bricks.range != nullptr && (p.mode == RenderMode::Mip || p.mode == RenderMode::MinIp);
}

// MIP / MinIP: st's bound (RayState::atLeast, atMost) from the ray's samples k - 1, k, k + 1
// nearest `hint` (a point where a neighbouring pixel's ray found its extreme: usually near this
// ray's). Each is one of the ray's own samples, read as the loop reads it (the same t and q), so
// the bound is one the ray reaches whatever the hint: a poor hint only passes over less.
template <class Sampler>
CVX_HD_INLINE void boundFromHint(const RaycastParams& p, const Sampler& s, const PixelRay& r, Vec3f hint,
                                 RayState& st) {
  const float dd = dot(r.d, r.d), step = p.stepMm;
  const float kf = floorf((dot(hint - r.o, r.d) / dd - r.t0) / step - r.j + 0.5f);
  if (!(kf >= 0.0f && kf < 1e9f)) return;  // and NaN
  const int k0 = static_cast<int>(kf);
  for (int k = k0 > 0 ? k0 - 1 : 0; k <= k0 + 1; ++k) {
    const float t = r.t0 + (static_cast<float>(k) + r.j) * step;
    if (!(t < r.t1)) break;
    const float v = s.sample(r.o + r.d * t);
    if (p.mode == RenderMode::Mip) st.atLeast = v > st.atLeast ? v : st.atLeast;
    else st.atMost = v < st.atMost ? v : st.atMost;
  }
}

}  // namespace cvx::hd
