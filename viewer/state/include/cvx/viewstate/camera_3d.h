// SPDX-License-Identifier: MIT
// The 3D view's orbit camera (state.h's Camera3DView) as a patient-space camera (core/raycast.h):
// what zoom 1 frames, pan, the camera presets and the orientation marker. The GUI's 3D view, its
// overlays and picking, and the headless `cinevox render --view 3d` all place the camera here.
//
// The fit. A frame (Frame3D) is a cylinder about the patient's long axis: the whole volume's box
// (boxFrame), or what a preset shows of it (frameOfBox of the visible bricks, which the 3D view
// fits when a series is first shown and on Reset). At zoom 1 the camera stands as close as it can
// while the cylinder fits the image with a margin of 5 %, for the image's aspect, seen from the
// front, back or sides at any azimuth (elevation 0) and from above or below (elevation +-90) at any
// azimuth: a perspective camera keeps the near rim (or cap) inside the vertical field of view and the
// tangents (or the cap) inside the horizontal one. The fit does not change while the camera turns, so
// that dragging never zooms. Between those elevations the rims may reach past the image's edges (by
// at most the 1.41 of a cylinder as tall as it is wide, at 45 degrees; a body seldom fills its
// cylinder's rims). Fitting the front alone would crop the views from above by a third to a half in a
// wide pane (the chest CT's box in a 2:1 image).
#pragma once
#include <array>
#include <optional>
#include <vector>

#include <cvx/core/raycast.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// The frame of a box of v's continuous voxel indices (faces[0] to faces[1]; a voxel's own extent is
// its index +-0.5, as cropVoxelBox): centred on the box's eight corners in LPS, the cylinder about z
// through that centre holding them.
Frame3D frameOfBox(const Volume& v, const std::array<Vec3, 2>& faces);
// The frame of all of v's voxels.
Frame3D boxFrame(const Volume& v);
// c's frame when it is v's (Frame3D::volume), else boxFrame(v).
Frame3D frameFor(const Volume& v, const Camera3DView& c);

// The patient-space camera of c for a width x height image of v (the fit above).
Camera3D orbitCamera(const Volume& v, const Camera3DView& c, int width, int height);

// c panned: the orbit's centre moved in the image plane so that it lands dxPx right and dyPx down
// of where it was on a width x height image (a point at the centre's depth follows the mouse).
Camera3DView panCamera(const Volume& v, const Camera3DView& c, int width, int height, double dxPx, double dyPx);

// Where a patient-space point falls in an image of camera c (core/raycast.h).
using cvx::projectToPixel;

// Handles under the mouse: the index of the point of `points` (LPS mm) whose projection onto a width x
// height image of cam lies nearest to pixel (x, y) within radiusPx (the last of equals); -1 for none.
// A point behind a perspective eye is never under the mouse.
int nearestProjected(const Camera3D& cam, int width, int height, const std::vector<Vec3>& points, double x, double y,
                     double radiusPx);
// A handle dragged along a line: how many steps (to - from) a mouse motion of (dx, dy) pixels makes,
// the motion projected onto the screen direction of that step at `from`. nullopt when the step is
// (nearly) along the line of sight, under 1/100 px on the screen, or either end is behind the eye.
std::optional<double> dragSteps(const Camera3D& cam, int width, int height, Vec3 from, Vec3 to, double dx, double dy);

// The orientation marker: where each patient direction (L, R, P, A, S, I: +x, -x, +y, -y, +z, -z
// in LPS) points on the image, as a unit of the image plane (dx right, dy down; a direction along
// the view has length 0).
struct ScreenDirection {
  char letter;
  double dx, dy;
};
std::array<ScreenDirection, 6> orientationMarker(const Camera3D& c);

// The camera presets: the view from the patient's Anterior, Posterior, Left, Right, Superior or
// Inferior side ('A', 'P', 'L', 'R', 'S', 'I'), keeping zoom, pan, frame and projection; other
// letters: c.
Camera3DView cameraPreset(const Camera3DView& c, char side);

}  // namespace cvx::view
