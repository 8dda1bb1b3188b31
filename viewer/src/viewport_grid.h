// SPDX-License-Identifier: MIT
// The viewports of a layout (1x1, 1x2, 2x2, 1x3): each cell a PlaneView over one view of the viewer
// state, or the 3D view (VolumeView). A series dragged onto a viewport (from the series list or the
// browser) is reported with the viewport's view index.
#pragma once
#include <vector>

#include <QWidget>

#include <cvx/viewstate/hanging.h>
#include <cvx/viewstate/state.h>

#include "view_tools.h"

class QGridLayout;

namespace cvx::viewer {

class PlaneView;
class VolumeView;

// The MIME type of a dragged series: its index in the open study's series list, as text.
inline constexpr const char* kSeriesMime = "application/x-cinevox-series";

class ViewportGrid : public QWidget {
  Q_OBJECT
 public:
  ViewportGrid(view::ViewerState& state, ViewTools& tools, QWidget* parent = nullptr);
  // Lays out the cells; the state's views must already be the layout's plane cells, in order
  // (cell c's plane view is the c-th non-3D cell).
  void setLayout(const view::Layout& layout);
  const view::Layout& layout() const { return layout_; }
  const std::vector<PlaneView*>& views() const { return views_; }
  VolumeView* volumeView() const { return volume_; }  // the 3D cell, or null
  void invalidate();  // every view reslices on its next paint (slices arrived)
  void repaint();     // every view draws again (tools, measurements, overlay options changed)

 signals:
  void seriesDropped(int view, int series);
  void viewActivated(int view);

 private:
  view::ViewerState& state_;
  ViewTools& tools_;
  view::Layout layout_;
  QGridLayout* grid_ = nullptr;
  std::vector<QWidget*> cells_;
  std::vector<PlaneView*> views_;
  VolumeView* volume_ = nullptr;
};

}  // namespace cvx::viewer
