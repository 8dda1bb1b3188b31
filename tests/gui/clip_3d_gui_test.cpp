// SPDX-License-Identifier: MIT
// The 3D view's clip planes through the real main window under Xvfb (state.h ClipPlane3D, the 3D
// menu's "Clip"): on the chest CT seen from the front in parallel projection, cutting at the axial
// view keeping S leaves nothing drawn below the cursor's row (where the skeleton was), scrolling
// the axial view 30 slices up moves the cut 90 mm up the picture, keeping I blanks the top instead,
// a cut through the cursor facing the camera keeps what lies behind it and Ctrl+wheel pushes it; the
// corner says what is cut and the cut's outline is drawn in the axial view's colour; another grid
// keeps the cut, another study drops it; the coronal view's slab keeps a band 20 mm wide, 40 mm
// once the view's slab is; Ctrl+wheel pushes a followed cut by whole notches.
#include <gtest/gtest.h>

#include <QAction>
#include <QDir>
#include <QMenu>
#include <QTest>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include <cvx/viewstate/camera_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Pixels drawn (any channel above 40) in rows [from, to) of the shown 3D view, every column.
int drawnInRows(const QImage& im, int from, int to) {
  int n = 0;
  for (int y = std::max(0, from); y < std::min(im.height(), to); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      n += std::max({qRed(p), qGreen(p), qBlue(p)}) > 40;
    }
  return n;
}

// Pixels of rows [from, to) in the axial view's outline colour (view_colours.h: 230, 60, 60).
int axialRedInRows(const QImage& im, int from, int to) {
  int n = 0;
  for (int y = std::max(0, from); y < std::min(im.height(), to); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      n += qRed(p) > 180 && qGreen(p) < 110 && qBlue(p) < 110;
    }
  return n;
}

// Drawn pixels (any channel above 40) in rows [60, height - 75) of the shown 3D view, counted by
// their distance from column `centre`: those farther than `far`, and those between `near` and
// `nearFar` (pixels, centres at x + 0.5).
struct BandCount {
  int beyond = 0, within = 0;
};
BandCount bandCount(const QImage& im, double centre, double near, double nearFar, double far) {
  BandCount n;
  for (int y = 60; y < im.height() - 75; ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      const bool drawn = std::max({qRed(p), qGreen(p), qBlue(p)}) > 40;
      const double off = std::abs(x + 0.5 - centre);
      if (off > far) n.beyond += drawn;
      else if (off > near && off < nearFar) n.within += drawn;
    }
  return n;
}

}  // namespace

