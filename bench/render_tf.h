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
// bench_render --mip: grey from -1000 HU (black) to 2000 HU (white), alpha 1.
std::vector<TfPoint> mipTransferFunction();

}  // namespace cvx::bench
