// SPDX-License-Identifier: MIT
// The 3D view's mouse and keys (volume_view.h): rotate, pan, zoom, camera presets, picking, the crop
// box's handles and the Scissors tool's lasso.
#include "volume_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/clip_3d.h>
#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/seg_edit.h>

#include "seg_editing.h"

namespace cvx::viewer {
namespace {

constexpr double kDegreesPerPixel = 0.5;
constexpr double kZoomPerPixel = 1.01;  // a right drag: 100 px up is 2.7x
constexpr int kClickSlopPx = 4;        // a press and release closer than this is a click (a pick)
constexpr double kHandleRadiusPx = 8;  // a crop face handle catches the mouse this close

}  // namespace

std::optional<Vec3> VolumeView::pickAt(QPoint at) {
  if (state_.layers().empty() || !loadPreset()) return std::nullopt;
  coarse_.setMeshes(surfaces_.meshes(state_));
  coarse_.setSlices(slices());
  coarse_.setClipPlanes(state_.cutPlanes3d());
  coarse_.setClipSurfaces(state_.clipSurfaces3d());
  const auto picked = coarse_.pick(state_.layers().front().volume, state_.phase(), preset_, state_.camera3d(),
                                   width(), height(), at.x(), at.y(), state_.crop3d());
  if (!picked) {
    pickText_ = tr("nothing under the cursor");
    redraw();
    return std::nullopt;
  }
  pickText_ = tr("picked %1, %2, %3 (LPS mm)")
                  .arg(picked->x, 0, 'f', 1)
                  .arg(picked->y, 0, 'f', 1)
                  .arg(picked->z, 0, 'f', 1);
  state_.setCursor(*picked);
  redraw();
  return picked;
}

void VolumeView::mouseDoubleClickEvent(QMouseEvent* e) {
  const bool scissors = tools_.tool == Tool::Scissors && tools_.editing;  // the left button draws lassos
  if (e->button() != Qt::LeftButton || state_.layers().empty() || lasso_.active() || scissors) {
    QWidget::mouseDoubleClickEvent(e);
    return;
  }
  const QPoint at(static_cast<int>(std::floor(e->position().x())), static_cast<int>(std::floor(e->position().y())));
  if (const auto picked = pickAt(at)) {  // the camera turns about it from now on: the image's centre
    view::Camera3DView c = state_.camera3d();
    c.panMm = *picked - view::frameFor(*state_.layers().front().volume, c).centre;
    state_.setCamera3d(c);
  }
}

void VolumeView::keyPressEvent(QKeyEvent* e) {
  const QString t = e->text().toUpper();
  if (t == "C" && !state_.layers().empty()) {  // show or hide the crop box
    view::CropBox3D c = state_.crop3d();
    c.shown = !c.shown;
    state_.setCrop3d(c);
    e->accept();
    return;
  }
  if (t == "F" && !state_.layers().empty()) {  // the fused layer (PET on CT) on or off
    state_.setFusion3d(!state_.fusion3d());
    e->accept();
    return;
  }
  if (t.size() == 1 && QString("APLRSI").contains(t[0])) {
    state_.setCamera3d(view::cameraPreset(state_.camera3d(), t[0].toLatin1()));
    e->accept();
    return;
  }
  QWidget::keyPressEvent(e);
}

void VolumeView::wheelEvent(QWheelEvent* e) {
  if ((e->modifiers() & Qt::ControlModifier) && !state_.clipPlanes3d().empty()) {  // push the last cut
    // Whole notches (a smooth-scrolling device sends eighths): a followed view steps by its slices.
    clipWheel_ += e->angleDelta().y() / 120.0;
    const double notches = std::trunc(clipWheel_);
    clipWheel_ -= notches;
    if (notches != 0) view::pushLastClip(state_, notches);
    e->accept();
    return;
  }
  view::Camera3DView c = state_.camera3d();
  c.zoom *= std::pow(1.15, e->angleDelta().y() / 120.0);
  state_.setCamera3d(c);
  e->accept();
}

void VolumeView::mousePressEvent(QMouseEvent* e) {
  if (tools_.tool == Tool::Scissors && tools_.editing && e->button() == Qt::LeftButton && !state_.layers().empty()) {
    lasso_.begin(e->position());
    return;
  }
  const bool shown = !state_.layers().empty();
  panning_ = shown && (e->button() == Qt::MiddleButton ||
                       (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier)));
  zooming_ = shown && e->button() == Qt::RightButton;
  rotating_ = e->button() == Qt::LeftButton && shown && !panning_;
  lastAt_ = pressAt_ = e->position().toPoint();
  dragging_ = false;
  cropFace_ = -1;
  if (rotating_ && state_.crop3d().shown) {
    const auto& volume = *state_.layers().front().volume;
    cropFace_ = view::cropHandleAt(volume, view::orbitCamera(volume, state_.camera3d(), width(), height()), width(), height(),
                                   state_.crop3d(), e->position().x(), e->position().y(), kHandleRadiusPx);
  }
}

