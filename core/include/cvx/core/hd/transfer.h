// SPDX-License-Identifier: MIT
// Transfer functions for volume rendering, for CPU and GPU alike: a 1D table over modality values
// (HU, SUV, ...) giving colour and extinction, its lookup, and pre-integration.
#pragma once
#include <math.h>
#include <stdint.h>

#include <cvx/core/hd/config.h>
#include <cvx/core/hd/math.h>

namespace cvx::hd {

// The rules (docs/rendering.md, "Transfer functions"):
// - The table has n >= 2 nodes over [lo, hi] (lo < hi): node i sits at value
//   v_i = lo + i * (hi - lo) / (n - 1). A value between nodes interpolates linearly; a value below lo
//   or above hi takes the end node (so the first and last nodes are the bin edges, exact).
// - A node holds a colour (r, g, b in 0..1) and an extinction coefficient sigma per mm (>= 0).
//   A sample of length ds mm has opacity 1 - exp(-sigma * ds): changing the step keeps the image
//   (opacity correction). A preset's "opacity a per unit distance u" is sigma = -ln(1 - a) / u, the
//   same correction as VTK's ScalarOpacityUnitDistance.
// - Pre-integration: `integral` holds, per node, the running integrals over value of sigma (in
//   .sigma) and of sigma * colour (in .r, .g, .b) from lo, exact for the piecewise-linear table. A
//   ray segment whose value runs linearly from sf to sb has optical depth
//   ds * (S(sb) - S(sf)) / (sb - sf) and colour (C(sb) - C(sf)) / (S(sb) - S(sf)) (Engel et al. 2001,
//   without self-attenuation inside the segment); when sf and sb are (nearly) equal it is the point
//   lookup.
struct alignas(16) TfNode {  // 16-aligned: one 128-bit load on the device
  float r = 0, g = 0, b = 0, sigma = 0;
};

struct TransferFunction1D {
  const TfNode* nodes = nullptr;     // n entries
  const TfNode* integral = nullptr;  // n entries, or null: no pre-integration
  int n = 0;
  float lo = 0, hi = 1;
  // Every value at or below clearBelow has sigma 0 (in tfPos's own arithmetic), and so has every
  // segment between two such values: a ray takes those without the table, with the same result
  // (CT's air and soft tissue under a bone preset). -inf: none known. TransferTable::view sets it.
  float clearBelow = -__builtin_inff();
  // On the device: CUDA texture objects over nodes and integral (cuda/src/raycast_upload.h), through
  // which tfNodeAt reads them; 0 (the host, or CVX_CUDA_TF=global): plain loads.
  unsigned long long nodesTex = 0, integralTex = 0;
};

// Entry i of a table: one 128-bit fetch through the texture unit on the device when tex names a
// texture object over the table, else one 128-bit load (on the device through the read-only cache,
// __ldg). The same 16 bytes either way: the table is read unfiltered (point fetches), so the GPU's
// transfer function is the CPU's bit for bit. (A texture is made only for a table of at most 2^27
// entries, the 1D linear texture's limit, so i fits an int there.)
CVX_HD_INLINE TfNode tfNodeAt(const TfNode* table, unsigned long long tex, int64_t i) {
#if defined(__CUDA_ARCH__)
  const float4 q =
      tex ? tex1Dfetch<float4>(tex, static_cast<int>(i)) : __ldg(reinterpret_cast<const float4*>(table) + i);
  return {q.x, q.y, q.z, q.w};
#else
  (void)tex;
  return table[i];
#endif
}
CVX_HD_INLINE TfNode tfNode(const TransferFunction1D& tf, int i) { return tfNodeAt(tf.nodes, tf.nodesTex, i); }
CVX_HD_INLINE TfNode tfBase(const TransferFunction1D& tf, int i) { return tfNodeAt(tf.integral, tf.integralTex, i); }

// Where value v falls: node index i (0..n-2) and weight f of node i + 1, clamped to [lo, hi] (NaN
// takes the first node).
struct TfPos {
  int i = 0;
  float f = 0;
};
CVX_HD_INLINE TfPos tfPos(const TransferFunction1D& tf, float v) {
  const float last = static_cast<float>(tf.n - 1);
  float u = (v - tf.lo) / (tf.hi - tf.lo) * last;
  u = u > 0.0f ? u : 0.0f;  // NaN becomes 0: the first node
  u = u < last ? u : last;
  int i = static_cast<int>(u);
  i = i < tf.n - 2 ? i : tf.n - 2;
  return {i, u - static_cast<float>(i)};
}

CVX_HD_INLINE TfNode lerpNode(const TfNode& a, const TfNode& b, float f) {
  return {a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b), a.sigma + f * (b.sigma - a.sigma)};
}

// Colour and extinction at value v.
CVX_HD_INLINE TfNode tfLookup(const TransferFunction1D& tf, float v) {
  const TfPos p = tfPos(tf, v);
  return lerpNode(tfNode(tf, p.i), tfNode(tf, p.i + 1), p.f);
}

