// SPDX-License-Identifier: MIT
// Segmentation on the GPU with the labels of the CPU (cvx::seg, plugins/segmentation/common): the
// same per-voxel rules (cvx/core/hd/segment.h) and the same Otsu choice (cvx/core/otsu_split.h),
// so that every function here gives the voxels of cvx::seg's function of the same name, bit for
// bit (tests/cuda/seg_*_test.cpp compare them with memcmp). docs/segmentation.md, "CUDA".
//
// Two forms:
//  - host in, host out: copies phase t of the volume to the device, runs, copies the mask back
//    (a new UInt8 volume with the input's geometry, values 0/1, as cvx::seg); `timing`, when given,
//    receives the upload, kernel and download times separately (CUDA events);
//  - device-resident (…Device): pointers to device memory in and out, nothing copied, for the
//    viewer to keep a series on the device and chain operations (see thresholdDevice).
// Errors: the input checks of cvx::seg with its codes (seg.bad_pixel_type, seg.bad_phase,
// seg.bad_range, seg.bad_seed, seg.bad_connectivity, seg.bad_radius, seg.bad_bins,
// seg.flat_histogram); cuda.no_device without a usable device; cuda.fault on any CUDA error;
// cuda.bad_pointer for a null device pointer. No CUDA type in this header (g++ includes it).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/volume.h>

