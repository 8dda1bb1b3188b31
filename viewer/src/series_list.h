// SPDX-License-Identifier: MIT
// The open study's series, one row each; a row drags as its series index (kSeriesMime) onto a
// viewport.
#pragma once
#include <QListWidget>
#include <QMimeData>

#include "viewport_grid.h"

namespace cvx::viewer {

class SeriesList : public QListWidget {
 public:
  explicit SeriesList(QWidget* parent = nullptr) : QListWidget(parent) {
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setObjectName("seriesList");
  }

 protected:
  QStringList mimeTypes() const override { return {kSeriesMime}; }
  QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override {
    if (items.isEmpty()) return nullptr;
    auto* data = new QMimeData;
    data->setData(kSeriesMime, QByteArray::number(row(items.front())));
    return data;
  }
};

}  // namespace cvx::viewer
