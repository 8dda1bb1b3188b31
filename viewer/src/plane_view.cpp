// SPDX-License-Identifier: MIT
#include "plane_view.h"

#include "seg_editing.h"

#include <algorithm>
#include <cmath>

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFocusEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cvx/core/log.h>
#include <cvx/viewstate/seg_edit.h>

#include "viewport_grid.h"

namespace cvx::viewer {

PlaneView::PlaneView(view::ViewerState& state, ViewTools& tools, int view, QWidget* parent)
    : QWidget(parent), state_(state), tools_(tools), view_(view), measure_(state, view) {
  setMinimumSize(200, 200);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setAcceptDrops(true);
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    const bool mine = e.view < 0 || e.view == view_ || (e.what & (view::kCursor | view::kPlane));
    if (!mine) return;
    // The Draw tool's polygon is held in this view's pixels: a view that moves drops it.
    if (lasso_.byClicks() &&
        (e.what & (view::kCursor | view::kPlane | view::kCamera | view::kSlab | view::kLayers)))
      lasso_.cancel();
    traceStale_ = true;  // the Level tool's outline is traced again when next drawn
    update();
  });
}

void PlaneView::invalidate() {
  renderer_.invalidate();
  update();
}

void PlaneView::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  lasso_.cancel();  // its points were this size's pixels
  renderer_.reserve(width(), height(), std::max<int>(1, static_cast<int>(state_.layers().size())));
}

void PlaneView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::black);
  if (state_.layers().empty() || view_ >= state_.viewCount()) {
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
  drawOverlay(p);
  if ((tools_.tool == Tool::Paint || tools_.tool == Tool::Erase) && tools_.editing && rect().contains(hover_)) {
    const double r = tools_.editing->brushMm / state_.pixelFrame(view_, width(), height()).mmPerPixel;
    p.setPen(QPen(tools_.tool == Tool::Paint ? QColor(255, 255, 255) : QColor(255, 90, 90), 1));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(QPointF(hover_), r, r);  // the brush
  }
  if (tools_.tool == Tool::Level) drawTrace(p);
  lasso_.paint(p);
}

void PlaneView::wheelEvent(QWheelEvent* e) {
  const int steps = e->angleDelta().y() / 120;
  if (steps != 0) state_.scroll(view_, steps);
  e->accept();
}

void PlaneView::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasFormat(kSeriesMime)) e->acceptProposedAction();
}

void PlaneView::dropEvent(QDropEvent* e) {
  bool ok = false;
  const int series = QString::fromUtf8(e->mimeData()->data(kSeriesMime)).toInt(&ok);
  if (!ok) return;
  e->acceptProposedAction();
  emit seriesDropped(series);
}

void PlaneView::mousePressEvent(QMouseEvent* e) {
  emit activated();
  button_ = e->button();
  pressAt_ = lastAt_ = e->position().toPoint();
  dragged_ = false;
  if (button_ == Qt::LeftButton && !(e->modifiers() & Qt::ControlModifier) && tools_.editing &&
      (tools_.tool == Tool::Paint || tools_.tool == Tool::Erase)) {
    painting_ = tools_.editing->beginStroke(tools_.tool == Tool::Paint ? view::BrushMode::Paint
                                                                       : view::BrushMode::Erase).ok();
    if (painting_) brushAt(e->position());
    return;
  }
  if (button_ == Qt::LeftButton && !(e->modifiers() & Qt::ControlModifier) && tools_.editing &&
      tools_.tool == Tool::Island) {  // the piece under the click kept (Shift: removed)
    const Status st = tools_.editing->island(
        state_.pixelFrame(view_, width(), height()).worldAt(e->position().x(), e->position().y()),
        !(e->modifiers() & Qt::ShiftModifier));
    if (!st.ok()) log::warn(st.error().code + ": " + st.error().message);
    button_ = Qt::NoButton;
    return;
  }
  if (button_ == Qt::LeftButton && !(e->modifiers() & Qt::ControlModifier) && tools_.editing &&
      tools_.tool == Tool::Level) {  // the outlined region filled (Shift: erased)
    fillTrace(e->position().toPoint(), e->modifiers() & Qt::ShiftModifier);
    button_ = Qt::NoButton;
    return;
  }
  if (button_ == Qt::LeftButton && !(e->modifiers() & Qt::ControlModifier) && tools_.editing &&
      (tools_.tool == Tool::Scissors || tools_.tool == Tool::Draw)) {
    if (!polygonOpen()) lasso_.begin(e->position());  // a polygon's corner comes on the release
    return;
  }
  measuring_ = button_ == Qt::LeftButton && !(e->modifiers() & Qt::ControlModifier) &&
               measure_.press(tools_, e->position(), width(), height());
  if (measuring_) update();
}

