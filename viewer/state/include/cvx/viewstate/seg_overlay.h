// SPDX-License-Identifier: MIT
// Segmentations over a 2D view, without Qt (ViewRenderer draws them after the image layers; the
// GUI, the headless `cinevox render` and the recorder all get them that way).
#pragma once
#include <cstdint>
#include <vector>

#include <cvx/viewstate/plane.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

struct RgbaImage;

// The label of one layer of a segmentation under each pixel of frame: the voxel whose centre is
// nearest the pixel's centre (round half up of the continuous voxel index), 0 outside the grid.
// labels gets frame.width * frame.height bytes.
void sliceLabels(const Segmentation& s, size_t layer, const PixelFrame& frame, std::vector<uint8_t>& labels);

// Draws the visible segments of the visible segmentations on the image layers `layers`, or on a
// layer of the same frame of reference as one of them (by FrameOfReferenceUID; none without), over
// `image` (frame's pixels, 0xAABBGGRR), each label layer in turn: fill blends the segment's colour
// at its opacity; outline paints the colour, opaque, on the pixels of a segment with a 4-neighbour
// outside it (the image's border is not an edge).
void drawSegmentations(const ViewerState& state, const std::vector<int>& layers, const PixelFrame& frame,
                       RgbaImage& image);

// The threshold preview over `image`: pixels whose value (values: the preview layer's resliced
// modality values for this image, NaN outside the volume) lies in [lo, hi] take its colour at its
// opacity. Nothing when the preview is off.
void drawThresholdPreview(const ThresholdPreview& t, const std::vector<float>& values, RgbaImage& image);

// The 3D view's transfer function for the preview: the range [lo, hi] in the preview's colour,
// nearly opaque per millimetre, shaded; nothing outside it.
TransferPreset thresholdPreset(const ThresholdPreview& t);

}  // namespace cvx::view
