// SPDX-License-Identifier: MIT
// The fused second volume's part of a ray (raycast.h's Fusion), for shadePixel. Included by
// raycast_shade.h.
#pragma once
#include <cvx/core/hd/raycast.h>
#include <cvx/core/hd/raycast_light.h>

namespace cvx::hd {

// No second volume (shadePixel without fusion).
struct NoSecond {
  CVX_HD_INLINE float sample(Vec3f) const { return 0.0f; }
  CVX_HD_INLINE Vec3f gradient(Vec3f) const { return {}; }
};

// The first volume's position q in the second's voxel index (raycast.h's Fusion); false outside
// the second's box.
CVX_HD_INLINE bool fusedPoint(const Fusion& f, Vec3f q, Vec3f& q2) {
  const float(*m)[4] = f.fromFirst;
  q2 = {m[0][0] * q.x + m[0][1] * q.y + m[0][2] * q.z + m[0][3], m[1][0] * q.x + m[1][1] * q.y + m[1][2] * q.z + m[1][3],
        m[2][0] * q.x + m[2][1] * q.y + m[2][2] * q.z + m[2][3]};
  return q2.x >= f.lo.x && q2.x <= f.hi.x && q2.y >= f.lo.y && q2.y <= f.hi.y && q2.z >= f.lo.z && q2.z <= f.hi.z;
}

// The second volume's cursor at q (a ray landing after a leap): started there inside its box.
template <class Sampler2>
CVX_HD_INLINE void fusedStart(const RaycastParams& p, const Sampler2& s2, TfCursor& cur2, Vec3f q) {
  Vec3f q2;
  if (fusedPoint(p.fusion, q, q2)) tfStart(p.fusion.tf, cur2, s2.sample(q2));
  else cur2.started = false;
}

// The second volume's part of the segment at q (raycast.h's Fusion), moving its cursor; nothing
// outside its box.
template <class Sampler2>
CVX_HD_INLINE Rgba fusedSegment(const RaycastParams& p, const Sampler2& s2, TfCursor& cur2, Vec3f q, Vec3f view) {
  const Fusion& f = p.fusion;
  Vec3f q2;
  if (!fusedPoint(f, q, q2)) {
    cur2.started = false;  // pre-integration restarts on re-entry
    return {};
  }
  const float v2 = s2.sample(q2);
  Rgba seg = tfStep(f.tf, cur2, v2, p.stepMm);
  if (seg.a > 0.0f && f.tf2.nodes) return segment2D(p, f.tf2, v2, worldGradient(f.gradWorld, s2.gradient(q2)), view);
  if (seg.a > 0.0f && p.shading.on) {
    const Vec3f c = shadeWorld(p, {seg.r, seg.g, seg.b}, worldGradient(f.gradWorld, s2.gradient(q2)), view);
    seg.r = c.x, seg.g = c.y, seg.b = c.z;
  }
  return seg;
}

}  // namespace cvx::hd
