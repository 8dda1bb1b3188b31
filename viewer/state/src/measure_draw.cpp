// SPDX-License-Identifier: MIT
#include <cvx/viewstate/measure_draw.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "measure_internal.h"

namespace cvx::view {
namespace {

std::string fmt(const char* f, double a) {
  char b[64];
  std::snprintf(b, sizeof b, f, a);
  return b;
}

struct Px {
  double x = 0, y = 0;
};

Px toPixel(const PixelFrame& f, Vec3 p) {
  const auto q = f.pixelOf(p);
  return {q[0], q[1]};
}

double segmentDistance(Px p, Px a, Px b) { return segmentDistancePx({p.x, p.y}, {a.x, a.y}, {b.x, b.y}); }

}  // namespace

double segmentFractionPx(std::array<double, 2> p, std::array<double, 2> a, std::array<double, 2> b) {
  const double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
  return len2 > 0 ? std::clamp(((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2, 0.0, 1.0) : 0.0;
}

double segmentDistancePx(std::array<double, 2> p, std::array<double, 2> a, std::array<double, 2> b) {
  const double t = segmentFractionPx(p, a, b);
  return std::hypot(p[0] - (a[0] + t * (b[0] - a[0])), p[1] - (a[1] + t * (b[1] - a[1])));
}

bool outlineClosed(MeasureKind k) { return isRoi(k); }

std::vector<Vec3> outlineWorld(const Measurement& m, int ellipseSegments) {
  if (!isRoi(m.kind) || m.kind == MeasureKind::Freehand || m.points.size() < 2) return m.points;
  const detail::RoiShape s = detail::roiShape(m);
  const Plane& pl = m.plane;
  auto at = [&](double u, double v) { return pl.center + pl.right * u + pl.down * v; };
  if (m.kind == MeasureKind::Rectangle)
    return {at(s.umin, s.vmin), at(s.umax, s.vmin), at(s.umax, s.vmax), at(s.umin, s.vmax)};
  std::vector<Vec3> out;
  const int n = std::max(8, ellipseSegments);
  const double cu = (s.umin + s.umax) / 2, cv = (s.vmin + s.vmax) / 2, a = (s.umax - s.umin) / 2,
               b = (s.vmax - s.vmin) / 2;
  for (int i = 0; i < n; ++i) {
    const double t = 2 * std::numbers::pi * i / n;
    out.push_back(at(cu + a * std::cos(t), cv + b * std::sin(t)));
  }
  return out;
}

int handleAt(const Measurement& m, const PixelFrame& f, double x, double y, double radiusPx) {
  int best = -1;
  double bestD = radiusPx;
  for (size_t i = 0; i < m.points.size(); ++i) {
    const Px p = toPixel(f, m.points[i]);
    const double d = std::hypot(p.x - x, p.y - y);
    if (d <= bestD) bestD = d, best = static_cast<int>(i);
  }
  return best;
}

bool hitOutline(const Measurement& m, const PixelFrame& f, double x, double y, double radiusPx) {
  const std::vector<Vec3> w = outlineWorld(m);
  if (w.empty()) return false;
  std::vector<Px> px;
  for (const Vec3& p : w) px.push_back(toPixel(f, p));
  const Px q{x, y};
  const size_t segments = outlineClosed(m.kind) ? px.size() : px.size() - 1;
  for (size_t i = 0; i < segments; ++i)
    if (segmentDistance(q, px[i], px[(i + 1) % px.size()]) <= radiusPx) return true;
  if (!outlineClosed(m.kind)) return segments == 0 && std::hypot(px[0].x - x, px[0].y - y) <= radiusPx;
  bool in = false;  // even-odd, in pixels
  for (size_t i = 0, n = px.size(), j = n - 1; i < n; j = i++)
    if ((px[i].y > y) != (px[j].y > y) && x < px[j].x + (y - px[j].y) * (px[i].x - px[j].x) / (px[i].y - px[j].y))
      in = !in;
  return in;
}

std::vector<std::string> resultText(const Measurement& m, const MeasureResult& r) {
  std::vector<std::string> lines;
  if (!m.label.empty()) lines.push_back(m.label);
  if (!isRoi(m.kind)) {
    lines.push_back(fmt("%.1f ", r.value) + r.unit);
    return lines;
  }
  lines.push_back(fmt("area %.1f ", r.value) + r.unit);
  if (r.stats && r.stats->count > 0) {
    const std::string unit = r.statsUnit.empty() ? "" : " " + r.statsUnit;
    lines.push_back(fmt("mean %.1f", r.stats->mean) + (std::isnan(r.stats->sd) ? "" : fmt("  SD %.1f", r.stats->sd)) + unit);
    lines.push_back(fmt("min %.1f", r.stats->min) + fmt("  max %.1f", r.stats->max) + "  n " + std::to_string(r.stats->count));
    if (r.suv) lines.push_back(fmt("SUVbw mean %.2f", r.suv->mean) + fmt("  max %.2f", r.suv->max));
    if (r.sul) lines.push_back(fmt("SUL mean %.2f", r.sul->mean) + fmt("  SD %.2f", r.sul->sd));
  }
  return lines;
}

}  // namespace cvx::view
