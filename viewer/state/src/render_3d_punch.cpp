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
// Phase `phase` of v under the punches from `punched`: made (or waited for) with `wait`, or for a 4D
// series (a loop plays the copies the first pass makes); else only found: render.punch_pending while
// another renderer makes it.
Result<PunchedPhases::Drawn> phaseOf(PunchedPhases& punched, const std::shared_ptr<const Volume>& v,
                                     int phase, uint64_t key, const std::vector<Punch3D>& punches,
                                     bool wait) {
  if (wait || punches.empty() || v->dims()[3] > 1) return punched.get(v, phase, key, punches);
  auto found = punched.find(v, phase, key, punches);
  if (!found) return found.error();
  if (!*found)
    return makeError("render.punch_pending",
                     "the punched phase is being made (a renderer that must not wait)");
  return **found;
}
}  // namespace

Result<VolumeRenderer::Drawn> VolumeRenderer::punched(const std::shared_ptr<const Volume>& v, int phase,
                                                      const Camera3DView& camera, bool wait) {
  if (!v) return Drawn{v, phase, camera, v};
  // Without punches this drops v's copies (a restore frees them).
  auto d = phaseOf(*punched_, v, phase, voxelsKey(*v, revision_), punches_, wait);
  if (!d) return d.error();
  Drawn out{d->volume, d->phase, camera, v};
  if (d->volume != v && camera.frame.volume == v->serial())
    out.camera.frame.volume = d->volume->serial();  // framed as v
  return out;
}

Result<std::optional<Fused3D>> VolumeRenderer::punchedFused(bool wait) {
  if (!fused_ || !fused_->volume) return fused_;
  auto d = phaseOf(*punched_, fused_->volume, fused_->phase, voxelsKey(*fused_->volume, 0), punches_, wait);
  if (!d && d.error().code == "render.punch_pending") return d.error();
  if (!d) {  // drawn alone rather than unpunched through what the volume's punches removed
    fusedNote_ = "3D fusion off: " + d.error().str();
    return std::optional<Fused3D>{};
  }
  Fused3D f = *fused_;
  f.volume = d->volume;
  f.phase = d->phase;
  return std::optional<Fused3D>{f};
}

}  // namespace cvx::view
