// SPDX-License-Identifier: MIT
// The 3D view's overlays painted over the rendering: the MPR cursor projected, the orientation
// marker, the crop box with its face handles, the measurements, and the view's text (volume_view.h).
#include <QPainter>
#include <QPolygonF>

#include <array>
#include <cmath>
#include <optional>

#include <cvx/viewstate/clip_3d.h>
#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/measure_3d.h>
#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/render_3d.h>

#include "measure_tool.h"
#include "paint_text.h"
#include "view_colours.h"
#include "volume_view.h"

namespace cvx::viewer {

void VolumeView::paintOverlay(QPainter& p) {
  if (state_.layers().empty()) {
    p.setPen(Qt::gray);
    p.drawText(rect(), Qt::AlignCenter, tr("No series"));
    return;
  }
  if (!error_.isEmpty()) {
    p.setPen(Qt::red);
    p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, error_);
    return;
  }
  drawCursor(p);
  drawMarker(p);
  if (state_.crop3d().shown) drawCrop(p);
  drawClipOutlines(p);
  drawMeasurements(p);
  drawBrush(p);
  lasso_.paint(p);
  if (!pickText_.isEmpty()) {
    p.setPen(QColor(200, 200, 200));
    p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignRight | Qt::AlignBottom, pickText_);
  }
  // A GPU fault: the CPU draws from now on, and the user is told why (fine_ is read when idle).
  std::string note = !busy_ && !fine_.backendNote().empty() ? fine_.backendNote() : coarse_.backendNote();
  if (!textures_.note().empty()) note = note.empty() ? textures_.note() : note + "\n" + textures_.note();
  // A layer that cannot be fused: the volume is drawn alone, and the user is told why.
  const bool fusing = state_.fusedLayer3d() >= 0;
  const std::string fusedNote =
      !fusing ? std::string() : (!fusedPreset_ ? "3D fusion off: " + fusedPreset_.error().str() : coarse_.fusedNote());
  if (!fusedNote.empty()) note = note.empty() ? fusedNote : note + "\n" + fusedNote;
  if (!note.empty()) {
    p.setPen(QColor(255, 160, 0));
    p.drawText(rect().adjusted(6, 4, -6, -22), Qt::AlignLeft | Qt::AlignBottom | Qt::TextWordWrap,
               QString::fromStdString(note));
  }
  if (surfaces_.building() || !surfaces_.error().empty()) {  // bottom left: the segments' surfaces
    p.setPen(surfaces_.building() ? QColor(200, 200, 200) : QColor(255, 160, 0));
    p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignBottom,
               surfaces_.building() ? tr("building surfaces...")
                                    : tr("surfaces: %1").arg(QString::fromStdString(surfaces_.error())));
  }
  p.setPen(QColor(200, 200, 200));
  p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, headerText());
}

QString VolumeView::headerText() const {
  if (state_.layers().empty()) return {};
  const bool fused = state_.fusedLayer3d() >= 0 && fusedPreset_ && coarse_.fusedNote().empty() && !preset_.mip;
  const view::Camera3DView& c = state_.camera3d();
  // Zoom and a parallel projection only when they are not the defaults.
  const QString zoom = std::abs(c.zoom - 1) > 0.005 ? QString("  zoom %1").arg(c.zoom, 0, 'f', 2) : QString();
  QString text = QString("3D  %1%2\naz %3  el %4%5%6%7")
                     .arg(QString::fromStdString(preset_.title.empty() ? presetName_ : preset_.title))
                     .arg(fused ? " + " + QString::fromStdString(fusedPreset_->title) : QString())
                     .arg(c.azimuthDeg, 0, 'f', 0)
                     .arg(c.elevationDeg, 0, 'f', 0)
                     .arg(zoom)
                     .arg(c.perspective ? "" : "  parallel")
                     .arg(shownFine_ ? "" : "  (preview)");
  // A 4D series: the phase drawn (cine, a recording for a tumour board), as the MPR views say it.
  if (const std::string phase = view::phaseLine(state_); !phase.empty()) text += "\n" + QString::fromStdString(phase);
  // The cuts (what is missing is cut away, not transparent).
  if (const std::string clip = view::clipLine(state_); !clip.empty()) text += "\n" + QString::fromStdString(clip);
  if (const std::string punched = view::punchLine(state_.punches3d().list()); !punched.empty())
    text += "\n" + QString::fromStdString(punched);
  return text;
}