TEST(Clip3dGui, TheAxialViewCutsTheCtAndTheCutFollowsItsScroll) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3dParallel(w, test::dataPath("ct"));  // an axial plane: one row
  ASSERT_NE(v3d, nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  const int vw = v3d->width(), vh = v3d->height();
  // Rows whose pixels can only be the rendering: below the header text, above the marker and the
  // pick text, away from the crosshair (8 px about the cursor).
  const int top = 60, bottom = vh - 75;
  const auto rowOf = [&](Vec3 p) {
    const auto at = view::projectToPixel(view::orbitCamera(ct, w.state().camera3d(), vw, vh), p, vw, vh);
    EXPECT_TRUE(at.has_value());
    return at ? static_cast<int>(std::lround((*at)[1])) : 0;
  };
  const QImage whole = viewer::grabShown(v3d);
  const int cut0 = rowOf(w.state().cursor());
  ASSERT_GT(cut0, top + 60);
  ASSERT_LT(cut0, bottom - 60);
  ASSERT_GT(drawnInRows(whole, cut0 + 10, bottom), 2000);  // the skeleton below the cursor

  QAction* keepS = test::menuAction(w, "clip3d", "clip3dView0");
  ASSERT_NE(keepS, nullptr);
  EXPECT_TRUE(keepS->text().contains("Axial view 1: keep S")) << keepS->text().toStdString();
  keepS->trigger();
  ASSERT_EQ(w.state().clipPlanes3d().size(), 1u);
  EXPECT_EQ(w.state().clipPlanes3d()[0].view, 0);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_TRUE(v3d->headerText().contains("clip: axial S")) << v3d->headerText().toStdString();
  const QImage cut = viewer::grabShown(v3d);
  EXPECT_EQ(drawnInRows(cut, cut0 + 10, bottom), 0);
  EXPECT_GT(drawnInRows(cut, top, cut0 - 10), 2000);
  EXPECT_TRUE(test::menuAction(w, "clip3d", "clip3dView0")->isChecked());
  // The cut's outline, edge on: a red line along the cursor's row across the box (500 mm wide).
  const int box = static_cast<int>(500 / (2 * view::orbitCamera(ct, w.state().camera3d(), vw, vh).parallelHalfHeightMm / vh));
  EXPECT_GT(axialRedInRows(cut, cut0 - 1, cut0 + 2) - axialRedInRows(whole, cut0 - 1, cut0 + 2), box * 8 / 10) << box;
  test::saveTour(v3d, "ct_3d_clip_axial");

  // 30 slices up (3 mm each): the cut moves 90 mm up the picture, and what lay between is gone.
  const double mmPerPixel = 2 * view::orbitCamera(ct, w.state().camera3d(), vw, vh).parallelHalfHeightMm / vh;
  const Vec3 c0 = w.state().cursor();
  w.state().scroll(0, 30);
  EXPECT_NEAR(w.state().cursor().z - c0.z, 30 * ct.geometry.spacingMm.z, 1e-6);
  const int cut1 = rowOf(w.state().cursor());
  EXPECT_NEAR(cut0 - cut1, 90 / mmPerPixel, 1.0);
  ASSERT_TRUE(test::refined(v3d));
  const QImage higher = viewer::grabShown(v3d);
  EXPECT_GT(drawnInRows(cut, cut1 + 10, cut0 - 10), 300) << cut0 << " " << cut1 << " " << mmPerPixel;  // bone between the two cuts before
  EXPECT_EQ(drawnInRows(higher, cut1 + 10, bottom), 0);

  // Keeping I: the top is blank and the bottom drawn.
  QAction* keepI = test::menuAction(w, "clip3d", "clip3dView0Flip");
  ASSERT_NE(keepI, nullptr);
  keepI->trigger();
  ASSERT_EQ(w.state().clipPlanes3d().size(), 1u);
  EXPECT_TRUE(w.state().clipPlanes3d()[0].flip);
  ASSERT_TRUE(test::refined(v3d));
  const QImage below = viewer::grabShown(v3d);
  EXPECT_EQ(drawnInRows(below, top, cut1 - 10), 0);
  EXPECT_GT(drawnInRows(below, cut1 + 10, bottom), 2000);
  EXPECT_TRUE(v3d->headerText().contains("clip: axial I")) << v3d->headerText().toStdString();

  // A cut through the cursor facing the camera (from the front: keep what is posterior of it), then
  // none.
  QAction* none = test::menuAction(w, "clip3d", "clip3dNone");
  ASSERT_NE(none, nullptr);
  none->trigger();
  EXPECT_TRUE(w.state().clipPlanes3d().empty());
  QAction* here = test::menuAction(w, "clip3d", "clip3dHere");
  ASSERT_NE(here, nullptr);
  here->trigger();
  ASSERT_EQ(w.state().clipPlanes3d().size(), 1u);
  const view::ClipPlane3D facing = w.state().cutPlanes3d()[0];
  EXPECT_NEAR(facing.normal.y, 1, 1e-9);
  EXPECT_NEAR(cvx::norm(facing.point - w.state().cursor()), 0, 1e-9);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_TRUE(v3d->headerText().contains("clip: free P")) << v3d->headerText().toStdString();
  EXPECT_GT(test::differingPixels(viewer::grabShown(v3d), whole, 40), 2000);  // the ribs in front are gone
  test::saveTour(v3d, "ct_3d_clip_facing");
  // Ctrl+wheel pushes it: two notches, two of the CT's 0.977 mm steps along y (deeper).
  const double y0 = w.state().clipPlanes3d()[0].point.y;
  for (int i = 0; i < 2; ++i) {
    QWheelEvent wheel(QPointF(50, 50), v3d->mapToGlobal(QPointF(50, 50)), {}, QPoint(0, 120), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(v3d, &wheel);
  }
  EXPECT_NEAR(w.state().clipPlanes3d()[0].point.y - y0, 2 * ct.geometry.spacingMm.y, 1e-9);
  EXPECT_EQ(w.state().camera3d().zoom, 1);  // not a zoom
  // The user guide's picture: the whole window, the 3D view cut at the coronal view (keeping P).
  test::menuAction(w, "clip3d", "clip3dNone")->trigger();
  view::Camera3DView perspective = w.state().camera3d();
  perspective.perspective = true;
  w.state().setCamera3d(perspective);
  test::menuAction(w, "clip3d", "clip3dView1")->trigger();
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_TRUE(v3d->headerText().contains("clip: coronal P")) << v3d->headerText().toStdString();
  test::saveTour(&w, "ct_3d_clip_coronal");
  // Ctrl+wheel on the followed cut in eighths of a notch (a smooth-scrolling device): four eighths
  // do nothing yet, eight scroll the coronal view one slice (0.977 mm posterior), and the cut with it.
  const double yc = w.state().cursor().y;
  for (int i = 0; i < 8; ++i) {
    QWheelEvent wheel(QPointF(50, 50), v3d->mapToGlobal(QPointF(50, 50)), {}, QPoint(0, 15), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(v3d, &wheel);
    if (i == 3) {
      EXPECT_EQ(w.state().cursor().y, yc);
    }
  }
  EXPECT_NEAR(w.state().cursor().y - yc, ct.geometry.spacingMm.y, 1e-6);
  EXPECT_NEAR(w.state().cutPlanes3d()[0].point.y, w.state().cursor().y, 1e-9);
  // Another grid of the same series keeps the cut where it was, as a fixed plane (the views go).
  const view::ClipPlane3D coronal = w.state().cutPlanes3d()[0];
  w.setLayoutByName("1x3");
  ASSERT_EQ(w.state().clipPlanes3d().size(), 1u);
  EXPECT_EQ(w.state().clipPlanes3d()[0].view, -1);
  EXPECT_NEAR(cvx::norm(w.state().cutPlanes3d()[0].point - coronal.point), 0, 1e-9);
  EXPECT_NEAR(cvx::norm(w.state().cutPlanes3d()[0].normal - coronal.normal), 0, 1e-12);
  w.setLayoutByName("2x2");
  v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  ASSERT_EQ(w.state().clipPlanes3d().size(), 1u);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_TRUE(v3d->headerText().contains("clip: free P")) << v3d->headerText().toStdString();
  // The coronal view's slab (20 mm while the view is thin) seen from the left in parallel
  // projection: a band of columns 20 mm wide about the cursor (the image's right is P); nothing
  // drawn beside it.
  test::menuAction(w, "clip3d", "clip3dNone")->trigger();
  QAction* slab = test::menuAction(w, "clip3d", "clip3dView1Slab");
  ASSERT_NE(slab, nullptr);
  EXPECT_TRUE(slab->text().contains("Coronal view 2: slab 20 mm")) << slab->text().toStdString();
  slab->trigger();
  view::Camera3DView left = view::cameraPreset(w.state().camera3d(), 'L');
  left.perspective = false;
  w.state().setCamera3d(left);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_TRUE(v3d->headerText().contains("clip: coronal slab 20 mm")) << v3d->headerText().toStdString();
  {
    const int sw = v3d->width(), sh = v3d->height();
    const Camera3D cam = view::orbitCamera(ct, w.state().camera3d(), sw, sh);
    const auto at = view::projectToPixel(cam, w.state().cursor(), sw, sh);
    ASSERT_TRUE(at.has_value());
    const double halfPx = 10 / (2 * cam.parallelHalfHeightMm / sh);
    const BandCount band = bandCount(viewer::grabShown(v3d), (*at)[0], -1, halfPx - 3, halfPx + 3);
    EXPECT_EQ(band.beyond, 0);
    EXPECT_GT(band.within, 500);
    test::saveTour(v3d, "ct_3d_clip_slab_left");
    // The view's slab made 40 mm thick: the 3D slab follows (drawn pixels beyond the old band, none
    // beyond the new one).
    w.state().setSlab(1, 40, view::SlabMode::Mip);
    ASSERT_TRUE(test::refined(v3d));
    EXPECT_TRUE(v3d->headerText().contains("clip: coronal slab 40 mm")) << v3d->headerText().toStdString();
    const BandCount wide = bandCount(viewer::grabShown(v3d), (*at)[0], halfPx + 2, 2 * halfPx - 1, 2 * halfPx + 3);
    EXPECT_EQ(wide.beyond, 0);
    EXPECT_GT(wide.within, 50);  // none there in the 20 mm picture (beyond, above)
    test::saveTour(v3d, "ct_3d_clip_slab40_left");
  }
  test::menuAction(w, "clip3d", "clip3dNone")->trigger();
  EXPECT_TRUE(w.state().clipPlanes3d().empty());
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_FALSE(v3d->headerText().contains("clip")) << v3d->headerText().toStdString();
  // Another study drops the cuts (they belonged to this patient's space).
  test::menuAction(w, "clip3d", "clip3dHere")->trigger();
  ASSERT_EQ(w.state().clipPlanes3d().size(), 1u);
  if (QDir(QString::fromStdString(test::dataPath("slicecount"))).exists()) {
    ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("slicecount")));
    EXPECT_TRUE(w.state().clipPlanes3d().empty());
  }
}
