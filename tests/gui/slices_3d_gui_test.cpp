// SPDX-License-Identifier: MIT
// The MPR views' slices in the 3D view through the real main window under Xvfb (the 3D menu's
// "Slices in 3D", slices_3d.h): on the chest CT seen from the front in parallel projection, showing
// the coronal view's slice changes the picture where the body's soft tissue lies; with the coronal
// cut keeping P, what the 3D view shows at a point of the plane is what the coronal 2D view shows
// there (3D MPR); a window change redraws it; the slice's outline is drawn in the coronal colour; it
// follows the coronal view's scroll; "None" hides it; the Clip menu's "Cut segment surfaces and
// slices too" toggles the state.
#include <gtest/gtest.h>

#include <QAction>
#include <QMenu>
#include <QTest>

#include <algorithm>
#include <cmath>

#include <cvx/viewstate/camera_3d.h>

#include "../../viewer/src/grab_shown.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Pixels in the coronal view's outline colour (view_colours.h: 60, 200, 90).
int coronalGreen(const QImage& im) {
  int n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      n += qGreen(p) > 160 && qRed(p) < 110 && qBlue(p) < 130;
    }
  return n;
}

}  // namespace

TEST(Slices3dGui, TheCoronalSliceIsDrawnOnItsPlaneAndFollowsTheView) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3dParallel(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  const QImage plain = viewer::grabShown(v3d);

  QAction* coronal = test::menuAction(w, "slices3d", "slices3dView1");
  ASSERT_NE(coronal, nullptr);
  EXPECT_TRUE(coronal->text().contains("Coronal view 2")) << coronal->text().toStdString();
  EXPECT_FALSE(coronal->isChecked());
  coronal->trigger();
  EXPECT_TRUE(w.state().view(1).shownIn3d);
  EXPECT_TRUE(test::menuAction(w, "slices3d", "slices3dView1")->isChecked());
  ASSERT_TRUE(test::refined(v3d));
  const QImage shown = viewer::grabShown(v3d);
  // The slice through the mediastinum hides the spine behind it and shows the soft tissue, which
  // the bone preset leaves transparent.
  EXPECT_GT(test::differingPixels(shown, plain, 40), 20000);
  EXPECT_GT(coronalGreen(shown) - coronalGreen(plain), 500);  // its outline, the box's section
  test::saveTour(v3d, "ct_3d_slice_coronal");

  // Cut at the coronal view keeping P: nothing in front of the slice, so the 3D view shows what the
  // coronal 2D view shows (3D MPR). Checked on a grid of points of the plane about the cursor, 30 x
  // 25 mm apart, away from the crosshair's lines and the views' text: where the 2D view is not black
  // about the point (black is see-through), the 3D view's grey lies within the 2D view's greys about
  // it (2 of its pixels either way: the two images sample the plane at different points).
  QAction* keepP = test::menuAction(w, "clip3d", "clip3dView1");
  ASSERT_NE(keepP, nullptr);
  keepP->trigger();
  ASSERT_TRUE(test::refined(v3d));
  const QImage face = viewer::grabShown(v3d);
  test::saveTour(v3d, "ct_3d_slice_coronal_cut");
  viewer::PlaneView* coronal2d = w.viewports()->views()[1];
  const QImage mpr = viewer::grabShown(coronal2d);
  const view::PixelFrame f2d = w.state().pixelFrame(1, mpr.width(), mpr.height());
  const Volume& ct = *w.state().layers().front().volume;
  const Camera3D cam = view::orbitCamera(ct, w.state().camera3d(), v3d->width(), v3d->height());
  int checked = 0;
  for (double dx = -150; dx <= 150; dx += 30)
    for (double dz = -100; dz <= 100; dz += 25) {
      if (std::abs(dx) < 10 || std::abs(dz) < 10) continue;  // the crosshair's lines in both views
      const Vec3 p = w.state().cursor() + Vec3{dx, 0, dz};
      const auto at = view::projectToPixel(cam, p, v3d->width(), v3d->height());
      ASSERT_TRUE(at.has_value());
      const auto ip = f2d.pixelOf(p);
      const int cx = static_cast<int>(std::floor(ip[0])), cy = static_cast<int>(std::floor(ip[1]));
      if ((*at)[1] < 50 || (*at)[1] > v3d->height() - 75 || cx < 2 || cy < 50 || cx > mpr.width() - 3 ||
          cy > mpr.height() - 50)
        continue;
      int lo = 255, hi = 0;
      for (int j = -2; j <= 2; ++j)
        for (int i = -2; i <= 2; ++i) {
          const int g = qRed(mpr.pixel(cx + i, cy + j));
          lo = std::min(lo, g), hi = std::max(hi, g);
        }
      if (lo == 0) continue;
      const int got = qRed(face.pixel(static_cast<int>((*at)[0]), static_cast<int>((*at)[1])));
      EXPECT_GE(got, lo - 6) << dx << "," << dz;
      EXPECT_LE(got, hi + 6) << dx << "," << dz;
      ++checked;
    }
  EXPECT_GE(checked, 30);  // 39 on the chest CT

  // A window change redraws the slice: brighter soft tissue in 3D.
  view::DisplayMapping m = w.state().layers().front().mapping;
  m.center -= 150;
  w.state().setMapping(0, m);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_GT(test::differingPixels(viewer::grabShown(v3d), face, 20), 5000);

  // Scrolling the coronal view moves the slice (and the cut with it): the picture changes.
  w.state().scroll(1, 20);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_GT(test::differingPixels(viewer::grabShown(v3d), face, 40), 5000);

  // The same from the front left and above, in perspective (the user guide's picture): the coronal
  // image as the cut face, the spine and the back of the ribs behind it.
  const view::Camera3DView still = w.state().camera3d();
  view::Camera3DView oblique = still;
  oblique.perspective = true;
  oblique.azimuthDeg = 35, oblique.elevationDeg = 20;
  w.state().setCamera3d(oblique);
  ASSERT_TRUE(test::refined(v3d));
  test::saveTour(v3d, "ct_3d_mpr_oblique");
  w.state().setCamera3d(still);

  // The Clip menu's toggle reaches the state; "None" hides the slice.
  QAction* surfaces = test::menuAction(w, "clip3d", "clip3dSurfaces");
  ASSERT_NE(surfaces, nullptr);
  EXPECT_FALSE(surfaces->isChecked());
  surfaces->trigger();
  EXPECT_TRUE(w.state().clipSurfaces3d());
  QAction* none = test::menuAction(w, "slices3d", "slices3dNone");
  ASSERT_NE(none, nullptr);
  none->trigger();
  EXPECT_FALSE(w.state().anyShownIn3d());
  test::menuAction(w, "clip3d", "clip3dNone")->trigger();
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_LT(test::differingPixels(viewer::grabShown(v3d), plain, 40), 200);  // as before, the crosshair aside

  // All three, seen from the front left and above in perspective.
  test::menuAction(w, "slices3d", "slices3dAll")->trigger();
  for (int v = 0; v < 3; ++v) EXPECT_TRUE(w.state().view(v).shownIn3d) << v;
  oblique.elevationDeg = 25;
  w.state().setCamera3d(oblique);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_GT(test::differingPixels(viewer::grabShown(v3d), plain, 40), 20000);
  test::saveTour(&w, "ct_2x2_slices_3d");
  // Another grid of the same series keeps them (by orientation), and only them.
  w.setLayoutByName("1x3");
  w.setLayoutByName("2x2");
  for (int v = 0; v < 3; ++v) EXPECT_TRUE(w.state().view(v).shownIn3d) << v;
  test::menuAction(w, "slices3d", "slices3dNone")->trigger();
  w.state().setShownIn3d(1, true);
  w.setLayoutByName("1x3");
  w.setLayoutByName("2x2");
  for (int v = 0; v < 3; ++v) EXPECT_EQ(w.state().view(v).shownIn3d, v == 1) << v;
}