void VolumeView::drawCursor(QPainter& p) {
  const auto& volume = state_.layers().front().volume;
  const Camera3D cam = view::orbitCamera(*volume, state_.camera3d(), width(), height());
  const auto at = view::projectToPixel(cam, state_.cursor(), width(), height());
  if (!at) return;
  const QPointF c((*at)[0], (*at)[1]);
  p.setPen(QPen(QColor(80, 220, 80), 1.5));
  p.drawLine(c - QPointF(8, 0), c - QPointF(3, 0));
  p.drawLine(c + QPointF(3, 0), c + QPointF(8, 0));
  p.drawLine(c - QPointF(0, 8), c - QPointF(0, 3));
  p.drawLine(c + QPointF(0, 3), c + QPointF(0, 8));
}

// The orientation marker in the lower left corner: each patient direction that is not along the
// view, as a line from the centre and its letter.
void VolumeView::drawMarker(QPainter& p) {
  const auto& volume = state_.layers().front().volume;
  const QPointF c(34, height() - 34);
  p.setPen(QPen(QColor(230, 180, 60), 1.5));
  for (const auto& d : view::orientationMarker(view::orbitCamera(*volume, state_.camera3d(), width(), height()))) {
    if (std::hypot(d.dx, d.dy) < 0.25) continue;  // along the view: no room for its letter
    const QPointF end = c + QPointF(d.dx, d.dy) * 18;
    p.drawLine(c, end);
    const QPointF at = c + QPointF(d.dx, d.dy) * 27;
    p.drawText(QRectF(at.x() - 6, at.y() - 7, 12, 14), Qt::AlignCenter, QString(QChar(d.letter)));
  }
}

// The crop box: its 12 edges and its 6 face handles (filled dots), projected.
void VolumeView::drawCrop(QPainter& p) {
  const auto& volume = *state_.layers().front().volume;
  const Camera3D cam = view::orbitCamera(volume, state_.camera3d(), width(), height());
  const auto corners = view::cropCorners(volume, state_.crop3d());
  std::array<std::optional<std::array<double, 2>>, 8> at;
  for (size_t k = 0; k < 8; ++k) at[k] = view::projectToPixel(cam, corners[k], width(), height());
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(QPen(QColor(240, 200, 40), 1.2));
  for (const auto& [a, b] : view::cropEdges()) {
    const auto &pa = at[static_cast<size_t>(a)], &pb = at[static_cast<size_t>(b)];
    if (pa && pb) p.drawLine(QPointF((*pa)[0], (*pa)[1]), QPointF((*pb)[0], (*pb)[1]));
  }
  p.setBrush(QColor(40, 200, 240));
  p.setPen(QPen(Qt::white, 1));
  int face = 0;
  for (const Vec3& c : view::cropFaceCentres(volume, state_.crop3d())) {
    if (const auto h = view::projectToPixel(cam, c, width(), height())) {
      const double r = face == cropFace_ ? 6 : 4.5;
      p.drawEllipse(QPointF((*h)[0], (*h)[1]), r, r);
    }
    ++face;
  }
  p.setBrush(Qt::NoBrush);
}

// Where each clip plane (a slab's two) crosses the crop box, in its view's colour (a free plane:
// white), so that a cut through what the preset leaves transparent still shows.
void VolumeView::drawClipOutlines(QPainter& p) {
  if (state_.clipPlanes3d().empty() && slices_.empty()) return;
  const auto& volume = *state_.layers().front().volume;
  const Camera3D cam = view::orbitCamera(volume, state_.camera3d(), width(), height());
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setBrush(Qt::NoBrush);
  // An outline in its view's colour (white for a free cut): solid, or dashed for a slab's face.
  auto draw = [&](const std::vector<Vec3>& corners, int view, bool dashed) {
    QPolygonF outline;
    for (const Vec3& q : corners)
      if (const auto at = view::projectToPixel(cam, q, width(), height())) outline << QPointF((*at)[0], (*at)[1]);
    if (outline.size() < 3 || outline.size() != static_cast<int>(corners.size())) return;  // a corner behind the eye: none
    const bool ofView = view >= 0 && view < state_.viewCount();
    // A slice being dragged by its outline: that outline thicker.
    const double thick = dashed ? 1.0 : view >= 0 && view == sliceDrag_ && dragging_ ? 2.5 : 1.2;
    p.setPen(QPen(ofView ? orientationColour(state_.view(view).orientation) : QColor(Qt::white), thick,
                  dashed ? Qt::DashLine : Qt::SolidLine));
    p.drawPolygon(outline);
  };
  for (const view::ClipPlane3D& c : state_.cutPlanes3d()) draw(view::clipOutline(volume, state_.crop3d(), c), c.view, false);
  for (const view::Slice3D& s : slices_) {
    draw(s.outline, s.view, false);
    for (const auto& face : s.slabFaces) draw(face, s.view, true);  // a slab's faces: how thick it is
  }
}

