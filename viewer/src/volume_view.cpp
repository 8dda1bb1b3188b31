// SPDX-License-Identifier: MIT
#include "volume_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <set>

#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/seg_edit.h>
#include <cvx/viewstate/seg_overlay.h>
#include <cvx/viewstate/tf_presets.h>

#include "seg_editing.h"
#include "volume_canvas.h"

namespace cvx::viewer {
namespace {

// While the camera moves: an image of half the width and height, sampled every smallest voxel
// spacing (the still image: every half spacing), so at most 2x coarser either way.
constexpr int kCoarse = 2;
constexpr int kRefineDelayMs = 250;   // the camera has stopped when nothing changed this long
constexpr int kSurfacesDelayMs = 400;  // surfaces are rebuilt once edits pause this long
constexpr int kSurfacesPollMs = 100;

QImage toQImage(const view::RgbaImage& im) {
  return QImage(reinterpret_cast<const uchar*>(im.pixels.data()), im.width, im.height, QImage::Format_RGBA8888)
      .copy();
}

bool isCode(const Status& st, const char* code) { return !st.ok() && st.error().code == code; }

bool loaded(const Volume& v) { return v.slicesReady() >= v.dims()[2] * v.dims()[3]; }

// The camera waits for its frame (camera_3d.h): the series is all in and none was fitted to it yet
// (a new series, or Reset), or a layer fused in 3D (PET on CT) is all in and the frame was fitted
// without it (it came later). Turning fusion off keeps the frame. The worker fits it before its
// first full-resolution picture.
bool awaitsFit(const view::Camera3DView& c, const Volume& v, const std::optional<view::Fused3D>& fused) {
  if (!loaded(v)) return false;
  if (c.frame.volume != v.serial()) return true;
  return fused && fused->volume && loaded(*fused->volume) && c.frame.fused != fused->volume->serial();
}

}  // namespace

VolumeView::VolumeView(view::ViewerState& state, ViewTools& tools, QWidget* parent)
    : QWidget(parent), state_(state), tools_(tools) {
  setMinimumSize(200, 200);
  if (openGlWorks()) {
    canvas_ = new VolumeCanvas(this);
    canvas_->setGeometry(rect());
  }
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);  // the mouse shape over handles and outlines (showHover)
  refine_ = new QTimer(this);
  refine_->setSingleShot(true);
  connect(refine_, &QTimer::timeout, this, &VolumeView::startFine);
  surfacesDue_ = new QTimer(this);
  surfacesDue_->setSingleShot(true);
  connect(surfacesDue_, &QTimer::timeout, this, &VolumeView::rebuildSurfaces);
  surfacesPoll_ = new QTimer(this);
  connect(surfacesPoll_, &QTimer::timeout, this, &VolumeView::pollSurfaces);
  // One back end for both renderers: on a GPU the viewed phase is held once.
  if (auto backend = view::VolumeRenderer::chooseBackend()) {
    coarse_.useBackend(*backend);
    fine_.useBackend(*backend);
  }
  // One set of phases' brick maps for both: a phase's is built once, and ahead of a loop.
  auto bricks = std::make_shared<view::PhaseBricks>();
  coarse_.shareBricks(bricks);
  fine_.shareBricks(bricks);
  auto punched = std::make_shared<view::PunchedPhases>();  // a punched phase is made once for both
  coarse_.sharePunched(punched);
  fine_.sharePunched(punched);
  coarse_.prefetchPhases(true);
  // The UI thread never waits on a map: the preview draws without skipping until the worker (or
  // the prefetch) has built it (a new series, a phase first shown, an opacity edit).
  coarse_.buildMaps(false);
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.what & view::kSegmentation) {
      surfacesDue_->start(kSurfacesDelayMs);
      // A segment shown, hidden or made translucent: drawn at once (the 3D slider while it moves).
      if (auto shown = surfaces_.opacities(state_); shown != shownOpacities_) {
        shownOpacities_ = std::move(shown);
        changed();
      }
    }
    // A slice shows the cursor's plane, the view's layers, windows, slab and segments; the camera
    // alone (kView3d without a view) leaves it as it is.
    constexpr uint32_t kSliceChanges = view::kCursor | view::kPlane | view::kSlab | view::kLayers | view::kPhase |
                                       view::kMapping | view::kLinks | view::kSegmentation;
    if ((e.what & kSliceChanges) || ((e.what & view::kView3d) && e.view >= 0)) slicesDirty_ = true;
    if (e.what & view::kLayers) sliceMaker_.invalidate();  // another volume may sit where one was
    if (e.what & (view::kView3d | view::kLayers | view::kPhase)) changed();
    // A clip plane that follows an MPR view moves with the cursor and the views' planes (a slab's
    // thickness with the view's slab); so does a slice.
    else if ((e.what & (view::kCursor | view::kPlane | view::kSlab)) && state_.clipFollowsViews()) changed();
    else if ((e.what & kSliceChanges) && state_.anyShownIn3d()) changed();
    else if (e.what & view::kCursor) redraw();  // the crosshair moves over the same picture
  });
}

