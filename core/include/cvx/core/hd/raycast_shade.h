// SPDX-License-Identifier: MIT
// shadePixel: the per-pixel ray caster of raycast.h (its rules are there). Included by raycast.h.
#pragma once
#include <cvx/core/hd/raycast.h>
#include <cvx/core/hd/raycast_fused.h>
#include <cvx/core/hd/raycast_light.h>

namespace cvx::hd {

// A sampler may read a ray's samples in batches: kBatch consecutive samples k .. k + kBatch - 1 by
// rayBatch(o, d, t0, j, step, k, out), each the value sample(o + d * (t0 + (k + j) * step)) gives
// (the CPU back end's vector sampler). Samplers without kBatch are read one sample at a time. A
// batch sampler may also count a clear run in a batch (clearRun, below) its own way.
template <class S, class = void>
struct BatchOf {
  static constexpr int n = 1;
};
template <class S>
struct BatchOf<S, decltype(void(S::kBatch))> {
  static constexpr int n = S::kBatch;
};

// A pixel's ray (shadePixel's set-up): origin and direction in voxel index units per mm, the unit
// view direction in patient space, the interval [t0, t1) it samples and its jitter j.
struct PixelRay {
  Vec3f o, d, view;
  float t0 = 0, t1 = 0, j = 0.5f;
};

// A ray's samples read through the sampler's batches where it has them (BatchOf), else one by one:
// read(k, q) is sample k at q; `batch` holds samples k - at .. k - at + have - 1; drop() after a
// jump along the ray.
// The clear run at batch[at..have) (samples k, k + 1, ...): how many in a row lie at or below
// `below` and before tEnd, t = t0 + (k + j) * step (RayReader::takeClear's count, one by one).
CVX_HD_INLINE int clearRunOf(const float* batch, int at, int have, float below, float t0, float j, float step, int k,
                             float tEnd) {
  int n = 0;
  while (at + n < have && batch[at + n] <= below && t0 + (static_cast<float>(k + n) + j) * step < tEnd) ++n;
  return n;
}

template <class Sampler>
struct RayReader {
  static constexpr int kB = BatchOf<Sampler>::n;
  float batch[kB];
  int have = 0, at = 0;
  CVX_HD_INLINE float read(const Sampler& s, const PixelRay& r, float step, int k, int kEnd, Vec3f q) {
    if constexpr (kB > 1) {
      if (at < have) return batch[at++];
      if (kEnd - k >= kB) {
        s.rayBatch(r.o, r.d, r.t0, r.j, step, k, batch);
        have = kB;
        at = 1;
        return batch[0];
      }
    }
    return s.sample(q);  // the span's last samples, one by one
  }
  CVX_HD_INLINE void drop() { have = at = 0; }
  // The clear run ahead in the batch: how many of its samples from `at` on (sample k and the next
  // ones) lie at or below `below` and before tEnd (t = t0 + (k + j) * step), one after the other;
  // they are consumed. By the sampler's clearRun where it has one (the same count, in its lanes).
  CVX_HD_INLINE int takeClear(const Sampler& s, float below, const PixelRay& r, float step, int k, float tEnd) {
    int n;
    if constexpr (requires { s.clearRun(batch, at, have, below, r.t0, r.j, step, k, tEnd); })
      n = s.clearRun(batch, at, have, below, r.t0, r.j, step, k, tEnd);
    else
      n = clearRunOf(batch, at, have, below, r.t0, r.j, step, k, tEnd);
    at += n;
    return n;
  }
};

// A ray's progress, so that it can be cast in spans of samples (volumes cast slab by slab, out of
// core: raycast_slab.h) and finished by finishRay; shadePixel casts the whole ray as one span.
struct RayState {
  Rgba acc;               // composite: premultiplied colour so far; iso: the hit's colour
  TfCursor cur, cur2;     // composite: the transfer functions' cursors (first and fused volume)
  float tCheck = -__builtin_inff();  // composite: the next t at which the brick map is consulted
  float depth = __builtin_inff();
  float value = quietNaN();          // iso: the value hit
  float hi = -__builtin_inff(), lo = __builtin_inff(), sum = 0, tHi = 0, tLo = 0, prev = 0, tPrev = 0;
  int count = 0;          // MIP / MinIP / average: samples taken
  // MIP: a value the ray's maximum reaches (one of its own samples, boundFromHint), MinIP: one its
  // minimum reaches; bricks beyond it are passed over from the ray's start. None: +-inf.
  float atLeast = -__builtin_inff(), atMost = __builtin_inff();
  int k = 0;              // the next sample
  bool pending = false;   // composite: sample k starts the cursor (a skip landed past the last span)
  bool done = false;      // nothing more can change the pixel
};

// Composite (DVR) samples st.k .. kEnd - 1 of the ray (raycast.h's rules). s2: the fused second
// volume's sampler, or null. Only samples of the span are read, through s.
template <class Sampler, class Sampler2>
CVX_HD_INLINE void compositeSpan(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                                 const Sampler2* s2, const PixelRay& ray, int kEnd, RayState& st) {
  const float step = p.stepMm, t0 = ray.t0, t1 = ray.t1, j = ray.j;
  const Vec3f o = ray.o, d = ray.d, view = ray.view;
  const bool skip = p.bricks.skip != nullptr && (s2 == nullptr || p.bricks.fused);
  TfCursor cur = st.cur, cur2 = st.cur2;
  cur.haveFull = cur2.haveFull = false;  // the cached integral is not carried between spans
  BrickWalk walk;
  if (skip) walk = brickWalk(p.bricks, o, d);
  float tCheck = st.tCheck, depth = st.depth;
  Rgba acc = st.acc;
  bool pending = st.pending, done = false;
  constexpr int kB = BatchOf<Sampler>::n;
  RayReader<Sampler> rd;
  // The cursors at the sample at t where a ray lands after a leap (raycast.h's Fusion).
  auto land = [&](float tl) {
    const Vec3f ql = o + d * tl;
    tfStart(tf, cur, s.sample(ql));
    if (s2) fusedStart(p, *s2, cur2, ql);
  };
  // At sample k (position q) in an empty brick: on to the last sample before the empty run ends,
  // which starts the cursor. 0: not in an empty brick (or no sample to skip), 1: moved, 2: the rest
  // of the ray is empty, 3: moved past the span (the next span starts the cursor).
  BrickCursor bc;
  auto leap = [&](int& k, float t, Vec3f q) -> int {
#if CVX_DEVICE_CODE
    // The device finds the brick from the position: its kernel is held to 96 registers (5 blocks
    // an SM), where the cursor's six values would spill (ptxas: 212-246 bytes of spill stores
    // against 144-164). The same bricks, so the same image.
    const int kSkip = brickCursorAt(walk, q, bc);
#else
    int kSkip = bc.valid ? brickCursorStep(walk, t, bc) : -1;
    if (kSkip < 0) kSkip = brickCursorAt(walk, q, bc);
#endif
    if (kSkip == 0) {
      tCheck = brickCursorExit(bc);
      return 0;
    }
    bc.valid = false;
    int b[3] = {bc.bx, bc.by, bc.bz};
    const float tEnd = emptyRunEnd(walk, t, t1, b, kSkip);
    if (!(tEnd < t1)) return 2;
    tCheck = tEnd;
    const float kf = floorf((tEnd - t0) / step - j - 1e-3f);
    const int kLast = kf < 2e9f ? static_cast<int>(kf) : 2000000000;
    if (kLast <= k) return 0;
    k = kLast;
    rd.drop();
    const float tl = t0 + (static_cast<float>(k) + j) * step;
    if (!(tl < t1)) return 2;
    if (k >= kEnd) return pending = true, 3;
    land(tl);
    return 1;
  };
  int k = st.k;
  if (pending && k < kEnd) {
    land(t0 + (static_cast<float>(k) + j) * step);
    pending = false;
    ++k;
  }
  for (; k < kEnd; ++k) {
    const float t = t0 + (static_cast<float>(k) + j) * step;
    if (!(t < t1)) {
      done = true;
      break;
    }
    const Vec3f q = o + d * t;
    // A ray that starts in an empty brick needs no value there: its point lookup is transparent.
    if (skip && !cur.started) {
      const int l = leap(k, t, q);
      if (l == 2) done = true;
      if (l >= 2) break;
      if (l == 1) continue;
    }
    const float v = rd.read(s, ray, step, k, kEnd, q);
    if constexpr (kB > 1) {
      // A run of samples below clearBelow after one: tfStep would only move the cursor's value and
      // draw nothing, so the run is consumed here, as far as the batch holds it, before the ray's
      // end and the next brick check (the batch's samples all lie before kEnd).
      if (s2 == nullptr && v <= tf.clearBelow && cur.started && cur.v <= tf.clearBelow && (!skip || t < tCheck)) {
        const int n = rd.takeClear(s, tf.clearBelow, ray, step, k + 1, skip && tCheck < t1 ? tCheck : t1);
        cur.v = n > 0 ? rd.batch[rd.at - 1] : v;
        k += n;
        continue;
      }
    }
    Rgba seg = tfStep(tf, cur, v, step);
    if (seg.a > 0.0f && p.tf2.nodes) {
      seg = segment2D(p, p.tf2, v, worldGradient(p, s.gradient(q)), view);  // the envelope let it through
    } else if (seg.a > 0.0f && p.shading.on) {
      const Vec3f c = shadeColour(p, {seg.r, seg.g, seg.b}, s.gradient(q), view);
      seg.r = c.x, seg.g = c.y, seg.b = c.z;
    }
    if (s2) {
      const Rgba b = fusedSegment(p, *s2, cur2, q, view);
      if (b.a > 0.0f) {
        const float w = seg.a + b.a;  // > 0
        seg = {(seg.a * seg.r + b.a * b.r) / w, (seg.a * seg.g + b.a * b.g) / w, (seg.a * seg.b + b.a * b.b) / w,
               1.0f - (1.0f - seg.a) * (1.0f - b.a)};
      }
    }
    if (seg.a > 0.0f) {
      const Vec3f c{seg.r, seg.g, seg.b};
      const float wgt = (1.0f - acc.a) * seg.a;
      acc.r += wgt * c.x;
      acc.g += wgt * c.y;
      acc.b += wgt * c.z;
      acc.a += wgt;
      if (acc.a >= 0.5f && depth == __builtin_inff()) depth = t;
      if (acc.a >= p.opaque) {
        done = true;
        break;
      }
    }
    if (skip && !(t < tCheck)) {
      const int l = leap(k, t, q);
      if (l == 2) done = true;
      if (l >= 2) break;
    }
  }
  st.k = k;
  st.acc = acc;
  st.cur = cur;
  st.cur2 = cur2;
  st.tCheck = tCheck;
  st.depth = depth;
  st.pending = pending;
  st.done = done;
}

// Isosurface samples st.k .. kEnd - 1: the first segment whose values cross isoValue, refined by
// bisection between its two samples (which may lie in the previous span).
template <class Sampler>
CVX_HD_INLINE void isoSpan(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                           const PixelRay& ray, int kEnd, RayState& st) {
  const float step = p.stepMm;
  const Vec3f o = ray.o, d = ray.d;
  for (int k = st.k; k < kEnd; ++k) {
    const float t = ray.t0 + (static_cast<float>(k) + ray.j) * step;
    if (!(t < ray.t1)) {
      st.done = true;
      return;
    }
    const float v = s.sample(o + d * t);
    if (k > 0 && (st.prev - p.isoValue) * (v - p.isoValue) <= 0.0f && st.prev != v) {
      float a = st.tPrev, b = t, fa = st.prev - p.isoValue;
      for (int it = 0; it < 8; ++it) {  // bisection on the trilinear field
        const float m = 0.5f * (a + b), fm = s.sample(o + d * m) - p.isoValue;
        if ((fa <= 0.0f) == (fm <= 0.0f)) a = m, fa = fm;
        else b = m;
      }
      const float th = 0.5f * (a + b);
      const TfNode n = tfLookup(tf, p.isoValue);
      Vec3f c{n.r, n.g, n.b};
      if (p.shading.on) c = shadeColour(p, c, s.gradient(o + d * th), ray.view);
      st.acc = {c.x, c.y, c.z, 1.0f};
      st.depth = th;
      st.value = p.isoValue;
      st.done = true;
      return;
    }
    st.prev = v;
    st.tPrev = t;
    st.k = k + 1;
  }
}

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

// The ray of pixel (x, y) and the interval it samples; false when it samples nothing (it misses the
// box, is clipped away, or has no end or no step).
CVX_HD_INLINE bool pixelRayOf(const RaycastParams& p, int x, int y, PixelRay& r) {
  pixelRay(p.cam, x, y, r.o, r.d);
  const Vec3f w = p.cam.w + p.cam.wu * static_cast<float>(x) + p.cam.wv * static_cast<float>(y);
  const float wl = sqrtf(dot(w, w));
  r.view = w * (wl > 0.0f ? 1.0f / wl : 0.0f);
  r.t0 = p.cam.tNear;
  r.t1 = __builtin_inff();
  if (p.depthIn) {
    const float z = p.depthIn[static_cast<int64_t>(y) * p.width + x];
    r.t1 = z < r.t1 ? z : r.t1;
  }
  if (!rayBox(r.o, r.d, p.boxLo, p.boxHi, r.t0, r.t1)) return false;
  for (int i = 0; i < p.planeCount; ++i)
    if (!clipByPlane(p.planes[i], r.o, r.d, r.t0, r.t1)) return false;
  // A ray without an end or a step that is no step would never finish: nothing is drawn.
  if (!(p.stepMm > 0.0f) || !(r.t1 < __builtin_inff())) return false;
  r.j = p.jitter ? pixelJitter(x, y, p.seed) : 0.5f;
  return true;
}

// Samples st.k .. kEnd - 1 of the ray in p's mode.
template <class Sampler, class Sampler2>
CVX_HD_INLINE void shadeSpan(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                             const Sampler2* s2, const PixelRay& ray, int kEnd, RayState& st) {
  switch (p.mode) {
    case RenderMode::Composite: compositeSpan(p, tf, s, s2, ray, kEnd, st); break;
    case RenderMode::Isosurface: isoSpan(p, tf, s, ray, kEnd, st); break;
    default: projectSpan(p, s, ray, kEnd, st); break;
  }
}

// The pixel of a ray cast in spans.
CVX_HD_INLINE PixelResult finishRay(const RaycastParams& p, const TransferFunction1D& tf, const PixelRay& ray,
                                    const RayState& st) {
  PixelResult r;
  if (p.mode == RenderMode::Composite || p.mode == RenderMode::Isosurface) {
    r.colour = st.acc;
    r.depth = st.depth;
    r.value = st.value;
    return r;
  }
  if (st.count == 0) return r;
  r.value = p.mode == RenderMode::Mip ? st.hi
                                      : (p.mode == RenderMode::MinIp ? st.lo : st.sum / static_cast<float>(st.count));
  r.depth = p.mode == RenderMode::Mip ? st.tHi : (p.mode == RenderMode::MinIp ? st.tLo : ray.t0);
  const TfNode n = tfLookup(tf, r.value);
  r.colour = {n.r, n.g, n.b, 1.0f};
  return r;
}

// Output pixel (x, y). Sampler: float sample(Vec3f) and Vec3f gradient(Vec3f) at a continuous voxel
// index (clamped at the rim), as GridSampler. s2: a second volume fused into the composite (p.fusion)
// or null.
template <class Sampler, class Sampler2>
CVX_HD_INLINE PixelResult shadePixel(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                                     const Sampler2* s2, int x, int y) {
  PixelRay ray;
  if (!pixelRayOf(p, x, y, ray)) return {};
  RayState st;
  shadeSpan(p, tf, s, s2, ray, 2147483647, st);
  return finishRay(p, tf, ray, st);
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

// shadePixel with a neighbour's hint for MIP and MinIP over brick ranges (boundFromHint): the same
// pixel, bit for bit. `hint`, `have`: in, the point where a neighbouring ray found its extreme (if
// have); out, this ray's (kept where this ray found none). Other modes: shadePixel.
template <class Sampler, class Sampler2>
CVX_HD_INLINE PixelResult shadePixelHinted(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                                           const Sampler2* s2, int x, int y, Vec3f& hint, bool& have) {
  PixelRay ray;
  if (!pixelRayOf(p, x, y, ray)) return {};
  RayState st;
  const bool hinted = p.bricks.range != nullptr && (p.mode == RenderMode::Mip || p.mode == RenderMode::MinIp);
  if (hinted && have) boundFromHint(p, s, ray, hint, st);
  shadeSpan(p, tf, s, s2, ray, 2147483647, st);
  const PixelResult r = finishRay(p, tf, ray, st);
  if (hinted && st.count > 0) hint = ray.o + ray.d * r.depth, have = true;
  return r;
}

template <class Sampler>
CVX_HD_INLINE PixelResult shadePixel(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s, int x,
                                     int y) {
  return shadePixel(p, tf, s, static_cast<const NoSecond*>(nullptr), x, y);
}

}  // namespace cvx::hd
