// SPDX-License-Identifier: MIT
// Drawing a view of the state, without Qt: every visible layer of the view is resliced on the
// view's pixel frame (thin or slab, through the one reslice function on the CPU back end), then
// windowed, coloured and blended bottom first. The GUI, the headless `cinevox render` and the
// recorder all draw through this.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

struct RgbaImage {
  int width = 0, height = 0;
  std::vector<uint32_t> pixels;  // 0xAABBGGRR (bytes R, G, B, A in memory), row by row
};

// Keeps each layer's resliced modality values, so that a window/level, colour or opacity change
// re-maps them without reslicing (only the plane, phase, slab, size or volume reslice).
class ViewRenderer {
 public:
  // Draws `view` at width x height. render.bad_request for a bad view or size.
  Result<const RgbaImage*> draw(const ViewerState& state, int view, int width, int height);
  // Draws `view` on the given pixel frame instead of the view's own (its layers, slab, windows and
  // overlays; the frame's plane should be the view's: the 3D view's slices, slices_3d.h).
  Result<const RgbaImage*> draw(const ViewerState& state, int view, const PixelFrame& frame);
  // The voxels changed under the same planes (progressive loading): the next draw reslices every
  // layer; the buffers are kept.
  void invalidate();
  // Allocates and touches the buffers of a width x height view of `layers` layers before the first
  // draw (a viewport knows its size before a series is chosen), so that the first image of a
  // series pays no page faults for them.
  void reserve(int width, int height, int layers = 1);
  // How many reslices the last draw() ran (0 when every layer came from the cache).
  int lastReslices() const { return lastReslices_; }
  // The last resliced values of a layer (NaN outside the volume); empty if never resliced (a layer
  // not drawn is resliced for the threshold preview's tint when the preview is on it).
  const std::vector<float>& values(int layer) const;

 private:
  struct Slice {
    const Volume* volume = nullptr;
    PixelFrame frame;
    int phase = -1;
    double slabMm = -1;
    SlabMode mode = SlabMode::Mip;
    std::vector<float> values;
  };
  // The segmentations and the threshold preview over the image of the layers drawn. preview: the
  // threshold preview's layer has values of this frame (drawn, or resliced for the tint alone).
  const RgbaImage* overlays(const ViewerState& state, const std::vector<int>& drawn, const PixelFrame& frame,
                            bool preview);
  std::vector<Slice> slices_;  // per layer index
  RgbaImage image_;
  int lastReslices_ = 0;
};

// Maps modality values to 8-bit display intensity with the window and inversion (DICOM linear VOI,
// hd::applyWindow); NaN maps to -1 (nothing to draw).
int displayLevel(float value, const DisplayMapping& m);

}  // namespace cvx::view
