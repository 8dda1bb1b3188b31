// SPDX-License-Identifier: MIT
// bench_mpr's frame sequences: a view of the viewer state scrolled along its normal, drawn by
// CineVox (ViewerState + ViewRenderer) and by the VTK peer on the same planes, timed per frame.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/volume.h>

#include "mpr_vtk.h"

namespace cvx::bench {

struct FrameStats {
  double medianMs = 0, p95Ms = 0, fps = 0;  // fps: frames / total time
};
FrameStats frameStats(const std::vector<double>& seconds);

struct MprCase {
  std::string name;
  int view = 0;          // 0 axial, 1 coronal, 2 sagittal (the viewer state's default views)
  bool oblique = false;  // crosshair turned 30 deg in the axial view, then 20 deg in the coronal
  double slabMm = 0;     // 0: thin; else a MIP slab
};

struct CaseResult {
  FrameStats cvx, vtk;
  int slabSamples = 1;
  double meanAbsHu = 0;     // |CineVox - VTK| over pixels both draw, modality units (VTK's general path)
  double meanAbsHuOpt = 0;  // the same against VTK's default (optimized) path, the one timed
  double meanAbsRgb = 0;    // the same on the 8-bit grey of the RGBA images
  double edgeFraction = 0;  // pixels drawn by one of the two only, over pixels drawn by either
  std::string error;
};

// Draws `frames` frames of c (plus a few untimed warm-up frames) at width x height, stepping the
// plane one slice step along the normal per frame (as a user scrolls), with CineVox, then with vtk
// (null: CineVox only) on the same frames; checks both outputs agree on the middle frame.
CaseResult runCase(const std::shared_ptr<const Volume>& v, const MprCase& c, int frames, int width, int height,
                   VtkMpr* vtk);

}  // namespace cvx::bench