void PlaneView::mouseMoveEvent(QMouseEvent* e) {
  const QPoint at = e->position().toPoint();
  hover_ = at;
  if (painting_) {
    brushAt(e->position());
    return;
  }
  if (polygonOpen()) {  // the polygon's last side follows the mouse; a right or middle drag still zooms, pans
    lasso_.follow(e->position());
    update();
    if (button_ == Qt::NoButton || button_ == Qt::LeftButton) return;
  }
  if (lasso_.active() && !lasso_.byClicks()) {
    if (lasso_.add(e->position())) update();
    return;
  }
  if (tools_.tool == Tool::Paint || tools_.tool == Tool::Erase) update();  // the brush outline follows
  if (tools_.tool == Tool::Level && button_ == Qt::NoButton) traceAt(at);
  if (measure_.busy() && (measuring_ || button_ == Qt::NoButton)) {
    measure_.move(tools_, e->position(), width(), height());
    update();
    return;
  }
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
    const int layer = state_.viewLayer(view_);
    state_.setMapping(layer, view::dragWindow(state_.layers()[static_cast<size_t>(layer)].mapping, d.x(), d.y()));
  } else if (button_ == Qt::RightButton) {
    state_.zoom(view_, std::exp(-d.y() / 200.0));
  } else if (button_ == Qt::MiddleButton) {
    const double mm = state_.pixelFrame(view_, width(), height()).mmPerPixel;
    state_.pan(view_, -d.x() * mm, -d.y() * mm);
  }
}

void PlaneView::brushAt(QPointF at) {
  const auto f = state_.pixelFrame(view_, width(), height());
  const Vec3 n = normalized(cross(f.du, f.dv));
  (void)tools_.editing->dab(f.worldAt(at.x(), at.y()), n);
}

// The lasso on this view's plane cuts the active segment along the plane's normal (a parallel
// projection): the voxels of every slice that fall inside it, seen along the normal.
void PlaneView::cutWithLasso(QPointF end, bool keepInside) {
  const auto pixels = lasso_.finish(end);
  update();
  const auto f = state_.pixelFrame(view_, width(), height());
  view::ScissorsCut cut;
  cut.viewDirection = normalized(cross(f.du, f.dv));
  for (const auto& q : pixels) cut.polygon.push_back(f.worldAt(q[0], q[1]));
  const Status st = tools_.editing->scissors(cut, keepInside ? view::ScissorsMode::KeepInside : view::ScissorsMode::EraseInside);
  if (!st.ok()) log::warn(st.error().code + ": " + st.error().message);
}

// The Draw tool's outline, filled into the active segment on this view's slice (erased with Shift).
void PlaneView::fillOutline(QPointF end, bool erase) {
  const auto pixels = lasso_.finish(end);
  update();
  const auto f = state_.pixelFrame(view_, width(), height());
  std::vector<Vec3> points;
  for (const auto& q : pixels) points.push_back(f.worldAt(q[0], q[1]));
  const Status st = tools_.editing->fillOutline(points, cross(f.du, f.dv),
                                                erase ? view::BrushMode::Erase : view::BrushMode::Paint);
  if (!st.ok()) log::warn(st.error().code + ": " + st.error().message);
}

