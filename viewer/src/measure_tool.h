// SPDX-License-Identifier: MIT
// Drawing and editing measurements in one PlaneView: the mouse gestures of each tool, the preview
// while drawing, and painting the measurements the view's plane shows with their results. The
// measurements and their rules are cvx::view's (measure.h, measure_model.h); this only turns
// pixels into world points and back.
#pragma once
#include <map>
#include <optional>
#include <vector>

#include <QColor>
#include <QPointF>
#include <QString>

#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/state.h>

#include "view_tools.h"

class QPainter;

namespace cvx::viewer {

// A measurement's colour in every view (the MPR views, the 3D view): cyan, orange when selected.
inline QColor measureColour(bool selected) { return selected ? QColor(255, 140, 0) : QColor(0, 230, 255); }
// The lines written beside m: what it measures on its layer (view::resultText), or the error's code.
QString measureText(const view::ViewerState& s, const view::Measurement& m);

class MeasureTool {
 public:
  MeasureTool(view::ViewerState& state, int view) : state_(state), view_(view) {}

  // Mouse events in widget pixels; each returns true when it used the event.
  bool press(ViewTools& tools, QPointF at, int width, int height);
  bool move(ViewTools& tools, QPointF at, int width, int height);
  bool release(ViewTools& tools, QPointF at, int width, int height);
  bool busy() const { return !points_.empty() || handle_ >= 0; }
  void cancel();

  void paint(QPainter& p, const ViewTools& tools, int width, int height);

 private:
  Vec3 worldAt(QPointF at, int width, int height) const;
  QPointF pixelOf(Vec3 world, int width, int height) const;
  view::Measurement draft(const ViewTools& tools) const;
  void drawShape(QPainter& p, const view::Measurement& m, int width, int height, bool selected) const;

  view::ViewerState& state_;
  int view_;
  std::vector<Vec3> points_;     // the measurement being drawn (the last one follows the mouse)
  int64_t editing_ = 0;          // the measurement whose handle is dragged
  int handle_ = -1;
  Vec3 handleAt_;
  std::map<int64_t, std::pair<uint64_t, QString>> results_;  // id -> (revision, text)
};

}  // namespace cvx::viewer
