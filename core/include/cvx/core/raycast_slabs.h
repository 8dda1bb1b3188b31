// SPDX-License-Identifier: MIT
// The plan of an out-of-core cast (hd/raycast_slab.h's rules): the slabs, each with its resident
// voxels under a memory budget, and the order in which every ray meets them front to back. Shared
// by the CPU and CUDA back ends.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>

namespace cvx {

struct RaySlab {
  int64_t zBegin = 0, zEnd = 0;  // the slices it owns
  int64_t bufBegin = 0, bufEnd = 0;  // the slices resident while it is cast (owned and apron)
  float zLo = 0, zHi = 0;  // the positions it owns (-inf / +inf at the volume's ends)
};

// The apron (slices on each side) that p's spans read beyond the slices a slab owns: trilinear and
// shading (two), and one sample step of the ray in z for an isosurface's bisection.
int64_t slabApron(const hd::RaycastParams& p);

// Slabs of a volume of `dims` whose resident slices (sliceBytes each) take at most budgetBytes;
// one slab when it all fits. render.budget_too_small when not even one owned slice and its apron
// fit.
Result<std::vector<RaySlab>> planSlabs(const std::array<int64_t, 4>& dims, size_t sliceBytes,
                                       const hd::RaycastParams& p, size_t budgetBytes);

// The order to cast slabs in: outward from the eye's slab for a perspective camera (one origin),
// by the direction's z for a parallel one (one direction). render.bad_request for a camera that
// is neither.
Result<std::vector<int>> slabOrder(const std::vector<RaySlab>& slabs, const hd::RayCamera& cam);

}  // namespace cvx
