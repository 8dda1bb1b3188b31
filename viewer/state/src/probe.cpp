// SPDX-License-Identifier: MIT
#include <cvx/viewstate/probe.h>

#include <cmath>

namespace cvx::view {

std::optional<Probe> probe(const ViewerState& state, int view, Vec3 world) {
  if (state.layers().empty() || view < 0 || view >= state.viewCount()) return std::nullopt;
  const Layer& layer = state.layers()[static_cast<size_t>(state.viewLayer(view))];
  const Volume& v = *layer.volume;
  const Vec3 idx = v.geometry.voxelFromWorld().applyPoint(world);
  Probe p;
  for (int a = 0; a < 3; ++a) {
    const double r = std::round(idx[a]);
    if (!std::isfinite(r) || r < 0 || r > static_cast<double>(v.dims()[static_cast<size_t>(a)] - 1)) return std::nullopt;
    p.voxel[static_cast<size_t>(a)] = static_cast<int64_t>(r);
  }
  const int64_t t = state.phaseOf(v);
  if (!v.sliceReady(p.voxel[2] + t * v.dims()[2])) return std::nullopt;
  p.stored = v.valueAt(p.voxel[0], p.voxel[1], p.voxel[2], t);
  p.value = modalityValue(v, p.stored);
  return p;
}

}  // namespace cvx::view
