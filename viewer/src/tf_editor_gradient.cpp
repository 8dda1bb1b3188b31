// SPDX-License-Identifier: MIT
// The transfer-function editor's gradient-opacity plot (tf_editor.h): x is the gradient's magnitude
// (per mm) from 0 to the 99.5th percentile of the volume's (view::gradientHistogram) or past the
// last point, y the factor the opacity is multiplied by.
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "tf_editor.h"
#include "tf_editor_parts.h"

namespace cvx::viewer {
using namespace tfui;

QWidget* TfEditor::gradientCanvas() const { return gradientCanvas_; }

view::TfPlot TfEditor::gradientPlot() const {
  view::TfPlot p;
  p.lo = 0;
  p.hi = gradientHist_.counts.empty() ? 1 : gradientHist_.hi;
  if (edit_.gradientSize() > 0) p.hi = std::max(p.hi, edit_.gradientPoints().back().magnitude * 1.1);
  p.left = kMargin;
  p.top = kMargin / 2;
  p.width = std::max(1, gradientCanvas_->width() - 2 * kMargin);
  p.height = std::max(1, gradientCanvas_->height() - kMargin / 2 - kAxisHeight - 4);
  return p;
}

void TfEditor::selectGradient(int i) {
  gradientSelected_ = i >= 0 && i < edit_.gradientSize() ? i : -1;
  if (gradientSelected_ >= 0) selected_ = -1;
  showInfo();
}

void TfEditor::pressGradient(QPointF at, Qt::MouseButton button) {
  const int hit = edit_.hitTestGradient(gradientPlot(), at.x(), at.y(), kPickRadius);
  if (button == Qt::RightButton) {
    if (hit >= 0 && edit_.removeGradientPoint(hit)) {
      gradientSelected_ = -1;
      apply();
    }
    return;
  }
  if (button != Qt::LeftButton) return;
  selectGradient(hit);
  draggingGradient_ = hit >= 0;
}

void TfEditor::dragGradient(QPointF at) {
  const view::TfPlot pl = gradientPlot();
  if (edit_.moveGradientPoint(gradientSelected_, std::clamp(pl.valueAt(at.x()), pl.lo, pl.hi), pl.alphaAt(at.y())))
    apply();
}

void TfEditor::doubleClickGradient(QPointF at) {
  const view::TfPlot pl = gradientPlot();
  draggingGradient_ = false;
  if (edit_.hitTestGradient(pl, at.x(), at.y(), kPickRadius) >= 0) return;
  if (at.x() < pl.left || at.x() > pl.left + pl.width || at.y() < pl.top || at.y() > pl.top + pl.height) return;
  // The new point where it was placed (on an empty curve: the curve starts there).
  const int i = edit_.addGradientPoint(pl.valueAt(at.x()));
  if (i < 0) return;
  edit_.moveGradientPoint(i, pl.valueAt(at.x()), pl.alphaAt(at.y()));
  gradientSelected_ = i;
  selected_ = -1;
  apply();
}

void TfEditor::paintGradientCanvas(QPainter& p) {
  p.fillRect(gradientCanvas_->rect(), QColor(24, 24, 24));
  const view::TfPlot pl = gradientPlot();
  p.fillRect(QRectF(pl.left, pl.top, pl.width, pl.height), QColor(36, 36, 36));
  // The magnitudes' histogram: log(1 + count), the largest bin full height, over [0, its hi].
  int64_t most = 0;
  for (int64_t c : gradientHist_.counts) most = std::max(most, c);
  if (most > 0) {
    const double bw = (pl.xOf(gradientHist_.hi) - pl.left) / static_cast<double>(gradientHist_.counts.size());
    for (size_t i = 0; i < gradientHist_.counts.size(); ++i) {
      const double h =
          std::log1p(static_cast<double>(gradientHist_.counts[i])) / std::log1p(static_cast<double>(most)) * pl.height;
      p.fillRect(QRectF(pl.left + i * bw, pl.top + pl.height - h, bw + 0.5, h), QColor(80, 80, 96));
    }
  }
  p.setRenderHint(QPainter::Antialiasing, true);
  const auto& pts = edit_.gradientPoints();
  if (pts.empty()) {  // opacity by value alone: the factor is 1 everywhere
    p.setPen(QPen(QColor(160, 160, 160), 1.2, Qt::DashLine));
    p.drawLine(QPointF(pl.left, pl.yOf(1)), QPointF(pl.left + pl.width, pl.yOf(1)));
    p.setPen(QColor(150, 150, 150));
    p.drawText(QRectF(pl.left, pl.top, pl.width, pl.height), Qt::AlignCenter,
               tr("gradient opacity: off (double-click to add a point)"));
  } else {
    QPainterPath curve;
    curve.moveTo(pl.left, pl.yOf(pts.front().factor));
    for (const GradientPoint& g : pts) curve.lineTo(pl.xOf(g.magnitude), pl.yOf(g.factor));
    curve.lineTo(pl.left + pl.width, pl.yOf(pts.back().factor));
    p.setPen(QPen(QColor(235, 235, 235), 1.5));
    p.drawPath(curve);
    for (int i = 0; i < edit_.gradientSize(); ++i) {
      const GradientPoint& g = pts[static_cast<size_t>(i)];
      const bool sel = i == gradientSelected_;
      p.setPen(QPen(sel ? QColor(255, 210, 60) : QColor(240, 240, 240), sel ? 2.5 : 1.5));
      p.setBrush(QColor(120, 170, 230));
      const double r = sel ? kHandleRadius + 1.5 : kHandleRadius;
      p.drawEllipse(QPointF(pl.xOf(g.magnitude), pl.yOf(g.factor)), r, r);
    }
    p.setBrush(Qt::NoBrush);
  }
  // The magnitude axis, per mm.
  p.setPen(QColor(170, 170, 170));
  const double bottom = pl.top + pl.height;
  const double step = niceStep(pl.hi - pl.lo, std::max(2, static_cast<int>(pl.width / 80)));
  for (double m = 0; m <= pl.hi; m += step) {
    const double x = pl.xOf(m);
    p.drawLine(QPointF(x, bottom), QPointF(x, bottom + 3));
    p.drawText(QRectF(x - 40, bottom + 2, 80, kAxisHeight), Qt::AlignHCenter | Qt::AlignTop,
               QString::number(m, 'f', step < 1 ? 1 : 0));
  }
  p.drawText(QRectF(pl.left, pl.top, pl.width - 4, kAxisHeight), Qt::AlignRight | Qt::AlignTop, tr("|gradient| per mm"));
}

}  // namespace cvx::viewer
