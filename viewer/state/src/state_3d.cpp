// SPDX-License-Identifier: MIT
// ViewerState's 3D view (state.h): camera, presets and their edits, fusion, crop box.
#include <cvx/viewstate/state.h>

#include <algorithm>
#include <cmath>

namespace cvx::view {

void ViewerState::setFusion3d(bool on) {
  fusion3d_ = on;
  notify(kView3d);
}

void ViewerState::setFusedPreset3d(const std::string& name) {
  fusedPreset3d_ = name;
  editedFused3d_.reset();
  notify(kView3d);
}

std::string ViewerState::fusedPresetName3d() const {
  const int layer = fusedLayer3d();
  if (layer < 0) return {};
  const Volume& v = *layers_[static_cast<size_t>(layer)].volume;
  return fusedPreset3d_.empty() ? defaultTransferPreset(v.info.modality) : fusedPreset3d_;
}

Status ViewerState::setEditedFusedPreset3d(TransferPreset preset) {
  CVX_TRY(checkTransferPoints(preset.points));
  editedFused3d_ = std::move(preset);
  notify(kView3d);
  return {};
}

int ViewerState::fusedLayer3d() const {
  if (!fusion3d_) return -1;
  for (int i = 1; i < static_cast<int>(layers_.size()); ++i)
    if (layers_[static_cast<size_t>(i)].visible && layers_[static_cast<size_t>(i)].volume && frameOf(i) == frameOf(0))
      return i;
  return -1;
}

int ViewerState::fusedPhase3d() const {
  const int i = fusedLayer3d();
  if (i < 0) return 0;
  return layers_[static_cast<size_t>(i)].volume->dims()[3] == phaseCount() ? phase_ : 0;
}

void ViewerState::setCamera3d(const Camera3DView& c) {
  camera3d_ = c;
  camera3d_.elevationDeg = std::clamp(c.elevationDeg, -90.0, 90.0);
  camera3d_.zoom = std::clamp(c.zoom, 0.05, 50.0);
  notify(kView3d);
}

void ViewerState::setPreset3d(const std::string& name) {
  preset3d_ = name;
  edited3d_.reset();
  notify(kView3d);
}

void ViewerState::resetCrop3d() {
  CropBox3D c;
  c.shown = crop3d_.shown;
  setCrop3d(c);
}

void ViewerState::setPunches3d(Punches3D p) {
  punches3d_ = std::move(p);
  notify(kView3d);
}

void ViewerState::setCrop3d(const CropBox3D& c) {
  CropBox3D k;
  k.shown = c.shown;
  for (size_t a = 0; a < 3; ++a) {
    k.lo[a] = std::clamp(std::isfinite(c.lo[a]) ? c.lo[a] : 0.0, 0.0, 1.0);
    k.hi[a] = std::clamp(std::isfinite(c.hi[a]) ? c.hi[a] : 1.0, k.lo[a], 1.0);
  }
  crop3d_ = k;
  notify(kView3d);
}

Status checkClipPlanes(const std::vector<ClipPlane3D>& planes, int viewCount) {
  int halves = 0;
  for (const ClipPlane3D& c : planes) {
    halves += c.slab ? 2 : 1;
    if (c.view >= viewCount || c.view < -1)
      return makeError("viewer.bad_clip", "a clip plane follows view " + std::to_string(c.view) + ", which does not exist");
    const double n = norm(c.normal);
    if (c.view < 0 && (!isFinite(c.point) || !isFinite(c.normal) || !(n > 1e-9) || !std::isfinite(n)))
      return makeError("viewer.bad_clip", "a clip plane needs a finite point and a non-zero normal of finite length");
    if (c.slab && (!std::isfinite(c.slabMm) || c.slabMm < 0 || (c.view < 0 && c.slabMm == 0)))
      return makeError("viewer.bad_clip", "a slab needs a finite thickness >= 0 (> 0 when it follows no view)");
  }
  if (halves > ViewerState::kMaxClipPlanes3d)
    return makeError("viewer.bad_clip", "at most " + std::to_string(ViewerState::kMaxClipPlanes3d) +
                                          " clip planes (a slab is two), not " + std::to_string(halves));
  return {};
}

Status ViewerState::setClipPlanes3d(std::vector<ClipPlane3D> planes) {
  CVX_TRY(checkClipPlanes(planes, viewCount()));
  clip3d_ = std::move(planes);
  notify(kView3d);
  return {};
}

ClipPlane3D ViewerState::fixedClip3d(const ClipPlane3D& c) const {
  ClipPlane3D k = c;
  k.view = -1;
  k.flip = false;
  if (c.view >= 0 && c.view < viewCount()) {
    const View& v = views_[static_cast<size_t>(c.view)];
    // Through the cursor in the reference's frame (a view linked by an offset has its plane in its
    // own layer's frame); an unlinked view's own plane.
    k.point = linkOf(c.view) == LinkKind::Unlinked ? v.plane.center : cursor_;
    k.normal = normalized(v.plane.normal()) * (c.flip ? -1.0 : 1.0);
    if (c.slab && c.slabMm == 0) k.slabMm = v.slabMm > 0 ? v.slabMm : ClipPlane3D::kDefaultSlabMm;
  } else {
    k.normal = c.keptNormal();
  }
  return k;
}

std::vector<ClipPlane3D> ViewerState::cutPlanes3d() const {
  std::vector<ClipPlane3D> out;
  for (const ClipPlane3D& c : clip3d_) {
    if (c.view >= 0 && c.view < viewCount() && linkOf(c.view) == LinkKind::Unlinked) continue;  // another frame
    ClipPlane3D k = fixedClip3d(c);
    k.view = c.view >= 0 && c.view < viewCount() ? c.view : -1;
    if (!k.slab) {
      out.push_back(k);
      continue;
    }
    // Within slabMm / 2 of the plane: beyond the near face looking in, before the far face.
    const Vec3 half = k.normal * (0.5 * k.slabMm);
    k.slab = false;
    k.slabMm = 0;
    ClipPlane3D a = k, b = k;
    a.point = k.point - half;
    b.point = k.point + half;
    b.normal = k.normal * -1.0;
    out.push_back(a);
    out.push_back(b);
  }
  return out;
}

bool ViewerState::clipFollowsViews() const {
  return std::any_of(clip3d_.begin(), clip3d_.end(), [](const ClipPlane3D& c) { return c.view >= 0; });
}

bool ClipPlane3D::operator==(const ClipPlane3D& o) const {
  auto same = [](Vec3 a, Vec3 b) { return a.x == b.x && a.y == b.y && a.z == b.z; };
  return view == o.view && same(point, o.point) && same(normal, o.normal) && flip == o.flip && slab == o.slab &&
         slabMm == o.slabMm;
}

void ViewerState::setClipSurfaces3d(bool on) {
  if (clipSurfaces3d_ == on) return;
  clipSurfaces3d_ = on;
  notify(kView3d);
}

void ViewerState::setShownIn3d(int view, bool on) {
  if (view < 0 || view >= viewCount() || views_[static_cast<size_t>(view)].shownIn3d == on) return;
  views_[static_cast<size_t>(view)].shownIn3d = on;
  notify(kView3d, view);
}

bool ViewerState::anyShownIn3d() const {
  return std::any_of(views_.begin(), views_.end(), [](const View& v) { return v.shownIn3d; });
}

Status ViewerState::setEditedPreset3d(TransferPreset preset) {
  CVX_TRY(checkTransferPoints(preset.points));
  edited3d_ = std::move(preset);
  notify(kView3d);
  return {};
}

Status ViewerState::setPreset3dPoints(std::vector<TfPoint> points, const TransferPreset& base) {
  TransferPreset p = edited3d_ ? *edited3d_ : base;
  p.points = std::move(points);
  return setEditedPreset3d(std::move(p));
}

}  // namespace cvx::view
