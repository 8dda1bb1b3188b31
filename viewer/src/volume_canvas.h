// SPDX-License-Identifier: MIT
// The 3D view's OpenGL canvas (volume_view.h): a QOpenGLWidget covering the view that draws its
// pictures and overlays (VolumeView::paintGl); the view keeps the mouse and the keys.
#pragma once
#include <QOpenGLWidget>

namespace cvx::viewer {

class VolumeView;

class VolumeCanvas : public QOpenGLWidget {
 public:
  explicit VolumeCanvas(VolumeView* view);

 protected:
  void initializeGL() override;
  void paintGL() override;

 private:
  VolumeView* view_;
};

}  // namespace cvx::viewer