bool VolumeView::refined() const {
  const bool surfacesDone = !surfaces_.available() || (!surfaces_.building() && !surfacesDue_->isActive());
  return shownFine_ && shownGeneration_ == generation_ && surfacesDone;
}

void VolumeView::rebuildSurfaces() {
  surfaces_.update(state_);  // nothing when a build runs: pollSurfaces asks again after it
  if (surfaces_.building()) surfacesPoll_->start(kSurfacesPollMs);
  changed();  // shown or hidden segments are drawn or left out at once
}

void VolumeView::pollSurfaces() {
  if (!surfaces_.collect()) return;
  surfacesPoll_->stop();
  shownOpacities_ = surfaces_.opacities(state_);  // drawn below: no second redraw at the next change
  changed();
  rebuildSurfaces();  // edits made during the build
}

VolumeView::~VolumeView() {
  if (worker_.joinable()) worker_.join();
  releaseGl();
  delete canvas_;  // now, while this view can still take its context's aboutToBeDestroyed
  canvas_ = nullptr;
}

int64_t VolumeView::drawnSlicesReady() const {
  // The reference, the layers of its frame, the fused layer (of no frame too) and the threshold preview's.
  std::set<int> drawn{state_.fusedLayer3d(),
                      state_.thresholdPreview().on ? state_.thresholdPreview().layer : -1};
  for (const int l : state_.layersOfFrame(0)) drawn.insert(l);
  int64_t ready = 0;
  for (const int l : drawn)
    if (l >= 0 && l < static_cast<int>(state_.layers().size()) &&
        state_.layers()[static_cast<size_t>(l)].volume)
      ready += state_.layers()[static_cast<size_t>(l)].volume->slicesReady();
  return ready;
}

void VolumeView::invalidate() {
  // Another series loading leaves the device's copy, the brick maps and the punched phases alone.
  if (drawnSlicesReady() != readyCounted_ || state_.layers().empty()) return voxelsChanged();
  sliceMaker_.invalidate();  // the slices' values too
  slicesDirty_ = true;
  changed();
}

void VolumeView::voxelsChanged() {
  sliceMaker_.invalidate();
  slicesDirty_ = true;
  readyCounted_ = drawnSlicesReady();
  // One count for both renderers (they share the back end, which keys its copy by it).
  coarse_.setVoxelsRevision(++voxelsRevision_);  // the worker's renderer is told when idle (startFine)
  changed();
}

void VolumeView::changed() {
  ++generation_;
  redraw();
}

bool VolumeView::loadPreset() {
  if (const view::ThresholdPreview& t = state_.thresholdPreview(); t.on && t.layer == 0) {  // the threshold tool's
    preset_ = view::thresholdPreset(t);
    presetName_.clear();
    error_.clear();
    return true;
  }
  if (const view::TransferPreset* edited = state_.editedPreset3d()) {  // the transfer-function editor's
    preset_ = *edited;
    presetName_.clear();  // a preset chosen after the edit is read again
    error_.clear();
    return true;
  }
  if (presetName_ == state_.preset3d() && error_.isEmpty()) return true;
  presetName_ = state_.preset3d();
  auto p = view::loadTransferPreset(presetName_);
  if (!p) {
    error_ = QString::fromStdString(p.error().str());
    return false;
  }
  preset_ = std::move(*p);
  error_.clear();
  return true;
}