// The axial slice shown in 3D, seen from the front in perspective: its outline's front edge dragged
// 60 pixels up moves the cursor towards S by the whole number of slice steps nearest to the
// millimetres those pixels span there (worked out here from the camera: the middle of the box's
// front edge at the cursor's height, and a point 10 mm above it), and nothing else: not the camera,
// not x or y. The outline is drawn where the slice went.
TEST(Slices3dGui, DraggingTheAxialSlicesOutlineScrollsTheAxialView) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  w.state().setShownIn3d(0, true);
  ASSERT_TRUE(test::refined(v3d));
  const Volume& ct = *w.state().layers().front().volume;
  ASSERT_EQ(w.state().view(0).orientation, view::Orientation::Axial);
  const auto dims = ct.dims();
  // The front (anterior) face of the voxels' box: index y = -0.5 (the CT is axis-aligned, uncropped).
  const Vec3 front = ct.geometry.worldAt((dims[0] - 1) / 2.0, -0.5, 0);
  const Vec3 cursor = w.state().cursor();
  const Vec3 edge{front.x, front.y, cursor.z};
  const view::Camera3DView camera = w.state().camera3d();
  const Camera3D cam = view::orbitCamera(ct, camera, v3d->width(), v3d->height());
  const auto at = view::projectToPixel(cam, edge, v3d->width(), v3d->height());
  const auto above = view::projectToPixel(cam, edge + Vec3{0, 0, 10}, v3d->width(), v3d->height());
  ASSERT_TRUE(at && above);
  const double pxPerMm = ((*at)[1] - (*above)[1]) / 10;  // up the screen, per mm towards S
  ASSERT_GT(pxPerMm, 0.5);
  const QPoint press(static_cast<int>(std::floor((*at)[0])), static_cast<int>(std::floor((*at)[1])));
  QTest::mouseMove(v3d, press);  // hovering over the outline: an open hand (the real pointer's own
  EXPECT_TRUE(QTest::qWaitFor([&] { return v3d->cursor().shape() == Qt::OpenHandCursor; }, 3000));  // moves come later)
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, press);
  EXPECT_EQ(v3d->cursor().shape(), Qt::ClosedHandCursor);  // held
  for (int s = 1; s <= 6; ++s) QTest::mouseMove(v3d, press - QPoint(0, 10 * s));
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, press - QPoint(0, 60));
  const Vec3 moved = w.state().cursor();
  const double dz = moved.z - cursor.z, step = w.state().sliceStepMm(0);
  EXPECT_NEAR(dz / step, std::round(dz / step), 1e-6);  // whole slices
  EXPECT_NEAR(dz, 60 / pxPerMm, step / 2 + 0.5) << "px per mm " << pxPerMm;
  EXPECT_GE(dz, 2 * step);
  EXPECT_NEAR(moved.x, cursor.x, 1e-9);
  EXPECT_NEAR(moved.y, cursor.y, 1e-9);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, camera.azimuthDeg);
  EXPECT_EQ(w.state().camera3d().elevationDeg, camera.elevationDeg);
  EXPECT_TRUE(v3d->pickText().isEmpty()) << v3d->pickText().toStdString();  // no pick

  // The outline is drawn at the slice's new height, in the axial colour (230, 60, 60).
  ASSERT_TRUE(test::refined(v3d));
  const QImage shown = viewer::grabShown(v3d);
  test::saveTour(v3d, "ct_3d_slice_axial_dragged");
  const auto now = view::projectToPixel(cam, Vec3{front.x, front.y, moved.z}, v3d->width(), v3d->height());
  ASSERT_TRUE(now.has_value());
  int red = 0;
  for (int dy = -1; dy <= 1; ++dy) {
    const QRgb c = shown.pixel(static_cast<int>((*now)[0]), static_cast<int>((*now)[1]) + dy);
    red += qRed(c) > 180 && qGreen(c) < 110 && qBlue(c) < 110;
  }
  EXPECT_GE(red, 1);

  // A 20 mm slab on the axial view: its faces are outlined 10 mm above and below, dashed in the
  // axial colour (some pixels along each face's front edge, a dashed line's share of them).
  w.state().setSlab(0, 20, view::SlabMode::Mip);
  ASSERT_TRUE(test::refined(v3d));
  const QImage slab = viewer::grabShown(v3d);
  test::saveTour(v3d, "ct_3d_slice_axial_slab");
  for (const double side : {-10.0, 10.0}) {
    int onFace = 0;
    for (int k = -40; k <= 40; ++k) {  // along the front edge, 1 mm apart
      const auto q = view::projectToPixel(cam, Vec3{front.x + k, front.y, moved.z + side}, v3d->width(), v3d->height());
      if (!q) continue;
      bool hit = false;
      for (int dy = -1; dy <= 1 && !hit; ++dy) {
        const QRgb c = slab.pixel(static_cast<int>((*q)[0]), static_cast<int>((*q)[1]) + dy);
        hit = qRed(c) > 150 && qGreen(c) < 110 && qBlue(c) < 110;
      }
      onFace += hit;
    }
    EXPECT_GT(onFace, 15) << "face at " << side << " mm";
  }
}
