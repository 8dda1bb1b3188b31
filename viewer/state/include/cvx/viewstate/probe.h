// SPDX-License-Identifier: MIT
// The value under the mouse: the voxel of a view's layer nearest to a patient position (the
// voxel whose centre is closest in index space, at the state's phase), as a modality value. Not the
// interpolated value the image shows: a reader probing a voxel expects the voxel's own number,
// stored x slope + intercept, as on the scanner console. Qt-free.
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include <cvx/viewstate/state.h>

namespace cvx::view {

struct Probe {
  std::array<int64_t, 3> voxel{};  // i, j, k of the view's layer
  double stored = 0;               // the voxel as stored
  double value = 0;                // modalityValue(stored)
};

// nullopt outside the layer's grid (more than half a voxel beyond its edge voxel centres), or
// while that slice is not loaded yet.
std::optional<Probe> probe(const ViewerState& state, int view, Vec3 world);

}  // namespace cvx::view
