// SPDX-License-Identifier: MIT
#include <cvx/core/raycast.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cvx {
namespace {

hd::Vec3f toFloat(Vec3 v) { return {static_cast<float>(v.x), static_cast<float>(v.y), static_cast<float>(v.z)}; }

// Pixel (x, y)'s image-plane offset from the centre, at scale `pixel`: right * (x + 0.5 - w/2) * pixel
// - up * (y + 0.5 - h/2) * pixel, split into its constant and per-pixel parts.
struct PlaneLinear {
  Vec3 base, perX, perY;
};
PlaneLinear imagePlane(Vec3 right, Vec3 up, double pixel, int width, int height) {
  return {right * ((0.5 - width / 2.0) * pixel) - up * ((0.5 - height / 2.0) * pixel), right * pixel, up * -pixel};
}

}  // namespace

WorldRays worldRays(const Camera3D& c, int width, int height) {
  WorldRays r;
  const Vec3 f = normalized(c.center - c.eye);
  const Vec3 right = normalized(cross(f, c.up));
  const Vec3 up = cross(right, f);
  if (!(norm(f) > 0) || !(norm(right) > 0) || width <= 0 || height <= 0) return r;
  r.valid = true;
  r.perspective = c.perspective;
  r.o = c.eye, r.w = f;
  if (c.perspective) {
    const double pixel = 2 * std::tan(std::clamp(c.fovYDeg, 1e-3, 179.0) * std::numbers::pi / 360) / height;
    const PlaneLinear pl = imagePlane(right, up, pixel, width, height);
    r.w = f + pl.base, r.wu = pl.perX, r.wv = pl.perY;
  } else {
    const double pixel = 2 * c.parallelHalfHeightMm / height;
    const PlaneLinear pl = imagePlane(right, up, pixel, width, height);
    r.o = c.eye + pl.base, r.ou = pl.perX, r.ov = pl.perY;
  }
  return r;
}

std::optional<std::array<double, 2>> projectToPixel(const Camera3D& c, Vec3 world, int width, int height) {
  const Vec3 f = normalized(c.center - c.eye);
  const Vec3 right = normalized(cross(f, c.up));
  const Vec3 up = cross(right, f);
  if (!(norm(f) > 0) || !(norm(right) > 0) || width <= 0 || height <= 0) return std::nullopt;
  const Vec3 rel = world - c.eye;
  double u = dot(rel, right), v = dot(rel, up), pixel = 2 * c.parallelHalfHeightMm / height;
  if (c.perspective) {
    const double depth = dot(rel, f);
    if (!(depth > 0)) return std::nullopt;
    u /= depth;
    v /= depth;
    pixel = 2 * std::tan(std::clamp(c.fovYDeg, 1e-3, 179.0) * std::numbers::pi / 360) / height;
  }
  return std::array<double, 2>{width / 2.0 + u / pixel, height / 2.0 - v / pixel};
}

hd::RayCamera rayCamera(const Geometry& g, const Camera3D& c, int width, int height) {
  hd::RayCamera cam;
  Mat4 voxelFromWorld;
  const WorldRays r = worldRays(c, width, height);
  if (!r.valid || !invertAffine(g.worldFromVoxel(), voxelFromWorld)) {
    cam.tNear = INFINITY;  // hits nothing
    return cam;
  }
  cam.o = toFloat(voxelFromWorld.applyPoint(r.o));
  cam.ou = toFloat(voxelFromWorld.applyVector(r.ou));
  cam.ov = toFloat(voxelFromWorld.applyVector(r.ov));
  cam.w = toFloat(r.w), cam.wu = toFloat(r.wu), cam.wv = toFloat(r.wv);
  cam.d = toFloat(voxelFromWorld.applyVector(r.w));
  cam.du = toFloat(voxelFromWorld.applyVector(r.wu));
  cam.dv = toFloat(voxelFromWorld.applyVector(r.wv));
  return cam;
}

hd::RaycastParams raycastParams(const Geometry& g, const std::array<int64_t, 4>& dims, const Camera3D& c,
                                int width, int height) {
  hd::RaycastParams p;
  p.cam = rayCamera(g, c, width, height);
  p.width = width;
  p.boxLo = {-0.5f, -0.5f, -0.5f};
  p.boxHi = {static_cast<float>(dims[0]) - 0.5f, static_cast<float>(dims[1]) - 0.5f,
             static_cast<float>(dims[2]) - 0.5f};
  Mat4 voxelFromWorld;
  if (invertAffine(g.worldFromVoxel(), voxelFromWorld))
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) p.gradWorld[i][j] = static_cast<float>(voxelFromWorld.m[j][i]);
  return p;
}

hd::Fusion fusionParams(const Geometry& g, const Geometry& g2, const std::array<int64_t, 4>& dims2,
                        const hd::TransferFunction1D& tf2) {
  hd::Fusion f;
  f.tf = tf2;
  f.hi = {static_cast<float>(dims2[0]) - 0.5f, static_cast<float>(dims2[1]) - 0.5f,
          static_cast<float>(dims2[2]) - 0.5f};
  Mat4 voxelFromWorld2;
  if (!invertAffine(g2.worldFromVoxel(), voxelFromWorld2)) {
    f.hi = {-1, -1, -1};  // a degenerate grid: an empty box, nothing fused
    return f;
  }
  const Mat4 m = voxelFromWorld2 * g.worldFromVoxel();
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 4; ++j) f.fromFirst[i][j] = static_cast<float>(m.m[i][j]);
    for (int j = 0; j < 3; ++j) f.gradWorld[i][j] = static_cast<float>(voxelFromWorld2.m[j][i]);
  }
  return f;
}

}  // namespace cvx