void PlaneView::mouseReleaseEvent(QMouseEvent* e) {
  if (painting_ && e->button() == Qt::LeftButton) {
    (void)tools_.editing->endStroke();
    painting_ = false;
    button_ = Qt::NoButton;
    return;
  }
  if (lasso_.active() && e->button() == Qt::LeftButton && tools_.tool == Tool::Draw) {
    // A click without a drag starts a polygon drawn click by click (Enter or a double click closes
    // it, Escape drops it); a drag's outline is filled at once.
    if (lasso_.byClicks()) {
      if (!(e->modifiers() & Qt::ControlModifier)) lasso_.click(e->position());  // Ctrl: no corner
    }
    else if (!lasso_.moved()) lasso_.holdClicks();
    else fillOutline(e->position(), e->modifiers() & Qt::ShiftModifier);
    button_ = Qt::NoButton;
    update();
    return;
  }
  if (lasso_.active() && e->button() == Qt::LeftButton) {
    cutWithLasso(e->position(), e->modifiers() & Qt::ShiftModifier);
    button_ = Qt::NoButton;
    return;
  }
  if (measuring_ && e->button() == Qt::LeftButton) {
    measure_.release(tools_, e->position(), width(), height());
    measuring_ = false;
    button_ = Qt::NoButton;
    update();
    return;
  }
  if (button_ == Qt::LeftButton && !dragged_) {
    const auto f = state_.pixelFrame(view_, width(), height());
    state_.setCursor(f.worldAt(e->position().x(), e->position().y()), view_);
    if (tools_.tool == Tool::Lesion && tools_.lesion && !(e->modifiers() & Qt::ControlModifier)) tools_.lesion(view_);
  }
  button_ = Qt::NoButton;
}

void PlaneView::toolChanged() {
  polygonOpen();
  traceStale_ = true;
  update();
}

void PlaneView::focusOutEvent(QFocusEvent* e) {
  if (lasso_.byClicks() && e->reason() == Qt::MouseFocusReason) lasso_.cancel(), update();  // another view clicked
  QWidget::focusOutEvent(e);
}

void PlaneView::leaveEvent(QEvent* e) {
  hover_ = {-1, -1};  // no brush, trace or value under a mouse that has gone
  update();
  QWidget::leaveEvent(e);
}

bool PlaneView::polygonOpen() {
  if (lasso_.byClicks() && tools_.tool != Tool::Draw) lasso_.cancel(), update();  // another tool was chosen
  return lasso_.byClicks();
}

void PlaneView::mouseDoubleClickEvent(QMouseEvent* e) {
  if (!(polygonOpen() && e->button() == Qt::LeftButton)) return QWidget::mouseDoubleClickEvent(e);
  lasso_.clickOnce(e->position());  // the last corner, where the double click is
  fillOutline(e->position(), e->modifiers() & Qt::ShiftModifier);
  button_ = Qt::NoButton;
}

void PlaneView::keyPressEvent(QKeyEvent* e) {
  switch (e->key()) {
    case Qt::Key_Up: state_.scroll(view_, 1); break;
    case Qt::Key_Down: state_.scroll(view_, -1); break;
    case Qt::Key_PageUp: state_.scroll(view_, 10); break;
    case Qt::Key_PageDown: state_.scroll(view_, -10); break;
    case Qt::Key_R: state_.reset(); break;
    case Qt::Key_Escape:  // a measurement, a lasso or a polygon being drawn is dropped
      measure_.cancel(), lasso_.cancel();
      button_ = Qt::NoButton;
      update();
      break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
      if (!polygonOpen()) return QWidget::keyPressEvent(e);
      fillOutline({}, e->modifiers() & Qt::ShiftModifier);  // the polygon closed
      break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
      if (tools_.measurements && tools_.selected) (void)tools_.measurements->remove(tools_.selected);
      tools_.selected = 0;
      break;
    default: QWidget::keyPressEvent(e); return;
  }
}

}  // namespace cvx::viewer
