// SPDX-License-Identifier: MIT
#include "render_orbit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace cvx::bench {

Result<std::shared_ptr<Volume>> cineSeriesOf(const Volume& ct, int phases) {
  if (ct.type() != PixelType::Int16 && ct.type() != PixelType::UInt16)
    return makeError("render.bad_request", "the cine series is built from 16-bit voxels");
  const auto d = ct.dims();
  auto made = Volume::create(ct.type(), {d[0], d[1], d[2], phases}, VoxelInit::Uninitialized);
  if (!made) return made.error();
  Volume& v = **made;
  v.geometry = ct.geometry;
  v.info = ct.info;
  const size_t n = static_cast<size_t>(ct.voxelsPerPhase());
  for (size_t t = 0; t < static_cast<size_t>(phases); ++t)
    for (size_t i = 0; i < n; ++i) {
      if (ct.type() == PixelType::Int16)
        v.as<int16_t>()[t * n + i] = static_cast<int16_t>(ct.as<int16_t>()[i] + 20 * t);
      else
        v.as<uint16_t>()[t * n + i] = static_cast<uint16_t>(ct.as<uint16_t>()[i] + 20 * t);
    }
  return made;
}

Timing timingOf(std::vector<double> s) {
  Timing t;
  if (s.empty()) return t;
  std::sort(s.begin(), s.end());
  t.medianMs = s[s.size() / 2] * 1e3;
  t.p95Ms = s[std::min(s.size() - 1, size_t(std::ceil(0.95 * double(s.size()))) - 1)] * 1e3;
  t.fps = t.medianMs > 0 ? 1e3 / t.medianMs : 0;
  return t;
}

Camera3D orbitCamera(const Volume& v, const RenderSetup& s, int i) {
  const Geometry& g = v.geometry;
  const auto& d = v.dims();
  const Vec3 centre = g.worldFromVoxel().applyPoint({(d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0});
  const double diag = std::hypot(d[0] * g.spacingMm.x, d[1] * g.spacingMm.y);
  const double halfHeight = 0.55 * diag;
  const double a = i * s.stepDeg * std::numbers::pi / 180;
  Camera3D c;
  c.perspective = s.perspective;
  c.fovYDeg = s.fovYDeg;
  c.parallelHalfHeightMm = halfHeight;
  const double dist = s.perspective ? halfHeight / std::tan(s.fovYDeg * std::numbers::pi / 360) : diag;
  c.center = centre;
  c.eye = centre + Vec3{std::sin(a), -std::cos(a), 0} * dist;  // LPS: anterior is -y
  c.up = {0, 0, 1};
  return c;
}

std::string num(double v, const char* fmt) {
  if (!std::isfinite(v)) return "NA";
  char s[32];
  std::snprintf(s, sizeof s, fmt, v);
  return s;
}

}  // namespace cvx::bench
