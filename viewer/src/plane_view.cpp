// SPDX-License-Identifier: MIT
#include "plane_view.h"

#include <algorithm>
#include <cmath>

#include <QFontMetrics>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cvx/viewstate/suv.h>

namespace cvx::viewer {
namespace {

// Crosshair colours per orientation (as peers do: axial red, coronal green, sagittal yellow).
QColor colourOf(view::Orientation o) {
  switch (o) {
    case view::Orientation::Axial: return QColor(230, 60, 60);
    case view::Orientation::Coronal: return QColor(60, 200, 90);
    case view::Orientation::Sagittal: return QColor(230, 200, 40);
    case view::Orientation::Oblique: break;
  }
  return QColor(90, 160, 255);
}

}  // namespace

PlaneView::PlaneView(view::ViewerState& state, int view, QWidget* parent)
    : QWidget(parent), state_(state), view_(view) {
  setMinimumSize(200, 200);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.view < 0 || e.view == view_ || (e.what & (view::kCursor | view::kPlane))) update();
  });
}

void PlaneView::invalidate() {
  renderer_ = view::ViewRenderer();
  update();
}

void PlaneView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::black);
  if (state_.layers().empty()) {
    p.setPen(Qt::gray);
    p.drawText(rect(), Qt::AlignCenter, tr("No series"));
    return;
  }
  auto img = renderer_.draw(state_, view_, width(), height());
  if (!img) {
    p.setPen(Qt::red);
    p.drawText(rect(), Qt::AlignCenter, QString::fromStdString(img.error().str()));
    return;
  }
  const QImage image(reinterpret_cast<const uchar*>((*img)->pixels.data()), (*img)->width, (*img)->height,
                     QImage::Format_RGBA8888);
  p.drawImage(0, 0, image);
  drawOverlay(p, state_.pixelFrame(view_, width(), height()));
}

void PlaneView::drawOverlay(QPainter& p, const view::PixelFrame& f) const {
  const view::View& v = state_.view(view_);
  // Crosshair: where every other view's plane cuts this one, through the cursor.
  const auto c = f.pixelOf(state_.viewCursor(view_));
  for (int w = 0; w < state_.viewCount(); ++w) {
    if (w == view_) continue;
    const Vec3 dir = cross(v.plane.normal(), state_.view(w).plane.normal());
    const double dx = dot(dir, f.du), dy = dot(dir, f.dv), len = std::hypot(dx, dy);
    if (len < 1e-9) continue;
    const double ux = dx / len * (width() + height()), uy = dy / len * (width() + height());
    QPen pen(colourOf(state_.view(w).orientation));
    pen.setWidthF(1.0);
    p.setPen(pen);
    const QPointF centre(c[0], c[1]);
    const double gap = 12;  // leave the point itself clear
    const QPointF u(dx / len * gap, dy / len * gap);
    p.drawLine(centre + u, centre + QPointF(ux, uy));
    p.drawLine(centre - u, centre - QPointF(ux, uy));
  }
  // Orientation letters at the four edges.
  p.setPen(QColor(255, 210, 0));
  auto label = [](Vec3 d) { return QString::fromStdString(view::directionLabel(d)); };
  const int w = width(), h = height();
  p.drawText(QRect(4, h / 2 - 10, 30, 20), Qt::AlignLeft | Qt::AlignVCenter, label(v.plane.right * -1.0));
  p.drawText(QRect(w - 34, h / 2 - 10, 30, 20), Qt::AlignRight | Qt::AlignVCenter, label(v.plane.right));
  p.drawText(QRect(w / 2 - 15, 2, 30, 20), Qt::AlignHCenter | Qt::AlignTop, label(v.plane.down * -1.0));
  p.drawText(QRect(w / 2 - 15, h - 22, 30, 20), Qt::AlignHCenter | Qt::AlignBottom, label(v.plane.down));
  p.setPen(Qt::white);
  // Annotation lines stay left of the top orientation letter: each is elided to that width.
  const QFontMetrics fm = p.fontMetrics();
  QStringList lines = annotation().split('\n');
  for (QString& line : lines) line = fm.elidedText(line, Qt::ElideRight, std::max(40, w / 2 - 24));
  p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, lines.join('\n'));
  // Scale bar: 10 mm (or 10 px when the spacing is unknown), bottom right.
  const bool known = state_.layers().front().volume->geometry.spacingKnown;
  const double px = 10.0 / f.mmPerPixel;
  if (px > 4 && px < w / 2.0) {
    p.drawLine(QPointF(w - 12 - px, h - 30), QPointF(w - 12, h - 30));
    p.drawText(QRectF(w - 12 - px - 40, h - 28, px + 40, 16), Qt::AlignRight, known ? "10 mm" : "10 px");
  }
}

