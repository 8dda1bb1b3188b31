// SPDX-License-Identifier: MIT
#include "grab_shown.h"

#include <QOpenGLWidget>
#include <QPainter>

namespace cvx::viewer {

QImage grabShown(QWidget* w) {
  if (auto* gl = qobject_cast<QOpenGLWidget*>(w)) return gl->grabFramebuffer();
  QImage image = w->grab().toImage();
  const auto gls = w->findChildren<QOpenGLWidget*>();
  if (gls.isEmpty()) return image;
  QPainter p(&image);
  for (QOpenGLWidget* gl : gls) {
    if (!gl->isVisibleTo(w)) continue;
    const QPoint at = gl->mapTo(w, QPoint(0, 0));
    p.drawImage(QRect(at, gl->size()), gl->grabFramebuffer());
  }
  return image;
}

}  // namespace cvx::viewer
