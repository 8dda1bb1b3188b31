// SPDX-License-Identifier: MIT
// The threshold level set on the CPU (ITK's ThresholdSegmentationLevelSetImageFilter in manner):
// the reference that cvx::cuda::thresholdLevelSet is tested against. The per-voxel rules are
// cvx/core/hd/levelset.h; the method, its discretisation and its stopping rules are
// docs/segmentation.md, "Level set".
#pragma once
#include <cstdint>
#include <vector>

#include <cvx/core/hd/levelset.h>
#include <cvx/seg/segment.h>

namespace cvx::seg {

using LevelSetParams = hd::LevelSetParams;

struct LevelSetResult {
  VolumePtr mask;          // 1 where phi <= 0 (the conventions of segment.h)
  int iterations = 0;      // time steps taken
  bool converged = false;  // stopped because the RMS change fell below the tolerance
  double rmsChange = -1;   // mm per iteration at the last reinitialisation (-1: none measured)
  std::vector<float> phi;  // the final level set function (mm, negative inside), x fastest
};

// Evolves phi from the initial region (a UInt8 mask on vol's grid, foreground != 0) under
//   d(phi)/dt = -w_p P(I) |grad phi| + w_c kappa |grad phi|
// until maxIterations or convergence. Errors: seg.bad_pixel_type, seg.bad_phase, seg.bad_range
// (NaN bounds or lower > upper), seg.bad_parameter (negative weights, cfl outside (0, 1], band < 2
// voxels, interval < 1, iterations < 0), seg.size_mismatch (mask dims differ), seg.empty_region
// (the initial region is empty), seg.cancelled, seg.out_of_memory.
Result<LevelSetResult> thresholdLevelSet(const Volume& vol, const Volume& initial, const LevelSetParams& p,
                                         int64_t t = 0, Progress* progress = nullptr);

// The initial region of seeds: 1 in the voxels within radiusMm of a seed voxel (hd::inBall, the
// morphology's ball). seg.bad_seed for a seed outside the grid, seg.bad_radius for a negative radius.
Result<VolumePtr> seedSpheres(const Volume& like, const std::vector<Index3>& seeds, double radiusMm);

// Checks shared by the CPU and CUDA implementations (the CUDA back end repeats them in its own
// terms): the parameters, and the mask against the volume.
Status checkLevelSetParams(const LevelSetParams& p);

}  // namespace cvx::seg
