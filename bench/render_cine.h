// SPDX-License-Identifier: MIT
// bench_render's cine case: the 3D view's path (view::VolumeRenderer, the registry's back end: the
// CPU here) on the CT as a 4D series (phase t brighter by 20 t HU), played twice through from the
// front at the preview's size (half the width and height: the 3D view's picture while the phase
// changes). CineVox keeps each phase's brick map (viewstate/phase_bricks.h): the first pass builds
// them, the loop reuses them. The peer is the same renderer without that (a renderer made for each
// frame: the ranges and skip map built on every phase change, as before phase_bricks.h), in the same
// run, frames alternating with the loop's. Also the first pass of a view that rested on phase 0
// while the other phases' maps were built ahead (PhaseBricks::prefetch), and how long that took; and
// the first preview picture of a series with its maps built first, or without them (the 3D view's).
#pragma once
#include <string>

#include <cvx/core/volume.h>

#include "render_orbit.h"

namespace cvx::bench {

struct CineResult {
  Timing first, loop, rebuilt;  // per frame: the first pass, the loop, the renderer made anew
  Timing restedFirst;           // the first pass after the view rested on phase 0 (maps built ahead)
  double aheadMs = 0;           // building the other phases' maps ahead (PhaseBricks::prefetch)
  // A series' first preview picture on the UI thread: building its maps first, or drawing without
  // skipping while they are built elsewhere (VolumeRenderer::buildMaps(false), the 3D view's preview).
  Timing previewBuilding, previewLooking;
  std::string error;
};

// `phases` phases of ct (Int16 or UInt16), the 3D view's "ct-bone" preset.
CineResult runCine(const Volume& ct, const RenderSetup& s, int phases);

}  // namespace cvx::bench
