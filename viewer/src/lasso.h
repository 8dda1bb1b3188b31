// SPDX-License-Identifier: MIT
// The Scissors tool's lasso while it is drawn, shared by the 2D and 3D views: points in widget
// pixels (a new one once the mouse has moved 2 pixels), drawn dashed and closed back to its start.
#pragma once
#include <array>
#include <vector>

#include <QPainter>
#include <QPointF>

namespace cvx::viewer {

class Lasso {
 public:
  void begin(QPointF at) { points_ = {at}; }
  bool active() const { return !points_.empty(); }
  // A new point when it is 2 pixels or more from the last; true when the drawing changed.
  bool add(QPointF at) {
    const QPointF d = at - points_.back();
    if (!active() || d.x() * d.x() + d.y() * d.y() < 4) return false;
    points_.push_back(at);
    return true;
  }
  // Ends the lasso at `at`; its points (pixel coordinates, as projectToPixel and PixelFrame use them).
  std::vector<std::array<double, 2>> finish(QPointF at) {
    points_.push_back(at);
    std::vector<std::array<double, 2>> out;
    for (const QPointF& q : points_) out.push_back({q.x(), q.y()});
    points_.clear();
    return out;
  }
  void cancel() { points_.clear(); }  // its release was lost: nothing is cut
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
};

}  // namespace cvx::viewer
