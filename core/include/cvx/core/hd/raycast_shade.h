// SPDX-License-Identifier: MIT
// shadePixel: the per-pixel ray caster of raycast.h (its rules are there). Included by raycast.h.
#pragma once
#include <cvx/core/hd/raycast.h>

namespace cvx::hd {

// x^p for x in [0, 1]: by squaring when p is a whole number up to 128 (specular powers are), which
// costs a few multiplications where powf costs tens of nanoseconds; else powf.
CVX_HD_INLINE float powUnit(float x, float p) {
  if (!(p >= 0.0f && p <= 128.0f && p == floorf(p))) return powf(x, p);
  float r = 1.0f, b = x;
  for (unsigned e = static_cast<unsigned>(p); e != 0; e >>= 1) {
    if (e & 1u) r *= b;
    b *= b;
  }
  return r;
}

// A gradient in voxel-index axes taken to patient space (per mm): gradWorld, the inverse-transpose.
CVX_HD_INLINE Vec3f worldGradient(const float (*m)[3], Vec3f gVoxel) {
  return {m[0][0] * gVoxel.x + m[0][1] * gVoxel.y + m[0][2] * gVoxel.z,
          m[1][0] * gVoxel.x + m[1][1] * gVoxel.y + m[1][2] * gVoxel.z,
          m[2][0] * gVoxel.x + m[2][1] * gVoxel.y + m[2][2] * gVoxel.z};
}
CVX_HD_INLINE Vec3f worldGradient(const RaycastParams& p, Vec3f gVoxel) { return worldGradient(p.gradWorld, gVoxel); }

// Blinn-Phong with a headlight (two-sided): g the gradient in patient space, `view` the unit ray
// direction in patient space.
CVX_HD_INLINE Vec3f shadeWorld(const RaycastParams& p, Vec3f colour, Vec3f g, Vec3f view) {
  const float len = sqrtf(dot(g, g));
  if (!(len > 1e-6f)) return colour;
  float nl = dot(g, view) / len;
  nl = nl < 0.0f ? -nl : nl;
  const Shading& sh = p.shading;
  const float lit = sh.ambient + sh.diffuse * nl, spec = sh.specular * powUnit(nl, sh.power);
  auto unit = [](float c) { return c < 1.0f ? c : 1.0f; };  // a highlight saturates at white
  return {unit(colour.x * lit + spec), unit(colour.y * lit + spec), unit(colour.z * lit + spec)};
}
CVX_HD_INLINE Vec3f shadeColour(const RaycastParams& p, Vec3f colour, Vec3f gVoxel, Vec3f view) {
  return shadeWorld(p, colour, worldGradient(p, gVoxel), view);
}

// A ray's walk through a brick map (raycast.h's skipping rule).
struct BrickWalk {
  const BrickMap* m = nullptr;
  Vec3f o, d;
  float inv[3] = {0, 0, 0};  // 1 / d per axis (0 where d is 0: that axis never ends a cube)
  float invSize = 1, nudge = 0;  // nudge: t past a cube's face, 1/100 voxel along the ray's fastest axis
  int limit = 0;                 // cube steps per run at most (each enters a new brick)
};

CVX_HD_INLINE BrickWalk brickWalk(const BrickMap& m, Vec3f o, Vec3f d) {
  BrickWalk w;
  w.m = &m;
  w.o = o;
  w.d = d;
  const float ds[3] = {d.x, d.y, d.z};
  float fastest = 0.0f;
  for (int a = 0; a < 3; ++a) {
    w.inv[a] = ds[a] != 0.0f ? 1.0f / ds[a] : 0.0f;
    const float ad = ds[a] < 0.0f ? -ds[a] : ds[a];
    fastest = ad > fastest ? ad : fastest;
  }
  w.invSize = 1.0f / static_cast<float>(m.size);
  w.nudge = fastest > 0.0f ? 0.01f / fastest : 0.0f;
  w.limit = 2 * (m.bx + m.by + m.bz) + 8;
  return w;
}

CVX_HD_INLINE int brickOf(float c, float invSize, int count) {
  const float f = floorf((c + 0.5f) * invSize);
  const int b = f > 0.0f ? static_cast<int>(f < 1e9f ? f : 1e9f) : 0;  // NaN and below the grid: 0
  return b < count - 1 ? b : count - 1;
}

// The skip entry of the brick holding q, and that brick.
CVX_HD_INLINE int brickSkipAt(const BrickWalk& w, Vec3f q, int b[3]) {
  const BrickMap& m = *w.m;
  b[0] = brickOf(q.x, w.invSize, m.bx);
  b[1] = brickOf(q.y, w.invSize, m.by);
  b[2] = brickOf(q.z, w.invSize, m.bz);
  return m.skip[(static_cast<int64_t>(b[2]) * m.by + b[1]) * m.bx + b[0]];
}

// t where the ray leaves the cube of bricks b - (k - 1) .. b + (k - 1) (k = 1: brick b alone).
CVX_HD_INLINE float cubeExit(const BrickWalk& w, const int b[3], int k) {
  const float s = static_cast<float>(w.m->size);
  const float os[3] = {w.o.x, w.o.y, w.o.z};
  float t = __builtin_inff();
  for (int a = 0; a < 3; ++a) {
    if (w.inv[a] == 0.0f) continue;
    const float face = w.inv[a] > 0.0f ? static_cast<float>(b[a] + k) * s - 0.5f : static_cast<float>(b[a] - k + 1) * s - 0.5f;
    const float ta = (face - os[a]) * w.inv[a];
    t = ta < t ? ta : t;
  }
  return t;
}

// From t, a position in an empty brick b whose skip entry is k, to where the run of empty bricks
// along the ray ends: t of the face into a brick that may be visible, or a t >= t1.
CVX_HD_INLINE float emptyRunEnd(const BrickWalk& w, float t, float t1, int b[3], int k) {
  for (int i = 0; i < w.limit; ++i) {
    const float te = cubeExit(w, b, k);
    t = te > t ? te : t;  // a face behind the position (rounding) ends nothing
    if (!(t < t1)) return t;
    k = brickSkipAt(w, w.o + w.d * (t + w.nudge), b);
    if (k == 0) return t;
    t += w.nudge;
  }
  return t;  // a run cut short is still a run: fewer samples skipped, the same image
}

// A sampler may read a ray's samples in batches: kBatch consecutive samples k .. k + kBatch - 1 by
// rayBatch(o, d, t0, j, step, k, out), each the value sample(o + d * (t0 + (k + j) * step)) gives
// (the CPU back end's vector sampler). Samplers without kBatch are read one sample at a time.
template <class S, class = void>
struct BatchOf {
  static constexpr int n = 1;
};
template <class S>
struct BatchOf<S, decltype(void(S::kBatch))> {
  static constexpr int n = S::kBatch;
};

// No second volume (shadePixel without fusion).
struct NoSecond {
  CVX_HD_INLINE float sample(Vec3f) const { return 0.0f; }
  CVX_HD_INLINE Vec3f gradient(Vec3f) const { return {}; }
};

// The second volume's part of the segment at q (raycast.h's Fusion), moving its cursor; nothing
// outside its box.
template <class Sampler2>
CVX_HD_INLINE Rgba fusedSegment(const RaycastParams& p, const Sampler2& s2, TfCursor& cur2, Vec3f q, Vec3f view) {
  const Fusion& f = p.fusion;
  const float(*m)[4] = f.fromFirst;
  const Vec3f q2{m[0][0] * q.x + m[0][1] * q.y + m[0][2] * q.z + m[0][3],
                 m[1][0] * q.x + m[1][1] * q.y + m[1][2] * q.z + m[1][3],
                 m[2][0] * q.x + m[2][1] * q.y + m[2][2] * q.z + m[2][3]};
  if (!(q2.x >= f.lo.x && q2.x <= f.hi.x && q2.y >= f.lo.y && q2.y <= f.hi.y && q2.z >= f.lo.z && q2.z <= f.hi.z)) {
    cur2.started = false;  // pre-integration restarts on re-entry
    return {};
  }
  Rgba seg = tfStep(f.tf, cur2, s2.sample(q2), p.stepMm);
  if (seg.a > 0.0f && p.shading.on) {
    const Vec3f c = shadeWorld(p, {seg.r, seg.g, seg.b}, worldGradient(f.gradWorld, s2.gradient(q2)), view);
    seg.r = c.x, seg.g = c.y, seg.b = c.z;
  }
  return seg;
}

// Composite (DVR) along o + d t, t in [t0, t1): raycast.h's rules. s2: the fused second volume's
// sampler, or null.
template <class Sampler, class Sampler2>
CVX_HD_INLINE void compositeRay(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                                const Sampler2* s2, Vec3f o, Vec3f d, Vec3f view, float t0, float t1, float j,
                                PixelResult& r) {
  const float step = p.stepMm;
  const bool skip = p.bricks.skip != nullptr && s2 == nullptr;
  TfCursor cur2;
  BrickWalk walk;
  if (skip) walk = brickWalk(p.bricks, o, d);
  float tCheck = -__builtin_inff();  // the next t at which the brick map is consulted
  TfCursor cur;
  Rgba acc;
  constexpr int kB = BatchOf<Sampler>::n;
  float batch[kB];
  int have = 0, at = 0;  // batch holds samples k - at .. k - at + have - 1
  // At sample k (position q) in an empty brick: on to the last sample before the empty run ends,
  // which starts the cursor. 0: not in an empty brick (or no sample to skip), 1: moved, 2: the rest
  // of the ray is empty.
  auto leap = [&](int& k, float t, Vec3f q) -> int {
    int b[3];
    const int kSkip = brickSkipAt(walk, q, b);
    if (kSkip == 0) {
      tCheck = cubeExit(walk, b, 1);
      return 0;
    }
    const float tEnd = emptyRunEnd(walk, t, t1, b, kSkip);
    if (!(tEnd < t1)) return 2;
    tCheck = tEnd;
    const float kf = floorf((tEnd - t0) / step - j - 1e-3f);
    const int kLast = kf < 2e9f ? static_cast<int>(kf) : 2000000000;
    if (kLast <= k) return 0;
    k = kLast;
    have = at = 0;
    const float tl = t0 + (static_cast<float>(k) + j) * step;
    if (!(tl < t1)) return 2;
    tfStart(tf, cur, s.sample(o + d * tl));
    return 1;
  };
  for (int k = 0;; ++k) {
    const float t = t0 + (static_cast<float>(k) + j) * step;
    if (!(t < t1)) break;
    const Vec3f q = o + d * t;
    // A ray that starts in an empty brick needs no value there: its point lookup is transparent.
    if (skip && !cur.started) {
      const int l = leap(k, t, q);
      if (l == 2) break;
      if (l == 1) continue;
    }
    float v;
    if constexpr (kB > 1) {
      if (at == have) {
        s.rayBatch(o, d, t0, j, step, k, batch);
        have = kB;
        at = 0;
      }
      v = batch[at++];
    } else {
      v = s.sample(q);
    }
    Rgba seg = tfStep(tf, cur, v, step);
    if (seg.a > 0.0f && p.tf2.nodes) {
      // The envelope let it through: the 2D table at (value, |gradient|).
      const Vec3f g = worldGradient(p, s.gradient(q));
      const TfNode n = tf2Lookup(p.tf2, v, sqrtf(dot(g, g)));
      seg = {n.r, n.g, n.b, opacityOf(n.sigma, step)};
      if (seg.a > 0.0f && p.shading.on) {
        const Vec3f c = shadeWorld(p, {seg.r, seg.g, seg.b}, g, view);
        seg.r = c.x, seg.g = c.y, seg.b = c.z;
      }
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
      if (acc.a >= 0.5f && r.depth == __builtin_inff()) r.depth = t;
      if (acc.a >= p.opaque) break;
    }
    if (skip && !(t < tCheck) && leap(k, t, q) == 2) break;
  }
  r.colour = acc;
}

// Isosurface: the first segment whose values cross isoValue, refined by bisection.
template <class Sampler>
CVX_HD_INLINE void isoRay(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s, Vec3f o, Vec3f d,
                          Vec3f view, float t0, float t1, float j, PixelResult& r) {
  const float step = p.stepMm;
  float prev = 0.0f, tPrev = t0;
  for (int k = 0;; ++k) {
    const float t = t0 + (static_cast<float>(k) + j) * step;
    if (!(t < t1)) break;
    const float v = s.sample(o + d * t);
    if (k > 0 && (prev - p.isoValue) * (v - p.isoValue) <= 0.0f && prev != v) {
      float a = tPrev, b = t, fa = prev - p.isoValue;
      for (int it = 0; it < 8; ++it) {  // bisection on the trilinear field
        const float m = 0.5f * (a + b), fm = s.sample(o + d * m) - p.isoValue;
        if ((fa <= 0.0f) == (fm <= 0.0f)) a = m, fa = fm;
        else b = m;
      }
      const float th = 0.5f * (a + b);
      const TfNode n = tfLookup(tf, p.isoValue);
      Vec3f c{n.r, n.g, n.b};
      if (p.shading.on) c = shadeColour(p, c, s.gradient(o + d * th), view);
      r.colour = {c.x, c.y, c.z, 1.0f};
      r.depth = th;
      r.value = p.isoValue;
      return;
    }
    prev = v;
    tPrev = t;
  }
}

// MIP, MinIP and average: the pixel is the transfer function's colour of the result, opaque.
template <class Sampler>
CVX_HD_INLINE void projectRay(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s, Vec3f o,
                              Vec3f d, float t0, float t1, float j, PixelResult& r) {
  float hi = -__builtin_inff(), lo = __builtin_inff(), sum = 0.0f, tHi = 0.0f, tLo = 0.0f;
  int count = 0;
  for (int k = 0;; ++k) {
    const float t = t0 + (static_cast<float>(k) + j) * p.stepMm;
    if (!(t < t1)) break;
    const float v = s.sample(o + d * t);
    if (v > hi) hi = v, tHi = t;
    if (v < lo) lo = v, tLo = t;
    sum += v;
    ++count;
  }
  if (count == 0) return;
  r.value = p.mode == RenderMode::Mip ? hi : (p.mode == RenderMode::MinIp ? lo : sum / static_cast<float>(count));
  r.depth = p.mode == RenderMode::Mip ? tHi : (p.mode == RenderMode::MinIp ? tLo : t0);
  const TfNode n = tfLookup(tf, r.value);
  r.colour = {n.r, n.g, n.b, 1.0f};
}

// Output pixel (x, y). Sampler: float sample(Vec3f) and Vec3f gradient(Vec3f) at a continuous voxel
// index (clamped at the rim), as GridSampler. s2: a second volume fused into the composite (p.fusion)
// or null.
template <class Sampler, class Sampler2>
CVX_HD_INLINE PixelResult shadePixel(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s,
                                     const Sampler2* s2, int x, int y) {
  PixelResult r;
  Vec3f o, d;
  pixelRay(p.cam, x, y, o, d);
  const Vec3f w = p.cam.w + p.cam.wu * static_cast<float>(x) + p.cam.wv * static_cast<float>(y);
  const float wl = sqrtf(dot(w, w));
  const Vec3f view = w * (wl > 0.0f ? 1.0f / wl : 0.0f);
  float t0 = p.cam.tNear, t1 = __builtin_inff();
  if (p.depthIn) {
    const float z = p.depthIn[static_cast<int64_t>(y) * p.width + x];
    t1 = z < t1 ? z : t1;
  }
  if (!rayBox(o, d, p.boxLo, p.boxHi, t0, t1)) return r;
  for (int i = 0; i < p.planeCount; ++i)
    if (!clipByPlane(p.planes[i], o, d, t0, t1)) return r;
  // A ray without an end or a step that is no step would never finish: nothing is drawn.
  if (!(p.stepMm > 0.0f) || !(t1 < __builtin_inff())) return r;
  const float j = p.jitter ? pixelJitter(x, y, p.seed) : 0.5f;
  switch (p.mode) {
    case RenderMode::Composite: compositeRay(p, tf, s, s2, o, d, view, t0, t1, j, r); break;
    case RenderMode::Isosurface: isoRay(p, tf, s, o, d, view, t0, t1, j, r); break;
    default: projectRay(p, tf, s, o, d, t0, t1, j, r); break;
  }
  return r;
}
template <class Sampler>
CVX_HD_INLINE PixelResult shadePixel(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s, int x,
                                     int y) {
  return shadePixel(p, tf, s, static_cast<const NoSecond*>(nullptr), x, y);
}

}  // namespace cvx::hd
