// SPDX-License-Identifier: MIT
// A thin widget over one view of the viewer state: it draws what ViewRenderer makes of the state
// and what the overlay model (cvx/viewstate/overlay.h) says goes over it (corner text, value under
// the mouse, orientation letters, scale bar, reference lines, measurements), and turns mouse and
// keys into state changes. It owns no volume, no window and no position.
#pragma once
#include <array>
#include <memory>
#include <vector>

#include <QPoint>
#include <QString>
#include <QWidget>

#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

#include "lasso.h"
#include "measure_tool.h"
#include "view_tools.h"

namespace cvx::view {
struct LevelTrace;
}

namespace cvx::viewer {

class PlaneView : public QWidget {
  Q_OBJECT
 public:
  PlaneView(view::ViewerState& state, ViewTools& tools, int view, QWidget* parent = nullptr);
  // The voxels changed under the same planes (progressive loading): reslice on the next paint.
  void invalidate();
  void toolChanged();  // a polygon of the Draw tool left open is dropped
  int viewIndex() const { return view_; }

 signals:
  void seriesDropped(int series);  // a series (kSeriesMime) was dropped here
  void activated();                // clicked or focused: the window's active view

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void focusOutEvent(class QFocusEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void drawOverlay(class QPainter& p);

  view::ViewerState& state_;
  ViewTools& tools_;
  int view_;
  view::ViewRenderer renderer_;
  MeasureTool measure_;
  view::ViewerState::Subscription subscription_;
  QPoint pressAt_, lastAt_, hover_{-1, -1};
  Qt::MouseButton button_ = Qt::NoButton;
  bool dragged_ = false;
  bool measuring_ = false;  // the left button went to the measure tool
  bool painting_ = false;   // the left button is brushing a segment (Paint, Erase)
  Lasso lasso_;             // the Scissors or Draw tool's lasso while it is drawn
  void brushAt(QPointF at);
  void cutWithLasso(QPointF end, bool keepInside);
  void fillOutline(QPointF end, bool erase);  // the Draw tool's lasso, released at end
  bool polygonOpen();  // the Draw tool's polygon is being clicked (dropped once another tool is chosen)
  // The Level tool (plane_view_trace.cpp): the trace under the mouse, outlined; a click fills it.
  void traceAt(QPoint at);  // the trace under `at`, for the next paint
  void fillTrace(QPoint at, bool erase);
  void drawTrace(class QPainter& p);
  std::shared_ptr<const view::LevelTrace> traced_;  // the trace traceEdges_ outlines
  std::vector<std::array<Vec3, 2>> traceEdges_;  // the outline under the mouse (LPS mm)
  QString traceNote_;                            // why there is none, or what it holds
  bool traceStale_ = false;                      // the state moved since: traced again when drawn
};

}  // namespace cvx::viewer
