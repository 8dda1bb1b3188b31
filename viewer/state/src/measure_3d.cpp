// SPDX-License-Identifier: MIT
#include <cvx/viewstate/measure_3d.h>

#include <cmath>
#include <initializer_list>
#include <utility>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/measure_draw.h>
#include <cvx/viewstate/measure_export.h>

namespace cvx::view {
namespace {

// A unit vector perpendicular to unit u.
Vec3 anyPerpendicular(Vec3 u) {
  const Vec3 axis = std::abs(u.x) <= std::abs(u.y) && std::abs(u.x) <= std::abs(u.z) ? Vec3{1, 0, 0}
                    : std::abs(u.y) <= std::abs(u.z)                                 ? Vec3{0, 1, 0}
                                                                                     : Vec3{0, 0, 1};
  return normalized(cross(u, axis));
}

// A measurement of the reference layer at the state's phase through `points`, on the plane through
// `origin` spanned by unit `right` and the unit normal n (perpendicular to right).
Result<Measurement> onPlane(const ViewerState& s, MeasureKind kind, std::vector<Vec3> points, Vec3 origin,
                            Vec3 right, Vec3 n) {
  Measurement m;
  m.kind = kind;
  m.layer = 0;
  m.seriesUid = s.layers().front().volume->info.seriesInstanceUid;
  m.phase = s.phase();
  m.plane.center = origin;
  m.plane.right = right;
  m.plane.down = cross(n, right);  // unit: n and right are perpendicular unit vectors
  m.points = std::move(points);
  CVX_TRY(validate(m));
  return m;
}

// The unit normal of the plane through unit direction `right` that faces the line of sight most: the
// line of sight less its part along right (any perpendicular when they are parallel).
Vec3 facing(Vec3 right, Vec3 lineOfSight) {
  const Vec3 w = normalized(lineOfSight);
  const Vec3 n = w - right * dot(w, right);
  return norm(n) > 1e-9 ? normalized(n) : anyPerpendicular(right);
}

Status checkInputs(const ViewerState& s, std::initializer_list<Vec3> points, Vec3 lineOfSight) {
  if (s.layers().empty() || !s.layers().front().volume)
    return makeError("render.bad_request", "a measurement in 3D needs a series");
  for (const Vec3& p : points)
    if (!isFinite(p)) return makeError("measure.bad_shape", "a point picked in 3D is not finite");
  if (!isFinite(lineOfSight) || !(norm(lineOfSight) > 0))
    return makeError("measure.bad_shape", "a measurement in 3D needs a line of sight");
  return {};
}

}  // namespace

Result<Measurement> distanceIn3d(const ViewerState& s, Vec3 a, Vec3 b, Vec3 lineOfSight) {
  CVX_TRY(checkInputs(s, {a, b}, lineOfSight));
  const double length = norm(b - a);
  if (!(length > 0)) return makeError("measure.bad_shape", "a distance in 3D needs two distinct ends");
  const Vec3 right = (b - a) * (1.0 / length);
  return onPlane(s, MeasureKind::Distance, {a, b}, (a + b) * 0.5, right, facing(right, lineOfSight));
}

Result<Measurement> angleIn3d(const ViewerState& s, Vec3 a, Vec3 vertex, Vec3 b, Vec3 lineOfSight) {
  CVX_TRY(checkInputs(s, {a, vertex, b}, lineOfSight));
  const double la = norm(a - vertex), lb = norm(b - vertex);
  if (!(la > 0) || !(lb > 0))
    return makeError("measure.bad_shape", "an angle in 3D needs two arms of some length");
  const Vec3 right = (a - vertex) * (1.0 / la);
  // The plane of the three points; when they are in line, the plane through them facing the camera.
  const Vec3 across = cross(a - vertex, b - vertex);
  const Vec3 n = norm(across) > 1e-9 * la * lb ? normalized(across) : facing(right, lineOfSight);
  return onPlane(s, MeasureKind::Angle, {a, vertex, b}, vertex, right, n);
}

int handleIn3d(const Measurement& m, const Camera3D& cam, int width, int height, double x, double y, double radiusPx) {
  if (m.kind != MeasureKind::Distance && m.kind != MeasureKind::Angle) return -1;
  return nearestProjected(cam, width, height, m.points, x, y, radiusPx);
}

Result<Measurement> moveHandleIn3d(const ViewerState& s, const Measurement& m, int handle, Vec3 to, Vec3 lineOfSight) {
  const bool distance = m.kind == MeasureKind::Distance && m.points.size() == 2;
  const bool angle = m.kind == MeasureKind::Angle && m.points.size() == 3;
  if (!distance && !angle) return makeError("measure.bad_shape", "only a distance or an angle has handles in 3D");
  if (handle < 0 || static_cast<size_t>(handle) >= m.points.size())
    return makeError("measure.bad_shape", "no such handle");
  std::vector<Vec3> p = m.points;
  p[static_cast<size_t>(handle)] = to;
  Result<Measurement> moved = distance ? distanceIn3d(s, p[0], p[1], lineOfSight)
                                       : angleIn3d(s, p[0], p[1], p[2], lineOfSight);
  if (!moved) return moved;
  moved->id = m.id;
  moved->label = m.label;
  moved->layer = m.layer;
  moved->seriesUid = m.seriesUid;
  moved->phase = m.phase;
  return moved;
}

int layerIn3d(const Measurement& m, const ViewerState& s) {
  const auto& layers = s.layers();
  const int layer = findLayer(layers, m);
  if (layer < 0 || !layers.front().volume || !layers[static_cast<size_t>(layer)].volume) return -1;
  const std::string& ref = layers.front().volume->info.frameOfReferenceUid;
  const bool same =
      layer == 0 ||
      (!ref.empty() && layers[static_cast<size_t>(layer)].volume->info.frameOfReferenceUid == ref);
  return same ? layer : -1;
}

std::optional<std::vector<std::array<double, 2>>> projectOutline(const Measurement& m, const Camera3D& cam,
                                                                 int width, int height) {
  std::vector<Vec3> world = outlineWorld(m);
  if (outlineClosed(m.kind) && !world.empty()) world.push_back(world.front());
  std::vector<std::array<double, 2>> px;
  px.reserve(world.size());
  for (const Vec3& p : world) {
    const auto at = projectToPixel(cam, p, width, height);
    if (!at) return std::nullopt;
    px.push_back(*at);
  }
  return px;
}

}  // namespace cvx::view