// The running integrals (sigma, sigma * colour) from lo to v, exact for the linear pieces: within
// node interval i, sigma and colour are linear in the fraction f, so their integrals over [0, f]
// are polynomials in f (times the interval's width h). tfIntegralSigma is the sigma channel alone,
// in the same arithmetic (the same bits): enough to tell a transparent segment.
CVX_HD_INLINE float tfNodeWidth(const TransferFunction1D& tf) { return (tf.hi - tf.lo) / static_cast<float>(tf.n - 1); }
// Beyond the ends the end node holds (as tfLookup), so the integrals run on linearly: the excess
// of v beyond [lo, hi] (0 inside).
CVX_HD_INLINE float tfOver(const TransferFunction1D& tf, float v) {
  return v > tf.hi ? v - tf.hi : (v < tf.lo ? v - tf.lo : 0.0f);
}
CVX_HD_INLINE float tfIntegralSigma(const TransferFunction1D& tf, float v) {
  const TfPos p = tfPos(tf, v);
  const float as = tfNode(tf, p.i).sigma, ds = tfNode(tf, p.i + 1).sigma - as;
  const float f = p.f, f2 = f * f * 0.5f;
  float s = tfBase(tf, p.i).sigma + tfNodeWidth(tf) * (as * f + ds * f2);
  const float over = tfOver(tf, v);
  if (over != 0.0f) s += tfNode(tf, v > tf.hi ? tf.n - 1 : 0).sigma * over;
  return s;
}
CVX_HD_INLINE TfNode tfIntegral(const TransferFunction1D& tf, float v) {
  const TfPos p = tfPos(tf, v);
  const TfNode a = tfNode(tf, p.i);
  const TfNode b = tfNode(tf, p.i + 1);
  const float h = tfNodeWidth(tf);
  const float f = p.f, f2 = f * f * 0.5f, f3 = f * f * f / 3.0f;
  const float ds = b.sigma - a.sigma;
  // Integral of sigma(t) * c(t), c(t) = a.c + t dc, over [0, f].
  auto sc = [&](float ac, float bc) {
    const float dc = bc - ac;
    return h * (a.sigma * ac * f + (a.sigma * dc + ds * ac) * f2 + ds * dc * f3);
  };
  TfNode r;
  r.sigma = tfIntegralSigma(tf, v);
  const TfNode base = tfBase(tf, p.i);
  r.r = base.r + sc(a.r, b.r);
  r.g = base.g + sc(a.g, b.g);
  r.b = base.b + sc(a.b, b.b);
  const float over = tfOver(tf, v);
  if (over != 0.0f) {
    const TfNode e = tfNode(tf, v > tf.hi ? tf.n - 1 : 0);
    r.r += e.sigma * e.r * over;
    r.g += e.sigma * e.g * over;
    r.b += e.sigma * e.b * over;
  }
  return r;
}

// Colour and opacity of a segment of ds mm whose value runs from sf to sb, premultiplied colour
// left to the caller: {r, g, b, alpha}.
struct Rgba {
  float r = 0, g = 0, b = 0, a = 0;
};

// 0 for sigma 0 without the exponential (most samples of a rendering are transparent).
CVX_HD_INLINE float opacityOf(float sigma, float ds) { return sigma > 0.0f ? 1.0f - expf(-sigma * ds) : 0.0f; }

// A ray's pre-integration state at its previous sample: the value, its sigma integral, and its
// colour integrals once some segment needed them. A ray reuses each sample's integrals as the next
// segment's start, and computes colour integrals only for segments that are not transparent.
struct TfCursor {
  float v = 0, sigma = 0;
  TfNode full;
  bool haveFull = false, started = false;
};

// Places the cursor at value v (a ray's first sample, or where it lands after skipping).
CVX_HD_INLINE void tfStart(const TransferFunction1D& tf, TfCursor& c, float v) {
  c.v = v;
  c.sigma = tf.integral ? tfIntegralSigma(tf, v) : 0.0f;
  c.haveFull = false;
  c.started = true;
}

// The segment from the cursor's value to v (ds mm), and the cursor moved to v. A cursor not yet
// started gives the point lookup at v. A span below 1e-3 of a node width, or a table without
// integrals, gives the point lookup at the midpoint.
CVX_HD_INLINE Rgba tfStep(const TransferFunction1D& tf, TfCursor& c, float v, float ds) {
  if (v <= tf.clearBelow && c.started && c.v <= tf.clearBelow) {
    c.v = v;  // the integrals are constant below clearBelow: the cursor's stay exact
    return {};
  }
  const float sf = c.started ? c.v : v, span = v - sf, scale = tfNodeWidth(tf);
  const float sv = tf.integral ? tfIntegralSigma(tf, v) : 0.0f;
  Rgba out;
  TfNode full;
  bool haveFull = false;
  if (!tf.integral || !(span > 1e-3f * scale || span < -1e-3f * scale)) {
    const TfNode m = tfLookup(tf, 0.5f * (sf + v));
    out = {m.r, m.g, m.b, opacityOf(m.sigma, ds)};
  } else {
    const float s = sv - c.sigma;
    if (s > 1e-12f || s < -1e-12f) {
      const TfNode i0 = c.haveFull ? c.full : tfIntegral(tf, sf);
      full = tfIntegral(tf, v);
      haveFull = true;
      const float depth = ds * s / span;
      out = {(full.r - i0.r) / s, (full.g - i0.g) / s, (full.b - i0.b) / s, 1.0f - expf(-(depth > 0 ? depth : 0.0f))};
    }
  }
  c.v = v;
  c.sigma = sv;
  c.full = full;
  c.haveFull = haveFull;
  c.started = true;
  return out;
}

// One segment from sf to sb on its own.
CVX_HD_INLINE Rgba tfSegment(const TransferFunction1D& tf, float sf, float sb, float ds) {
  TfCursor c;
  tfStart(tf, c, sf);
  return tfStep(tf, c, sb, ds);
}

}  // namespace cvx::hd
