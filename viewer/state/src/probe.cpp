// SPDX-License-Identifier: MIT
#include <cvx/viewstate/probe.h>

#include <cvx/core/hd/raycast.h>
#include <cvx/viewstate/render_3d.h>

#include <algorithm>
#include <cmath>

namespace cvx::view {

std::optional<Probe> probe(const ViewerState& state, int view, Vec3 world) {
  if (state.layers().empty() || view < 0 || view >= state.viewCount()) return std::nullopt;
  return probeLayer(state, state.viewLayer(view), world);
}

std::optional<Probe> probeLayer(const ViewerState& state, int layerIndex, Vec3 world) {
  if (layerIndex < 0 || layerIndex >= static_cast<int>(state.layers().size())) return std::nullopt;
  const Layer& layer = state.layers()[static_cast<size_t>(layerIndex)];
  if (!layer.volume) return std::nullopt;
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

int petLayerOfFrame(const ViewerState& state, int own) {
  for (int i : state.layersOfFrame(own))
    if (state.layers()[static_cast<size_t>(i)].volume->info.modality == "PT") return i;
  return -1;
}

int viewOfFrame(const ViewerState& state, int layer, int preferView) {
  if (layer < 0 || layer >= static_cast<int>(state.layers().size())) return -1;
  const std::vector<int> frame = state.layersOfFrame(layer);
  auto shows = [&](int v) { return std::find(frame.begin(), frame.end(), state.viewLayer(v)) != frame.end(); };
  if (preferView >= 0 && preferView < state.viewCount() && shows(preferView)) return preferView;
  for (int v = 0; v < state.viewCount(); ++v)
    if (shows(v)) return v;
  return -1;
}

std::optional<Vec3> cursorInFrameOf(const ViewerState& state, int layer, int preferView) {
  const int v = viewOfFrame(state, layer, preferView);
  if (v >= 0) return state.viewCursor(v);
  if (layer < 0 || layer >= static_cast<int>(state.layers().size())) return std::nullopt;
  if (state.frameOf(layer) == state.frameOf(0)) return state.cursor();
  if (const auto offset = state.frameOffset(state.frameOf(layer))) return state.cursor() + *offset;  // linked by hand
  return std::nullopt;
}

std::optional<Vec3> hottestAlong(const ViewerState& state, int layer, Vec3 origin, Vec3 direction, double lengthMm) {
  if (layer < 0 || layer >= static_cast<int>(state.layers().size()) || !state.layers()[static_cast<size_t>(layer)].volume)
    return std::nullopt;
  const Volume& v = *state.layers()[static_cast<size_t>(layer)].volume;
  const double len = norm(direction);
  const Vec3 sp = v.geometry.spacingMm;
  const double step = 0.5 * std::min({sp.x, sp.y, sp.z});
  if (!(len > 0) || !(step > 0) || !(lengthMm >= 0) || !std::isfinite(lengthMm)) return std::nullopt;
  const Vec3 u = direction * (1.0 / len);
  std::optional<Probe> best;
  const int64_t n = static_cast<int64_t>(std::min(lengthMm / step, 1e7));
  for (int64_t k = 0; k <= n; ++k) {
    const auto p = probeLayer(state, layer, origin + u * (static_cast<double>(k) * step));
    if (p && (!best || p->value > best->value)) best = p;
  }
  if (!best) return std::nullopt;
  return v.geometry.worldFromVoxel().applyPoint(
      {static_cast<double>(best->voxel[0]), static_cast<double>(best->voxel[1]), static_cast<double>(best->voxel[2])});
}

std::optional<Vec3> hottestUnderPixel(const ViewerState& state, int layer, int width, int height, int x, int y) {
  if (state.layers().empty() || !state.layers().front().volume) return std::nullopt;
  const Volume& ref = *state.layers().front().volume;
  hd::RaycastParams p = rayGeometry3d(ref, state.camera3d(), width, height, state.crop3d(), state.cutPlanes3d());
  p.stepMm = 1;  // any: pixelRayOf only asks that there be one
  hd::PixelRay r;
  if (!hd::pixelRayOf(p, x, y, r)) return std::nullopt;
  const WorldRays rays = worldRays(orbitCamera(ref, state.camera3d(), width, height), width, height);
  const Vec3 a = rays.at(x, y, r.t0), b = rays.at(x, y, r.t1);
  return hottestAlong(state, layer, a, b - a, norm(b - a));
}

}  // namespace cvx::view
