// SPDX-License-Identifier: MIT
// VolumeRenderer's scene (render_3d.h): the meshes and slices drawn before the rays, and the volume
// composited between translucent surfaces.
#include <cvx/viewstate/render_3d.h>

#include <cvx/render/mesh_raster.h>

namespace cvx::view {

std::vector<const Mesh*> VolumeRenderer::meshList() const {
  std::vector<const Mesh*> list;
  for (const auto& m : meshes_)
    if (m && !m->empty()) list.push_back(m.get());
  return list;
}

std::vector<float> VolumeRenderer::meshOpacities() const {
  std::vector<float> list;
  for (size_t i = 0; i < meshes_.size(); ++i)
    if (meshes_[i] && !meshes_[i]->empty()) list.push_back(i < meshOpacity_.size() ? meshOpacity_[i] : 1.0f);
  return list;
}

bool VolumeRenderer::hasScene() const { return !meshList().empty() || !slices_.empty(); }

Status VolumeRenderer::drawFragmentPasses(const RaycastJob& job) {
  const render::MeshFragments& f = *fragments_;
  const size_t n = static_cast<size_t>(job.width) * static_cast<size_t>(job.height);
  passRgba_.resize(static_cast<size_t>(f.layers));
  passDepth_.resize(n);
  passOut_.resize(n);
  std::vector<const float*> passes;
  for (int k = 0; k < f.layers; ++k) {
    // The rays end at fragment k where the pixel has it in front of the opaque scene; elsewhere at
    // once (depth 0: nothing sampled, nothing composited from this pass).
    for (size_t i = 0; i < n; ++i)
      passDepth_[i] = f.inFront(i, meshDepth_[i]) > k
                          ? f.depth[i * render::kMaxFragments + static_cast<size_t>(k)]
                          : 0.0f;
    auto& out = passRgba_[static_cast<size_t>(k)];
    out.resize(4 * n);
    RaycastJob pass = job;
    pass.params.depthIn = passDepth_.data();
    pass.rgba = out.data(), pass.depth = passOut_.data(), pass.value = nullptr;
    CVX_TRY(onBackend([&](Backend& b) { return b.raycast(pass); }));
    passes.push_back(out.data());
  }
  render::compositeWithFragments(rgba_.data(), depth_.data(), passes, f, meshRgba_.data(), meshDepth_.data(),
                                 n);
  return {};
}

}  // namespace cvx::view
