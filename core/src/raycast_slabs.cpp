// SPDX-License-Identifier: MIT
#include <cvx/core/raycast_slabs.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace cvx {

int64_t slabApron(const hd::RaycastParams& p) {
  // |d.z| per mm is at most the length of voxelFromWorld's third row: gradWorld's third column.
  const float(*g)[3] = p.gradWorld;
  const double dz = std::sqrt(double(g[0][2]) * g[0][2] + double(g[1][2]) * g[1][2] + double(g[2][2]) * g[2][2]);
  const double step = std::isfinite(p.stepMm) ? std::max(0.0f, p.stepMm) : 0.0;
  const double reach = std::min(dz * step, 1e6);
  return 2 + static_cast<int64_t>(std::ceil(std::isfinite(reach) ? reach : 0.0));
}

Result<std::vector<RaySlab>> planSlabs(const std::array<int64_t, 4>& dims, size_t sliceBytes,
                                       const hd::RaycastParams& p, size_t budgetBytes) {
  const int64_t nz = dims[2];
  if (nz <= 0 || sliceBytes == 0) return makeError("render.bad_request", "out-of-core cast of an empty volume");
  const int64_t fit = static_cast<int64_t>(std::min<size_t>(budgetBytes / sliceBytes, size_t(1) << 40));
  constexpr float inf = std::numeric_limits<float>::infinity();
  if (fit >= nz) return std::vector<RaySlab>{{0, nz, 0, nz, -inf, inf}};
  const int64_t apron = slabApron(p), owned = fit - 2 * apron;
  if (owned < 1)
    return makeError("render.budget_too_small",
                     "a memory budget of " + std::to_string(budgetBytes) + " bytes holds " + std::to_string(fit) +
                         " slices; a slab needs at least " + std::to_string(2 * apron + 1));
  std::vector<RaySlab> slabs;
  for (int64_t z = 0; z < nz; z += owned) {
    RaySlab s;
    s.zBegin = z;
    s.zEnd = std::min(nz, z + owned);
    s.bufBegin = std::max<int64_t>(0, s.zBegin - apron);
    s.bufEnd = std::min(nz, s.zEnd + apron);
    s.zLo = z == 0 ? -inf : static_cast<float>(s.zBegin);
    s.zHi = s.zEnd == nz ? inf : static_cast<float>(s.zEnd);
    slabs.push_back(s);
  }
  return slabs;
}

Result<std::vector<int>> slabOrder(const std::vector<RaySlab>& slabs, const hd::RayCamera& cam) {
  const int n = static_cast<int>(slabs.size());
  auto zero = [](hd::Vec3f v) { return v.x == 0.0f && v.y == 0.0f && v.z == 0.0f; };
  std::vector<int> order;
  order.reserve(n);
  if (zero(cam.ou) && zero(cam.ov)) {  // one origin (perspective): outward from its slab
    int e = 0;
    while (e + 1 < n && !(cam.o.z < slabs[e].zHi)) ++e;
    order.push_back(e);
    for (int i = 1; i < n; ++i) {
      if (e + i < n) order.push_back(e + i);
      if (e - i >= 0) order.push_back(e - i);
    }
    return order;
  }
  if (zero(cam.du) && zero(cam.dv)) {  // one direction (parallel)
    for (int i = 0; i < n; ++i) order.push_back(cam.d.z < 0.0f ? n - 1 - i : i);
    return order;
  }
  return makeError("render.bad_request", "an out-of-core cast needs a perspective or a parallel camera");
}

}  // namespace cvx
