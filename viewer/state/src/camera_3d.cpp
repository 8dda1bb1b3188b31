// SPDX-License-Identifier: MIT
#include <cvx/viewstate/camera_3d.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cvx::view {
namespace {

constexpr double kDegree = std::numbers::pi / 180;
constexpr double kMargin = 1.05;  // the frame's share of the image: 1 / 1.05 of it at most
constexpr double kLeast = 1e-3;    // mm: a frame is never thinner than this

// The unit from the orbit's centre towards the eye, and the image's up, for c's angles: anterior
// (-y) at 0, 0; the patient's left (+x) at azimuth 90; superior (+z) at elevation 90.
void orbitAxes(const Camera3DView& c, Vec3& toEye, Vec3& up) {
  const double a = c.azimuthDeg * kDegree, e = c.elevationDeg * kDegree;
  toEye = {std::sin(a) * std::cos(e), -std::cos(a) * std::cos(e), std::sin(e)};
  up = {-std::sin(a) * std::sin(e), std::cos(a) * std::sin(e), std::cos(e)};
}

}  // namespace

Frame3D frameOfBox(const Volume& v, const std::array<Vec3, 2>& faces) {
  const Mat4 w = v.geometry.worldFromVoxel();
  Vec3 corners[8];
  Frame3D f;
  f.volume = v.serial();
  for (int c = 0; c < 8; ++c) {
    const Vec3 i{faces[c & 1].x, faces[(c >> 1) & 1].y, faces[(c >> 2) & 1].z};
    corners[c] = w.applyPoint(i);
    f.centre = f.centre + corners[c] * 0.125;
  }
  for (const Vec3& p : corners) {
    const Vec3 d = p - f.centre;
    f.radiusMm = std::max(f.radiusMm, std::hypot(d.x, d.y));
    f.halfHeightMm = std::max(f.halfHeightMm, std::abs(d.z));
  }
  return f;
}

Frame3D boxFrame(const Volume& v) {
  const auto& d = v.dims();
  return frameOfBox(v, {Vec3{-0.5, -0.5, -0.5}, Vec3{d[0] - 0.5, d[1] - 0.5, d[2] - 0.5}});
}

Frame3D frameFor(const Volume& v, const Camera3DView& c) {
  return c.frame.volume == v.serial() && c.frame.volume != 0 && c.frame.radiusMm > 0 ? c.frame : boxFrame(v);
}

Camera3D orbitCamera(const Volume& v, const Camera3DView& c, int width, int height) {
  const Frame3D f = frameFor(v, c);
  Vec3 toEye, up;
  orbitAxes(c, toEye, up);
  const double zoom = c.zoom > 0 ? c.zoom : 1;
  const double aspect = width > 0 && height > 0 ? static_cast<double>(width) / height : 1.0;
  const double r = kMargin * std::max(f.radiusMm, kLeast), h = kMargin * std::max(f.halfHeightMm, kLeast);
  Camera3D cam;
  cam.center = f.centre + c.panMm;
  cam.up = up;
  cam.perspective = c.perspective;
  cam.fovYDeg = std::clamp(c.fovYDeg, 1.0, 120.0);
  if (c.perspective) {
    const double tY = std::tan(cam.fovYDeg * kDegree / 2), tX = aspect * tY, sX = tX / std::sqrt(1 + tX * tX);
    // From the front at any azimuth: the near rim's top and bottom, the cylinder's tangents. From
    // above or below: the near cap's disc, vertically and across.
    const double fit = std::max({r + h / tY, r / sX, h + r / tY, h + r / tX});
    cam.eye = cam.center + toEye * (fit / zoom);
  } else {
    cam.parallelHalfHeightMm = std::max({h, r, r / aspect}) / zoom;
    // The rays start on the plane through the eye: outside the whole box wherever the centre is.
    const Frame3D box = boxFrame(v);
    const double outside = norm(cam.center - box.centre) + std::hypot(box.radiusMm, box.halfHeightMm) + 1;
    cam.eye = cam.center + toEye * outside;
  }
  return cam;
}

Camera3DView panCamera(const Volume& v, const Camera3DView& c, int width, int height, double dxPx, double dyPx) {
  if (width < 1 || height < 1) return c;
  const Camera3D cam = orbitCamera(v, c, width, height);
  const Vec3 forward = normalized(cam.center - cam.eye);
  const Vec3 right = normalized(cross(forward, cam.up));
  const Vec3 up = cross(right, forward);
  const double mmPerPx = 2 *
                         (cam.perspective ? norm(cam.center - cam.eye) * std::tan(cam.fovYDeg * kDegree / 2)
                                          : cam.parallelHalfHeightMm) /
                         height;
  Camera3DView r = c;
  // The camera moves the other way: the scene follows the mouse.
  r.panMm = c.panMm + (up * dyPx - right * dxPx) * mmPerPx;
  return r;
}

std::array<ScreenDirection, 6> orientationMarker(const Camera3D& c) {
  const Vec3 f = normalized(c.center - c.eye);
  const Vec3 right = normalized(cross(f, c.up));
  const Vec3 up = cross(right, f);
  const char letters[6] = {'L', 'R', 'P', 'A', 'S', 'I'};
  std::array<ScreenDirection, 6> r{};
  for (int i = 0; i < 6; ++i) {
    Vec3 d;
    d[i / 2] = i % 2 ? -1 : 1;
    r[static_cast<size_t>(i)] = {letters[i], dot(d, right), -dot(d, up)};
  }
  return r;
}

Camera3DView cameraPreset(const Camera3DView& c, char side) {
  Camera3DView r = c;
  switch (side) {
    case 'A': r.azimuthDeg = 0, r.elevationDeg = 0; break;
    case 'P': r.azimuthDeg = 180, r.elevationDeg = 0; break;
    case 'L': r.azimuthDeg = 90, r.elevationDeg = 0; break;
    case 'R': r.azimuthDeg = 270, r.elevationDeg = 0; break;
    case 'S': r.azimuthDeg = 0, r.elevationDeg = 90; break;
    case 'I': r.azimuthDeg = 0, r.elevationDeg = -90; break;
    default: break;
  }
  return r;
}

int nearestProjected(const Camera3D& cam, int width, int height, const std::vector<Vec3>& points, double x, double y,
                     double radiusPx) {
  int best = -1;
  double bestD = radiusPx;
  for (size_t i = 0; i < points.size(); ++i) {
    const auto at = projectToPixel(cam, points[i], width, height);
    if (!at) continue;
    const double d = std::hypot((*at)[0] - x, (*at)[1] - y);
    if (d <= bestD) best = static_cast<int>(i), bestD = d;
  }
  return best;
}

std::optional<double> dragSteps(const Camera3D& cam, int width, int height, Vec3 from, Vec3 to, double dx, double dy) {
  const auto s0 = projectToPixel(cam, from, width, height);
  const auto s1 = projectToPixel(cam, to, width, height);
  if (!s0 || !s1) return std::nullopt;
  const double sx = (*s1)[0] - (*s0)[0], sy = (*s1)[1] - (*s0)[1], s2 = sx * sx + sy * sy;
  if (!(s2 > 1e-4)) return std::nullopt;  // along the view: no screen direction
  return (dx * sx + dy * sy) / s2;
}

}  // namespace cvx::view
