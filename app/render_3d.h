// SPDX-License-Identifier: MIT
// `cinevox render --view 3d`: a volume rendering drawn headless through view::VolumeRenderer.
#pragma once
#include <memory>
#include <string>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/render_view.h>

namespace cvx::app {

struct View3dRequest {
  std::string preset;  // a name of resources/transfer_functions
  bool perspective = true;
  double azimuth = 0, elevation = 0, zoom = 1;
  int width = 0, height = 0;
  std::string out;  // .png
};

// An RGBA image of the viewer as an RGB PNG (io::writePng).
Status writeImage(const std::string& path, const view::RgbaImage& image);

// Loads the preset, renders and writes an RGB PNG. tf.* for the preset, render.* and io.* errors.
Status render3d(const View3dRequest& r, std::shared_ptr<const Volume> vol);

}  // namespace cvx::app