// The session's measurements whose points are in the rendering's space (view::layerIn3d), drawn over
// it in their colour with their results beside the last point, and the measurement being drawn.
void VolumeView::drawMeasurements(QPainter& p) {
  const bool drawing = measuring_ && dragging_ && measureFrom_;
  const bool clicking = tools_.tool == Tool::Angle && !anglePoints_.empty();
  if ((!tools_.measurements || tools_.measurements->all().empty()) && !drawing && !clicking) return;
  const auto& volume = *state_.layers().front().volume;
  const Camera3D cam = view::orbitCamera(volume, state_.camera3d(), width(), height());
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setBrush(Qt::NoBrush);
  auto point = [](const std::array<double, 2>& a) { return QPointF(a[0], a[1]); };
  std::map<int64_t, std::pair<uint64_t, QString>> texts;  // those of the measurements drawn now
  if (tools_.measurements)
    for (const auto& [id, stored] : tools_.measurements->all()) {
      const int layer = view::layerIn3d(stored, state_);
      if (layer < 0) continue;
      auto px = view::projectOutline(stored, cam, width(), height());
      if (!px || px->empty()) continue;  // a point behind the eye
      // A handle being dragged follows the mouse (a distance's and an angle's outline is their points).
      const bool moving = id == handleId_ && dragging_ && handle_ >= 0 && static_cast<size_t>(handle_) < px->size();
      if (moving) (*px)[static_cast<size_t>(handle_)] = {handleTo_.x(), handleTo_.y()};
      const QColor colour = measureColour(id == tools_.selected);
      p.setPen(QPen(colour, 1.5));
      for (size_t i = 1; i < px->size(); ++i) p.drawLine(point((*px)[i - 1]), point((*px)[i]));
      for (size_t i = 0; i < stored.points.size(); ++i) {
        const auto at = moving && static_cast<int>(i) == handle_
                            ? std::optional(std::array<double, 2>{handleTo_.x(), handleTo_.y()})
                            : view::projectToPixel(cam, stored.points[i], width(), height());
        if (at) p.drawRect(QRectF(point(*at) - QPointF(3, 3), QSizeF(6, 6)));
      }
      view::Measurement m = stored;
      m.layer = layer;  // measured on the layer of its series
      // Measured again when the set or the layer's voxels change (as the MPR views' texts).
      const Volume& voxels = *state_.layers()[static_cast<size_t>(layer)].volume;
      const uint64_t from = (tools_.measurements->revision() * 1000003u + voxels.serial()) * 1000003u +
                            static_cast<uint64_t>(voxels.slicesReady());
      auto cached = measureText_.find(id);
      auto& text = texts[id];
      text = cached != measureText_.end() && cached->second.first == from ? cached->second
                                                                          : std::pair{from, measureText(state_, m)};
      if (moving) continue;  // its result is known when the handle is dropped
      if (const auto end = view::projectToPixel(cam, m.points.back(), width(), height()))
        drawOutlinedText(p, QRectF(point(*end) + QPointF(8, 4), QSizeF(260, 80)), Qt::AlignLeft | Qt::AlignTop,
                         text.second, colour);
    }
  measureText_ = std::move(texts);  // removed or hidden ones go
  p.setPen(QPen(measureColour(true), 1.5));
  if (drawing)
    if (const auto from = view::projectToPixel(cam, *measureFrom_, width(), height()))
      p.drawLine(point(*from), measureTo_);
  if (clicking) {  // the angle's points so far
    std::optional<QPointF> last;
    for (const Vec3& w : anglePoints_)
      if (const auto at = view::projectToPixel(cam, w, width(), height())) {
        p.drawRect(QRectF(point(*at) - QPointF(3, 3), QSizeF(6, 6)));
        if (last) p.drawLine(*last, point(*at));
        last = point(*at);
      }
  }
}

}  // namespace cvx::viewer