void VolumeView::mouseMoveEvent(QMouseEvent* e) {
  if (lasso_.active()) {
    if (lasso_.add(e->position())) redraw();
    return;
  }
  if (panning_ || zooming_) {
    const QPoint d = e->position().toPoint() - lastAt_;
    lastAt_ = e->position().toPoint();
    view::Camera3DView c = state_.camera3d();
    if (panning_) {  // the picture follows the mouse
      c = view::panCamera(*state_.layers().front().volume, c, width(), height(), d.x(), d.y());
    } else {  // up zooms in, as the wheel turned away
      c.zoom *= std::pow(kZoomPerPixel, -d.y());
    }
    state_.setCamera3d(c);
    return;
  }
  if (!rotating_) return;
  if (!dragging_ && (e->position().toPoint() - pressAt_).manhattanLength() < kClickSlopPx) return;
  dragging_ = true;
  const QPoint d = e->position().toPoint() - lastAt_;
  lastAt_ = e->position().toPoint();
  if (cropFace_ >= 0) {  // the face follows the mouse along its axis
    const auto& volume = *state_.layers().front().volume;
    state_.setCrop3d(view::dragCropFace(volume, view::orbitCamera(volume, state_.camera3d(), width(), height()), width(), height(),
                                        state_.crop3d(), cropFace_, d.x(), d.y()));
    return;
  }
  view::Camera3DView c = state_.camera3d();
  // Dragging right turns the patient to the right (the camera goes left round them); up tilts the
  // view to look from above.
  c.azimuthDeg = std::fmod(c.azimuthDeg - d.x() * kDegreesPerPixel + 360.0, 360.0);
  c.elevationDeg = c.elevationDeg + d.y() * kDegreesPerPixel;
  state_.setCamera3d(c);
}

void VolumeView::mouseReleaseEvent(QMouseEvent* e) {
  if (lasso_.active() && e->button() == Qt::LeftButton) {
    cutWithLasso(e->position(), e->modifiers() & Qt::ShiftModifier);
    return;
  }
  const bool click = rotating_ && !dragging_ && e->button() == Qt::LeftButton &&
                     (e->position().toPoint() - pressAt_).manhattanLength() < kClickSlopPx;
  rotating_ = dragging_ = panning_ = zooming_ = false;
  if (cropFace_ >= 0) {
    cropFace_ = -1;
    redraw();
    return;  // a click on a handle is no pick
  }
  if (click) pickAt(QPoint(static_cast<int>(std::floor(e->position().x())), static_cast<int>(std::floor(e->position().y()))));
}

void VolumeView::cutWithLasso(QPointF end, bool keepInside) {
  const auto pixels = lasso_.finish(end);
  redraw();
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  const Status st = tools_.editing->scissors(view::scissorsCutOnImage(cam, pixels, width(), height()),
                                             keepInside ? view::ScissorsMode::KeepInside : view::ScissorsMode::EraseInside);
  pickText_ = st.ok() ? (keepInside ? tr("scissors: kept the inside") : tr("scissors: cut"))
                      : QString::fromStdString(st.error().str());
}

}  // namespace cvx::viewer
