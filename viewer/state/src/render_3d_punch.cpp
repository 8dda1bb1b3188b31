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
Status pending() {
  return makeError("render.punch_pending", "the punched phase is being made (a renderer that must not wait)");
}
}  // namespace

Result<VolumeRenderer::Drawn> VolumeRenderer::punched(const std::shared_ptr<const Volume>& v, int phase,
                                                      const Camera3DView& camera, bool wait) {
  if (!v) return Drawn{v, phase, camera, v};
  std::optional<PunchedPhases::Drawn> d;
  if (wait || punches_.empty()) {  // without punches this drops v's copies (a restore frees them)
    auto got = punched_->get(v, phase, voxelsKey(*v, revision_), punches_);
    if (!got) return got.error();
    d = *got;
  } else if (!(d = punched_->find(v, phase, voxelsKey(*v, revision_), punches_))) {
    return pending().error();
  }
  Drawn out{d->volume, d->phase, camera, v};
  if (d->volume != v && camera.frame.volume == v->serial()) out.camera.frame.volume = d->volume->serial();  // framed as v
  return out;
}

Result<std::optional<Fused3D>> VolumeRenderer::punchedFused(bool wait) {
  if (!fused_ || !fused_->volume || punches_.empty()) return fused_;
  std::optional<PunchedPhases::Drawn> d;
  const uint64_t key = voxelsKey(*fused_->volume, 0);
  if (wait) {
    auto got = punched_->get(fused_->volume, fused_->phase, key, punches_);
    if (!got) {  // drawn alone rather than unpunched through what the volume's punches removed
      fusedNote_ = "3D fusion off: " + got.error().str();
      return std::optional<Fused3D>{};
    }
    d = *got;
  } else if (!(d = punched_->find(fused_->volume, fused_->phase, key, punches_))) {
    return pending().error();
  }
  Fused3D f = *fused_;
  f.volume = d->volume;
  f.phase = d->phase;
  return std::optional<Fused3D>{f};
}

}  // namespace cvx::view
