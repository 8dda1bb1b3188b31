// SPDX-License-Identifier: MIT
// The brick map of empty space for volume rendering (hd::BrickMap, raycast.h's skipping rule): the
// value range every brick can interpolate, and per transfer function, how far each empty brick is
// from one that may be visible.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <cvx/core/hd/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/core/volume.h>

namespace cvx {

// Voxels per brick edge along x, y and z.
struct BrickSize {
  int x = 4, y = 4, z = 4;
};
// The brick for a grid's spacing: 4 voxels along its finest axis, and along each other axis the
// whole number of voxels nearest the same length in mm (1 at least), so that a brick is about as
// deep as it is wide and the apron of a thick slice does not make the empty space around every
// structure three times thicker than it is (docs/volume-rendering.md).
BrickSize brickSizeFor(const Vec3& spacingMm);

// Min and max modality value per brick of `size` voxels and a one-voxel apron (every value a
// trilinear sample in the brick, or within half a voxel of it, can see), of one phase.
// minMax[2 * b] and [2 * b + 1], b = brick index x fastest. Empty (no bricks) for a bad phase,
// a size below 1 or a volume without voxels.
struct BrickRanges {
  int bx = 0, by = 0, bz = 0;
  BrickSize size;
  std::vector<float> minMax;
};
BrickRanges brickRanges(const Volume& v, int64_t phase, BrickSize size);
BrickRanges brickRanges(const Volume& v, int64_t phase, int size);
// With brickSizeFor(v's spacing).
BrickRanges brickRanges(const Volume& v, int64_t phase);

// hd::BrickMap's skip entries for a transfer function (brick_walk.h): per octant of ray directions
// (hd::kSkipOctants planes of one entry per brick), 0 for a brick whose range is not transparent
// (TransferTable::transparent), else the edge in bricks of the largest cube reaching forward from it
// in the octant's directions that holds no such brick (255 at most; 255 everywhere when none is).
// Empty when the ranges are.
std::vector<uint8_t> brickSkipMap(const BrickRanges& r, const TransferTable& tf);

// Fusion (hd::Fusion, raycast.h): the second volume's values in the first's bricks. Per brick of
// `first`, the min and max modality value of every voxel of the second volume (its phase) that its
// sampler can read at a position of the brick (the brick's positions widened by 1/100 voxel, mapped
// by f.fromFirst, widened by 1/20 of the second's voxel for rounding; the floor of each clamped
// coordinate and the voxel after it): 2 floats per brick as BrickRanges::minMax, +inf and -inf where
// the brick lies outside the second's box (the second adds nothing there). Empty when `first` is,
// or for a bad phase.
std::vector<float> fusedRanges(const BrickRanges& first, const hd::Fusion& f, const Volume& second, int64_t phase);
// The skip map of a fused pair (hd::BrickMap::fused): a brick is empty when tf is transparent over
// its range and tf2 over the second's (fusedRanges) or it has none. Empty when the sizes disagree.
std::vector<uint8_t> brickSkipMap(const BrickRanges& r, const TransferTable& tf, const std::vector<float>& second,
                                  const TransferTable& tf2);

// The voxels (indices, inclusive per axis) of the bricks a skip map of r (brickSkipMap, one volume
// or a fused pair) marks visible, entry 0 in its first octant plane: what a composite rendering with
// its table(s) can draw, to within a brick and its apron (the 3D view frames it:
// viewstate/camera_3d.h). dims: the volume's x, y, z voxels, which clip the last bricks. nullopt when
// no brick is visible or the sizes disagree.
struct VoxelBox {
  std::array<int64_t, 3> lo{}, hi{};
};
std::optional<VoxelBox> visibleVoxels(const BrickRanges& r, const std::vector<uint8_t>& skip,
                                      const std::array<int64_t, 3>& dims);

// A stamp no other map has had in this process (hd::BrickMap::stamp): take a new one whenever the
// ranges or the skip entries behind a view change.
uint64_t newBrickMapStamp();

// The map viewed for hd: the ranges (MIP and MinIP skipping) and the skip entries (composite; null
// when skip does not have kSkipOctants entries per brick); nothing when the ranges are empty.
hd::BrickMap brickMapView(const BrickRanges& r, const std::vector<uint8_t>& skip);

namespace detail {
// The octant planes of brickSkipMap from one flag per brick (1: empty).
std::vector<uint8_t> skipMapOf(const std::vector<uint8_t>& empty, int bx, int by, int bz);
}

}  // namespace cvx
