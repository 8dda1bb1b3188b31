// SPDX-License-Identifier: MIT
// PlaneView's overlays: everything they say comes from the overlay model (cvx/viewstate/overlay.h);
// here it is only placed and painted.
#include <algorithm>
#include <cmath>

#include <QFontMetrics>
#include <QPainter>

#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/probe.h>

#include "paint_text.h"
#include "plane_view.h"
#include "view_colours.h"

namespace cvx::viewer {
namespace {

QStringList toLines(const std::vector<std::string>& lines) {
  QStringList out;
  for (const auto& l : lines) out << QString::fromStdString(l);
  return out;
}

}  // namespace

void PlaneView::drawOverlay(QPainter& p) {
  const int w = width(), h = height();
  const auto frame = state_.pixelFrame(view_, w, h);
  const auto cursor = frame.pixelOf(state_.viewCursor(view_));
  const QPointF c(cursor[0], cursor[1]);
  // Reference lines of the other views, clipped to the volume; a gap keeps the cursor point clear.
  for (const auto& line : view::referenceLines(state_, view_, w, h)) {
    QPen pen(orientationColour(line.orientation));
    pen.setWidthF(1.0);
    if (line.kind != view::ReferenceKind::Plane) pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    const QPointF a(line.x0, line.y0), b(line.x1, line.y1);
    const QPointF d = b - a;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-9) continue;
    const double t = QPointF::dotProduct(c - a, d) / (len * len);
    const QPointF onLine = a + d * t;
    const bool throughCursor = line.kind == view::ReferenceKind::Plane && std::hypot((onLine - c).x(), (onLine - c).y()) < 1 &&
                               t > 0 && t < 1;
    if (!throughCursor) {
      p.drawLine(a, b);
      continue;
    }
    const double gap = 12 / len;
    p.drawLine(a, a + d * std::max(0.0, t - gap));
    p.drawLine(a + d * std::min(1.0, t + gap), b);
  }
  // Orientation letters at the four edges.
  const auto edges = view::edgeLabels(state_, view_);
  const QColor letter(255, 210, 0);
  drawOutlinedText(p, QRect(4, h / 2 - 10, 30, 20), Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(edges.left), letter);
  drawOutlinedText(p, QRect(w - 34, h / 2 - 10, 30, 20), Qt::AlignRight | Qt::AlignVCenter, QString::fromStdString(edges.right), letter);
  drawOutlinedText(p, QRect(w / 2 - 15, 2, 30, 20), Qt::AlignHCenter | Qt::AlignTop, QString::fromStdString(edges.top), letter);
  drawOutlinedText(p, QRect(w / 2 - 15, h - 22, 30, 20), Qt::AlignHCenter | Qt::AlignBottom, QString::fromStdString(edges.bottom), letter);
  // Corner text, each line elided so that it stays clear of the edge letters in the middle.
  const int layer = state_.viewLayer(view_);
  const Volume& volume = *state_.layers()[static_cast<size_t>(layer)].volume;
  const auto text = view::cornerText(state_, view_, tools_.overlay);
  QStringList bottomLeft = toLines(text.at(view::Corner::BottomLeft));
  if (hover_.x() >= 0 && hover_.x() < w && hover_.y() >= 0 && hover_.y() < h) {
    // The nearest voxel's own value (not the interpolated pixel), as on the scanner console.
    if (const auto v = view::probe(state_, view_, frame.worldAt(hover_.x(), hover_.y())))
      bottomLeft += toLines(view::valueText(volume.info, v->value));
  }
  const QFontMetrics fm = p.fontMetrics();
  const int room = std::max(40, w / 2 - 30);  // clear of the letters at the middle of the edges
  auto elide = [&](QStringList lines) {
    for (QString& l : lines) l = fm.elidedText(l, Qt::ElideRight, room);
    return lines.join('\n');
  };
  const QRect box = rect().adjusted(6, 4, -6, -4);
  drawOutlinedText(p, box, Qt::AlignLeft | Qt::AlignTop, elide(toLines(text.at(view::Corner::TopLeft))), Qt::white);
  drawOutlinedText(p, box, Qt::AlignRight | Qt::AlignTop, elide(toLines(text.at(view::Corner::TopRight))), Qt::white);
  drawOutlinedText(p, box, Qt::AlignLeft | Qt::AlignBottom, elide(bottomLeft), Qt::white);
  const QStringList bottomRight = toLines(text.at(view::Corner::BottomRight));
  drawOutlinedText(p, box, Qt::AlignRight | Qt::AlignBottom, elide(bottomRight), Qt::white);
  // Scale bar above the bottom-right text.
  const auto bar = view::scaleBar(frame.mmPerPixel, w / 4.0, volume.geometry.spacingKnown);
  if (bar.length > 0) {
    const double y = h - 8 - fm.height() * (bottomRight.size() + 1);
    const double x1 = w - 8, x0 = x1 - bar.pixels;
    for (const auto& [colour, widthPx] : {std::pair{QColor(0, 0, 0, 200), 3.0}, std::pair{QColor(Qt::white), 1.0}}) {
      QPen pen(colour);  // a dark edge under the white bar: visible over white (inverted PET) too
      pen.setWidthF(widthPx);
      p.setPen(pen);
      p.drawLine(QPointF(x0, y), QPointF(x1, y));
      p.drawLine(QPointF(x0, y - 4), QPointF(x0, y + 4));
      p.drawLine(QPointF(x1, y - 4), QPointF(x1, y + 4));
    }
    drawOutlinedText(p, QRectF(x0 - 60, y - fm.height() - 2, x1 - x0 + 60, fm.height()), Qt::AlignRight | Qt::AlignBottom,
             QString::fromStdString(bar.label), Qt::white);
  }
  measure_.paint(p, tools_, w, h);
}

}  // namespace cvx::viewer
