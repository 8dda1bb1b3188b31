// SPDX-License-Identifier: MIT
// bench_render's frame sequences: the camera orbiting the volume, drawn by CineVox's CPU ray caster
// (plain, and with empty-space skipping) and by the VTK peer, timed per frame, and the images
// compared.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/raycast.h>
#include <cvx/core/volume.h>

#include "render_orbit.h"
#include "render_vtk.h"

namespace cvx::bench {

struct Agreement {
  double meanAbsRgb = 0;  // mean |a - b| over the RGB channels of pixels either draws (0..255)
  double oneOnly = 0;     // pixels drawn by one only, over pixels drawn by either
  int64_t drawn = 0;      // pixels drawn by either
};
// A pixel is drawn when a channel exceeds `floor` (both images over black).
Agreement compareRgb(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, int floor = 4);

struct InputResult {
  Timing plain, skip, vtk;
  Timing moving;  // skipping at half the width and height: the 3D view's preview while the camera moves
  Agreement vsVtk;         // CineVox (plain) against VTK, on the checked frame
  double skipMaxDiff = 0;  // skipping against plain, largest |difference| of a channel (float)
  double emptyBricks = 0;  // fraction of bricks found empty
  std::string brick;       // voxels per brick edge, "4x4x1"
  std::string error;       // set when CineVox failed; the VTK peer's trouble goes in vtkError
  std::string vtkError;
};

// Renders s.frames frames of v with CineVox (plain, then skipping, then skipping at half the width
// and height) and VTK (unless withVtk is false), each after one untimed first frame; VTK's frames
// alternate with the skipping ones (frame i of each in turn), so that both meet the machine in the
// same state. Compares the checked frames' images.
InputResult runInput(const std::string& name, const Volume& v, const VolumeLook& look, const RenderSetup& s,
                     bool withVtk);

}  // namespace cvx::bench
