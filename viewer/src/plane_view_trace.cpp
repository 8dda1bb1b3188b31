// SPDX-License-Identifier: MIT
// PlaneView's Level tool (view_tools.h): the level trace under the mouse (SegEditing::levelTrace,
// level_trace.h) outlined on the view as the mouse moves, and filled into the active segment on a click.
#include <algorithm>

#include <QFontMetrics>
#include <QPainter>

#include <cvx/core/log.h>
#include <cvx/viewstate/level_trace.h>

#include "paint_text.h"
#include "plane_view.h"
#include "seg_editing.h"

namespace cvx::viewer {

void PlaneView::traceAt(QPoint at) {
  traceStale_ = false;
  std::shared_ptr<const view::LevelTrace> trace;
  QString note;
  if (tools_.editing && rect().contains(at)) {
    const auto f = state_.pixelFrame(view_, width(), height());
    auto t = tools_.editing->levelTrace(f.worldAt(at.x(), at.y()), cross(f.du, f.dv));
    if (t) trace = std::move(*t);
    else note = QString::fromStdString(t.error().message);
  }
  if (trace && trace == traced_) return;  // the trace outlined already (the mouse within one voxel)
  traced_ = trace;
  traceEdges_.clear();
  traceNote_ = note;
  if (!trace) return;
  traceEdges_ = view::traceOutline(*trace, trace->grid);
  traceNote_ = tr("level %1 (%2): %3 voxels")
                   .arg(trace->level, 0, 'f', 0)
                   .arg(trace->above ? tr("and above") : tr("and below"))
                   .arg(static_cast<qulonglong>(trace->count));
}

void PlaneView::fillTrace(QPoint at, bool erase) {
  const auto f = state_.pixelFrame(view_, width(), height());
  auto t = tools_.editing->levelTrace(f.worldAt(at.x(), at.y()), cross(f.du, f.dv));
  const Status st = t ? tools_.editing->fillTrace(**t, erase ? view::BrushMode::Erase : view::BrushMode::Paint)
                      : Status(t.error());
  if (!st.ok()) log::warn(st.error().code + ": " + st.error().message);
}

void PlaneView::drawTrace(QPainter& p) {
  if (!rect().contains(hover_)) return;
  if (traceStale_) traceAt(hover_);  // the slice, phase, segment or series moved under the mouse
  const auto f = state_.pixelFrame(view_, width(), height());
  QList<QLineF> lines;
  lines.reserve(static_cast<qsizetype>(traceEdges_.size()));
  for (const auto& [a, b] : traceEdges_) {
    const auto pa = f.pixelOf(a), pb = f.pixelOf(b);
    lines.append(QLineF(pa[0], pa[1], pb[0], pb[1]));
  }
  p.setPen(QPen(QColor(255, 220, 0), 1.5));  // Slicer's yellow
  p.drawLines(lines);
  if (traceNote_.isEmpty()) return;
  // Beside the mouse, on the side with room for it.
  const int tw = p.fontMetrics().horizontalAdvance(traceNote_) + 4, th = p.fontMetrics().height() + 2;
  const int x = hover_.x() + 14 + tw <= width() ? hover_.x() + 14 : std::max(0, hover_.x() - 14 - tw);
  const int y = hover_.y() + 10 + th <= height() ? hover_.y() + 10 : std::max(0, hover_.y() - 10 - th);
  drawOutlinedText(p, QRect(x, y, tw, th), Qt::AlignLeft | Qt::AlignTop, traceNote_, QColor(255, 220, 0));
}

}  // namespace cvx::viewer
