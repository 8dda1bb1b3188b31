// SPDX-License-Identifier: MIT
// A reslice plane in patient space (LPS, mm) and its conversion to the voxel-index parameters that
// hd::reslicePixel runs on (docs/rendering.md).
#pragma once
#include <cvx/core/geometry.h>
#include <cvx/core/hd/reslice.h>
#include <cvx/core/volume.h>

namespace cvx {

struct WorldPlane {
  Vec3 origin;  // LPS mm of output pixel (0,0)'s centre (the slab's central plane)
  Vec3 du, dv;  // LPS mm per output pixel, right and down
};

// Slab thickness is capped at this many samples (a slab thicker than any grid samples only air).
inline constexpr int kMaxSlabSamples = 8191;

// Maps a plane to voxel-index parameters through g.voxelFromWorld() (exact for oblique and sheared
// grids alike). slabMm <= 0 gives a thin slice (one sample). Otherwise the slab is sampled at source
// resolution along the plane normal n = du x dv: one step moves one voxel along the grid axis most
// aligned with n (the largest voxel-index component of dn is 1), and the samples are those whose
// centres lie within +-slabMm/2 of the plane: slabSamples = 2*floor(slabMm / (2*step)) + 1, odd,
// at least 1. A degenerate plane (du parallel to dv) or grid gives a thin slice with dn = 0.
hd::ResliceParams resliceParams(const Geometry& g, const WorldPlane& plane, double slabMm, hd::SlabMode mode);

// Length in mm of one slab step of p (|worldFromVoxel * dn|); 0 for a thin slice without dn.
double slabStepMm(const Geometry& g, const hd::ResliceParams& p);

// The sampler of one phase of v whose voxels start at phaseData (the host buffer, or a device
// copy of it): dims, strides and the rescale (none when the voxels hold modality values already).
// Both back ends build their sampler here.
template <class T>
hd::GridSampler<T> gridSampler(const Volume& v, const T* phaseData) {
  const auto& d = v.dims();
  hd::GridSampler<T> s;
  s.data = phaseData;
  s.dims = {static_cast<int>(d[0]), static_cast<int>(d[1]), static_cast<int>(d[2])};
  s.sy = d[0];
  s.sz = d[0] * d[1];
  if (!v.info.rescaleApplied) {
    s.slope = static_cast<float>(v.info.rescaleSlope);
    s.intercept = static_cast<float>(v.info.rescaleIntercept);
  }
  return s;
}

}  // namespace cvx
