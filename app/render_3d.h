// SPDX-License-Identifier: MIT
// `cinevox render --view 3d`: a volume rendering drawn headless through view::VolumeRenderer.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

namespace cvx::app {

struct View3dRequest {
  std::string preset;  // a name of resources/transfer_functions
  bool perspective = true;
  double azimuth = 0, elevation = 0, zoom = 1;
  int phase = 0;  // of a 4D series (a valid one: the caller checks); a fused 4D series of as many phases follows it
  int width = 0, height = 0;
  std::string out;  // .png
  // A second series drawn in the same pass (view::Fused3D), in the same frame of reference (the
  // caller checks), with fusedPreset or, when empty, its modality's default preset.
  std::shared_ptr<const Volume> fused;
  std::string fusedPreset;
  std::vector<view::ClipPlane3D> clips;  // free planes (state.h), at most 6
  // The clips cut the segment surfaces (capped) and the slices too (ViewerState::clipSurfaces3d);
  // by default they cut the volume alone, the viewer's default.
  bool cutSurfaces = false;
  // MPR slices drawn on their planes (slices_3d.h) through `at` (LPS mm, snapped to the nearest voxel
  // centre; by default the volume's centre voxel, where the viewer opens a series; render.out_of_range
  // outside the volume), with the series' default window at `phase` (the fused series is not drawn
  // on them); cut by the clips only with cutSurfaces.
  std::vector<view::Orientation> slices;
  std::optional<Vec3> at;
  // A segmentation of the series (io::readAnySegmentation) drawn as segment surfaces (seg_surfaces.h),
  // at this opacity (0..1; translucent below 1), and over the slices.
  std::string seg;
  double surfaceOpacity = 1;
  // Segments of seg (by name, else by number from 1) the volume rendering keeps (true: all those kept,
  // together) or leaves out (punch_3d.h's segmentPunch). render.bad_segment for one it does not have.
  std::vector<std::pair<std::string, bool>> punches;
};

// Opens segmentation file `path` (none when empty) over layer 0 of `state`, every segment's surface
// at opacity3d (io::readAnySegmentation's errors; its warnings printed on stderr).
Status addSegmentation(view::ViewerState& state, const std::string& path, double opacity3d);

// An RGBA image of the viewer as an RGB PNG (io::writePng).
Status writeImage(const std::string& path, const view::RgbaImage& image);

// Loads the preset(s), renders and writes an RGB PNG. tf.* for the presets, render.* and io.*
// errors; render.fusion_off when the renderer drew the volume without the fused series (its note).
Status render3d(const View3dRequest& r, std::shared_ptr<const Volume> vol);

}  // namespace cvx::app
