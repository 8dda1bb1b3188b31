// SPDX-License-Identifier: MIT
// The region-growing seed of bench_segment and bench_segment_cuda: the centre of the right lung.
#pragma once
#include <cstdint>
#include <optional>

#include <cvx/core/volume.h>
#include <cvx/seg/segment.h>

namespace cvx::bench {

// The centre of the right lung on slice z: along the centre row, from the centre column toward the
// patient's right (LPS -x), the first run of at least 30 voxels within [lo, hi] (the trachea and
// bronchi are narrower) and bounded by denser voxels at both ends (else it is the air around the
// body, bounded by the edge or the padding: no lung on this slice); x at the run's middle, then y at the
// middle of the in-range run through that point along the column. The seed's 5 x 5 in-plane neighbourhood
// must be in range.
std::optional<seg::Index3> rightLungSeed(const Volume& v, int64_t z, double lo, double hi);

// rightLungSeed on the middle slice, else the nearest slice outward that has one ([lo, hi] in
// stored values).
std::optional<seg::Index3> findRightLungSeed(const Volume& v, double lo, double hi);

}  // namespace cvx::bench
