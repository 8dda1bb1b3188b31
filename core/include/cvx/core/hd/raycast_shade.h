// SPDX-License-Identifier: MIT
// shadePixel: the per-pixel ray caster of raycast.h (its rules are there). Included by raycast.h.
#pragma once
#include <cvx/core/hd/raycast.h>

namespace cvx::hd {

// Central differences in voxel-index space (each neighbour sampled, clamped at the rim like any sample).
template <class Sampler>
CVX_HD_INLINE Vec3f gradientAt(const Sampler& s, Vec3f p) {
  return {0.5f * (s.sample({p.x + 1.0f, p.y, p.z}) - s.sample({p.x - 1.0f, p.y, p.z})),
          0.5f * (s.sample({p.x, p.y + 1.0f, p.z}) - s.sample({p.x, p.y - 1.0f, p.z})),
          0.5f * (s.sample({p.x, p.y, p.z + 1.0f}) - s.sample({p.x, p.y, p.z - 1.0f}))};
}

// Blinn-Phong with a headlight (two-sided): `view` is the unit ray direction in patient space.
CVX_HD_INLINE Vec3f shadeColour(const RaycastParams& p, Vec3f colour, Vec3f gVoxel, Vec3f view) {
  const float(*m)[3] = p.gradWorld;
  const Vec3f g{m[0][0] * gVoxel.x + m[0][1] * gVoxel.y + m[0][2] * gVoxel.z,
                m[1][0] * gVoxel.x + m[1][1] * gVoxel.y + m[1][2] * gVoxel.z,
                m[2][0] * gVoxel.x + m[2][1] * gVoxel.y + m[2][2] * gVoxel.z};
  const float len = sqrtf(dot(g, g));
  if (!(len > 1e-6f)) return colour;
  float nl = dot(g, view) / len;
  nl = nl < 0.0f ? -nl : nl;
  const Shading& sh = p.shading;
  const float lit = sh.ambient + sh.diffuse * nl, spec = sh.specular * powf(nl, sh.power);
  auto unit = [](float c) { return c < 1.0f ? c : 1.0f; };  // a highlight saturates at white
  return {unit(colour.x * lit + spec), unit(colour.y * lit + spec), unit(colour.z * lit + spec)};
}

// Brick of voxel-index point q, and whether it is empty.
CVX_HD_INLINE int brickIndex(float c, int size, int count) {
  int b = static_cast<int>(floorf((c + 0.5f) / static_cast<float>(size)));
  b = b < 0 ? 0 : b;
  return b < count - 1 ? b : count - 1;
}
CVX_HD_INLINE bool brickEmpty(const BrickMap& m, Vec3f q, int& bx, int& by, int& bz) {
  bx = brickIndex(q.x, m.size, m.bx);
  by = brickIndex(q.y, m.size, m.by);
  bz = brickIndex(q.z, m.size, m.bz);
  return m.empty[(static_cast<int64_t>(bz) * m.by + by) * m.bx + bx] != 0;
}
// t where the ray o + d t leaves brick (bx, by, bz).
CVX_HD_INLINE float brickExit(const BrickMap& m, Vec3f o, Vec3f d, int bx, int by, int bz) {
  const float s = static_cast<float>(m.size);
  const float lo[3] = {bx * s - 0.5f, by * s - 0.5f, bz * s - 0.5f};
  const float os[3] = {o.x, o.y, o.z}, ds[3] = {d.x, d.y, d.z};
  float t = __builtin_inff();
  for (int a = 0; a < 3; ++a) {
    if (ds[a] == 0.0f) continue;
    const float face = ds[a] > 0.0f ? lo[a] + s : lo[a];
    const float ta = (face - os[a]) / ds[a];
    t = ta < t ? ta : t;
  }
  return t;
}

// Output pixel (x, y). Sampler: float sample(Vec3f) at a continuous voxel index (clamped at the rim).
template <class Sampler>
CVX_HD_INLINE PixelResult shadePixel(const RaycastParams& p, const TransferFunction1D& tf, const Sampler& s, int x,
                                     int y) {
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
  const float step = p.stepMm;
  // A ray without an end or a step that is no step would never finish: nothing is drawn.
  if (!(step > 0.0f) || !(t1 < __builtin_inff())) return r;
  const float j = p.jitter ? pixelJitter(x, y, p.seed) : 0.5f;
  const bool skip = p.bricks.empty != nullptr && p.mode == RenderMode::Composite;
  float prev = 0.0f, tPrev = t0, hi = -__builtin_inff(), lo = __builtin_inff(), sum = 0.0f;
  float tHi = 0.0f, tLo = 0.0f;
  int count = 0;
  Rgba acc;
  TfNode iPrev;  // the running integrals at prev (pre-integration)
  for (int k = 0;; ++k) {
    const float t = t0 + (static_cast<float>(k) + j) * step;
    if (!(t < t1)) break;
    const Vec3f q = o + d * t;
    const float v = s.sample(q);
    if (p.mode == RenderMode::Composite) {
      const TfNode iv = tf.integral ? tfIntegral(tf, v) : TfNode{};
      const Rgba seg = count > 0 ? tfSegmentFrom(tf, prev, v, iPrev, iv, step) : tfSegmentFrom(tf, v, v, iv, iv, step);
      iPrev = iv;
      if (seg.a > 0.0f) {
        Vec3f c{seg.r, seg.g, seg.b};
        if (p.shading.on) c = shadeColour(p, c, gradientAt(s, q), view);
        const float wgt = (1.0f - acc.a) * seg.a;
        acc.r += wgt * c.x;
        acc.g += wgt * c.y;
        acc.b += wgt * c.z;
        acc.a += wgt;
        if (acc.a >= 0.5f && r.depth == __builtin_inff()) r.depth = t;
        if (acc.a >= p.opaque) break;
      }
      if (skip) {
        int bx, by, bz;
        if (brickEmpty(p.bricks, q, bx, by, bz)) {
          // Every segment up to the last sample inside this brick adds nothing: go there.
          const float tExit = brickExit(p.bricks, o, d, bx, by, bz);
          const float kf = floorf((tExit - t0) / step - j - 1e-3f);
          const int kLast = kf < 2e9f ? static_cast<int>(kf) : 2000000000;
          if (kLast > k) {
            k = kLast;
            const float tl = t0 + (static_cast<float>(k) + j) * step;
            if (!(tl < t1)) break;
            prev = s.sample(o + d * tl);
            if (tf.integral) iPrev = tfIntegral(tf, prev);
            ++count;
            continue;
          }
        }
      }
    } else if (p.mode == RenderMode::Isosurface) {
      if (count > 0 && (prev - p.isoValue) * (v - p.isoValue) <= 0.0f && prev != v) {
        float a = tPrev, b = t, fa = prev - p.isoValue;
        for (int it = 0; it < 8; ++it) {  // bisection on the trilinear field
          const float m = 0.5f * (a + b), fm = s.sample(o + d * m) - p.isoValue;
          if ((fa <= 0.0f) == (fm <= 0.0f)) a = m, fa = fm;
          else b = m;
        }
        const float th = 0.5f * (a + b);
        const TfNode n = tfLookup(tf, p.isoValue);
        Vec3f c{n.r, n.g, n.b};
        if (p.shading.on) c = shadeColour(p, c, gradientAt(s, o + d * th), view);
        acc = {c.x, c.y, c.z, 1.0f};
        r.depth = th;
        r.value = p.isoValue;
        break;
      }
    } else {
      if (v > hi) hi = v, tHi = t;
      if (v < lo) lo = v, tLo = t;
      sum += v;
    }
    prev = v;
    tPrev = t;
    ++count;
  }
  if (p.mode == RenderMode::Mip || p.mode == RenderMode::MinIp || p.mode == RenderMode::Average) {
    if (count == 0) return r;
    r.value = p.mode == RenderMode::Mip ? hi : (p.mode == RenderMode::MinIp ? lo : sum / static_cast<float>(count));
    r.depth = p.mode == RenderMode::Mip ? tHi : (p.mode == RenderMode::MinIp ? tLo : t0);
    const TfNode n = tfLookup(tf, r.value);
    acc = {n.r, n.g, n.b, 1.0f};
  }
  r.colour = acc;
  return r;
}

}  // namespace cvx::hd
