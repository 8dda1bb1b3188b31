// Qt-free drawing of one native slice of a volume: screen layout (which voxel axis runs left to
// right, flips so that the patient is shown the radiological way) and window/level to 8-bit grey.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/geometry.h>
#include <cvx/core/metadata.h>
#include <cvx/core/volume.h>

namespace cvx::viewer {

// Axial slices are shown with patient left on screen right and anterior up; coronal and sagittal
// with the head up (sagittal: anterior on the left).
struct SliceLayout {
  int horizontal = 0;        // voxel axis (0 = i, 1 = j) drawn left to right
  bool flipH = false;        // that axis runs right to left
  bool flipV = false;        // the other in-plane axis runs bottom to top
  int width = 0, height = 0; // image size in voxels
  double pixelWidthMm = 1, pixelHeightMm = 1;
  Vec3 screenRight, screenDown;  // patient directions of +screen x and +screen y
};

SliceLayout layoutFor(const Geometry& g, const std::array<int64_t, 4>& dims);

// Patient-direction letter for a direction (L/R, P/A, H/F by its largest component).
char orientationLetter(Vec3 direction);

// The first preset of the file, else one spanning the values of slice z.
WindowPreset defaultWindow(const Volume& v, int64_t z);

// Modality value (rescale applied unless the voxels already hold modality values).
double modalityValue(const Volume& v, int64_t i, int64_t j, int64_t k, int64_t t);

// layout.width x layout.height grey pixels, top row first; MONOCHROME1 is inverted.
std::vector<uint8_t> renderSlice(const Volume& v, const SliceLayout& layout, int64_t z, int64_t t,
                                 const WindowPreset& window);

}  // namespace cvx::viewer
