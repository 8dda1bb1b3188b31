// SPDX-License-Identifier: MIT
// The transfer-function editor's plot (tf_editor.h): the histogram, the opacity curve filled with the
// points' colours, the colour bar, the value axis and the handles.
#include "tf_editor.h"
#include "tf_editor_parts.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace cvx::viewer {
using namespace tfui;

void TfEditor::paintCanvas(QPainter& p) {
  p.fillRect(canvas_->rect(), QColor(24, 24, 24));
  const view::TfPlot pl = plot();
  const QRectF area(pl.left, pl.top, pl.width, pl.height);
  p.fillRect(area, QColor(36, 36, 36));
  // The histogram: log(1 + count), the largest bin full height.
  int64_t most = 0;
  for (int64_t c : hist_.counts) most = std::max(most, c);
  if (most > 0) {
    const double bw = pl.width / static_cast<double>(hist_.counts.size());
    for (size_t i = 0; i < hist_.counts.size(); ++i) {
      const double h = std::log1p(static_cast<double>(hist_.counts[i])) / std::log1p(static_cast<double>(most)) * pl.height;
      p.fillRect(QRectF(pl.left + i * bw, pl.top + pl.height - h, bw + 0.5, h), QColor(96, 96, 96));
    }
  }
  const auto& pts = edit_.points();
  if (pts.empty()) return;
  QLinearGradient colours(pl.left, 0, pl.left + pl.width, 0);
  for (const TfPoint& q : pts) colours.setColorAt(std::clamp((pl.xOf(q.value) - pl.left) / pl.width, 0.0, 1.0), colorOf(q));
  // The opacity curve, held beyond the end points, filled below with the points' colours.
  QPainterPath curve;
  curve.moveTo(pl.left, pl.yOf(pts.front().alpha));
  for (const TfPoint& q : pts) curve.lineTo(pl.xOf(q.value), pl.yOf(q.alpha));
  curve.lineTo(pl.left + pl.width, pl.yOf(pts.back().alpha));
  QPainterPath fill = curve;
  fill.lineTo(pl.left + pl.width, pl.top + pl.height);
  fill.lineTo(pl.left, pl.top + pl.height);
  fill.closeSubpath();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setOpacity(0.35);
  p.fillPath(fill, colours);
  p.setOpacity(1);
  p.setPen(QPen(QColor(235, 235, 235), 1.5));
  p.drawPath(curve);
  // The colour bar under the plot, and the value axis.
  const QRectF bar(pl.left, pl.top + pl.height + 3, pl.width, kBarHeight - 3);
  p.fillRect(bar, colours);
  p.setPen(QColor(170, 170, 170));
  const double step = niceStep(pl.hi - pl.lo, std::max(2, static_cast<int>(pl.width / 80)));
  for (double v = std::ceil(pl.lo / step) * step; v <= pl.hi; v += step) {
    const double x = pl.xOf(v);
    p.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3));
    p.drawText(QRectF(x - 40, bar.bottom() + 2, 80, kAxisHeight), Qt::AlignHCenter | Qt::AlignTop,
               QString::number(v, 'f', 0));
  }
  // The handles: each point's colour, the selected one larger with a yellow ring.
  for (int i = 0; i < edit_.size(); ++i) {
    const TfPoint& q = pts[static_cast<size_t>(i)];
    const bool sel = i == selected_;
    p.setPen(QPen(sel ? QColor(255, 210, 60) : QColor(240, 240, 240), sel ? 2.5 : 1.5));
    p.setBrush(colorOf(q));
    const double r = sel ? kHandleRadius + 1.5 : kHandleRadius;
    p.drawEllipse(QPointF(pl.xOf(q.value), pl.yOf(q.alpha)), r, r);
  }
  p.setBrush(Qt::NoBrush);
}

}  // namespace cvx::viewer
