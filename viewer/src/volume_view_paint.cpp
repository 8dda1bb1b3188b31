// SPDX-License-Identifier: MIT
// The Paint and Erase tools in the 3D view (volume_view.h): a left drag dabs balls of the brush's
// radius about the points picked under the mouse on the rendering (volume, slices, cut faces,
// surfaces), one stroke, so one undo step, per drag; the brush's value range (SegEditing) applies
// as in the 2D views. Painting picks through the active segment's own surface, so that the ball
// goes onto the tissue under it and a stroke that passes twice does not pile up towards the
// camera; erasing picks it, so that what you see goes. The brush's circle, its radius at the
// picked point's depth, follows the mouse over the rendering. The lasso tools' releases (Scissors on the
// active segment, Punch on the rendering) and the Island tool's click act here too.
#include <QPainter>
#include <QPen>

#include <cmath>

#include <cvx/viewstate/camera_3d.h>

#include "seg_editing.h"
#include "volume_view.h"

namespace cvx::viewer {

bool VolumeView::brushTool() const {
  return (tools_.tool == Tool::Paint || tools_.tool == Tool::Erase) && tools_.editing && !state_.layers().empty();
}

bool VolumeView::lassoTool() const {
  return (tools_.tool == Tool::Scissors && tools_.editing) || tools_.tool == Tool::Punch;
}

std::optional<Vec3> VolumeView::pickForBrush(QPointF at) {
  const auto skip = tools_.tool == Tool::Paint ? state_.activeSegment() : std::pair{-1, -1};
  return pickPoint(pixelUnder(at), skip);
}

void VolumeView::startPainting(QPointF at) {
  const Status st =
      tools_.editing->beginStroke(tools_.tool == Tool::Paint ? view::BrushMode::Paint : view::BrushMode::Erase);
  if (!st.ok()) {  // no active segment, say: the press is still the brush's (the camera does not turn)
    pickText_ = QString::fromStdString(st.error().str());
    redraw();
    return;
  }
  painting_ = true;
  paintTo(at);
}

void VolumeView::paintTo(QPointF at) {
  brushAt_ = pickForBrush(at);
  if (brushAt_) {
    const Status st = tools_.editing->dabSphere(*brushAt_);
    if (!st.ok()) pickText_ = QString::fromStdString(st.error().str());
  }
  redraw();
}

void VolumeView::endPainting() {
  painting_ = false;
  const Status st = tools_.editing->endStroke();
  if (!st.ok()) pickText_ = QString::fromStdString(st.error().str());  // the journal's: the edit stands
  redraw();
}

void VolumeView::hoverBrush(QPointF at) {
  const bool shown = brushAt_.has_value();
  brushAt_ = pickForBrush(at);
  if (shown || brushAt_) redraw();
}

void VolumeView::leaveEvent(QEvent* e) {
  if (brushAt_ && !painting_) {
    brushAt_.reset();
    redraw();
  }
  QWidget::leaveEvent(e);
}

void VolumeView::drawBrush(QPainter& p) {
  if (!brushTool() || !brushAt_) return;
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  const auto c = view::projectToPixel(cam, *brushAt_, width(), height());
  // The ball's outline: its radius across the line of sight at the picked point's depth.
  const Vec3 right = normalized(cross(cam.center - cam.eye, cam.up));
  const auto edge = view::projectToPixel(cam, *brushAt_ + right * tools_.editing->brushMm, width(), height());
  if (!c || !edge) return;
  const double r = std::hypot((*edge)[0] - (*c)[0], (*edge)[1] - (*c)[1]);
  p.setRenderHint(QPainter::Antialiasing);
  p.setBrush(Qt::NoBrush);
  p.setPen(QPen(tools_.tool == Tool::Paint ? QColor(255, 255, 255) : QColor(255, 90, 90), 1.5));  // as in 2D
  p.drawEllipse(QPointF((*c)[0], (*c)[1]), r, r);
}

void VolumeView::islandAt(QPointF at, bool keep) {
  const auto picked = pickPoint(pixelUnder(at));  // the surface or the bone under the mouse
  const Status st = picked ? tools_.editing->island(*picked, keep, true)
                           : makeError("seg.edit_no_island", "nothing under the cursor");
  pickText_ = st.ok() ? (keep ? tr("island: kept the piece") : tr("island: removed the piece"))
                      : QString::fromStdString(st.error().str());
  redraw();
}

void VolumeView::cutWithLasso(QPointF end, bool keepInside) {
  const auto pixels = lasso_.finish(end);
  redraw();
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  if (tools_.tool ==
      Tool::Punch) {  // what the lasso holds leaves the volume rendering (or all else, with Shift)
    const view::ScissorsCut cut = view::scissorsCutOnImage(cam, pixels, width(), height());
    if (auto region = view::ScissorsRegion::make(cut, state_.layers().front().volume->geometry); !region) {
      pickText_ = QString::fromStdString(region.error().str());  // a click, or a lasso with no area
      return;
    }
    view::Punches3D p = state_.punches3d();
    p.add(view::lassoPunch(cut, keepInside));
    state_.setPunches3d(std::move(p));
    pickText_ = keepInside ? tr("punch: kept the inside") : tr("punch: removed the inside");
    return;
  }
  if (!tools_.editing) return;
  const Status st = tools_.editing->scissors(view::scissorsCutOnImage(cam, pixels, width(), height()),
                                             keepInside ? view::ScissorsMode::KeepInside : view::ScissorsMode::EraseInside);
  pickText_ = st.ok() ? (keepInside ? tr("scissors: kept the inside") : tr("scissors: cut"))
                      : QString::fromStdString(st.error().str());
}

}  // namespace cvx::viewer
