// SPDX-License-Identifier: MIT
// Text over an image, with a one-pixel dark outline: readable over bright bone as over air.
#pragma once
#include <QColor>
#include <QPainter>
#include <QRectF>
#include <QString>

namespace cvx::viewer {

inline void drawOutlinedText(QPainter& p, const QRectF& r, int flags, const QString& text, const QColor& colour) {
  p.setPen(QColor(0, 0, 0, 200));
  for (const QPointF d : {QPointF(1, 1), QPointF(-1, -1), QPointF(1, -1), QPointF(-1, 1)}) p.drawText(r.translated(d), flags, text);
  p.setPen(colour);
  p.drawText(r, flags, text);
}

}  // namespace cvx::viewer
