// SPDX-License-Identifier: MIT
// The 3D view's picking and measuring (volume_view.h): the first visible point under a pixel, the
// Distance tool's drag between two picked points, the Angle tool's three clicks, and a distance's or
// an angle's handle dragged onto another structure.
#include "volume_view.h"

#include <cmath>
#include <tuple>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/measure_3d.h>
#include <cvx/viewstate/probe.h>

#include "measure_tool.h"

namespace cvx::viewer {
namespace {

constexpr double kMeasureHandlePx = 6;  // a measurement's handle catches the mouse this close (as in 2D)

}  // namespace

std::optional<Vec3> VolumeView::pickPoint(QPoint at, std::pair<int, int> skip) {
  if (state_.layers().empty() || !loadPreset()) return std::nullopt;
  coarse_.setMeshes(surfaces_.meshes(state_, skip), surfaces_.opacities(state_, skip));
  coarse_.setSlices(slices());
  coarse_.setClipPlanes(state_.cutPlanes3d());
  coarse_.setPunches(state_.punches3d().list());
  coarse_.setClipSurfaces(state_.clipSurfaces3d());
  return coarse_.pick(state_.layers().front().volume, state_.phase(), preset_, state_.camera3d(), width(), height(),
                      at.x(), at.y(), state_.crop3d());
}

std::optional<Vec3> VolumeView::pickAt(QPoint at) {
  if (state_.layers().empty()) return std::nullopt;
  const auto picked = pickPoint(at);
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

void VolumeView::lesionAt(QPoint at) {
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  const int pet = view::petLayerOfFrame(state_, 0);
  if (pet < 0) {
    tools_.lesion(-1);  // it says there is no PET
    return;
  }
  // The lesion lies along the line of sight, where the PET is hottest within what the view shows.
  const auto hot = view::hottestUnderPixel(state_, pet, width(), height(), at.x(), at.y());
  if (!hot) {
    pickText_ = tr("the line of sight misses the PET");
    redraw();
    return;
  }
  pickText_ = tr("lesion at %1, %2, %3 (LPS mm)").arg(hot->x, 0, 'f', 1).arg(hot->y, 0, 'f', 1).arg(hot->z, 0, 'f', 1);
  // On that PET voxel, not the reference's voxel centre nearest it: the seed is the voxel found.
  state_.setCursorUnsnapped(*hot);
  redraw();
  tools_.lesion(-1);
}

Vec3 VolumeView::lineOfSight() const {
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  return cam.center - cam.eye;
}

void VolumeView::addMeasurement3d(const Result<view::Measurement>& m, const QString& what) {
  auto id = m ? tools_.measurements->add(*m) : Result<int64_t>(m.error());
  if (!id) {
    pickText_ = QString::fromStdString(id.error().str());
    return;
  }
  tools_.selected = *id;
  pickText_ = what + " " + measureText(state_, *m).split('\n').front();
}

void VolumeView::finishDistance(QPointF end) {
  if (!tools_.measurements) return;  // the study closed meanwhile
  const auto to = pickPoint(pixelUnder(end));
  if (!measureFrom_ || !to) {
    pickText_ = measureFrom_ ? tr("distance: nothing under its end") : tr("distance: nothing under its start");
    return;
  }
  addMeasurement3d(view::distanceIn3d(state_, *measureFrom_, *to, lineOfSight()), tr("distance"));
}

void VolumeView::clickAngle(QPoint at) {
  const auto p = pickPoint(at);
  if (!p) {
    pickText_ = tr("angle: nothing under the cursor");
    redraw();
    return;
  }
  anglePoints_.push_back(*p);
  if (anglePoints_.size() < 3) {
    pickText_ = anglePoints_.size() == 1 ? tr("angle: now its vertex") : tr("angle: now its second arm");
    redraw();
    return;
  }
  const auto m = view::angleIn3d(state_, anglePoints_[0], anglePoints_[1], anglePoints_[2], lineOfSight());
  anglePoints_.clear();
  addMeasurement3d(m, tr("angle"));
  redraw();
}

std::pair<int64_t, int> VolumeView::handleUnder(QPointF at) const {
  if (!tools_.measurements || state_.layers().empty()) return {0, -1};
  if (tools_.tool == Tool::Angle && !anglePoints_.empty()) return {0, -1};  // the angle's next click
  const Camera3D cam = view::orbitCamera(*state_.layers().front().volume, state_.camera3d(), width(), height());
  std::pair<int64_t, int> found{0, -1};
  double best = kMeasureHandlePx;
  for (const auto& [id, m] : tools_.measurements->all()) {
    if (view::layerIn3d(m, state_) < 0 || !view::projectOutline(m, cam, width(), height())) continue;  // not drawn
    const int h = view::handleIn3d(m, cam, width(), height(), at.x(), at.y(), best);
    if (h < 0) continue;
    const auto px = view::projectToPixel(cam, m.points[static_cast<size_t>(h)], width(), height());
    best = std::hypot((*px)[0] - at.x(), (*px)[1] - at.y());  // the nearest handle of all wins
    found = {id, h};
  }
  return found;
}

bool VolumeView::grabHandle(QPointF at) {
  std::tie(handleId_, handle_) = handleUnder(at);
  if (!handleId_) return false;
  tools_.selected = handleId_;
  setCursor(Qt::ClosedHandCursor);  // held
  handleTo_ = at;
  pressAt_ = at.toPoint();
  dragging_ = false;
  redraw();
  return true;
}

void VolumeView::dropHandle(QPointF end) {
  const view::Measurement* m = tools_.measurements ? tools_.measurements->find(handleId_) : nullptr;
  if (!m) return;  // removed meanwhile, or the study closed
  const QString what = m->kind == view::MeasureKind::Angle ? tr("angle") : tr("distance");
  const auto to = pickPoint(pixelUnder(end));
  if (!to) {
    pickText_ = tr("%1: nothing under its handle, not moved").arg(what);
    return;
  }
  const auto moved = view::moveHandleIn3d(state_, *m, handle_, *to, lineOfSight());
  const Status st = moved ? tools_.measurements->replace(*moved) : Status(moved.error());
  if (!st.ok()) {
    pickText_ = QString::fromStdString(st.error().str());
    return;
  }
  view::Measurement shown = *moved;
  shown.layer = view::layerIn3d(shown, state_);  // measured on the layer of its series, as drawn
  pickText_ = what + " " + measureText(state_, shown).split('\n').front();
}

}  // namespace cvx::viewer
