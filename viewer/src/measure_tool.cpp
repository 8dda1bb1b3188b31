// SPDX-License-Identifier: MIT
#include "measure_tool.h"

#include <cmath>

#include <QPainter>
#include <QStringList>

#include <cvx/viewstate/measure_draw.h>

#include "paint_text.h"

namespace cvx::viewer {
namespace {

constexpr double kHandlePx = 6;  // a press this close to a handle grabs it
constexpr double kDragPx = 3;    // less is a click

std::optional<view::MeasureKind> kindOf(Tool t) {
  switch (t) {
    case Tool::Distance: return view::MeasureKind::Distance;
    case Tool::Angle: return view::MeasureKind::Angle;
    case Tool::Rectangle: return view::MeasureKind::Rectangle;
    case Tool::Ellipse: return view::MeasureKind::Ellipse;
    case Tool::Freehand: return view::MeasureKind::Freehand;
    case Tool::Navigate:
    case Tool::Paint:
    case Tool::Erase:
    case Tool::Draw:
    case Tool::Level:
    case Tool::Scissors:
    case Tool::Island:
    case Tool::Punch:
    case Tool::Lesion: break;
  }
  return std::nullopt;
}

}  // namespace

Vec3 MeasureTool::worldAt(QPointF at, int width, int height) const {
  return state_.pixelFrame(view_, width, height).worldAt(at.x(), at.y());
}

QPointF MeasureTool::pixelOf(Vec3 world, int width, int height) const {
  const auto p = state_.pixelFrame(view_, width, height).pixelOf(world);
  return {p[0], p[1]};
}

void MeasureTool::cancel() {
  points_.clear();
  handle_ = -1;
  editing_ = 0;
}

view::Measurement MeasureTool::draft(const ViewTools& tools) const {
  view::Measurement m;
  m.kind = kindOf(tools.tool).value_or(view::MeasureKind::Distance);
  m.layer = state_.viewLayer(view_);
  const auto& layer = state_.layers()[static_cast<size_t>(m.layer)];
  m.seriesUid = layer.volume->info.seriesInstanceUid;
  m.phase = state_.phase();
  m.plane = state_.view(view_).plane;
  m.points = points_;
  return m;
}

bool MeasureTool::press(ViewTools& tools, QPointF at, int width, int height) {
  if (!tools.measurements || state_.layers().empty()) return false;
  const Vec3 w = worldAt(at, width, height);
  if (points_.empty()) {
    // A handle of a measurement this view shows: drag it (any tool).
    const view::Plane& plane = state_.view(view_).plane;
    const int layer = state_.viewLayer(view_);
    for (const auto& [id, m] : tools.measurements->all()) {
      if (m.layer != layer || !view::shownOn(m, plane, state_.sliceStepMm(view_))) continue;
      const int h = view::handleAt(m, state_.pixelFrame(view_, width, height), at.x(), at.y(), kHandlePx);
      if (h >= 0) {
        editing_ = id;
        handle_ = h;
        handleAt_ = m.points[static_cast<size_t>(h)];
        tools.selected = id;
        return true;
      }
    }
  }
  const auto kind = kindOf(tools.tool);
  if (!kind) return false;
  if (*kind == view::MeasureKind::Angle && points_.size() == 2) {
    points_[1] = w;  // the vertex
    points_.push_back(w);
  } else if (points_.empty()) {
    points_ = *kind == view::MeasureKind::Freehand ? std::vector<Vec3>{w} : std::vector<Vec3>{w, w};
  }
  return true;
}

bool MeasureTool::move(ViewTools& tools, QPointF at, int width, int height) {
  const Vec3 w = worldAt(at, width, height);
  if (handle_ >= 0) {
    handleAt_ = w;
    return true;
  }
  if (points_.empty()) return false;
  if (tools.tool == Tool::Freehand) {
    const QPointF d = pixelOf(points_.back(), width, height) - at;
    if (std::hypot(d.x(), d.y()) >= kDragPx) points_.push_back(w);
  } else {
    points_.back() = w;
  }
  return true;
}

bool MeasureTool::release(ViewTools& tools, QPointF at, int width, int height) {
  if (handle_ >= 0) {
    if (tools.measurements) (void)tools.measurements->moveHandle(editing_, handle_, worldAt(at, width, height));
    handle_ = -1;
    editing_ = 0;
    return true;
  }
  if (points_.empty()) return false;
  const auto kind = kindOf(tools.tool);
  if (!kind || !tools.measurements) {
    cancel();
    return false;
  }
  if (tools.tool != Tool::Freehand) points_.back() = worldAt(at, width, height);
  const QPointF span = pixelOf(points_.back(), width, height) - pixelOf(points_.front(), width, height);
  const bool dragged = std::hypot(span.x(), span.y()) > kDragPx;
  bool done = false;
  switch (*kind) {
    case view::MeasureKind::Angle: done = points_.size() == 3; break;
    case view::MeasureKind::Freehand: done = true; break;
    default: done = true; break;
  }
  if (*kind == view::MeasureKind::Angle && points_.size() < 3) return true;  // next click: the vertex
  if (done) {
    const bool enough = *kind == view::MeasureKind::Freehand ? points_.size() >= 3 : dragged || *kind == view::MeasureKind::Angle;
    if (enough)
      if (auto id = tools.measurements->add(draft(tools)); id.ok()) tools.selected = id.value();
    points_.clear();
  }
  return true;
}

QString measureText(const view::ViewerState& s, const view::Measurement& m) {
  if (m.layer < 0 || m.layer >= static_cast<int>(s.layers().size())) return {};
  const auto& layer = s.layers()[static_cast<size_t>(m.layer)];
  const auto r = view::measure(m, *layer.volume);
  if (!r.ok()) return QString::fromStdString(r.error().code);
  QStringList lines;
  for (const auto& l : view::resultText(m, r.value())) lines << QString::fromStdString(l);
  return lines.join('\n');
}

void MeasureTool::drawShape(QPainter& p, const view::Measurement& m, int width, int height, bool selected) const {
  std::vector<QPointF> px;
  for (const Vec3& w : view::outlineWorld(m)) px.push_back(pixelOf(w, width, height));
  if (view::outlineClosed(m.kind) && !px.empty()) px.push_back(px.front());
  QPen pen(measureColour(selected));
  pen.setWidthF(1.5);
  p.setPen(pen);
  for (size_t i = 1; i < px.size(); ++i) p.drawLine(px[i - 1], px[i]);
  p.setBrush(Qt::NoBrush);
  for (const Vec3& w : m.points) p.drawRect(QRectF(pixelOf(w, width, height) - QPointF(3, 3), QSizeF(6, 6)));
}

void MeasureTool::paint(QPainter& p, const ViewTools& tools, int width, int height) {
  if (state_.layers().empty()) return;
  if (tools.measurements) {
    const view::Plane& plane = state_.view(view_).plane;
    const int layer = state_.viewLayer(view_);
    const uint64_t revision = tools.measurements->revision() * 1000003u +
                              static_cast<uint64_t>(state_.layers()[static_cast<size_t>(layer)].volume->slicesReady());
    for (const auto& [id, stored] : tools.measurements->all()) {
      if (stored.layer != layer || !view::shownOn(stored, plane, state_.sliceStepMm(view_))) continue;
      view::Measurement m = stored;
      if (id == editing_ && handle_ >= 0) m.points[static_cast<size_t>(handle_)] = handleAt_;
      drawShape(p, m, width, height, id == tools.selected);
      auto& cached = results_[id];
      if (cached.first != revision || cached.second.isEmpty() || id == editing_) cached = {revision, measureText(state_, m)};
      const QPointF anchor = pixelOf(m.points.back(), width, height) + QPointF(8, 4);
      drawOutlinedText(p, QRectF(anchor, QSizeF(260, 80)), Qt::AlignLeft | Qt::AlignTop, cached.second,
                       measureColour(id == tools.selected));
    }
  }
  if (!points_.empty() && tools.tool != Tool::Navigate) {
    view::Measurement m = draft(tools);
    if (m.kind == view::MeasureKind::Angle && m.points.size() == 2) m.kind = view::MeasureKind::Distance;
    if (m.kind != view::MeasureKind::Freehand || m.points.size() >= 2) drawShape(p, m, width, height, true);
  }
}

}  // namespace cvx::viewer