QString PlaneView::annotation() const {
  const view::View& v = state_.view(view_);
  const view::Layer& layer = state_.layers().front();
  const Volume& vol = *layer.volume;
  Vec3 cur = state_.viewCursor(view_);
  for (int a = 0; a < 3; ++a)
    if (std::abs(cur[a]) < 0.05) cur[a] = 0;  // no "-0.0 mm"
  QString s = QString("%1  %2\n").arg(QString::fromStdString(vol.info.modality),
                                      QString::fromStdString(vol.info.seriesDescription));
  // The slice position as `cinevox render --mm` takes it: z (axial), y (coronal), x (sagittal), LPS.
  switch (v.orientation) {
    case view::Orientation::Axial: s += QString("axial  z %1 mm").arg(cur.z, 0, 'f', 1); break;
    case view::Orientation::Coronal: s += QString("coronal  y %1 mm").arg(cur.y, 0, 'f', 1); break;
    case view::Orientation::Sagittal: s += QString("sagittal  x %1 mm").arg(cur.x, 0, 'f', 1); break;
    case view::Orientation::Oblique: s += QString("oblique  %1 mm").arg(dot(cur, v.plane.normal()), 0, 'f', 1); break;
  }
  if (v.slabMm > 0) s += QString("  slab %1 mm").arg(v.slabMm, 0, 'f', 1);
  s += QString("\nW %1  L %2").arg(layer.mapping.width, 0, 'g', 5).arg(layer.mapping.center, 0, 'g', 5);
  if (state_.phaseCount() > 1) s += QString("\nphase %1/%2").arg(state_.phase() + 1).arg(state_.phaseCount());
  if (vol.info.lossyCompressed)
    s += QString("\nLOSSY %1").arg(QString::fromStdString(vol.info.lossyRatio));
  if (!vol.geometry.spacingKnown) s += tr("\nspacing unknown: measurements in pixels");
  if (state_.linkOf(view_) == view::LinkKind::Unlinked) s += tr("\nNOT LINKED (other frame of reference)");
  if (state_.linkOf(view_) == view::LinkKind::ManualOffset) s += tr("\nlinked by manual offset");
  if (hover_.x() >= 0 && hover_.x() < width() && hover_.y() >= 0 && hover_.y() < height()) {
    const auto& values = renderer_.values(0);
    const size_t i = static_cast<size_t>(hover_.y()) * width() + hover_.x();
    if (i < values.size() && !std::isnan(values[i])) {
      const double c = values[i];
      const QString units = QString::fromStdString(vol.info.units);
      if (vol.info.modality == "PT") {
        // PET: SUVbw from the header (docs/suv.md), the factor's inputs on a second line.
        const auto suv = view::suvBodyWeight(vol.info);
        if (suv) {
          s += QString("\nSUVbw %1 (Bq/ml %2)").arg(c * suv->factor, 0, 'f', 2).arg(c, 0, 'f', 1);
          s += QString("\n%1 kg  %2 MBq").arg(suv->weightKg, 0, 'f', 1).arg(suv->injectedDoseBq / 1e6, 0, 'f', 1);
          if (suv->halfLifeS > 0) s += QString("  T1/2 %1 min").arg(suv->halfLifeS / 60, 0, 'f', 1);
          s += QString("  decay %1 min (%2)")
                   .arg(suv->decaySeconds / 60, 0, 'f', 1)
                   .arg(QString::fromStdString(suv->referenceTime));
          for (const auto& w : suv->warnings) s += "  " + QString::fromStdString(w.code);
        } else {
          s += QString("\n%1 %2  no SUV: %3").arg(c, 0, 'f', 1).arg(units, QString::fromStdString(suv.error().code));
        }
      } else {
        s += QString("\n%1 %2").arg(c, 0, 'f', 1).arg(units);
      }
    }
  }
  return s;
}

void PlaneView::wheelEvent(QWheelEvent* e) {
  const int steps = e->angleDelta().y() / 120;
  if (steps != 0) state_.scroll(view_, steps);
  e->accept();
}

void PlaneView::mousePressEvent(QMouseEvent* e) {
  button_ = e->button();
  pressAt_ = lastAt_ = e->position().toPoint();
  dragged_ = false;
}

void PlaneView::mouseMoveEvent(QMouseEvent* e) {
  const QPoint at = e->position().toPoint();
  hover_ = at;
  if (button_ == Qt::NoButton) {
    update();
    return;
  }
  const QPoint d = at - lastAt_;
  lastAt_ = at;
  dragged_ = dragged_ || (at - pressAt_).manhattanLength() > 3;
  if (!dragged_) return;
  if (button_ == Qt::LeftButton && (e->modifiers() & Qt::ControlModifier)) {
    const auto c = state_.pixelFrame(view_, width(), height()).pixelOf(state_.viewCursor(view_));
    const double a0 = std::atan2(at.y() - d.y() - c[1], at.x() - d.x() - c[0]);
    const double a1 = std::atan2(at.y() - c[1], at.x() - c[0]);
    state_.rotateCrosshair(view_, a1 - a0);
  } else if (button_ == Qt::LeftButton) {
    state_.setMapping(0, view::dragWindow(state_.layers().front().mapping, d.x(), d.y()));
  } else if (button_ == Qt::RightButton) {
    state_.zoom(view_, std::exp(-d.y() / 200.0));
  } else if (button_ == Qt::MiddleButton) {
    const double mm = state_.pixelFrame(view_, width(), height()).mmPerPixel;
    state_.pan(view_, -d.x() * mm, -d.y() * mm);
  }
}

void PlaneView::mouseReleaseEvent(QMouseEvent* e) {
  if (button_ == Qt::LeftButton && !dragged_) {
    const auto f = state_.pixelFrame(view_, width(), height());
    state_.setCursor(f.worldAt(e->position().x(), e->position().y()), view_);
  }
  button_ = Qt::NoButton;
}

void PlaneView::keyPressEvent(QKeyEvent* e) {
  switch (e->key()) {
    case Qt::Key_Up: state_.scroll(view_, 1); break;
    case Qt::Key_Down: state_.scroll(view_, -1); break;
    case Qt::Key_PageUp: state_.scroll(view_, 10); break;
    case Qt::Key_PageDown: state_.scroll(view_, -10); break;
    case Qt::Key_R: state_.reset(); break;
    default: QWidget::keyPressEvent(e); return;
  }
}

}  // namespace cvx::viewer
