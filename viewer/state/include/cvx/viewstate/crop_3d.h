// SPDX-License-Identifier: MIT
// The 3D view's crop box (state.h, CropBox3D) as geometry: its voxel-index box, its corners, edges
// and face handles in patient space, and the drag of a face handle on the screen. Qt-free; the 3D
// view draws and drags through these.
#pragma once
#include <array>
#include <utility>
#include <vector>

#include <cvx/core/raycast.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// The box of c in v's continuous voxel index (lo, hi): fraction f of axis a is -0.5 + f * n_a.
std::array<Vec3, 2> cropVoxelBox(const Volume& v, const CropBox3D& c);

// The faces of c that lie inside the volume (not at its edge) as free planes (view -1, not flipped)
// that cut the 3D scene's segment surfaces when ViewerState::clipSurfaces3d is on: each keeps the
// box's side of its face (its normal points into the box), in patient space. A full box gives none.
std::vector<ClipPlane3D> cropCuts(const Volume& v, const CropBox3D& c);

// The 8 corners in patient space (LPS mm); corner k takes hi on axis a when bit a of k is set.
std::array<Vec3, 8> cropCorners(const Volume& v, const CropBox3D& c);
// The 12 edges as pairs of corner indices.
const std::array<std::pair<int, int>, 12>& cropEdges();
// The centres of the 6 faces in patient space: face f is on voxel axis f / 2, its lo side for an
// even f, its hi side for an odd one.
std::array<Vec3, 6> cropFaceCentres(const Volume& v, const CropBox3D& c);

// The face whose handle (its centre projected by camera cam onto a width x height image) is nearest
// to pixel (x, y) within radiusPx; -1 for none.
int cropHandleAt(const Volume& v, const Camera3D& cam, int width, int height, const CropBox3D& c, double x,
                 double y, double radiusPx);

// c with face `face` moved along its axis by a mouse motion (dx, dy) in pixels: the motion projected
// onto the screen direction of the face's axis (at the face's centre), clamped to the volume and to
// at least one voxel from the opposite face. A face whose axis is along the view does not move.
CropBox3D dragCropFace(const Volume& v, const Camera3D& cam, int width, int height, const CropBox3D& c,
                       int face, double dx, double dy);

}  // namespace cvx::view
