// SPDX-License-Identifier: MIT
// The 3D menu's "Clip" submenu (state.h, ClipPlane3D; clip_3d.h): cut the 3D view at an MPR view's
// plane, keeping either side or a slab about it (the plane then follows that view as it scrolls or
// turns), at the cursor square to the line of sight, reverse every cut, remove them, cut the segment
// surfaces and slices too or not; and the "Slices in 3D" submenu (slices_3d.h): which MPR views' images
// the 3D view draws on their planes. Both are built each time they open, for the layout's views of the
// moment.
#include <QAction>
#include <QMenu>
#include <QStatusBar>

#include <cvx/viewstate/clip_3d.h>

#include "main_window.h"

namespace cvx::viewer {

namespace {
QString orientationName(view::Orientation o) {
  QString s = QString::fromLatin1(view::toString(o));
  s[0] = s[0].toUpper();
  return s;
}
}  // namespace

void MainWindow::addClipMenu(QMenu* menu) {
  QMenu* clip = menu->addMenu(tr("Clip"));
  clip->setObjectName("clip3d");
  clip->setToolTipsVisible(true);
  auto apply = [this](std::vector<view::ClipPlane3D> planes) {
    if (const Status s = state_.setClipPlanes3d(std::move(planes)); !s.ok())
      statusBar()->showMessage(QString::fromStdString(s.error().str()), 10000);
  };
  connect(clip, &QMenu::aboutToShow, this, [this, clip, apply] {
    clip->clear();
    const bool loaded = !state_.layers().empty();
    for (int v = 0; v < state_.viewCount(); ++v) {
      for (const bool flip : {false, true}) {
        const QString side = QString::fromStdString(view::viewClipSide(state_, v, flip));
        QAction* a = clip->addAction(tr("%1 view %2: keep %3").arg(orientationName(state_.view(v).orientation)).arg(v + 1).arg(side));
        a->setObjectName(QString("clip3dView%1%2").arg(v).arg(flip ? "Flip" : ""));
        a->setToolTip(tr("Cut the 3D view at this view's plane, keeping the %1 side; the cut follows the view").arg(side));
        a->setCheckable(true);
        a->setEnabled(loaded);
        for (const view::ClipPlane3D& c : state_.clipPlanes3d())
          if (c.view == v && !c.slab && c.flip == flip) a->setChecked(true);
        connect(a, &QAction::triggered, this,
                [this, apply, v, flip] { apply(view::toggleViewClip(state_.clipPlanes3d(), v, flip)); });
      }
      // The slab about the view's plane, as thick as the view's own slab (the slab box).
      view::ClipPlane3D probe;
      probe.view = v;
      probe.slab = true;
      const double mm = state_.fixedClip3d(probe).slabMm;
      QAction* slab = clip->addAction(tr("%1 view %2: slab %3 mm").arg(orientationName(state_.view(v).orientation)).arg(v + 1).arg(mm));
      slab->setObjectName(QString("clip3dView%1Slab").arg(v));
      slab->setToolTip(tr("Keep a slab about this view's plane, as thick as its slab (%1 mm while it is thin); it follows the view").arg(view::ClipPlane3D::kDefaultSlabMm));
      slab->setCheckable(true);
      slab->setEnabled(loaded);
      for (const view::ClipPlane3D& c : state_.clipPlanes3d())
        if (c.view == v && c.slab) slab->setChecked(true);
      connect(slab, &QAction::triggered, this,
              [this, apply, v] { apply(view::toggleViewClip(state_.clipPlanes3d(), v, false, true)); });
    }
    clip->addSeparator();
    QAction* here = clip->addAction(tr("Cut at the cursor, facing me"));
    here->setObjectName("clip3dHere");
    here->setToolTip(tr("A plane through the cursor, square to the 3D view's line of sight, keeping what lies beyond it"));
    here->setEnabled(loaded);
    connect(here, &QAction::triggered, this, [this, apply] {
      auto planes = state_.clipPlanes3d();
      planes.push_back(view::clipFacingCamera(state_));
      apply(std::move(planes));
    });
    const bool any = !state_.clipPlanes3d().empty();
    QAction* flip = clip->addAction(tr("Keep the other side"));
    flip->setObjectName("clip3dFlip");
    flip->setEnabled(any);
    connect(flip, &QAction::triggered, this, [this, apply] { apply(view::flippedClips(state_.clipPlanes3d())); });
    QAction* none = clip->addAction(tr("Remove clip planes"));
    none->setObjectName("clip3dNone");
    none->setEnabled(any);
    connect(none, &QAction::triggered, this, [apply] { apply({}); });
    clip->addSeparator();
    QAction* surfaces = clip->addAction(tr("Cut segment surfaces and slices too"));
    surfaces->setObjectName("clip3dSurfaces");
    surfaces->setToolTip(tr("Off: the cuts open the volume alone, and segment surfaces and slices stay whole"));
    surfaces->setCheckable(true);
    surfaces->setChecked(state_.clipSurfaces3d());
    connect(surfaces, &QAction::toggled, this, [this](bool on) { state_.setClipSurfaces3d(on); });
  });
}

void MainWindow::addSlicesMenu(QMenu* menu) {
  QMenu* slices = menu->addMenu(tr("Slices in 3D"));
  slices->setObjectName("slices3d");
  slices->setToolTipsVisible(true);
  connect(slices, &QMenu::aboutToShow, this, [this, slices] {
    slices->clear();
    const bool loaded = !state_.layers().empty();
    for (int v = 0; v < state_.viewCount(); ++v) {
      QAction* a = slices->addAction(tr("%1 view %2").arg(orientationName(state_.view(v).orientation)).arg(v + 1));
      a->setObjectName(QString("slices3dView%1").arg(v));
      a->setToolTip(tr("Draw this view's image on its plane in the 3D view; it follows the view"));
      a->setCheckable(true);
      a->setChecked(state_.view(v).shownIn3d);
      // Another frame of reference cannot be placed in 3D (one shown before it was unlinked can be
      // taken off).
      a->setEnabled(loaded && (state_.linkOf(v) == view::LinkKind::Linked || state_.view(v).shownIn3d));
      connect(a, &QAction::toggled, this, [this, v](bool on) { state_.setShownIn3d(v, on); });
    }
    slices->addSeparator();
    for (const bool on : {true, false}) {
      QAction* a = slices->addAction(on ? tr("All views") : tr("None"));
      a->setObjectName(on ? "slices3dAll" : "slices3dNone");
      a->setEnabled(loaded);
      connect(a, &QAction::triggered, this, [this, on] {
        for (int v = 0; v < state_.viewCount(); ++v)
          if (!on || state_.linkOf(v) == view::LinkKind::Linked) state_.setShownIn3d(v, on);
      });
    }
  });
}

}  // namespace cvx::viewer
