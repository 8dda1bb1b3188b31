// SPDX-License-Identifier: MIT
// A thin widget over one view of the viewer state: it draws what ViewRenderer makes of the state
// (image, crosshair, orientation letters, annotations) and turns mouse and keys into state
// changes. It owns no volume, no window and no position.
#pragma once
#include <QPoint>
#include <QWidget>

#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

namespace cvx::viewer {

class PlaneView : public QWidget {
  Q_OBJECT
 public:
  PlaneView(view::ViewerState& state, int view, QWidget* parent = nullptr);
  // The voxels changed under the same planes (progressive loading): reslice on the next paint.
  void invalidate();
  int viewIndex() const { return view_; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void drawOverlay(class QPainter& p, const view::PixelFrame& f) const;
  QString annotation() const;

  view::ViewerState& state_;
  int view_;
  view::ViewRenderer renderer_;
  view::ViewerState::Subscription subscription_;
  QPoint pressAt_, lastAt_, hover_{-1, -1};
  Qt::MouseButton button_ = Qt::NoButton;
  bool dragged_ = false;
};

}  // namespace cvx::viewer
