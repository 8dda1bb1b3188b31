// SPDX-License-Identifier: MIT
// VolumeRenderer's scene (render_3d.h): where the rays run (rayGeometry3d), the meshes and slices drawn
// before the rays, and the volume composited between translucent surfaces.
#include <cvx/viewstate/render_3d.h>

#include <algorithm>
#include <cstdint>
#include <iterator>

#include <cvx/render/mesh_raster.h>
#include <cvx/render/raycast.h>
#include <cvx/viewstate/crop_3d.h>

namespace cvx::view {
namespace {

// A mesh that is drawn: not empty, and not at opacity 0 (or below).
bool drawn(const std::shared_ptr<const Mesh>& m, size_t i, const std::vector<float>& opacity) {
  return m && !m->empty() && !(i < opacity.size() && opacity[i] <= 0.0f);
}

// The half-space dot(n, p - point) >= 0 (LPS) in g's voxel index i: p = origin + sum_a dir_a s_a i_a,
// so n_a = s_a dot(n, dir_a) and c = dot(n, origin - point).
hd::ClipPlane voxelPlane(const Geometry& g, const ClipPlane3D& c) {
  const Vec3 n = c.keptNormal(), s = g.spacingMm;
  hd::ClipPlane pl;
  pl.n = {static_cast<float>(s.x * dot(n, g.direction[0])), static_cast<float>(s.y * dot(n, g.direction[1])),
          static_cast<float>(s.z * dot(n, g.direction[2]))};
  pl.c = static_cast<float>(dot(n, g.originMm - c.point));
  return pl;
}

}  // namespace

hd::RaycastParams rayGeometry3d(const Volume& v, const Camera3DView& camera, int width, int height,
                                const CropBox3D& crop, const std::vector<ClipPlane3D>& clip) {
  hd::RaycastParams p = raycastParams(v.geometry, v.dims(), orbitCamera(v, camera, width, height), width, height);
  if (!crop.full()) {
    const auto box = cropVoxelBox(v, crop);
    p.boxLo = {std::max(p.boxLo.x, static_cast<float>(box[0].x)), std::max(p.boxLo.y, static_cast<float>(box[0].y)),
               std::max(p.boxLo.z, static_cast<float>(box[0].z))};
    p.boxHi = {std::min(p.boxHi.x, static_cast<float>(box[1].x)), std::min(p.boxHi.y, static_cast<float>(box[1].y)),
               std::min(p.boxHi.z, static_cast<float>(box[1].z))};
  }
  for (const ClipPlane3D& c : clip)
    if (p.planeCount < static_cast<int>(std::size(p.planes))) p.planes[p.planeCount++] = voxelPlane(v.geometry, c);
  return p;
}

std::vector<const Mesh*> VolumeRenderer::meshList() const {
  std::vector<const Mesh*> list;
  for (size_t i = 0; i < meshes_.size(); ++i)
    if (drawn(meshes_[i], i, meshOpacity_)) list.push_back(meshes_[i].get());
  return list;
}

std::vector<float> VolumeRenderer::meshOpacities(bool mip) const {
  std::vector<float> list;
  if (mip) return list;  // drawn opaque: a maximum is no sum of prefixes
  for (size_t i = 0; i < meshes_.size(); ++i)
    if (drawn(meshes_[i], i, meshOpacity_)) list.push_back(i < meshOpacity_.size() ? meshOpacity_[i] : 1.0f);
  return list;
}

bool VolumeRenderer::hasScene() const {
  for (size_t i = 0; i < meshes_.size(); ++i)
    if (drawn(meshes_[i], i, meshOpacity_)) return true;
  return !slices_.empty();
}

Status VolumeRenderer::drawFragmentPasses(const RaycastJob& job) {
  const render::MeshFragments& f = *fragments_;
  const size_t n = static_cast<size_t>(job.width) * static_cast<size_t>(job.height);
  // Each pixel's fragments in front of the opaque scene, slices included; the most any pixel has.
  std::vector<uint8_t>& count = passCount_;
  count.resize(n);
  int layers = 0;
  for (size_t i = 0; i < n; ++i) {
    count[i] = static_cast<uint8_t>(f.inFront(i, meshDepth_[i]));
    layers = std::max<int>(layers, count[i]);
  }
  if (layers == 0) {  // slices hide them all
    render::compositeOverMeshes(rgba_.data(), depth_.data(), meshRgba_.data(), meshDepth_.data(), n);
    return {};
  }
  passRgba_.resize(static_cast<size_t>(layers));
  passDepth_.resize(n);
  passOut_.resize(n);
  std::vector<const float*> passes;
  for (int k = 0; k < layers; ++k) {
    // The rays end at fragment k where the pixel has it in front of the opaque scene; elsewhere at
    // once (depth 0: nothing sampled, nothing composited from this pass).
    for (size_t i = 0; i < n; ++i)
      passDepth_[i] = count[i] > k ? f.depth[i * render::kMaxFragments + static_cast<size_t>(k)] : 0.0f;
    auto& out = passRgba_[static_cast<size_t>(k)];
    out.resize(4 * n);
    RaycastJob pass = job;
    pass.params.depthIn = passDepth_.data();
    pass.rgba = out.data(), pass.depth = passOut_.data(), pass.value = nullptr;
    CVX_TRY(onBackend([&](Backend& b) { return b.raycast(pass); }));
    passes.push_back(out.data());
  }
  render::compositeWithFragments(rgba_.data(), depth_.data(), passes, f, count.data(), meshRgba_.data(),
                                 meshDepth_.data(), n);
  return {};
}

}  // namespace cvx::view
