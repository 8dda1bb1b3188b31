// SPDX-License-Identifier: MIT
#include "seg_curve_view.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cvx::viewer {

SegCurvePlot::SegCurvePlot(QWidget* parent) : QWidget(parent) {
  setObjectName("segCurvePlot");
  setMinimumHeight(110);
}

void SegCurvePlot::setCurve(const std::optional<view::SegmentCurve>& c, int64_t phaseShown) {
  curve_ = c;
  phase_ = phaseShown;
  update();
}

void SegCurvePlot::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(24, 24, 24));
  if (!curve_ || curve_->points.empty()) return;
  const auto& pts = curve_->points;
  const double s = curve_->scale;
  double lo = INFINITY, hi = -INFINITY;
  for (const view::CurvePoint& q : pts)
    if (q.loaded && q.stats.voxels > 0)
      lo = std::min(lo, (q.stats.mean - q.stats.sd) * s), hi = std::max(hi, (q.stats.mean + q.stats.sd) * s);
  const QRectF area = QRectF(rect()).adjusted(44, 8, -8, -20);
  p.setPen(QColor(160, 160, 160));
  p.drawRect(area);
  if (!(lo <= hi)) return;
  if (hi - lo < 1e-9) lo -= 1, hi += 1;
  const int n = static_cast<int>(pts.size());
  // Along time where every phase has one, rising (dynamic PET frames differ in length); else evenly.
  bool timed = n > 1;
  for (int i = 0; i < n && timed; ++i)
    timed = std::isfinite(pts[static_cast<size_t>(i)].timeMs) && (i == 0 || pts[static_cast<size_t>(i)].timeMs > pts[static_cast<size_t>(i - 1)].timeMs);
  const double t0 = timed ? pts.front().timeMs : 0, span = timed ? pts.back().timeMs - t0 : 1;
  auto x = [&](int i) {
    if (n <= 1) return area.left() + area.width() / 2;
    const double f = timed ? (pts[static_cast<size_t>(i)].timeMs - t0) / span : double(i) / (n - 1);
    return area.left() + area.width() * f;
  };
  auto y = [&](double v) { return area.bottom() - area.height() * (v - lo) / (hi - lo); };
  p.drawText(QRectF(0, area.top() - 6, 42, 14), Qt::AlignRight, QString::number(hi, 'g', 4));
  p.drawText(QRectF(0, area.bottom() - 8, 42, 14), Qt::AlignRight, QString::number(lo, 'g', 4));
  p.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), 16), Qt::AlignCenter,
             tr("mean%1 over %2 phases, SD as bars")
                 .arg(curve_->units.empty() ? QString() : " (" + QString::fromStdString(curve_->units) + ")")
                 .arg(n));
  // The SD band and the mean, through the loaded phases.
  QPainterPath band, mean;
  bool started = false;
  for (int i = 0; i < n; ++i) {
    const view::CurvePoint& q = pts[static_cast<size_t>(i)];
    if (!q.loaded || q.stats.voxels == 0) continue;
    const QPointF m(x(i), y(q.stats.mean * s));
    if (!started) mean.moveTo(m), started = true;
    else mean.lineTo(m);
    p.fillRect(QRectF(x(i) - 2, y((q.stats.mean + q.stats.sd) * s), 4,
                      y((q.stats.mean - q.stats.sd) * s) - y((q.stats.mean + q.stats.sd) * s)),
               QColor(90, 140, 200, 90));
  }
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(QColor(110, 184, 230), 2));
  p.drawPath(mean);
  if (phase_ >= 0 && phase_ < n) {  // the phase the views show
    p.setPen(QPen(QColor(240, 200, 60), 1, Qt::DashLine));
    p.drawLine(QPointF(x(static_cast<int>(phase_)), area.top()), QPointF(x(static_cast<int>(phase_)), area.bottom()));
  }
}

SegCurveView::SegCurveView(QWidget* parent) : QWidget(parent) {
  setObjectName("segCurve");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  plot_ = new SegCurvePlot(this);
  plot_->setToolTip(tr("The active segment's mean over the phases of the 4D series (SD as bars; dashed: the phase shown)"));
  layout->addWidget(plot_);
  export_ = new QPushButton(tr("Export curve..."), this);
  export_->setObjectName("segExportCurve");
  auto* row = new QHBoxLayout;
  row->addStretch(1);
  row->addWidget(export_);
  layout->addLayout(row);
  connect(export_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export curve"), QString(), tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    const Status s = exportTo(path);
    if (!s.ok()) QMessageBox::warning(this, tr("Export curve"), QString::fromStdString(s.error().str()));
  });
  hide();
}

void SegCurveView::setCurve(const std::optional<view::SegmentCurve>& c, int64_t phaseShown) {
  plot_->setCurve(c, phaseShown);
  setVisible(c.has_value());
}

Status SegCurveView::exportTo(const QString& path) const {
  if (!curve()) return makeError("seg.export_failed", "no curve: the active segment lies on no 4D series");
  if (guard_) CVX_TRY(guard_(path.toStdString()));
  return view::exportSegmentCurveCsv(path.toStdString(), *curve());
}

}  // namespace cvx::viewer
