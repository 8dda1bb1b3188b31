// SPDX-License-Identifier: MIT
// The Scissors tool's lasso while it is drawn, shared by the 2D and 3D views: points in widget
// pixels (a new one once the mouse has moved 2 pixels), drawn dashed and closed back to its start.
// Or click by click (the Draw tool's polygon, holdClicks): each click fixes a corner, the last point
// follows the mouse until finish().
#pragma once
#include <array>
#include <vector>

#include <QPainter>
#include <QPointF>

namespace cvx::viewer {

class Lasso {
 public:
  void begin(QPointF at) { points_ = {at}, clicks_ = false; }
  bool active() const { return !points_.empty(); }
  // A press and release without a drag: the lasso becomes a polygon drawn click by click, its first
  // corner where it began.
  void holdClicks() {
    if (!active()) return;
    points_.resize(1);
    points_.push_back(points_.back());  // the point that follows the mouse
    clicks_ = true;
  }
  bool byClicks() const { return clicks_; }
  bool moved() const { return points_.size() > 1; }  // a drag has added points since begin
  void follow(QPointF at) {  // the mouse moved (click by click)
    if (clicks_) points_.back() = at;
  }
  void click(QPointF at) {  // a corner at `at` (click by click)
    if (!clicks_) return;
    points_.back() = at;
    points_.push_back(at);
  }
  // A corner at `at` unless the last one is there already (a double click's release may or may not
  // have come before it).
  void clickOnce(QPointF at) {
    if (!clicks_) return;
    const QPointF d = at - points_[points_.size() - 2];
    if (d.x() * d.x() + d.y() * d.y() >= 4) click(at);
  }
  // A new point when it is 2 pixels or more from the last; true when the drawing changed.
  bool add(QPointF at) {
    const QPointF d = at - points_.back();
    if (!active() || d.x() * d.x() + d.y() * d.y() < 4) return false;
    points_.push_back(at);
    return true;
  }
  // Ends the lasso at `at`; its points (pixel coordinates, as projectToPixel and PixelFrame use them).
  // Click by click, its corners (at and the point that followed the mouse are left out).
  std::vector<std::array<double, 2>> finish(QPointF at) {
    if (clicks_) points_.pop_back();
    else points_.push_back(at);
    clicks_ = false;
    std::vector<std::array<double, 2>> out;
    for (const QPointF& q : points_) out.push_back({q.x(), q.y()});
    points_.clear();
    return out;
  }
  void cancel() { points_.clear(), clicks_ = false; }  // its release was lost, or Escape: nothing is cut
  void paint(QPainter& p) const {
    if (points_.size() < 2) return;
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(QColor(255, 220, 0), 1.5, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawPolygon(points_.data(), static_cast<int>(points_.size()));
    p.restore();
  }

 private:
  std::vector<QPointF> points_;
  bool clicks_ = false;
};

}  // namespace cvx::viewer
