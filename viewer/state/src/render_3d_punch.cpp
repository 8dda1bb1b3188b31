// SPDX-License-Identifier: MIT
// VolumeRenderer under the 3D view's punches (render_3d.h, punch_3d.h): the phases it draws.
#include <cvx/viewstate/render_3d.h>

namespace cvx::view {
namespace {
// A copy is made again when the voxels change in place: the renderers' count, and the slices a
// progressive load has made ready since (a fused layer still loading has no count of its own).
uint64_t voxelsKey(const Volume& v, uint64_t revision) {
  return (revision << 32) ^ static_cast<uint64_t>(v.slicesReady());
}
}  // namespace

Result<VolumeRenderer::Drawn> VolumeRenderer::punched(const std::shared_ptr<const Volume>& v, int phase,
                                                      const Camera3DView& camera) {
  if (punches_.empty() || !v) return Drawn{v, phase, camera, v};
  auto d = punched_->get(v, phase, voxelsKey(*v, revision_), punches_);
  if (!d) return d.error();
  Drawn out{d->volume, d->phase, camera, v};
  if (camera.frame.volume == v->serial()) out.camera.frame.volume = d->volume->serial();  // framed as v is
  return out;
}

std::optional<Fused3D> VolumeRenderer::punchedFused() {
  if (!fused_ || !fused_->volume || punches_.empty()) return fused_;
  auto d = punched_->get(fused_->volume, fused_->phase, voxelsKey(*fused_->volume, 0), punches_);
  if (!d) return fused_;  // a phase it lacks: frameJob's checks say so
  Fused3D f = *fused_;
  f.volume = d->volume;
  f.phase = d->phase;
  return f;
}

}  // namespace cvx::view
