// SPDX-License-Identifier: MIT
// The threshold level set on the GPU: hd::runLevelSet with one thread per voxel of each pass. The
// contract of cvx::seg::thresholdLevelSet (the CPU oracle in tests): the same per-voxel functions
// (cvx/core/hd/levelset.h) in the same order, synchronous passes and integer sums, so phi and the
// mask are bit-equal to the CPU's. No CUDA type in this header.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/hd/levelset.h>
#include <cvx/core/progress.h>
#include <cvx/core/volume.h>

namespace cvx::cuda {

struct LevelSetOutput {
  std::shared_ptr<Volume> mask;  // UInt8, 1 where phi <= 0, the input's x/y/z dims and geometry
  int iterations = 0;
  bool converged = false;
  double rmsChange = -1;
  std::vector<float> phi;  // the final level set function (mm, negative inside), x fastest
};

// Phase t of vol (UInt8, Int16, UInt16 or Float32) from the initial region `initial` (UInt8, same
// x/y/z dims, phase 0). The same errors as the CPU for the same bad inputs (seg.bad_pixel_type,
// seg.bad_phase, seg.size_mismatch, seg.bad_range, seg.bad_parameter, seg.empty_region,
// seg.cancelled), cuda.no_device without a usable device, cuda.fault on any CUDA error.
Result<LevelSetOutput> thresholdLevelSet(const Volume& vol, const Volume& initial,
                                         const hd::LevelSetParams& p, int64_t t = 0,
                                         Progress* progress = nullptr);

}  // namespace cvx::cuda
