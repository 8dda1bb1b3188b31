// SPDX-License-Identifier: MIT
// The 3D view's mouse and keys (volume_view.h): rotate, pan, zoom, camera presets, picking, the crop
// box's handles, the slices' outlines, the Scissors tool's lasso, and the measuring tools' gestures
// (what they then do, picking and measuring, is in volume_view_measure.cpp; the brush in
// volume_view_paint.cpp).
#include "volume_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/clip_3d.h>
#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/measure_3d.h>
#include <cvx/viewstate/seg_edit.h>
#include <cvx/viewstate/tf_edit.h>

#include "measure_tool.h"
#include "seg_editing.h"

namespace cvx::viewer {
namespace {

constexpr double kDegreesPerPixel = 0.5;
constexpr double kZoomPerPixel = 1.01;  // a right drag: 100 px up is 2.7x
constexpr int kClickSlopPx = 4;        // a press and release closer than this is a click (a pick)
constexpr double kHandleRadiusPx = 8;  // a crop face handle catches the mouse this close
constexpr double kOutlinePx = 4;        // a slice's outline catches it this close

}  // namespace

void VolumeView::mouseDoubleClickEvent(QMouseEvent* e) {
  // The left button draws lassos, or brushes.
  const bool editing = lassoTool() || brushTool();
  // Quick clicks of the measuring tools are clicks (the second press of a pair arrives here).
  const bool measure = (tools_.tool == Tool::Distance || tools_.tool == Tool::Angle) && tools_.measurements;
  if (e->button() != Qt::LeftButton || state_.layers().empty() || lasso_.active() || editing || measure) {
    QWidget::mouseDoubleClickEvent(e);
    return;
  }
  if (const auto picked = pickAt(pixelUnder(e->position()))) {  // the camera turns about it from now on: the image's centre
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
  if ((e->key() == Qt::Key_Delete || e->key() == Qt::Key_Backspace) && tools_.measurements && tools_.selected) {
    (void)tools_.measurements->remove(tools_.selected);  // the selected measurement, as in the MPR views
    tools_.selected = 0;
    e->accept();
    return;
  }
  if (e->key() == Qt::Key_Escape && windowing_) {  // the window drag undone: the curve it started from
    windowing_ = false;
    if (windowUndo_)
      (void)state_.setEditedPreset3d(*windowUndo_);
    else
      state_.setPreset3d(state_.preset3d());  // the preset's file again (choosing it drops the edit)
    e->accept();
    return;
  }
  if (e->key() == Qt::Key_Escape && handleId_) {  // the handle's drag is dropped: nothing moves
    handleId_ = 0;
    handle_ = -1;
    dragging_ = false;
    redraw();
    e->accept();
    return;
  }
  if (e->key() == Qt::Key_Escape && !anglePoints_.empty()) {  // the angle being clicked is dropped
    anglePoints_.clear();
    pickText_.clear();
    redraw();
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
  if (e->button() == Qt::LeftButton && lasso_.active()) lasso_.cancel();  // its release was lost: no cut
  if (e->button() == Qt::LeftButton && painting_) endPainting();  // its release was lost: the stroke ends
  if (lassoTool() && e->button() == Qt::LeftButton && !state_.layers().empty()) {
    lasso_.begin(e->position());
    return;
  }
  if (e->button() == Qt::LeftButton && (measuring_ || handleId_ || windowing_)) {  // its release was lost
    measuring_ = dragging_ = windowing_ = false;  // that drag ends without a change
    measureFrom_.reset();
    handleId_ = 0;
    handle_ = -1;
  }
  if (measuring_ || handleId_ || windowing_) return;  // another button during a drag: the drag goes on
  if (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ControlModifier) && startWindowing(e->position())) return;
  if (e->button() == Qt::LeftButton && !(e->modifiers() & Qt::ShiftModifier) && grabHandle(e->position())) return;
  if (brushTool() && e->button() == Qt::LeftButton && !(e->modifiers() & Qt::ShiftModifier) &&
      cropHandleUnder(e->position()) < 0 && sliceUnder(e->position()).index < 0) {  // handles and outlines still drag
    startPainting(e->position());
    return;
  }
  if (tools_.tool == Tool::Distance && tools_.measurements && e->button() == Qt::LeftButton &&
      !(e->modifiers() & Qt::ShiftModifier) && !state_.layers().empty() && cropHandleUnder(e->position()) < 0 &&
      sliceUnder(e->position()).index < 0) {
    measuring_ = true;  // from the point under the mouse
    dragging_ = false;
    pressAt_ = e->position().toPoint();
    measureTo_ = e->position();
    measureFrom_ = pickPoint(pixelUnder(e->position()));
    return;
  }
  const bool shown = !state_.layers().empty();
  // Shift and the left button pan, but for the Island tool, whose Shift click removes a piece.
  panning_ = shown && (e->button() == Qt::MiddleButton || (e->button() == Qt::LeftButton &&
                                                           (e->modifiers() & Qt::ShiftModifier) &&
                                                           !(tools_.tool == Tool::Island && tools_.editing)));
  zooming_ = shown && e->button() == Qt::RightButton;
  rotating_ = e->button() == Qt::LeftButton && shown && !panning_;
  lastAt_ = pressAt_ = e->position().toPoint();
  dragging_ = false;
  cropFace_ = rotating_ ? cropHandleUnder(e->position()) : -1;
  const view::SliceGrab grab = rotating_ && cropFace_ < 0 ? sliceUnder(e->position()) : view::SliceGrab{};
  sliceDrag_ = grab.view;
  if (sliceDrag_ >= 0) {
    sliceGrabbed_ = grab.at;
    sliceFrom_ = state_.viewCursor(sliceDrag_);
    sliceMm_ = 0;
  }
  if (cropFace_ >= 0 || sliceDrag_ >= 0) setCursor(Qt::ClosedHandCursor);  // held
}

view::SliceGrab VolumeView::sliceUnder(QPointF at) const {
  if (state_.layers().empty() || slices_.empty()) return {};  // those drawn now
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  return view::sliceOutlineAt(state_, slices_, cam, width(), height(), at.x(), at.y(), kOutlinePx);
}

bool VolumeView::startWindowing(QPointF at) {
  if (state_.layers().empty()) return false;
  rotating_ = panning_ = zooming_ = dragging_ = false;  // the press is the window drag's, whatever comes
  const view::ThresholdPreview& t = state_.thresholdPreview();
  auto base = t.on && t.layer == 0 ? Result<view::TransferPreset>(makeError("render.bad_request",
                                                                            "the threshold preview is shown"))
              : !loadPreset()      ? Result<view::TransferPreset>(makeError("render.bad_request", error_.toStdString()))
              : state_.editedPreset3d() ? Result<view::TransferPreset>(preset_)  // the edit
                                        : view::editablePreset(preset_, *state_.layers().front().volume);
  if (!base) {  // said, and the camera does not turn either
    pickText_ = tr("window: %1").arg(QString::fromStdString(base.error().message));
    redraw();
    return true;
  }
  windowUndo_ = state_.editedPreset3d() ? std::optional(*state_.editedPreset3d()) : std::nullopt;
  windowFrom_ = view::markedEdited(std::move(*base));
  windowing_ = true;
  pressAt_ = at.toPoint();
  return true;
}

void VolumeView::showHover(QPointF at, Qt::KeyboardModifiers keys) {
  const bool scissors = lassoTool();                                     // a left drag draws a lasso
  const bool other = keys & (Qt::ShiftModifier | Qt::ControlModifier);   // pans or windows instead
  const bool movable = !scissors && !other && !state_.layers().empty() &&
                       (handleUnder(at).first || cropHandleUnder(at) >= 0 || sliceUnder(at).index >= 0);
  const Qt::CursorShape shape = movable ? Qt::OpenHandCursor : Qt::ArrowCursor;
  if (cursor().shape() != shape) setCursor(shape);
}

void VolumeView::dragSlice(QPoint d) {
  if (state_.layers().empty() || sliceDrag_ >= state_.viewCount()) return;  // the study or the layout changed
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  const Vec3 n = state_.view(sliceDrag_).plane.normal();
  const Vec3 at = sliceGrabbed_ + n * sliceMm_;  // the point grabbed, where the mouse has taken it
  const auto mm = view::dragSteps(cam, width(), height(), at, at + n, d.x(), d.y());
  if (!mm) return;  // the slice faces the camera: its normal has no direction on the screen
  sliceMm_ += *mm;
  state_.setCursor(view::sliceDraggedCursor(state_, sliceDrag_, sliceFrom_, sliceMm_), sliceDrag_);
}

int VolumeView::cropHandleUnder(QPointF at) const {
  if (state_.layers().empty() || !state_.crop3d().shown) return -1;
  const auto& volume = *state_.layers().front().volume;
  return view::cropHandleAt(volume, view::orbitCamera(volume, state_.camera3d(), width(), height()), width(), height(),
                            state_.crop3d(), at.x(), at.y(), kHandleRadiusPx);
}

void VolumeView::mouseMoveEvent(QMouseEvent* e) {
  // A move without a button comes from mouse tracking: it only sets the mouse's shape, never ends a
  // drag (a test's synthetic drag meets the real pointer's button-less moves in between; a drag whose
  // release was lost ends at the next left press).
  if (e->buttons() == Qt::NoButton) {
    const bool busy = lasso_.active() || windowing_ || handleId_ || measuring_ || painting_;
    if (!busy) showHover(e->position(), e->modifiers());
    if (!busy && brushTool()) hoverBrush(e->position());
    return;
  }
  // Another button held but not the left one: the left button's release went elsewhere (a popup).
  const bool leftGone = !(e->buttons() & Qt::LeftButton);
  if (painting_) {
    if (leftGone)
      endPainting();
    else
      paintTo(e->position());
    return;
  }
  if (lasso_.active() && leftGone) {  // no cut
    lasso_.cancel();
    redraw();
  }
  if (lasso_.active()) {
    if (lasso_.add(e->position())) redraw();
    return;
  }
  if (windowing_ && leftGone) windowing_ = false;
  if (windowing_) {  // from the preset at the press, by the whole motion since
    const QPoint d = e->position().toPoint() - pressAt_;
    (void)state_.setEditedPreset3d(view::windowedPreset(windowFrom_, d.x(), d.y()));
    return;
  }
  if (handleId_ && leftGone) {  // nothing moves
    handleId_ = 0;
    handle_ = -1;
    dragging_ = false;
    redraw();
  }
  if (handleId_) {  // the handle follows the mouse; its point is picked on release
    dragging_ = dragging_ || (e->position().toPoint() - pressAt_).manhattanLength() >= kClickSlopPx;
    handleTo_ = e->position();
    redraw();
    return;
  }
  if (measuring_ && leftGone) {  // dropped
    measuring_ = dragging_ = false;
    measureFrom_.reset();
  }
  if (measuring_) {  // the line follows the mouse; its end is picked on release
    dragging_ = dragging_ || (e->position().toPoint() - pressAt_).manhattanLength() >= kClickSlopPx;
    measureTo_ = e->position();
    redraw();
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
  if (sliceDrag_ >= 0) {  // the slice follows the mouse along its normal
    dragSlice(d);
    return;
  }
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
  if (painting_) {
    if (e->button() == Qt::LeftButton) endPainting();  // another button's release: the stroke goes on
    return;
  }
  if ((handleId_ || measuring_ || windowing_) && e->button() != Qt::LeftButton) return;  // the drag goes on
  if (windowing_) {
    windowing_ = false;
    return;
  }
  if (handleId_ && e->button() == Qt::LeftButton) {
    // A click on a handle only selects it; so does a drag that comes back to where it began.
    if (dragging_ && (e->position().toPoint() - pressAt_).manhattanLength() >= kClickSlopPx) dropHandle(e->position());
    handleId_ = 0;
    handle_ = -1;
    dragging_ = false;
    showHover(e->position(), e->modifiers());  // the hand opens again (or the arrow)
    redraw();
    return;
  }
  if (measuring_ && e->button() == Qt::LeftButton) {
    measuring_ = false;
    // A drag that comes back to where it began is a click.
    if (dragging_ && tools_.tool == Tool::Distance &&
        (e->position().toPoint() - pressAt_).manhattanLength() >= kClickSlopPx)
      finishDistance(e->position());
    else
      pickAt(pixelUnder(e->position()));  // a click picks, as with Navigate
    dragging_ = false;
    measureFrom_.reset();
    redraw();
    return;
  }
  const bool click = rotating_ && !dragging_ && e->button() == Qt::LeftButton &&
                     (e->position().toPoint() - pressAt_).manhattanLength() < kClickSlopPx;
  rotating_ = dragging_ = panning_ = zooming_ = false;
  // A click on a crop handle is no pick; one on a slice's outline (a long line) is.
  const bool handled = cropFace_ >= 0 || (sliceDrag_ >= 0 && !click);
  if (cropFace_ >= 0 || sliceDrag_ >= 0) showHover(e->position(), e->modifiers());  // the hand opens again
  cropFace_ = sliceDrag_ = -1;
  if (handled) {
    redraw();
    return;
  }
  if (tools_.tool != Tool::Angle) anglePoints_.clear();  // another tool since: the angle is dropped
  if (click && tools_.tool == Tool::Angle && tools_.measurements)
    clickAngle(pixelUnder(e->position()));
  else if (click && tools_.tool == Tool::Lesion && tools_.lesion)
    lesionAt(pixelUnder(e->position()));
  else if (click && tools_.tool == Tool::Island && tools_.editing)
    islandAt(e->position(), !(e->modifiers() & Qt::ShiftModifier));
  else if (click)
    pickAt(pixelUnder(e->position()));
}

}  // namespace cvx::viewer
