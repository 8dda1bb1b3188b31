// SPDX-License-Identifier: MIT
#include <cvx/viewstate/clip_3d.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <cvx/render/mesh_raster.h>
#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/crop_3d.h>

namespace cvx::view {
namespace {

// Where the segment a-b crosses a plane, from the ends' signed distances to it (of opposite signs).
Vec3 crossing(Vec3 a, Vec3 b, double da, double db) { return a + (b - a) * (da / (da - db)); }

}  // namespace

std::string clipSide(const ViewerState& s, const ClipPlane3D& c) { return directionLabel(s.fixedClip3d(c).normal); }

std::string viewClipSide(const ViewerState& s, int view, bool flip) {
  ClipPlane3D c;
  c.view = view;
  c.flip = flip;
  return clipSide(s, c);
}

std::string clipLine(const ViewerState& s) {
  std::string line;
  for (const ClipPlane3D& c : s.clipPlanes3d()) {
    line += line.empty() ? "clip: " : ", ";
    line += c.view >= 0 && c.view < s.viewCount() ? toString(s.view(c.view).orientation) : "free";
    if (c.slab) {
      char mm[32];
      std::snprintf(mm, sizeof mm, " slab %g mm", s.fixedClip3d(c).slabMm);
      line += mm;
    } else {
      line += " " + clipSide(s, c);
    }
  }
  return line;
}

std::vector<ClipPlane3D> toggleViewClip(std::vector<ClipPlane3D> planes, int view, bool flip, bool slab) {
  const auto same = [view](const ClipPlane3D& c) { return c.view == view; };
  const auto it = std::find_if(planes.begin(), planes.end(), same);
  const bool had = it != planes.end() && it->slab == slab && (slab || it->flip == flip);
  planes.erase(std::remove_if(planes.begin(), planes.end(), same), planes.end());
  if (!had) {
    ClipPlane3D c;
    c.view = view;
    c.flip = !slab && flip;
    c.slab = slab;
    planes.push_back(c);
  }
  return planes;
}

ClipPlane3D clipFacingCamera(const ViewerState& s) {
  const Camera3D cam = orbitCamera(*s.layers().front().volume, s.camera3d(), 1, 1);
  ClipPlane3D c;
  c.point = s.cursor();
  c.normal = normalized(cam.center - cam.eye);
  return c;
}

std::vector<Vec3> clipOutline(const Volume& v, const CropBox3D& crop, const ClipPlane3D& c) {
  const Vec3 n = c.keptNormal();
  const auto corners = cropCorners(v, crop);
  std::vector<Vec3> points;
  double size = 0;
  for (const auto& [a, b] : cropEdges()) {
    const Vec3 pa = corners[static_cast<size_t>(a)], pb = corners[static_cast<size_t>(b)];
    size = std::max(size, norm(pb - pa));
    const double da = dot(n, pa - c.point), db = dot(n, pb - c.point);
    if ((da > 0 && db > 0) || (da < 0 && db < 0) || da == db) continue;  // da == db: both 0 (an edge in it) or no crossing
    points.push_back(crossing(pa, pb, da, db));
  }
  // A corner on the plane is met by each of its three edges: keep it once.
  std::vector<Vec3> unique;
  for (const Vec3& p : points)
    if (std::none_of(unique.begin(), unique.end(), [&](const Vec3& q) { return norm(p - q) <= 1e-9 * (1 + size); }))
      unique.push_back(p);
  if (unique.size() < 3) return {};
  // In order of the angle about their centre, in the plane's own axes.
  Vec3 centre{0, 0, 0};
  for (const Vec3& p : unique) centre = centre + p * (1.0 / static_cast<double>(unique.size()));
  const Vec3 u = normalized(std::abs(n.x) < 0.9 ? cross(n, {1, 0, 0}) : cross(n, {0, 1, 0})), w = cross(n, u);
  std::sort(unique.begin(), unique.end(), [&](const Vec3& a, const Vec3& b) {
    return std::atan2(dot(a - centre, w), dot(a - centre, u)) < std::atan2(dot(b - centre, w), dot(b - centre, u));
  });
  return unique;
}

std::vector<Vec3> cutOutline(std::vector<Vec3> outline, const std::vector<ClipPlane3D>& cuts) {
  for (const ClipPlane3D& c : cuts) {
    if (outline.empty()) break;
    const Vec3 n = c.keptNormal();
    std::vector<Vec3> kept;
    for (size_t i = 0; i < outline.size(); ++i) {
      const Vec3 a = outline[i], b = outline[(i + 1) % outline.size()];
      const double da = dot(n, a - c.point), db = dot(n, b - c.point);
      const bool ina = da >= -render::kCutToleranceMm, inb = db >= -render::kCutToleranceMm;
      if (ina) kept.push_back(a);
      if (ina != inb) kept.push_back(crossing(a, b, da, db));
    }
    outline = kept.size() >= 3 ? std::move(kept) : std::vector<Vec3>{};
  }
  return outline;
}

void pushLastClip(ViewerState& s, double steps) {
  if (s.clipPlanes3d().empty() || s.layers().empty()) return;
  std::vector<ClipPlane3D> planes = s.clipPlanes3d();
  ClipPlane3D& last = planes.back();
  if (last.view >= 0 && last.view < s.viewCount()) {
    s.scroll(last.view, last.flip ? -steps : steps);  // the view's normal is the plane's unflipped one
    return;
  }
  const Vec3 n = last.keptNormal();
  last.point = last.point + n * (steps * gridStepMm(s.layers().front().volume->geometry, n));
  (void)s.setClipPlanes3d(std::move(planes));  // the planes were accepted before: still good
}

std::vector<ClipPlane3D> flippedClips(std::vector<ClipPlane3D> planes) {
  for (ClipPlane3D& c : planes) c.flip = !c.flip;
  return planes;
}

}  // namespace cvx::view
