// SPDX-License-Identifier: MIT
#include <cvx/viewstate/overlay.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cvx::view {
namespace {

constexpr double kParallel = 1e-9;  // |n1 x n2| below which two unit normals count as parallel

// Liang-Barsky: clips p + s*d (s in [s0, s1]) to lo <= q <= hi on every axis of voxel space.
bool clipToBox(Vec3 p, Vec3 d, Vec3 lo, Vec3 hi, double& s0, double& s1) {
  for (int a = 0; a < 3; ++a) {
    if (std::abs(d[a]) < 1e-15) {
      if (p[a] < lo[a] || p[a] > hi[a]) return false;
      continue;
    }
    double t0 = (lo[a] - p[a]) / d[a], t1 = (hi[a] - p[a]) / d[a];
    if (t0 > t1) std::swap(t0, t1);
    s0 = std::max(s0, t0);
    s1 = std::min(s1, t1);
    if (s0 > s1) return false;
  }
  return true;
}

// The segment where the plane n2.x = c2 crosses `plane`, clipped to the grid of `vol` (voxel
// edges), as world end points; nothing when parallel or outside.
std::optional<std::array<Vec3, 2>> crossing(const Plane& plane, Vec3 n2, double c2, const Volume& vol) {
  const Vec3 n1 = plane.normal();
  const Vec3 u = cross(n1, n2);
  const double uu = dot(u, u);
  if (uu < kParallel * kParallel) return std::nullopt;
  const double c1 = dot(n1, plane.center);
  // The point of both planes nearest the origin: (c1 (n2 x u) + c2 (u x n1)) / |u|^2.
  const Vec3 p = (cross(n2, u) * c1 + cross(u, n1) * c2) * (1.0 / uu);
  const Mat4 vfw = vol.geometry.voxelFromWorld();
  const Vec3 pv = vfw.applyPoint(p), dv = vfw.applyVector(u);
  const auto& dims = vol.dims();
  const Vec3 lo{-0.5, -0.5, -0.5};
  const Vec3 hi{dims[0] - 0.5, dims[1] - 0.5, dims[2] - 0.5};
  double s0 = -1e300, s1 = 1e300;
  if (!clipToBox(pv, dv, lo, hi, s0, s1) || !(s1 > s0)) return std::nullopt;
  return std::array<Vec3, 2>{p + u * s0, p + u * s1};
}

std::string trimmedNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

EdgeLabels edgeLabels(const ViewerState& state, int view) {
  if (view < 0 || view >= state.viewCount()) return {};
  const Plane& p = state.view(view).plane;
  return {directionLabel(p.right * -1.0), directionLabel(p.right), directionLabel(p.down * -1.0),
          directionLabel(p.down)};
}

ScaleBar scaleBar(double mmPerPixel, double maxPixels, bool spacingKnown) {
  ScaleBar bar;
  if (!(mmPerPixel > 0) || !std::isfinite(mmPerPixel) || !(maxPixels > 0) || !std::isfinite(maxPixels)) return bar;
  const double maxLength = maxPixels * mmPerPixel;
  // Start one decade above and walk down: 5, 2, 1 x 10^k; the relative slack keeps 100 px at
  // 1 mm/px a 100 mm bar despite rounding in the product.
  int k = static_cast<int>(std::floor(std::log10(maxLength))) + 1;
  for (int step = 0; step < 8 && bar.length == 0; ++step, --k) {
    for (double m : {5.0, 2.0, 1.0}) {
      const double len = m * std::pow(10.0, k);
      if (len <= maxLength * (1 + 1e-9)) {
        bar.length = len;
        break;
      }
    }
  }
  if (bar.length == 0) return bar;
  bar.pixels = bar.length / mmPerPixel;
  bar.label = trimmedNumber(bar.length) + (spacingKnown ? " mm" : " px");
  return bar;
}

std::vector<ReferenceLine> referenceLines(const ViewerState& state, int view, int width, int height) {
  std::vector<ReferenceLine> lines;
  if (view < 0 || view >= state.viewCount() || state.layers().empty()) return lines;
  const Volume& ref = *state.layers().front().volume;
  const Plane& mine = state.view(view).plane;
  const PixelFrame f = state.pixelFrame(view, width, height);
  for (int w = 0; w < state.viewCount(); ++w) {
    if (w == view) continue;
    const View& other = state.view(w);
    const Vec3 n2 = other.plane.normal();
    const double c2 = dot(n2, other.plane.center);
    std::vector<std::pair<ReferenceKind, double>> faces{{ReferenceKind::Plane, c2}};
    if (other.slabMm > 0) {
      faces.emplace_back(ReferenceKind::SlabFront, c2 - other.slabMm / 2);
      faces.emplace_back(ReferenceKind::SlabBack, c2 + other.slabMm / 2);
    }
    for (const auto& [kind, c] : faces) {
      const auto seg = crossing(mine, n2, c, ref);
      if (!seg) continue;
      const auto a = f.pixelOf((*seg)[0]), b = f.pixelOf((*seg)[1]);
      lines.push_back({w, other.orientation, kind, a[0], a[1], b[0], b[1]});
    }
  }
  return lines;
}

MarkerPixel pixelOf(const ViewerState& state, int view, Vec3 world, int width, int height) {
  MarkerPixel m;
  if (view < 0 || view >= state.viewCount()) return m;
  const PixelFrame f = state.pixelFrame(view, width, height);
  const auto p = f.pixelOf(world);
  m.x = p[0];
  m.y = p[1];
  m.distanceMm = p[2];
  m.inViewport = m.x >= -0.5 && m.x < f.width - 0.5 && m.y >= -0.5 && m.y < f.height - 0.5;
  return m;
}

}  // namespace cvx::view