namespace cvx::cuda::seg {

using VolumePtr = std::shared_ptr<Volume>;

struct Seed {
  int64_t x = 0, y = 0, z = 0;
};

// Where the time went, in milliseconds (CUDA events around each stage, the device synchronised).
struct Timing {
  double uploadMs = 0;    // host to device (the series; for connectedThreshold also the seeds)
  double kernelMs = 0;    // everything on the device between upload and download
  double downloadMs = 0;  // device to host (the mask)
  int passes = 0;         // connectedThreshold: global propagation passes (the last one finds no change)
};

// A phase of a scalar volume in device memory: nx*ny*nz voxels of `type` (UInt8, Int16, UInt16 or
// Float32), x fastest. Spacing matters only to the morphology.
struct DeviceVolume {
  const void* voxels = nullptr;
  PixelType type = PixelType::Int16;
  std::array<int64_t, 3> dims{0, 0, 0};
  Vec3 spacingMm{1, 1, 1};
};

// ---- Host in, host out (cvx::seg's contracts) -------------------------------------------------

// 1 where lo <= v <= hi (hd::inRange). cvx::seg::threshold.
Result<VolumePtr> threshold(const Volume& vol, double lo, double hi, int64_t t = 0, Timing* timing = nullptr);

// The in-range voxels connected (6 or 26) to a seed through in-range voxels; a seed out of range
// grows nothing. cvx::seg::connectedThreshold.
Result<VolumePtr> connectedThreshold(const Volume& vol, const std::vector<Seed>& seeds, double lo, double hi,
                                     int connectivity = 6, int64_t t = 0, Timing* timing = nullptr);

// The ball of hd::inBall (radius in mm, the mask's spacing; outside the volume: background for
// dilation, foreground for erosion). cvx::seg::dilate, erode, open, close.
Result<VolumePtr> dilate(const Volume& mask, double radiusMm, Timing* timing = nullptr);
Result<VolumePtr> erode(const Volume& mask, double radiusMm, Timing* timing = nullptr);
Result<VolumePtr> open(const Volume& mask, double radiusMm, Timing* timing = nullptr);
Result<VolumePtr> close(const Volume& mask, double radiusMm, Timing* timing = nullptr);

// Otsu: the histogram (hd::binOf over [min, max] of the phase, NaN and infinities skipped; bins = 0
// as cvx::seg: one per integer value up to 65536, 256 for Float32) is counted on the device, the
// threshold chosen by cvx::otsuSplit on the host, the mask written on the device.
struct OtsuResult {
  double threshold = 0;
  int bins = 0;
  std::vector<int64_t> counts;  // the histogram (equal to the CPU's, which tests check)
  VolumePtr mask;
};
Result<OtsuResult> otsu(const Volume& vol, int bins = 0, int64_t t = 0, Timing* timing = nullptr);
// Multi-Otsu (cvx::seg::multiOtsu): the same histogram, cvx::otsuSplit into `classes` (2..8;
// seg.bad_classes, and seg.bad_bins as the CPU for too many bins), each voxel's class (0 ..
// classes - 1: the number of class ends below its bin) written on the device.
struct MultiOtsuResult {
  std::vector<double> thresholds;  // classes - 1 of them, increasing
  int bins = 0;
  std::vector<int64_t> counts;
  VolumePtr labels;  // UInt8, 0 .. classes - 1
};
Result<MultiOtsuResult> multiOtsu(const Volume& vol, int classes, int bins = 0, int64_t t = 0,
                                  Timing* timing = nullptr);

// Connected components of a UInt8 mask (not 0 = foreground), 6 or 26: labels[i] is 0 for the
// background and 1..count() for the components, numbered in the raster order of each component's
// first voxel; voxels[l] is the size of component l (voxels[0]: the background).
// cvx::seg::labelComponents. cuda.too_large from 2^31 voxels (32-bit indices).
struct Components {
  std::array<int64_t, 3> dims{0, 0, 0};
  std::vector<uint32_t> labels;
  std::vector<int64_t> voxels;
  uint32_t count() const { return voxels.empty() ? 0 : static_cast<uint32_t>(voxels.size() - 1); }
};
Result<Components> labelComponents(const Volume& mask, int connectivity = 26, Timing* timing = nullptr);
// The largest component (ties: the first in raster order; an empty mask stays empty), and the
// mask without the components of fewer than minVoxels voxels (seg.bad_parameter when negative):
// the labelling, then a keep table per label, on the device. cvx::seg::keepLargest and
// removeSmallIslands.
Result<VolumePtr> keepLargest(const Volume& mask, int connectivity = 26, Timing* timing = nullptr);
Result<VolumePtr> removeSmallIslands(const Volume& mask, int64_t minVoxels, int connectivity = 26,
                                     Timing* timing = nullptr);
// The mask with its holes filled: the background's components (connectivity: the background's, 6
// or 26) that have a voxel on the volume's border stay background, all other voxels become 1 (any
// non-zero foreground too). Union-find over the background on the device (as labelComponents,
// without the numbering), the roots of the border's background marked outside, then the mask.
// cvx::seg::fillHoles. cuda.too_large from 2^31 voxels.
Result<VolumePtr> fillHoles(const Volume& mask, int connectivity = 6, Timing* timing = nullptr);

// ---- Device-resident ------------------------------------------------------------------------

// out[i] = inRange(in[i], lo, hi), out: nx*ny*nz bytes of device memory. The live preview keeps
// the series on the device (uploaded once, when the series is shown) and calls this on every
// slider move with `out` a device buffer that the renderer samples as the overlay (or copies the
// visible slice of): no host traffic per move, one memory-bound pass (512^3 Int16: 256 MiB read and
// 128 MiB written, ~0.15 ms at an H100's bandwidth by arithmetic; not yet measured).
Status thresholdDevice(const DeviceVolume& in, double lo, double hi, uint8_t* out);

// Region growing into out (nx*ny*nz device bytes, 0/1); seeds are host indices. Returns the
// number of global propagation passes.
Result<int> connectedThresholdDevice(const DeviceVolume& in, const std::vector<Seed>& seeds, double lo,
                                     double hi, int connectivity, uint8_t* out);

// Dilation (erode = false) or erosion of a device UInt8 mask (in.type must be UInt8, not 0 =
// foreground) into out; in and out must not overlap.
Status morphologyDevice(const DeviceVolume& in, double radiusMm, bool erode, uint8_t* out);

}  // namespace cvx::cuda::seg
