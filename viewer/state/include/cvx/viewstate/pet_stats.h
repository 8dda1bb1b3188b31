// SPDX-License-Identifier: MIT
// A segment's PET uptake in SUVbw, the numbers oncologists report at a tumour board (PERCIST and
// EANM conventions), for a segment drawn on the PET's own grid or on another grid of the same frame
// of reference (a CT's, with the PET fused). Qt-free. docs/segmentation.md, "PET uptake".
//
// Rules (SUV(q) = the PET's modality value at q x suvFactor):
// - The segment's uptake: the PET at each of the segment's voxel centres: the PET voxel's own value
//   when the segment is on the PET's grid (onSameGrid), else the PET trilinearly interpolated there
//   (core/reslice.h's gridSampler; within half a voxel of the rim, the rim voxel's value). Centres
//   outside the PET's voxel box have no uptake: they are left out of everything below.
// - SUVmean: the mean of that uptake, SUVsd its sample SD (n - 1; PERCIST's liver reference reads
//   it); MTV: the volume of the voxels it covers (mL); TLG = SUVmean x MTV.
// - The PET voxels in the segment: those whose centres' nearest segment voxel holds the segment.
//   SUVmax: the largest of their values, so that the same lesion drawn on a CT's grid or on the
//   PET's has the same SUVmax. SUVpeak: the largest mean SUV of a 1 cm^3 ball (radius
//   (3 / 4 pi)^(1/3) cm = 6.2035 mm) over the PET's own voxels whose centres lie within it, centred
//   on one of them; the ball may reach beyond the segment, as PERCIST's does, and its voxels off the
//   PET's grid are not counted.
// - A segment holding no PET voxel centre (smaller than a PET voxel): SUVmax is the largest of its
//   interpolated uptake, and SUVpeak's balls are centred on its first 64 voxel centres.
// - No voxel in the PET's box: every figure 0.
#pragma once
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>

namespace cvx::view {

inline constexpr double kSuvPeakRadiusMm = 6.2035049089940;  // a ball of 1 cm^3

struct PetStats {
  int64_t voxels = 0;  // the segment's voxels with uptake (inside the PET's box)
  double suvMax = 0, suvMean = 0, suvPeak = 0, suvSd = 0;
  double mtvMl = 0, tlg = 0;
  // Where they are (patient mm): SUVmax's PET voxel centre (the first of equal values in the PET's
  // order; for a segment holding no PET voxel centre, its own voxel centre of the largest sampled
  // value), and the centre of SUVpeak's ball (the first of equal means). The dock's "Go to max".
  Vec3 maxAt, peakAt;
};

// The uptake of segment `segment` of seg in phase `phase` of pet. Errors: seg.edit_bad_segment (no
// such segment), seg.stats_grid_mismatch (no such phase, or a suvFactor that is not > 0),
// render.bad_request (a PET of a pixel type no sampler reads).
Result<PetStats> petStats(const Segmentation& seg, size_t segment, const Volume& pet, int64_t phase, double suvFactor);

}  // namespace cvx::view
