// SPDX-License-Identifier: MIT
// The value under the mouse: the voxel of a view's layer nearest to a patient position (the
// voxel whose centre is closest in index space, at the state's phase), as a modality value. Not the
// interpolated value the image shows: a reader probing a voxel expects the voxel's own number,
// stored x slope + intercept, as on the scanner console. Qt-free.
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include <cvx/viewstate/state.h>

namespace cvx::view {

struct Probe {
  std::array<int64_t, 3> voxel{};  // i, j, k of the view's layer
  double stored = 0;               // the voxel as stored
  double value = 0;                // modalityValue(stored)
};

// nullopt outside the layer's grid (more than half a voxel beyond its edge voxel centres), or
// while that slice is not loaded yet.
std::optional<Probe> probe(const ViewerState& state, int view, Vec3 world);
// The same on image layer `layer` (at the phase the views show of it).
std::optional<Probe> probeLayer(const ViewerState& state, int layer, Vec3 world);

// The PET the Lesion tool reads: the first layer of modality PT in layer `own`'s frame of reference
// (own first: ViewerState::layersOfFrame); -1 for none. (The uptake's petLayerFor asks for SUV
// units besides; a lesion's fraction of its peak needs none.)
int petLayerOfFrame(const ViewerState& state, int own);

// A view that shows a layer of layer `layer`'s frame of reference (its first layer): preferView when
// it does (the active view: unlinked views keep a cursor each), else the first; -1 for none. And the
// cursor as that frame sees it (ViewerState::viewCursor of that view: a prior study's own cursor, or
// the cursor plus its offset); the session cursor for the reference's frame, plus the offset for a
// frame linked by one; none for an unlinked frame no view shows. Where a seed, a liver reference or a jump lands on a layer of another frame.
int viewOfFrame(const ViewerState& state, int layer, int preferView = -1);
std::optional<Vec3> cursorInFrameOf(const ViewerState& state, int layer, int preferView = -1);

// The hottest voxel of image layer `layer` along the segment origin + t x unit(direction), t in
// [0, lengthMm]: the probe at every half of the layer's smallest spacing, the first of equal values
// kept. What a click in the 3D view means for the Lesion tool: the lesion lies somewhere along the
// line of sight, where the PET is hottest (as a MIP shows it). Its voxel's centre in patient space;
// nullopt when the segment meets no loaded voxel of the layer.
std::optional<Vec3> hottestAlong(const ViewerState& state, int layer, Vec3 origin, Vec3 direction, double lengthMm);
// hottestAlong over the stretch of pixel (x, y)'s ray that a width x height 3D view of the state draws
// (render_3d.h's rayGeometry3d: the reference layer's box cut to the crop box and the clip planes),
// so that a PET voxel outside what the view shows is never taken. nullopt when the ray misses it.
std::optional<Vec3> hottestUnderPixel(const ViewerState& state, int layer, int width, int height, int x, int y);

}  // namespace cvx::view
