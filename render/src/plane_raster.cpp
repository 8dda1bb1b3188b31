// SPDX-License-Identifier: MIT
#include <cvx/render/plane_raster.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cvx::render {
namespace {

constexpr int kBandRows = 16;

// A plane ready to intersect: its normal, the outline's orientation, the squared pixel sizes.
struct Prepared {
  const ImagePlane* plane;
  Vec3 n;
  double du2, dv2, sign, eps;
};

bool prepare(const ImagePlane& p, Prepared& out) {
  out.plane = &p;
  out.n = cross(p.du, p.dv);
  out.du2 = dot(p.du, p.du), out.dv2 = dot(p.dv, p.dv);
  if (p.outline.size() < 3 || !(out.du2 > 0) || !(out.dv2 > 0)) return false;
  double area = 0, size = 0;
  for (size_t i = 0; i < p.outline.size(); ++i) {
    const auto& a = p.outline[i];
    const auto& b = p.outline[(i + 1) % p.outline.size()];
    area += a[0] * b[1] - b[0] * a[1];
    size = std::max({size, std::abs(a[0]), std::abs(a[1])});
  }
  if (area == 0) return false;
  out.sign = area > 0 ? 1 : -1;
  out.eps = 1e-9 * (1 + size) * (1 + size);
  return true;
}

bool insideOutline(const Prepared& q, double px, double py) {
  const auto& o = q.plane->outline;
  for (size_t i = 0; i < o.size(); ++i) {
    const auto& a = o[i];
    const auto& b = o[(i + 1) % o.size()];
    if (q.sign * ((b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0])) < -q.eps) return false;
  }
  return true;
}

// Where pixel (x, y)'s ray meets the plane inside its outline and the cuts: t (mm along the ray) and
// the image's continuous pixel coordinates; false where it does not.
bool hit(const WorldRays& rays, const Prepared& q, std::span<const CutPlane> cuts, int x, int y, double& t,
         double& ix, double& iy) {
  const ImagePlane& p = *q.plane;
  const Vec3 o = rays.origin(x, y);
  const Vec3 w = rays.direction(x, y);
  const double den = dot(q.n, w), wl = norm(w);
  if (den == 0 || !(wl > 0)) return false;  // edge-on
  const double s = dot(q.n, p.origin - o) / den;
  if (!(s >= 0) || !std::isfinite(s)) return false;  // behind the ray's start, or (nearly) edge-on
  const Vec3 at = o + w * s;
  ix = dot(at - p.origin, p.du) / q.du2;
  iy = dot(at - p.origin, p.dv) / q.dv2;
  if (!insideOutline(q, ix, iy) || (!cuts.empty() && !keptByCuts(cuts, at))) return false;
  t = s * wl;
  return true;
}

// The image at continuous pixel (ix, iy), bilinear with the pixels' alpha as weights: false where
// the interpolated alpha is below one half (see-through), else its colour (opaque) into rgba.
bool sample(const ImagePlane& p, double ix, double iy, float* rgba) {
  const double fx = std::clamp(ix, 0.0, p.width - 1.0), fy = std::clamp(iy, 0.0, p.height - 1.0);
  const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
  const int x1 = std::min(x0 + 1, p.width - 1), y1 = std::min(y0 + 1, p.height - 1);
  const double ax = fx - x0, ay = fy - y0;
  const uint32_t c[4] = {p.pixels[static_cast<size_t>(y0) * p.width + x0], p.pixels[static_cast<size_t>(y0) * p.width + x1],
                         p.pixels[static_cast<size_t>(y1) * p.width + x0], p.pixels[static_cast<size_t>(y1) * p.width + x1]};
  const double w[4] = {(1 - ax) * (1 - ay), ax * (1 - ay), (1 - ax) * ay, ax * ay};
  double alpha = 0, colour[3] = {0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    const double a = w[i] * static_cast<double>(c[i] >> 24) / 255.0;
    alpha += a;
    for (int k = 0; k < 3; ++k) colour[k] += a * static_cast<double>((c[i] >> (8 * k)) & 0xFFu) / 255.0;
  }
  if (!(alpha >= 0.5)) return false;
  for (int k = 0; k < 3; ++k) rgba[k] = static_cast<float>(colour[k] / alpha);
  rgba[3] = 1.0f;
  return true;
}

std::vector<Prepared> prepared(std::span<const ImagePlane> planes) {
  std::vector<Prepared> out;
  for (const ImagePlane& p : planes) {
    Prepared q{};
    if (prepare(p, q)) out.push_back(q);
  }
  return out;
}

}  // namespace

Status rasterizeImagePlanes(std::span<const ImagePlane> planes, const Camera3D& camera, int width, int height,
                            float* rgba, float* depth, std::span<const CutPlane> cuts, ThreadPool* pool) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384 || !rgba || !depth)
    return makeError("render.bad_request", "a plane image needs a size in 1..16384 and outputs");
  for (const ImagePlane& p : planes)
    if (p.width <= 0 || p.height <= 0 || !p.pixels || !(norm(p.du) > 0) || !(norm(p.dv) > 0))
      return makeError("render.bad_request", "an image plane needs pixels and a non-zero pixel size");
  const std::vector<Prepared> list = prepared(planes);
  const WorldRays rays = worldRays(camera, width, height);
  if (list.empty() || !rays.valid) return {};
  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  const int bands = (height + kBandRows - 1) / kBandRows;
  return tp.parallelFor(bands, [&](int64_t band) {
    const int y0 = static_cast<int>(band) * kBandRows, y1 = std::min(height, y0 + kBandRows);
    for (int y = y0; y < y1; ++y)
      for (int x = 0; x < width; ++x) {
        const size_t i = static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x);
        for (const Prepared& q : list) {
          double t, ix, iy;
          float colour[4];
          if (!hit(rays, q, cuts, x, y, t, ix, iy) || !(static_cast<float>(t) < depth[i]) ||
              !sample(*q.plane, ix, iy, colour))
            continue;
          depth[i] = static_cast<float>(t);
          std::copy(colour, colour + 4, rgba + 4 * i);
        }
      }
  });
}

float imagePlaneDepthAt(std::span<const ImagePlane> planes, const Camera3D& camera, int width, int height, int x,
                        int y, std::span<const CutPlane> cuts) {
  float best = std::numeric_limits<float>::infinity();
  const WorldRays rays = worldRays(camera, width, height);
  if (!rays.valid || x < 0 || y < 0 || x >= width || y >= height) return best;
  for (const Prepared& q : prepared(planes)) {
    double t, ix, iy;
    float colour[4];
    if (hit(rays, q, cuts, x, y, t, ix, iy) && sample(*q.plane, ix, iy, colour)) best = std::min(best, static_cast<float>(t));
  }
  return best;
}

}  // namespace cvx::render
