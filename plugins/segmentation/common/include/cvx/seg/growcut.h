// SPDX-License-Identifier: MIT
// GrowCut on the CPU: the reference for cvx::cuda::growCut. The per-voxel rule, its tie-breaks,
// the ROI and what "converged" means are in cvx/core/hd/growcut.h and docs/segmentation.md
// ("GrowCut"); the conventions of cvx/seg/segment.h apply (types, phase, progress and cancel).
#pragma once
#include <cstdint>

#include <cvx/core/hd/growcut.h>
#include <cvx/seg/segment.h>

namespace cvx::seg {

using GrowCutOptions = hd::GrowCutOptions;

struct GrowCutResult {
  // UInt8 of the input's x, y, z dims, t = 1, the input's geometry: the class 1..255 each voxel of
  // the ROI went to; 0 outside the ROI and where no class arrived (g = 0 on every path).
  VolumePtr labels;
  hd::Box3i roi;           // in voxels of the input, half-open
  float range = 1;         // g's maxRange as used
  int iterations = 0;      // the iterations that changed at least one voxel
  bool converged = false;  // an iteration changed nothing (a fixed point) within maxIterations
};

// seeds: UInt8 of vol's x, y, z dims (phase 0): 0 unlabelled, 1..255 the class of a seed voxel.
// Errors: the cvx::seg conventions, plus seg.bad_seed (seeds not UInt8, other dims, or no seed
// voxel) and seg.bad_parameter (a negative or NaN margin, maxIterations < 1, a NaN or negative
// range). Iterations run over z-slices of the ROI on the global thread pool; rows whose 3x3
// neighbourhood of rows did not change in the previous iteration are skipped (their state cannot
// change), which gives the same states as a full synchronous sweep.
Result<GrowCutResult> growCut(const Volume& vol, const Volume& seeds, const GrowCutOptions& options = {},
                              Progress* progress = nullptr);

}  // namespace cvx::seg
