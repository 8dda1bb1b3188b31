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

template <class T>
void rangesOf(const Volume& v, int64_t phase, BrickRanges& r) {
  const auto& d = v.dims();
  const T* data = reinterpret_cast<const T*>(v.slice(0, phase));
  const bool rescale = !v.info.rescaleApplied;
  const double slope = rescale ? v.info.rescaleSlope : 1.0, intercept = rescale ? v.info.rescaleIntercept : 0.0;
  for (int bz = 0; bz < r.bz; ++bz)
    for (int by = 0; by < r.by; ++by)
      for (int bx = 0; bx < r.bx; ++bx) {
        // The brick's voxels and a one-voxel apron, clamped to the grid.
        const int64_t lo[3] = {std::max<int64_t>(0, int64_t{bx} * r.size - 1),
                               std::max<int64_t>(0, int64_t{by} * r.size - 1),
                               std::max<int64_t>(0, int64_t{bz} * r.size - 1)};
        const int64_t hi[3] = {std::min<int64_t>(d[0] - 1, int64_t{bx + 1} * r.size),
                               std::min<int64_t>(d[1] - 1, int64_t{by + 1} * r.size),
                               std::min<int64_t>(d[2] - 1, int64_t{bz + 1} * r.size)};
        float mn = INFINITY, mx = -INFINITY;
        for (int64_t z = lo[2]; z <= hi[2]; ++z)
          for (int64_t y = lo[1]; y <= hi[1]; ++y) {
            const T* row = data + (z * d[1] + y) * d[0];
            for (int64_t x = lo[0]; x <= hi[0]; ++x) {
              const float s = hd::loadVoxel(row + x);
              mn = s < mn ? s : mn;
              mx = s > mx ? s : mx;
            }
          }
        // The sampler applies slope and intercept to the interpolated value: so do the bounds
        // (a negative slope swaps them).
        float a = static_cast<float>(mn * slope + intercept), b = static_cast<float>(mx * slope + intercept);
        if (a > b) std::swap(a, b);
        const size_t i = (static_cast<size_t>(bz) * r.by + by) * r.bx + bx;
        r.minMax[2 * i] = a;
        r.minMax[2 * i + 1] = b;
      }
}

}  // namespace

hd::RayCamera rayCamera(const Geometry& g, const Camera3D& c, int width, int height) {
  hd::RayCamera cam;
  Mat4 voxelFromWorld;
  const Vec3 f = normalized(c.center - c.eye);
  const Vec3 right = normalized(cross(f, c.up));
  const Vec3 up = cross(right, f);
  if (!invertAffine(g.worldFromVoxel(), voxelFromWorld) || !(norm(f) > 0) || !(norm(right) > 0) || width <= 0 ||
      height <= 0) {
    cam.tNear = INFINITY;  // hits nothing
    return cam;
  }
  Vec3 o = c.eye, ou{}, ov{}, w = f, wu{}, wv{};
  if (c.perspective) {
    const double pixel = 2 * std::tan(std::clamp(c.fovYDeg, 1e-3, 179.0) * std::numbers::pi / 360) / height;
    const PlaneLinear pl = imagePlane(right, up, pixel, width, height);
    w = f + pl.base, wu = pl.perX, wv = pl.perY;
  } else {
    const double pixel = 2 * c.parallelHalfHeightMm / height;
    const PlaneLinear pl = imagePlane(right, up, pixel, width, height);
    o = c.eye + pl.base, ou = pl.perX, ov = pl.perY;
  }
  cam.o = toFloat(voxelFromWorld.applyPoint(o));
  cam.ou = toFloat(voxelFromWorld.applyVector(ou));
  cam.ov = toFloat(voxelFromWorld.applyVector(ov));
  cam.w = toFloat(w), cam.wu = toFloat(wu), cam.wv = toFloat(wv);
  cam.d = toFloat(voxelFromWorld.applyVector(w));
  cam.du = toFloat(voxelFromWorld.applyVector(wu));
  cam.dv = toFloat(voxelFromWorld.applyVector(wv));
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

BrickRanges brickRanges(const Volume& v, int64_t phase, int size) {
  BrickRanges r;
  const auto& d = v.dims();
  if (size < 1 || phase < 0 || phase >= d[3] || !v.data()) return r;
  r.size = size;
  r.bx = static_cast<int>((d[0] + size - 1) / size);
  r.by = static_cast<int>((d[1] + size - 1) / size);
  r.bz = static_cast<int>((d[2] + size - 1) / size);
  r.minMax.assign(static_cast<size_t>(r.bx) * r.by * r.bz * 2, 0.0f);
  switch (v.type()) {
    case PixelType::UInt8: rangesOf<uint8_t>(v, phase, r); break;
    case PixelType::Int16: rangesOf<int16_t>(v, phase, r); break;
    case PixelType::UInt16: rangesOf<uint16_t>(v, phase, r); break;
    case PixelType::Float32: rangesOf<float>(v, phase, r); break;
    case PixelType::RGB8: rangesOf<hd::Rgb<uint8_t>>(v, phase, r); break;
    case PixelType::RGB16: rangesOf<hd::Rgb<uint16_t>>(v, phase, r); break;
    case PixelType::RGB32: rangesOf<hd::Rgb<uint32_t>>(v, phase, r); break;
    default: r = {}; break;
  }
  return r;
}

}  // namespace cvx
