// SPDX-License-Identifier: MIT
// The 3D view's clip planes (state.h, ClipPlane3D) for the menus and the view's text: the side a
// plane keeps in patient letters, the planes that follow MPR views toggled, the cut through the
// cursor facing the camera. Qt-free; the GUI's "Clip" menu and the 3D view's corner use these.
#pragma once
#include <string>
#include <vector>

#include <cvx/viewstate/state.h>

namespace cvx::view {

// The patient side a plane keeps, as the letters a viewer writes (directionLabel of the normal where
// the plane is now: "S" for the half above an axial cut).
std::string clipSide(const ViewerState& s, const ClipPlane3D& c);
// The side the plane following view `view` keeps when flipped or not (its normal's letters).
std::string viewClipSide(const ViewerState& s, int view, bool flip);
// The 3D view's line about its cuts: "clip: axial S, coronal slab 20 mm, free A" (the followed
// view's orientation, or "free", and the side kept or the slab's thickness); empty without planes.
std::string clipLine(const ViewerState& s);
// planes with the plane that follows `view` and keeps side `flip` (or, with slab, the slab about it
// of the view's thickness) removed when it is there, else put in place of any other plane following
// that view.
std::vector<ClipPlane3D> toggleViewClip(std::vector<ClipPlane3D> planes, int view, bool flip, bool slab = false);
// A free plane through the cursor, square to the 3D camera's line of sight, keeping what lies beyond
// the cursor (the half away from the eye). The reference layer must be there.
ClipPlane3D clipFacingCamera(const ViewerState& s);
// Where the plane c (where it is now: cutPlanes3d) crosses the crop box of v (crop_3d.h: the
// volume's box when the crop is full), in LPS mm: the polygon's corners in order around it (3 to 6),
// empty when the plane misses the box. The 3D view draws it, so that a cut through what the preset
// leaves transparent still shows where it is.
std::vector<Vec3> clipOutline(const Volume& v, const CropBox3D& crop, const ClipPlane3D& c);
// The convex polygon `outline` (LPS mm, in order) less what the cuts (ClipPlane3D where they are
// now: ViewerState::cutPlanes3d) cut away, with render::kCutToleranceMm (a polygon in a cut's own
// plane stays whole); empty when less than a polygon is left. A slice shown in 3D (slices_3d.h).
std::vector<Vec3> cutOutline(std::vector<Vec3> outline, const std::vector<ClipPlane3D>& cuts);
// Moves the last clip plane by `steps` slice steps towards the side it keeps, so that a positive
// count cuts more away: a plane that follows a view scrolls that view by its own slice steps (the
// cursor moves with it, as the MPR's own scroll), a free plane moves alone by the reference's grid
// step along its normal (gridStepMm).
// Nothing without planes or a reference layer. The 3D view's Ctrl+wheel.
void pushLastClip(ViewerState& s, double steps);
// Every plane keeping its other side.
std::vector<ClipPlane3D> flippedClips(std::vector<ClipPlane3D> planes);

}  // namespace cvx::view
