// SPDX-License-Identifier: MIT
#include <cvx/viewstate/state.h>

#include <algorithm>
#include <cmath>

namespace cvx::view {
namespace {

constexpr double kAligned = 1e-6;  // |voxel-index change| below which an axis counts as unchanged

Vec3 linear(const Mat4& m, Vec3 v) { return m.applyVector(v); }

}  // namespace

ViewerState::Subscription::~Subscription() {
  if (auto l = listeners_.lock()) l->erase(id_);
}

ViewerState::ViewerState(std::vector<Orientation> views) {
  for (Orientation o : views) {
    View v;
    v.orientation = o;
    v.plane = standardPlane(o, convention_, {});
    views_.push_back(v);
    home_.push_back(o);
  }
  ownCursor_.assign(views_.size(), Vec3{});
}

void ViewerState::setViews(std::vector<Orientation> orientations, std::vector<std::vector<int>> layers) {
  for (ClipPlane3D& c : clip3d_)  // the planes that followed the old views stay where they were
    if (c.view >= 0) c = fixedClip3d(c);
  views_.clear();
  home_.clear();
  for (size_t i = 0; i < orientations.size(); ++i) {
    View v;
    v.orientation = orientations[i];
    v.plane = standardPlane(orientations[i], convention_, cursor_);
    if (i < layers.size()) v.layers = layers[i];
    views_.push_back(v);
    home_.push_back(orientations[i]);
  }
  ownCursor_.assign(views_.size(), cursor_);
  placePlanes();
  notify(kLayers | kPlane | kCamera | kCursor | kLinks | kView3d);
}

ViewerState::Subscription ViewerState::subscribe(Listener listener) {
  Subscription s;
  s.id_ = nextListener_++;
  (*listeners_)[s.id_] = std::move(listener);
  s.listeners_ = listeners_;
  return s;
}

void ViewerState::notify(uint32_t what, int view, int layer) {
  const ChangeEvent e{what, view, layer};
  const auto copy = *listeners_;  // a listener may subscribe or unsubscribe while called
  for (const auto& [id, l] : copy)
    if (listeners_->count(id)) l(e);
}

const Volume* ViewerState::reference() const { return layers_.empty() ? nullptr : layers_.front().volume.get(); }

int ViewerState::firstLayer(int view) const {
  const auto& ls = views_.at(static_cast<size_t>(view)).layers;
  const int l = ls.empty() ? 0 : ls.front();
  return l >= 0 && l < static_cast<int>(layers_.size()) ? l : 0;  // a stale index: the reference
}

const Volume* ViewerState::viewVolume(int view) const {
  const int l = firstLayer(view);
  return l >= 0 && l < static_cast<int>(layers_.size()) ? layers_[static_cast<size_t>(l)].volume.get() : reference();
}

std::string ViewerState::frameOf(int layer) const {
  if (layer < 0 || layer >= static_cast<int>(layers_.size())) return {};
  return layers_[static_cast<size_t>(layer)].volume->info.frameOfReferenceUid;
}

std::vector<int> ViewerState::layersOfFrame(int own) const {
  std::vector<int> out;
  if (own < 0 || own >= static_cast<int>(layers_.size())) return out;
  out.push_back(own);
  const std::string frame = frameOf(own);
  for (int i = 0; i < static_cast<int>(layers_.size()) && !frame.empty(); ++i)
    if (i != own && frameOf(i) == frame) out.push_back(i);
  return out;
}

int ViewerState::layerOfSerial(uint64_t serial) const {
  for (size_t i = 0; serial && i < layers_.size(); ++i)
    if (layers_[i].volume && layers_[i].volume->serial() == serial) return static_cast<int>(i);
  return -1;
}

int ViewerState::addLayer(std::shared_ptr<const Volume> volume, std::optional<DisplayMapping> mapping) {
  if (!volume) return -1;
  Layer l;
  l.mapping = mapping ? *mapping : initialMapping(*volume);
  l.name = volume->info.seriesDescription.empty() ? volume->info.modality : volume->info.seriesDescription;
  l.volume = std::move(volume);
  layers_.push_back(std::move(l));
  const int index = static_cast<int>(layers_.size()) - 1;
  if (index == 0) {
    phase_ = 0;
    punches3d_ = {};  // another series: the last one's punches mean nothing there
    const auto& d = reference()->dims();
    const Vec3 centre = reference()->geometry.worldAt((d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0);
    cursor_ = centre;
    std::fill(ownCursor_.begin(), ownCursor_.end(), centre);
    reset(-1);  // standard planes through the cursor, which it snaps
    std::fill(ownCursor_.begin(), ownCursor_.end(), cursor_);
  }
  notify(kLayers | kCursor | kPlane | kCamera | kPhase, -1, index);
  return index;
}

void ViewerState::removeLayer(int layer) {
  if (layer < 0 || layer >= static_cast<int>(layers_.size())) return;
  layers_.erase(layers_.begin() + layer);
  dropSegmentationsOf(layer);
  if (layer == 0) punches3d_ = {};  // a new reference (or none)
  for (View& v : views_) {
    std::vector<int> kept;
    for (int l : v.layers)
      if (l != layer) kept.push_back(l > layer ? l - 1 : l);
    v.layers = kept;
  }
  setPhase(phase_);
  notify(kLayers, -1, layer);
}

void ViewerState::setMapping(int layer, const DisplayMapping& m) {
  if (layer < 0 || layer >= static_cast<int>(layers_.size())) return;
  layers_[static_cast<size_t>(layer)].mapping = m;
  notify(kMapping, -1, layer);
}

void ViewerState::setLayerVisible(int layer, bool visible) {
  if (layer < 0 || layer >= static_cast<int>(layers_.size())) return;
  layers_[static_cast<size_t>(layer)].visible = visible;
  notify(kLayers, -1, layer);
}

void ViewerState::setViewLayers(int view, std::vector<int> layers) {
  views_.at(static_cast<size_t>(view)).layers = std::move(layers);
  ownCursor_[static_cast<size_t>(view)] = viewCursor(view);
  placePlanes();
  notify(kLayers | kLinks, view);
}

void ViewerState::setConvention(Convention c) {
  // The mirrored views' normals turn round: a clip plane following one keeps the same side.
  for (ClipPlane3D& k : clip3d_)
    if (c != convention_ && k.view >= 0 && k.view < viewCount() &&
        (views_[static_cast<size_t>(k.view)].orientation == Orientation::Axial ||
         views_[static_cast<size_t>(k.view)].orientation == Orientation::Coronal))
      k.flip = !k.flip;
  convention_ = c;
  for (size_t v = 0; v < views_.size(); ++v)
    if (views_[v].orientation != Orientation::Oblique)
      views_[v].plane = standardPlane(views_[v].orientation, c, views_[v].plane.center);
  notify(kPlane);
}

bool ViewerState::allAxisAligned() const {
  const Volume* ref = reference();
  if (!ref) return false;
  const Mat4 m = ref->geometry.voxelFromWorld();
  for (const View& v : views_) {
    const Vec3 r = linear(m, v.plane.right), d = linear(m, v.plane.down);
    bool aligned = false;  // the plane is one of constant voxel index along some axis
    for (int a = 0; a < 3; ++a) aligned = aligned || (std::abs(r[a]) < kAligned && std::abs(d[a]) < kAligned);
    if (!aligned) return false;
  }
  return true;
}

Vec3 ViewerState::snapped(Vec3 world) const {
  const Volume* ref = reference();
  if (!snap_ || !ref || !allAxisAligned()) return world;
  Vec3 idx = ref->geometry.voxelFromWorld().applyPoint(world);
  for (int a = 0; a < 3; ++a)
    idx[a] = std::clamp(std::round(idx[a]), 0.0, static_cast<double>(ref->dims()[static_cast<size_t>(a)] - 1));
  return ref->geometry.worldAt(idx.x, idx.y, idx.z);
}

void ViewerState::placePlanes() {
  for (int v = 0; v < viewCount(); ++v) views_[static_cast<size_t>(v)].plane.center = viewCursor(v);
}

void ViewerState::setCursorUnsnapped(Vec3 world, int fromView) { moveCursor(world, fromView, false); }

void ViewerState::setCursor(Vec3 world, int fromView) { moveCursor(world, fromView, true); }

void ViewerState::moveCursor(Vec3 world, int fromView, bool snap) {
  if (fromView >= 0 && fromView < viewCount()) {
    const LinkKind k = linkOf(fromView);
    if (k == LinkKind::Unlinked) {
      ownCursor_[static_cast<size_t>(fromView)] = world;
      placePlanes();
      notify(kCursor, fromView);
      return;
    }
    if (k == LinkKind::ManualOffset) world = world - frameOffsets_.at(frameOf(firstLayer(fromView)));
  }
  cursor_ = snap ? snapped(world) : world;
  placePlanes();
  notify(kCursor);
}

double ViewerState::sliceStepMm(int view) const {
  const Volume* vol = viewVolume(view);
  if (!vol) return 1.0;
  return gridStepMm(vol->geometry, views_.at(static_cast<size_t>(view)).plane.normal());
}

void ViewerState::scroll(int view, double slices) {
  const Vec3 n = views_.at(static_cast<size_t>(view)).plane.normal();
  setCursor(viewCursor(view) + n * (slices * sliceStepMm(view)), view);
}

void ViewerState::rotateCrosshair(int view, double radians) {
  const Vec3 axis = views_.at(static_cast<size_t>(view)).plane.normal();
  for (int v = 0; v < viewCount(); ++v) {
    if (v == view) continue;
    View& w = views_[static_cast<size_t>(v)];
    w.plane.right = normalized(rotateAbout(w.plane.right, axis, radians));
    w.plane.down = normalized(rotateAbout(w.plane.down, axis, radians));
    w.orientation = Orientation::Oblique;
  }
  notify(kPlane);
}

std::vector<int> ViewerState::cameraGroup(int view, bool parallelOnly) const {
  std::vector<int> group{view};
  if (!linkZoom_ || linkOf(view) == LinkKind::Unlinked) return group;
  const Vec3 n = views_.at(static_cast<size_t>(view)).plane.normal();
  for (int w = 0; w < viewCount(); ++w) {
    if (w == view || linkOf(w) == LinkKind::Unlinked) continue;
    if (parallelOnly && std::abs(std::abs(dot(n, views_[static_cast<size_t>(w)].plane.normal())) - 1) > 1e-9) continue;
    group.push_back(w);
  }
  return group;
}

void ViewerState::zoom(int view, double factor) {
  if (!(factor > 0) || !std::isfinite(factor)) return;
  const auto group = cameraGroup(view, false);
  for (int w : group) {
    View& v = views_.at(static_cast<size_t>(w));
    v.zoom = std::clamp(v.zoom * factor, 1.0 / 32, 64.0);
  }
  notify(kCamera, group.size() == 1 ? view : -1);
}

void ViewerState::pan(int view, double dxMm, double dyMm) {
  const auto group = cameraGroup(view, true);
  for (int w : group) {
    View& v = views_.at(static_cast<size_t>(w));
    v.panX += dxMm;
    v.panY += dyMm;
  }
  notify(kCamera, group.size() == 1 ? view : -1);
}

void ViewerState::setSlab(int view, double slabMm, SlabMode mode) {
  View& v = views_.at(static_cast<size_t>(view));
  v.slabMm = std::isfinite(slabMm) && slabMm > 0 ? slabMm : 0;
  v.slabMode = mode;
  notify(kSlab, view);
}

void ViewerState::reset(int view) {
  for (int v = 0; v < viewCount(); ++v) {
    if (view >= 0 && v != view) continue;
    View& w = views_[static_cast<size_t>(v)];
    w.orientation = home_[static_cast<size_t>(v)];
    w.plane = standardPlane(w.orientation, convention_, viewCursor(v));
    w.zoom = 1;
    w.panX = w.panY = 0;
  }
  cursor_ = snapped(cursor_);
  placePlanes();
  uint32_t what = kPlane | kCamera | kCursor;
  if (view < 0) {
    Camera3DView home;
    home.perspective = camera3d_.perspective;
    home.fovYDeg = camera3d_.fovYDeg;
    camera3d_ = home;
    what |= kView3d;
  }
  notify(what, view);
}

int ViewerState::phaseCount() const {
  const Volume* ref = reference();
  return ref ? static_cast<int>(std::max<int64_t>(1, ref->dims()[3])) : 1;
}

void ViewerState::setPhase(int phase) {
  const int p = std::clamp(phase, 0, phaseCount() - 1);
  if (p == phase_) return;
  phase_ = p;
  notify(kPhase);
}

void ViewerState::linkFrameByOffset(const std::string& frame, Vec3 offsetMm) {
  frameOffsets_[frame] = offsetMm;
  placePlanes();
  notify(kLinks | kCursor);
}

void ViewerState::unlinkFrame(const std::string& frame) {
  frameOffsets_.erase(frame);
  for (int v = 0; v < viewCount(); ++v) ownCursor_[static_cast<size_t>(v)] = views_[static_cast<size_t>(v)].plane.center;
  placePlanes();
  notify(kLinks);
}

LinkKind ViewerState::linkOf(int view) const {
  const std::string ref = frameOf(0), mine = frameOf(firstLayer(view));
  if (mine == ref) return LinkKind::Linked;
  return frameOffsets_.count(mine) ? LinkKind::ManualOffset : LinkKind::Unlinked;
}

std::optional<Vec3> ViewerState::frameOffset(const std::string& frameOfReferenceUid) const {
  const auto it = frameOffsets_.find(frameOfReferenceUid);
  return it == frameOffsets_.end() ? std::nullopt : std::optional<Vec3>(it->second);
}

Vec3 ViewerState::viewCursor(int view) const {
  switch (linkOf(view)) {
    case LinkKind::Linked: return cursor_;
    case LinkKind::ManualOffset: return cursor_ + frameOffsets_.at(frameOf(firstLayer(view)));
    case LinkKind::Unlinked: break;
  }
  return ownCursor_.at(static_cast<size_t>(view));
}

PixelFrame ViewerState::pixelFrame(int view, int width, int height) const {
  PixelFrame f;
  f.width = std::max(1, width);
  f.height = std::max(1, height);
  const View& v = views_.at(static_cast<size_t>(view));
  const Plane& p = v.plane;
  const Vec3 c = viewCursor(view);
  double minR = -0.5, maxR = 0.5, minD = -0.5, maxD = 0.5;  // 1 mm around the cursor without a volume
  // Linked views fit the reference layer, so that side-by-side series (CT and PET) show the same
  // field of view at the same scale; an unlinked view fits its own layer.
  const Volume* fitted = linkOf(view) == LinkKind::Unlinked ? viewVolume(view) : reference();
  if (const Volume* vol = fitted) {  // grid edges, relative to the cursor
    const Extent r = gridExtent(*vol, p.right, GridPoints::Edges), d = gridExtent(*vol, p.down, GridPoints::Edges);
    minR = r.lo - dot(c, p.right), maxR = r.hi - dot(c, p.right);
    minD = d.lo - dot(c, p.down), maxD = d.hi - dot(c, p.down);
  }
  const double fit = std::max((maxR - minR) / f.width, (maxD - minD) / f.height);
  f.mmPerPixel = fit / v.zoom;
  const Vec3 centre = c + p.right * ((minR + maxR) / 2 + v.panX) + p.down * ((minD + maxD) / 2 + v.panY);
  f.du = p.right * f.mmPerPixel;
  f.dv = p.down * f.mmPerPixel;
  f.origin = centre - f.du * ((f.width - 1) / 2.0) - f.dv * ((f.height - 1) / 2.0);
  return f;
}

}  // namespace cvx::view
