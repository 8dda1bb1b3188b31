// SPDX-License-Identifier: MIT
#include <cvx/core/reslice.h>

#include <algorithm>
#include <cmath>

namespace cvx {
namespace {

hd::Vec3f toFloat(Vec3 v) {
  return {static_cast<float>(v.x), static_cast<float>(v.y), static_cast<float>(v.z)};
}

// The inverse of an axis-aligned worldFromVoxel leaves round-off (1e-17) where a component is zero;
// a zero component is what lets the CPU back end take its slice-aligned path. Components this far
// below the vector's length move a sample by less than a float can tell over any image size.
Vec3 snapTiny(Vec3 v) {
  const double limit = 1e-12 * std::max({std::fabs(v.x), std::fabs(v.y), std::fabs(v.z)});
  for (int i = 0; i < 3; ++i)
    if (std::fabs(v[i]) < limit) v[i] = 0;
  return v;
}

}  // namespace

hd::ResliceParams resliceParams(const Geometry& g, const WorldPlane& plane, double slabMm, hd::SlabMode mode) {
  hd::ResliceParams p;
  p.mode = mode;
  Mat4 voxelFromWorld;
  if (!invertAffine(g.worldFromVoxel(), voxelFromWorld)) return p;  // degenerate grid: all zero
  p.origin = toFloat(voxelFromWorld.applyPoint(plane.origin));
  p.du = toFloat(snapTiny(voxelFromWorld.applyVector(plane.du)));
  p.dv = toFloat(snapTiny(voxelFromWorld.applyVector(plane.dv)));
  const Vec3 normal = cross(plane.du, plane.dv);
  if (norm(normal) == 0) return p;
  // Voxel-index step per mm along the normal; scaled so that its largest component is one voxel.
  const Vec3 perMm = snapTiny(voxelFromWorld.applyVector(normalized(normal)));
  const double largest = std::max({std::fabs(perMm.x), std::fabs(perMm.y), std::fabs(perMm.z)});
  if (!(largest > 0)) return p;
  p.dn = toFloat(perMm * (1.0 / largest));
  if (slabMm > 0 && std::isfinite(slabMm)) {
    const double stepMm = 1.0 / largest;
    // 1e-9: a slab of exactly 2h steps keeps its two end samples despite round-off.
    const double half = std::floor(slabMm / (2.0 * stepMm) + 1e-9);
    p.slabSamples = static_cast<int>(std::min<double>(2.0 * half + 1.0, kMaxSlabSamples));
  }
  return p;
}

double slabStepMm(const Geometry& g, const hd::ResliceParams& p) {
  const Vec3 dn{p.dn.x, p.dn.y, p.dn.z};
  return norm(g.worldFromVoxel().applyVector(dn));
}

}  // namespace cvx