std::optional<view::Fused3D> VolumeView::fused() {
  // The threshold tool's preview on another series of the frame (the PET's SUV range on a PET/CT):
  // that series fused in the preview's colour over the reference as its preset draws it, fusion on
  // or off, so the range shows in 3D as in the 2D views.
  previewFused_ = false;
  if (const view::ThresholdPreview& t = state_.thresholdPreview();
      t.on && t.layer > 0 && t.layer < static_cast<int>(state_.layers().size()) && state_.layers()[static_cast<size_t>(t.layer)].volume &&
      !state_.frameOf(t.layer).empty() && state_.frameOf(t.layer) == state_.frameOf(0)) {
    const auto& volume = state_.layers()[static_cast<size_t>(t.layer)].volume;
    fusedPresetName_.clear();  // the fused preset is read again after the preview
    previewFused_ = true;
    return view::Fused3D{volume, static_cast<int>(state_.phaseOf(*volume)), view::thresholdPreset(t)};
  }
  const int layer = state_.fusedLayer3d();
  if (layer < 0) return std::nullopt;
  const auto& volume = state_.layers()[static_cast<size_t>(layer)].volume;
  const std::string name = state_.fusedPresetName3d();
  if (const view::TransferPreset* edited = state_.editedFusedPreset3d()) {  // the transfer-function editor's
    fusedPreset_ = *edited;
    fusedPresetName_.clear();  // the file is read again once the edit is dropped
  } else if (name != fusedPresetName_) {
    fusedPreset_ = view::loadTransferPreset(name);
    fusedPresetName_ = name;
  }
  if (!fusedPreset_) return std::nullopt;  // the volume alone; paintEvent says why
  return view::Fused3D{volume, state_.fusedPhase3d(), *fusedPreset_};
}

const std::vector<view::Slice3D>& VolumeView::slices() {
  if (!state_.anyShownIn3d()) {
    slices_.clear();
    slicesDirty_ = true;  // drawn anew when one is shown
    return slices_;
  }
  // The outlines are the crop box's section, less what the cuts cut away.
  const view::CropBox3D& crop = state_.crop3d();
  std::vector<view::ClipPlane3D> cuts = state_.clipSurfaces3d() ? state_.cutPlanes3d() : std::vector<view::ClipPlane3D>{};
  if (!slicesDirty_ && cuts == slicesCuts_ && crop.lo == slicesCrop_.lo && crop.hi == slicesCrop_.hi) return slices_;
  auto made = sliceMaker_.update(state_);
  slices_ = made ? std::move(*made) : std::vector<view::Slice3D>{};
  if (!made) error_ = QString::fromStdString(made.error().str());
  slicesDirty_ = false;
  slicesCrop_ = crop;
  slicesCuts_ = std::move(cuts);
  return slices_;
}

void VolumeView::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  if (canvas_) canvas_->setGeometry(rect());
  changed();
}

void VolumeView::drawPreview(bool gl) {
  // Out of date: a coarse picture now, the fine one once the camera rests.
  const view::Camera3DView cam = state_.camera3d();
  const auto& volume = state_.layers().front().volume;
  std::optional<view::Fused3D> layer = fused();
  // (The threshold preview's layer is no fused layer to frame: the camera stays while it shows.)
  if (awaitsFit(cam, *volume, previewFused_ ? std::nullopt : layer)) {  // no preview of a camera about to move
    refine_->start(0);
    return;
  }
  view::Quality3D q;
  const Vec3 s = volume->geometry.spacingMm;
  q.stepMm = std::min({s.x, s.y, s.z});
  coarse_.setMeshes(surfaces_.meshes(state_), surfaces_.opacities(state_));
  coarse_.setSlices(slices());
  coarse_.setFused(std::move(layer));
  coarse_.setClipPlanes(state_.cutPlanes3d());
  coarse_.setClipSurfaces(state_.clipSurfaces3d());
  coarse_.setPunches(state_.punches3d().list());
  const int w = std::max(1, width() / kCoarse), h = std::max(1, height() / kCoarse);
  Status st = makeError("render.no_device_frame", "host memory");
  if (DeviceTexture* device = gl && coarse_.onDevice() ? textures_.devicePreview(w, h) : nullptr) {
    st = coarse_.drawOnDevice(volume, state_.phase(), preset_, cam, w, h, q, state_.crop3d(),
                              [device](const float* frame) { return device->write(frame); });
    if (isCode(st, "render.gl_error")) textures_.dropDevice(st.error().str());
  }
  if (isCode(st,
             "render.punch_pending")) {  // the worker makes the punched phase: the picture stays till then
    refine_->start(0);
    return;
  }
  if (!isCode(st, "render.no_device_frame") && !isCode(st, "render.gl_error")) {
    if (!st.ok()) error_ = QString::fromStdString(st.error().str());
  } else if (auto im = coarse_.draw(volume, state_.phase(), preset_, cam, w, h, q, state_.crop3d())) {
    if (gl) textures_.upload(ViewTextures::kPreview, (*im)->width, (*im)->height, (*im)->pixels.data());
    else previewImage_ = toQImage(**im);
    st = {};
  } else if (im.error().code == "render.punch_pending") {
    refine_->start(0);
    return;
  } else {
    error_ = QString::fromStdString(im.error().str());
  }
  if (!st.ok()) return;
  shownGeneration_ = generation_;
  shownFine_ = false;
  refine_->start(kRefineDelayMs);
}

