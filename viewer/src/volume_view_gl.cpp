// SPDX-License-Identifier: MIT
// The 3D view's OpenGL side (volume_view.h): its canvas, the canvas's context and paint, and
// whether OpenGL works at all.
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QPainter>

#include <cstdlib>
#include <cstring>

#include "volume_canvas.h"
#include "volume_view.h"

namespace cvx::viewer {

bool openGlWorks() {
  // CVX_NO_OPENGL=1: the painter's path, for a driver that makes contexts but draws wrong.
  if (const char* off = std::getenv("CVX_NO_OPENGL"); off && std::strcmp(off, "1") == 0) return false;
  static const bool works = [] {
    QOpenGLContext context;
    if (!context.create()) return false;
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    if (!surface.isValid() || !context.makeCurrent(&surface)) return false;
    context.doneCurrent();
    return true;
  }();
  return works;
}

VolumeCanvas::VolumeCanvas(VolumeView* view) : QOpenGLWidget(view), view_(view) {
  setAttribute(Qt::WA_TransparentForMouseEvents);  // the view handles the mouse, wheel and keys
  setFocusPolicy(Qt::NoFocus);
}

void VolumeCanvas::initializeGL() { view_->initGl(); }
void VolumeCanvas::paintGL() { view_->paintGl(); }

QOpenGLWidget* VolumeView::canvas() const { return canvas_; }

void VolumeView::redraw() {
  if (canvas_) canvas_->update();
  else update();
}

void VolumeView::initGl() {
  textures_.create();
  // Undocking or full screen recreates the context: the textures and the device's registration go
  // with the old one, and the pictures are drawn or uploaded again into the new one.
  connect(canvas_->context(), &QOpenGLContext::aboutToBeDestroyed, this, &VolumeView::releaseGl,
          Qt::UniqueConnection);
  fineUpload_ = !fineImage_.isNull();
  shownGeneration_ = 0;  // the preview texture is new
}

void VolumeView::releaseGl() {
  if (!canvas_ || !textures_.created() || !canvas_->context()) return;
  canvas_->makeCurrent();
  textures_.destroy();
  canvas_->doneCurrent();
}

void VolumeView::paintGl() {
  // The textures with OpenGL between the painter's native-painting brackets (its engine restores its
  // state after them), then the overlays with the painter.
  QPainter p(canvas_);
  p.beginNativePainting();
  textures_.clear();
  if (!state_.layers().empty()) {
    if (shownGeneration_ != generation_ && loadPreset()) drawPreview(true);
    if (fineUpload_) {
      textures_.upload(ViewTextures::kFine, fineImage_.width(), fineImage_.height(), fineImage_.constBits());
      fineUpload_ = false;
    }
    const qreal dpr = canvas_->devicePixelRatioF();
    if (error_.isEmpty() && shownGeneration_ != 0)
      textures_.draw(shownFine_ ? ViewTextures::kFine : ViewTextures::kPreview, static_cast<int>(width() * dpr),
                     static_cast<int>(height() * dpr));
  }
  p.endNativePainting();
  paintOverlay(p);
}

}  // namespace cvx::viewer
