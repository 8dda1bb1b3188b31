// SPDX-License-Identifier: MIT
// bench_render's transfer function: control points in modality units (HU), given to CineVox through
// cvx::buildTransferTable and to VTK as piecewise functions over stored values (render_vtk.cpp).
#pragma once
#include <cstdint>
#include <vector>

#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>

namespace cvx::bench {

// The benchmark's CT bone-like transfer function (HU; alpha per unit distance).
std::vector<TfPoint> boneTransferFunction();

// Empty-brick flags (1: every value a sample in the brick can see has sigma 0).
std::vector<uint8_t> emptyBricks(const BrickRanges& r, const TransferTable& tf);

}  // namespace cvx::bench