void VolumeView::paintEvent(QPaintEvent*) {
  if (canvas_) return;  // the canvas covers the view
  QPainter p(this);
  p.fillRect(rect(), Qt::black);
  if (!state_.layers().empty()) {
    if (shownGeneration_ != generation_ && loadPreset()) drawPreview(false);
    if (error_.isEmpty() && shownGeneration_ != 0) {
      p.setRenderHint(QPainter::SmoothPixmapTransform, true);
      p.drawImage(rect(), shownFine_ ? fineImage_ : previewImage_);
    }
  }
  paintOverlay(p);
}

void VolumeView::startFine() {
  if (state_.layers().empty() || !error_.isEmpty()) return;
  if (busy_.exchange(true)) {  // the last fine render is still running: try again when it is done
    refine_->start(kRefineDelayMs);
    return;
  }
  if (worker_.joinable()) worker_.join();
  fine_.setMeshes(surfaces_.meshes(state_), surfaces_.opacities(state_));  // the worker is not running
  fine_.setSlices(slices());
  const std::optional<view::Fused3D> layer = fused();
  fine_.setFused(layer);
  fine_.setClipPlanes(state_.cutPlanes3d());
  fine_.setPunches(state_.punches3d().list());
  fine_.setClipSurfaces(state_.clipSurfaces3d());
  fine_.setVoxelsRevision(voxelsRevision_);  // the same count: no change when there was none
  const uint64_t generation = generation_;
  const auto& volume = state_.layers().front().volume;
  const bool fit = awaitsFit(state_.camera3d(), *volume, previewFused_ ? std::nullopt : layer);
  worker_ = std::thread([this, generation, fit, volume, phase = state_.phase(), preset = preset_,
                         cam = state_.camera3d(), crop = state_.crop3d(), w = width(), h = height(), layer,
                         preview = previewFused_]() mutable {
    std::optional<view::Frame3D> frame;
    if (fit) {
      if (preview) fine_.setFused(std::nullopt);  // the frame is the series' own, not the preview's range
      if (auto f = fine_.contentFrame(volume, phase, preset, crop)) frame = cam.frame = *f;
      if (preview) fine_.setFused(layer);
    }
    auto im = fine_.draw(volume, phase, preset, cam, w, h, {}, crop);
    QImage image = im ? toQImage(**im) : QImage();
    QPointer<VolumeView> self(this);
    QMetaObject::invokeMethod(
        this,
        [self, image = std::move(image), generation = uint64_t{generation}, frame]() mutable {
          if (!self) return;
          self->busy_ = false;
          const view::Frame3D& had = self->state_.camera3d().frame;
          if (frame && (had.volume != frame->volume || had.fused != frame->fused)) {
            // The state takes the frame; a picture of its camera until now is one of the new camera.
            const bool current = generation == self->generation_;
            view::Camera3DView c = self->state_.camera3d();
            c.frame = *frame;
            self->state_.setCamera3d(c);
            if (current) generation = self->generation_;
          }
          if (!image.isNull() && generation == self->generation_) {
            self->fineImage_ = image;
            self->fineUpload_ = true;
            self->shownGeneration_ = generation;
            self->shownFine_ = true;
            self->redraw();
            // At rest on a 4D series: its other phases' maps are built while the user looks.
            self->coarse_.prefetchMaps();
          }
        },
        Qt::QueuedConnection);
  });
}

}  // namespace cvx::viewer
