// SPDX-License-Identifier: MIT
// The editor's place in the window: its toolbar button and dock, and the preset box (tf_editor.h).
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QMainWindow>
#include <QToolBar>

#include "tf_editor.h"

namespace cvx::viewer {

void addTfEditorButton(QToolBar* bar, QMainWindow* window, view::ViewerState& state) {
  QAction* button = bar->addAction(QObject::tr("Edit TF"));
  button->setObjectName("editTransferFunction");
  button->setCheckable(true);
  button->setToolTip(QObject::tr("Edit the 3D view's transfer function (choosing a preset drops the edit)"));
  QObject::connect(button, &QAction::toggled, window, [window, button, &state](bool on) {
    auto* dock = window->findChild<QDockWidget*>("tfEditorDock");
    if (!dock && on) {
      dock = new QDockWidget(QObject::tr("Transfer function"), window);
      dock->setObjectName("tfEditorDock");
      dock->setWidget(new TfEditor(state, dock));
      window->addDockWidget(Qt::BottomDockWidgetArea, dock);
      // Closing the dock unchecks the button.
      QObject::connect(dock->toggleViewAction(), &QAction::toggled, button, &QAction::setChecked);
    }
    if (dock) dock->setVisible(on);
  });
}

view::ViewerState::Subscription followPreset3d(QComboBox* box, view::ViewerState& state) {
  auto fill = [box] {
    box->clear();
    for (const std::string& n : view::transferPresetNames()) box->addItem(QString::fromStdString(n));
  };
  fill();
  return state.subscribe([box, &state, fill](const view::ChangeEvent& e) {
    if (!(e.what & view::kView3d)) return;
    const QString name = QString::fromStdString(state.preset3d());
    if (box->findText(name) < 0) fill();
    if (box->currentText() != name) box->setCurrentText(name);
  });
}

}  // namespace cvx::viewer
