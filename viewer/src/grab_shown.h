// SPDX-License-Identifier: MIT
// A widget's pixels as the screen shows them, OpenGL views included (--screenshot, the GUI tests).
// QWidget::grab() cannot be trusted with a QOpenGLWidget that paints overlays with QPainter over
// its own OpenGL drawing (the 3D view): Qt 6.4 redirects the painter into the grab's pixmap and
// then covers it with the framebuffer, so the crosshair, marker and text are lost (on screen they
// are there). grabShown takes each visible QOpenGLWidget's framebuffer (grabFramebuffer: its
// paintGL whole) and paints it where the widget sits.
#pragma once
#include <QImage>
#include <QWidget>

namespace cvx::viewer {

QImage grabShown(QWidget* w);

}  // namespace cvx::viewer
