// SPDX-License-Identifier: MIT
// bench_render's peer: VTK's vtkFixedPointVolumeRayCastMapper on the same voxels (no copy), transfer
// function (HU points mapped to stored values), unit distance, shading, sample distance, camera,
// image size and thread count as CineVox. The only unit with VTK headers.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/hd/raycast.h>
#include <cvx/core/raycast.h>
#include <cvx/core/volume.h>

#include "render_tf.h"

namespace cvx::bench {

struct VolumeLook {
  std::vector<TfPoint> points;  // HU
  double unitMm = 1;            // the points' alpha is per this distance
  double sampleMm = 0.5;        // along each ray
  hd::Shading shading;
  bool mip = false;  // maximum intensity projection: the colour of each ray's maximum (alpha unused)
};

class VtkVolume {
 public:
  // Wraps phase 0 of v (int16 or uint16, not sheared) without copying it; needs an X display
  // (Debian's VTK is GLX only: run under xvfb-run -a).
  VtkVolume(const Volume& v, unsigned threads, const VolumeLook& look, int width, int height);
  ~VtkVolume();
  VtkVolume(const VtkVolume&) = delete;
  VtkVolume& operator=(const VtkVolume&) = delete;

  // Empty when usable; else why not.
  const std::string& error() const;
  // Renders one frame seen by c (patient space, as CineVox's); returns the seconds Render() took.
  double render(const Camera3D& c);
  // The last frame over black, 3 bytes a pixel, row 0 at the top (as CineVox's image).
  std::vector<uint8_t> rgb() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace cvx::bench
