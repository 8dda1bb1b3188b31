// SPDX-License-Identifier: MIT
// Measurement shapes: kinds, checks, plane coordinates, visibility, and the length, angle and area
// (the ROI values are in measure_stats.cpp).
#include <cvx/viewstate/measure.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "measure_internal.h"

namespace cvx::view {
namespace {

constexpr double kUnitTolerance = 1e-6;

size_t minPoints(MeasureKind k) {
  switch (k) {
    case MeasureKind::Distance: return 2;
    case MeasureKind::Angle: return 3;
    case MeasureKind::Ellipse:
    case MeasureKind::Rectangle: return 2;
    case MeasureKind::Freehand: return 3;
  }
  return 0;
}

}  // namespace

const char* toString(MeasureKind k) {
  switch (k) {
    case MeasureKind::Distance: return "distance";
    case MeasureKind::Angle: return "angle";
    case MeasureKind::Ellipse: return "ellipse";
    case MeasureKind::Rectangle: return "rectangle";
    case MeasureKind::Freehand: return "freehand";
  }
  return "?";
}

std::optional<MeasureKind> measureKindFromString(const std::string& s) {
  for (MeasureKind k : {MeasureKind::Distance, MeasureKind::Angle, MeasureKind::Ellipse, MeasureKind::Rectangle,
                        MeasureKind::Freehand})
    if (s == toString(k)) return k;
  return std::nullopt;
}

bool isRoi(MeasureKind k) {
  return k == MeasureKind::Ellipse || k == MeasureKind::Rectangle || k == MeasureKind::Freehand;
}

Status validate(const Measurement& m) {
  const size_t n = m.points.size(), need = minPoints(m.kind);
  const bool exact = m.kind != MeasureKind::Freehand;
  if (need == 0 || (exact ? n != need : n < need))
    return makeError("measure.bad_shape", std::string(toString(m.kind)) + " needs " + (exact ? "" : "at least ") +
                                              std::to_string(need) + " points, got " + std::to_string(n));
  for (const Vec3& p : m.points)
    if (!isFinite(p)) return makeError("measure.bad_shape", "a point is not finite");
  const Plane& pl = m.plane;
  if (!isFinite(pl.center) || !isFinite(pl.right) || !isFinite(pl.down) || std::abs(norm(pl.right) - 1) > kUnitTolerance ||
      std::abs(norm(pl.down) - 1) > kUnitTolerance || std::abs(dot(pl.right, pl.down)) > kUnitTolerance)
    return makeError("measure.bad_shape", "the plane's right and down must be finite, unit and perpendicular");
  return {};
}

Vec3 projectOnPlane(const Plane& plane, Vec3 p) {
  const Vec3 n = plane.normal();
  return p - n * dot(p - plane.center, n);
}

std::array<double, 2> planeCoords(const Plane& plane, Vec3 p) {
  const Vec3 d = p - plane.center;
  return {dot(d, plane.right), dot(d, plane.down)};
}

bool shownOn(const Measurement& m, const Plane& viewPlane, double sliceStepMm) {
  const Vec3 nv = normalized(viewPlane.normal()), nm = normalized(m.plane.normal());
  const double cosLimit = std::cos(kShownAngleDeg * std::numbers::pi / 180.0);
  if (std::abs(dot(nv, nm)) < cosLimit) return false;
  const double half = 0.5 * std::abs(sliceStepMm) * (1 + 1e-9);
  for (const Vec3& p : m.points)
    if (std::abs(dot(p - viewPlane.center, nv)) > half) return false;
  return !m.points.empty();
}

namespace detail {

Vec3 measureSpace(const Geometry& g, Vec3 v) {
  return g.spacingKnown ? v : g.voxelFromWorld().applyVector(v);
}

double lengthOf(const Geometry& g, Vec3 a, Vec3 b) { return norm(measureSpace(g, b - a)); }

double angleDegOf(const Geometry& g, Vec3 a, Vec3 vertex, Vec3 b) {
  const Vec3 u = measureSpace(g, a - vertex), w = measureSpace(g, b - vertex);
  // atan2 of |u x w| and u.w: accurate near 0 and 180 degrees, where acos is not.
  return std::atan2(norm(cross(u, w)), dot(u, w)) * 180.0 / std::numbers::pi;
}

RoiShape roiShape(const Measurement& m) {
  RoiShape s;
  s.kind = m.kind;
  for (const Vec3& p : m.points) {
    const auto uv = planeCoords(m.plane, p);
    s.u.push_back(uv[0]);
    s.v.push_back(uv[1]);
  }
  const auto [u0, u1] = std::minmax_element(s.u.begin(), s.u.end());
  const auto [v0, v1] = std::minmax_element(s.v.begin(), s.v.end());
  s.umin = *u0, s.umax = *u1, s.vmin = *v0, s.vmax = *v1;
  return s;
}

double RoiShape::areaMm2() const {
  const double w = umax - umin, h = vmax - vmin;
  switch (kind) {
    case MeasureKind::Ellipse: return std::numbers::pi * (w / 2) * (h / 2);
    case MeasureKind::Rectangle: return w * h;
    default: break;
  }
  double twice = 0;  // shoelace
  for (size_t i = 0, n = u.size(); i < n; ++i) {
    const size_t j = (i + 1) % n;
    twice += u[i] * v[j] - u[j] * v[i];
  }
  return std::abs(twice) / 2;
}

bool RoiShape::contains(double pu, double pv, double eps) const {
  switch (kind) {
    case MeasureKind::Rectangle:
      return pu >= umin - eps && pu <= umax + eps && pv >= vmin - eps && pv <= vmax + eps;
    case MeasureKind::Ellipse: {
      const double a = (umax - umin) / 2 + eps, b = (vmax - vmin) / 2 + eps;
      const double du = (pu - (umin + umax) / 2) / a, dv = (pv - (vmin + vmax) / 2) / b;
      return du * du + dv * dv <= 1;
    }
    default: break;
  }
  // Even-odd crossings of a ray towards +u (the polygon may be drawn either way round).
  bool in = false;
  for (size_t i = 0, n = u.size(), j = n - 1; i < n; j = i++) {
    if ((v[i] > pv) != (v[j] > pv)) {
      const double x = u[j] + (pv - v[j]) * (u[i] - u[j]) / (v[i] - v[j]);
      if (pu < x) in = !in;
    }
  }
  return in;
}

double pixelAreaPerMm2(const Geometry& g, Vec3 normal) {
  // A linear map M scales the area of a plane with unit normal n by |det M| |M^-T n|; here M is
  // voxelFromWorld, so M^-T = worldFromVoxel^T (W) and |det M| = 1 / |det W|.
  const Mat4 w = g.worldFromVoxel();
  const Vec3 c0 = w.applyVector({1, 0, 0}), c1 = w.applyVector({0, 1, 0}), c2 = w.applyVector({0, 0, 1});
  const double det = dot(c0, cross(c1, c2));
  const Vec3 n = normalized(normal);
  const Vec3 wtn{dot(c0, n), dot(c1, n), dot(c2, n)};
  return det != 0 ? norm(wtn) / std::abs(det) : 1.0;
}

}  // namespace detail
}  // namespace cvx::view
