// SPDX-License-Identifier: MIT
#include <cvx/viewstate/plane.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cvx::view {

const char* toString(Orientation o) {
  switch (o) {
    case Orientation::Axial: return "axial";
    case Orientation::Coronal: return "coronal";
    case Orientation::Sagittal: return "sagittal";
    case Orientation::Oblique: return "oblique";
  }
  return "oblique";
}

std::optional<Orientation> orientationFromString(const std::string& s) {
  for (Orientation o : {Orientation::Axial, Orientation::Coronal, Orientation::Sagittal, Orientation::Oblique})
    if (s == toString(o)) return o;
  return std::nullopt;
}

Plane standardPlane(Orientation o, Convention c, Vec3 center) {
  const double lr = c == Convention::Radiological ? 1.0 : -1.0;  // +x is the patient's left
  switch (o) {
    case Orientation::Coronal: return {center, {lr, 0, 0}, {0, 0, -1}};
    case Orientation::Sagittal: return {center, {0, 1, 0}, {0, 0, -1}};
    case Orientation::Axial:
    case Orientation::Oblique: break;
  }
  return {center, {lr, 0, 0}, {0, 1, 0}};
}

Vec3 rotateAbout(Vec3 v, Vec3 axis, double radians) {
  const Vec3 k = normalized(axis);
  const double c = std::cos(radians), s = std::sin(radians);
  return v * c + cross(k, v) * s + k * (dot(k, v) * (1 - c));  // Rodrigues
}

std::string directionLabel(Vec3 d) {
  const char pos[3] = {'L', 'P', 'S'}, neg[3] = {'R', 'A', 'I'};
  int order[3] = {0, 1, 2};
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b)
      if (std::abs(d[order[b]]) > std::abs(d[order[a]])) std::swap(order[a], order[b]);
  const double first = std::abs(d[order[0]]);
  if (first < 1e-12) return "";
  std::string s(1, d[order[0]] > 0 ? pos[order[0]] : neg[order[0]]);
  if (std::abs(d[order[1]]) >= 0.5 * first) s += d[order[1]] > 0 ? pos[order[1]] : neg[order[1]];
  return s;
}

Extent gridExtent(const Volume& v, Vec3 direction, GridPoints points) {
  const double a = points == GridPoints::Edges ? -0.5 : 0.0;
  const auto& d = v.dims();
  Extent e{std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()};
  for (int corner = 0; corner < 8; ++corner) {
    const Vec3 w = v.geometry.worldAt(corner & 1 ? d[0] - 1 - a : a, corner & 2 ? d[1] - 1 - a : a,
                                      corner & 4 ? d[2] - 1 - a : a);
    e.lo = std::min(e.lo, dot(w, direction));
    e.hi = std::max(e.hi, dot(w, direction));
  }
  return e;
}

std::array<double, 3> PixelFrame::pixelOf(Vec3 world) const {
  const Vec3 r = world - origin;
  const double uu = dot(du, du), vv = dot(dv, dv);
  const Vec3 n = normalized(cross(du, dv));
  return {uu > 0 ? dot(r, du) / uu : 0, vv > 0 ? dot(r, dv) / vv : 0, dot(r, n)};
}

double gridStepMm(const Geometry& g, Vec3 direction) {
  const Vec3 d = g.voxelFromWorld().applyVector(direction);
  const double m = std::max({std::abs(d.x), std::abs(d.y), std::abs(d.z)});
  return m > 0 ? 1.0 / m : 1.0;
}

}  // namespace cvx::view
