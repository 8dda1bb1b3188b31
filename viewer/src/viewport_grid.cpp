// SPDX-License-Identifier: MIT
#include "viewport_grid.h"

#include <QGridLayout>

#include "plane_view.h"
#include "volume_view.h"

namespace cvx::viewer {

ViewportGrid::ViewportGrid(view::ViewerState& state, ViewTools& tools, QWidget* parent)
    : QWidget(parent), state_(state), tools_(tools) {
  grid_ = new QGridLayout(this);
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(2);
  setStyleSheet("background: #202020;");
}

void ViewportGrid::setLayout(const view::Layout& layout) {
  for (QWidget* w : cells_) {  // gone at once from the window (and findChild), deleted later
    w->hide();
    w->setParent(nullptr);
    w->deleteLater();
  }
  cells_.clear();
  views_.clear();
  volume_ = nullptr;
  layout_ = layout;
  for (int r = 0; r < grid_->rowCount(); ++r) grid_->setRowStretch(r, 0);
  for (int c = 0; c < grid_->columnCount(); ++c) grid_->setColumnStretch(c, 0);
  int view = 0;
  for (size_t c = 0; c < layout.cells.size(); ++c) {
    QWidget* cell = nullptr;
    if (layout.cells[c].kind == view::CellKind::ThreeD) {
      volume_ = new VolumeView(state_, tools_, this);
      volume_->setObjectName("viewport3d");
      cell = volume_;
    } else if (view < state_.viewCount()) {
      auto* pv = new PlaneView(state_, tools_, view, this);
      pv->setObjectName(QString("viewport%1").arg(view));
      connect(pv, &PlaneView::seriesDropped, this, [this, view](int series) { emit seriesDropped(view, series); });
      connect(pv, &PlaneView::activated, this, [this, view] { emit viewActivated(view); });
      views_.push_back(pv);
      cell = pv;
      ++view;
    } else {
      continue;
    }
    cells_.push_back(cell);
    const int row = static_cast<int>(c) / layout.cols, col = static_cast<int>(c) % layout.cols;
    grid_->addWidget(cell, row, col);
    grid_->setRowStretch(row, 1);
    grid_->setColumnStretch(col, 1);
  }
}

void ViewportGrid::invalidate() {
  for (PlaneView* v : views_) v->invalidate();
  if (volume_) volume_->invalidate();
}

}  // namespace cvx::viewer

namespace cvx::viewer {

void ViewportGrid::repaint() {
  for (PlaneView* v : views_) v->update();
}

}  // namespace cvx::viewer
