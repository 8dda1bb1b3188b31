// SPDX-License-Identifier: MIT
// GrowCut on the GPU: hd::growCutUpdate, one thread per voxel of the ROI per iteration,
// double-buffered. The contract of cvx::seg::growCut (cvx/seg/growcut.h), which is its oracle in
// tests: the same ROI, range, labels, iteration count and convergence. No CUDA type in this header.
#pragma once
#include <memory>

#include <cvx/core/error.h>
#include <cvx/core/hd/growcut.h>
#include <cvx/core/progress.h>
#include <cvx/core/volume.h>

namespace cvx::cuda {

struct GrowCutOutput {
  std::shared_ptr<Volume> labels;  // UInt8 of the input's x, y, z dims: 0 outside the ROI or unreached
  hd::Box3i roi;
  float range = 1;
  int iterations = 0;      // the iterations that changed at least one voxel
  bool converged = false;  // an iteration changed nothing within maxIterations
};

// The same input checks and codes as cvx::seg::growCut (seg.*), cuda.no_device without a usable
// device, cuda.fault on any CUDA error, seg.cancelled when progress is cancelled (checked every
// batch of iterations).
Result<GrowCutOutput> growCut(const Volume& vol, const Volume& seeds, const hd::GrowCutOptions& options = {},
                              Progress* progress = nullptr);

}  // namespace cvx::cuda
