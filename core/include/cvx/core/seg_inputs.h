// SPDX-License-Identifier: MIT
// What every segmentation back end shares before it starts: the input checks, with the codes of
// docs/errors.md, and the output mask. cvx::seg (the CPU) and cvx::cuda::seg (the GPU) call these
// same functions, so one bad input gets one code and one message whichever back end sees it.
#pragma once
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/growcut.h>
#include <cvx/core/hd/levelset.h>
#include <cvx/core/volume.h>

namespace cvx::seginputs {

// UInt8, Int16, UInt16 or Float32: the pixel types segmentation reads.
bool scalarType(PixelType t);
// seg.bad_pixel_type for another type, seg.bad_phase for t outside 0..T-1.
Status intensity(const Volume& v, int64_t t);
// seg.bad_pixel_type unless UInt8.
Status mask(const Volume& v);
// seg.bad_range when a threshold bound is NaN.
Status bounds(double lo, double hi);
// seg.bad_connectivity unless 6 or 26.
Status connectivity(int connectivity);
// GrowCut: the intensity, connectivity, a UInt8 seed map on the same grid (seg.bad_seed), a finite
// margin >= 0, maxIterations >= 1 and a finite range >= 0 (seg.bad_parameter).
Status growCut(const Volume& vol, const Volume& seeds, const hd::GrowCutOptions& o);
// The level set's parameters alone: seg.bad_range (upper < lower) or seg.bad_parameter.
Status levelSetParams(const hd::LevelSetParams& p);
// The level set: the intensity, a UInt8 initial region on the same grid (seg.size_mismatch), grids
// below 2^30 per axis, positive spacing, then levelSetParams.
Status levelSet(const Volume& vol, const Volume& initial, const hd::LevelSetParams& p, int64_t t);

// A new UInt8 mask of like's x, y, z dims with t = 1 and a copy of its geometry. Contents are
// uninitialised: the caller writes every voxel. volume.* errors.
Result<std::shared_ptr<Volume>> makeMask(const Volume& like);

}  // namespace cvx::seginputs
