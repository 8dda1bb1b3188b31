// SPDX-License-Identifier: MIT
// Statistics per segment: voxel count, volume in mL (Segmentation::volumeMl: count x |det| of the
// voxel-to-world matrix), and the mean, standard deviation, minimum and maximum of the source
// volume's values over the segment's voxels, in the series' units: stored x slope + intercept,
// or the voxel as it is when the volume holds modality values already (info.rescaleApplied):
// the rule of core/reslice.h's gridSampler (there in float, here in double). The SD is the
// population SD, sqrt(sum (v - mean)^2 / n). One pass over each layer for all its segments.
// docs/segmentation.md, "Editing, undo and the journal". Qt-free.
#pragma once
#include <cstdint>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>

namespace cvx::view {

struct SegmentStats {
  int64_t voxels = 0;
  double volumeMl = 0;
  // Over the segment's voxels, in the series' units; 0 when the segment is empty.
  double mean = 0, sd = 0, min = 0, max = 0;
};

// Whether seg lies on v's grid: the same x, y, z dims and the grid's eight corners within 1e-3 mm
// in patient space (the viewer state's rule for a segmentation over an image layer).
bool onSameGrid(const Segmentation& seg, const Volume& v);
// The same rule for two grids (geometry, x, y, z dims).
bool onSameGrid(const Geometry& a, const std::array<int64_t, 3>& da, const Geometry& b,
                const std::array<int64_t, 3>& db);

// One entry per segment of seg, over phase `phase` of source. Errors: seg.stats_grid_mismatch
// (source's x, y, z dims are not seg's, or no such phase), seg.bad_pixel_type (a colour source).
Result<std::vector<SegmentStats>> segmentStats(const Segmentation& seg, const Volume& source,
                                               int64_t phase = 0);

}  // namespace cvx::view
