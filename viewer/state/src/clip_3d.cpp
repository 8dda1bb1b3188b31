// SPDX-License-Identifier: MIT
#include <cvx/viewstate/clip_3d.h>

#include <algorithm>

#include <cvx/viewstate/camera_3d.h>

namespace cvx::view {

std::string clipSide(const ViewerState& s, const ClipPlane3D& c) {
  ClipPlane3D k = c;
  if (c.view >= 0 && c.view < s.viewCount()) k.normal = s.view(c.view).plane.normal();
  return directionLabel(normalized(k.normal) * (c.flip ? -1.0 : 1.0));
}

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
    line += " " + clipSide(s, c);
  }
  return line;
}

std::vector<ClipPlane3D> toggleViewClip(std::vector<ClipPlane3D> planes, int view, bool flip) {
  const auto same = [view](const ClipPlane3D& c) { return c.view == view; };
  const auto it = std::find_if(planes.begin(), planes.end(), same);
  const bool had = it != planes.end() && it->flip == flip;
  planes.erase(std::remove_if(planes.begin(), planes.end(), same), planes.end());
  if (!had) {
    ClipPlane3D c;
    c.view = view;
    c.flip = flip;
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

std::vector<ClipPlane3D> flippedClips(std::vector<ClipPlane3D> planes) {
  for (ClipPlane3D& c : planes) c.flip = !c.flip;
  return planes;
}

}  // namespace cvx::view
