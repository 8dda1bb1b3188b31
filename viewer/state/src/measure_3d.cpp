// SPDX-License-Identifier: MIT
#include <cvx/viewstate/measure_3d.h>

#include <cmath>

#include <cvx/viewstate/measure_draw.h>

namespace cvx::view {
namespace {

// A unit vector perpendicular to unit u.
Vec3 anyPerpendicular(Vec3 u) {
  const Vec3 axis = std::abs(u.x) <= std::abs(u.y) && std::abs(u.x) <= std::abs(u.z) ? Vec3{1, 0, 0}
                    : std::abs(u.y) <= std::abs(u.z)                                 ? Vec3{0, 1, 0}
                                                                                     : Vec3{0, 0, 1};
  return normalized(cross(u, axis));
}

}  // namespace

Result<Measurement> distanceIn3d(const ViewerState& s, Vec3 a, Vec3 b, Vec3 lineOfSight) {
  if (s.layers().empty() || !s.layers().front().volume)
    return makeError("render.bad_request", "a distance in 3D needs a series");
  const double length = norm(b - a);
  if (!isFinite(a) || !isFinite(b) || !isFinite(lineOfSight) || !(length > 0) || !(norm(lineOfSight) > 0))
    return makeError("measure.bad_shape",
                     "a distance in 3D needs two distinct, finite ends and a line of sight");
  const Vec3 right = (b - a) * (1.0 / length);
  // The plane's normal: the line of sight less its part along the distance.
  const Vec3 w = normalized(lineOfSight);
  Vec3 n = w - right * dot(w, right);
  n = norm(n) > 1e-9 ? normalized(n) : anyPerpendicular(right);
  Measurement m;
  m.kind = MeasureKind::Distance;
  m.layer = 0;
  m.seriesUid = s.layers().front().volume->info.seriesInstanceUid;
  m.phase = s.phase();
  m.plane.center = (a + b) * 0.5;
  m.plane.right = right;
  m.plane.down = cross(n, right);  // unit: n and right are perpendicular unit vectors
  m.points = {a, b};
  CVX_TRY(validate(m));
  return m;
}

bool drawnIn3d(const Measurement& m, const ViewerState& s) {
  const auto& layers = s.layers();
  if (layers.empty() || m.layer < 0 || m.layer >= static_cast<int>(layers.size())) return false;
  const auto& ref = layers.front().volume;
  const auto& own = layers[static_cast<size_t>(m.layer)].volume;
  if (!ref || !own) return false;
  return m.layer == 0 || (!ref->info.frameOfReferenceUid.empty() &&
                          own->info.frameOfReferenceUid == ref->info.frameOfReferenceUid);
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
