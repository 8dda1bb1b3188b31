// SPDX-License-Identifier: MIT
// shadePixel: the per-pixel ray caster of raycast.h (its rules are there). Included by raycast.h.
#pragma once
#include <cvx/core/hd/raycast.h>
#include <cvx/core/hd/raycast_fused.h>
#include <cvx/core/hd/raycast_light.h>
#include <cvx/core/hd/raycast_project.h>
#include <cvx/core/hd/raycast_ray.h>

namespace cvx::hd {

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
// shadePixel with a neighbour's hint for MIP and MinIP over brick ranges (boundFromHint): the same
// pixel, bit for bit. `hint`, `have`: in, the point where a neighbouring ray found its extreme (if
// have); out, this ray's (kept where this ray found none). Other modes: shadePixel.
template <class Sampler, class Sampler2>
CVX_HD_INLINE PixelResult shadePixelHinted(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                                           const Sampler2* s2, int x, int y, Vec3f& hint, bool& have) {
  PixelRay ray;
  if (!pixelRayOf(p, x, y, ray)) return {};
  RayState st;
  const bool hinted = boundsFromHints(p);
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
