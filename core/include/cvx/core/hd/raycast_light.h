// SPDX-License-Identifier: MIT
// The ray caster's lighting (raycast.h's shading rule): Blinn-Phong with a headlight from gradients
// taken to patient space by the inverse-transpose. Included by raycast_shade.h.
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

// A segment that a 2D table's envelope let through (transfer2d.h's rules): the table at (v, |g|),
// opacity over the step, shaded with g (patient space) where shading is on. For the volume and
// for a fused layer alike.
CVX_HD_INLINE Rgba segment2D(const RaycastParams& p, const TransferFunction2D& t2, float v, Vec3f g, Vec3f view) {
  const TfNode n = tf2Lookup(t2, v, sqrtf(dot(g, g)));
  Rgba seg = {n.r, n.g, n.b, opacityOf(n.sigma, p.stepMm)};
  if (seg.a > 0.0f && p.shading.on) {
    const Vec3f c = shadeWorld(p, {seg.r, seg.g, seg.b}, g, view);
    seg.r = c.x, seg.g = c.y, seg.b = c.z;
  }
  return seg;
}

}  // namespace cvx::hd
