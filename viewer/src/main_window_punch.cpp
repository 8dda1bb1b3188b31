// SPDX-License-Identifier: MIT
// The 3D menu's "Punch" submenu (punch_3d.h; the Punch tool draws lassos): leave the active segment
// out of the volume rendering or keep it alone, undo and redo the punches, restore the whole volume.
// Built each time it opens, for the active segment of the moment.
#include <QAction>
#include <QMenu>
#include <QStatusBar>

#include <cvx/viewstate/punch_3d.h>

#include "main_window.h"

namespace cvx::viewer {

void MainWindow::editPunches(const std::function<bool(view::Punches3D&)>& edit) {
  view::Punches3D p = state_.punches3d();
  if (edit(p)) state_.setPunches3d(std::move(p));
}

void MainWindow::addPunchMenu(QMenu* menu) {
  QMenu* punch = menu->addMenu(tr("Punch"));
  punch->setObjectName("punch3d");
  punch->setToolTipsVisible(true);
  connect(punch, &QMenu::aboutToShow, this, [this, punch] {
    punch->clear();
    const auto [index, segment] = state_.activeSegment();
    const bool active = index >= 0 && segment >= 0 && !state_.layers().empty();
    for (const bool keep : {false, true}) {
      QAction* a =
          punch->addAction(keep ? tr("Show only the active segment") : tr("Leave out the active segment"));
      a->setObjectName(keep ? "punch3dKeepSegment" : "punch3dRemoveSegment");
      a->setToolTip(
          keep ? tr("The volume rendering keeps the voxels of the active segment as it is now, and no other")
               : tr("The volume rendering leaves out the voxels of the active segment as it is now"));
      a->setEnabled(active);
      connect(a, &QAction::triggered, this, [this, keep] {
        const auto [i, s] = state_.activeSegment();
        if (i < 0 || s < 0 || i >= static_cast<int>(state_.segmentations().size())) return;
        auto p = view::segmentPunch(*state_.segmentations()[static_cast<size_t>(i)].segmentation,
                                    static_cast<size_t>(s), keep);
        if (!p) return statusBar()->showMessage(QString::fromStdString(p.error().str()), 10000);
        editPunches([&](view::Punches3D& all) {
          all.add(std::move(*p));
          return true;
        });
      });
    }
    punch->addSeparator();
    const view::Punches3D& now = state_.punches3d();
    QAction* undo = punch->addAction(tr("Undo punch"));
    undo->setObjectName("punch3dUndo");
    undo->setEnabled(now.canUndo());
    connect(undo, &QAction::triggered, this,
            [this] { editPunches([](view::Punches3D& p) { return p.undo(); }); });
    QAction* redo = punch->addAction(tr("Redo punch"));
    redo->setObjectName("punch3dRedo");
    redo->setEnabled(now.canRedo());
    connect(redo, &QAction::triggered, this,
            [this] { editPunches([](view::Punches3D& p) { return p.redo(); }); });
    QAction* none = punch->addAction(tr("Restore the whole volume"));
    none->setObjectName("punch3dNone");
    none->setToolTip(tr("Remove every punch (Undo punch brings them back)"));
    none->setEnabled(!now.empty());
    connect(none, &QAction::triggered, this, [this] {
      editPunches([](view::Punches3D& p) {
        p.clear();
        return true;
      });
    });
  });
}

}  // namespace cvx::viewer
