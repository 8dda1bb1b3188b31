// SPDX-License-Identifier: MIT
// The 3D view's camera through the real main window under Xvfb (viewstate/camera_3d.h): the CT
// opens framed to what its bone preset shows (tighter than its 500 mm box), a middle drag pans the
// picture with the mouse (the crosshair follows it by the same pixels), a Shift+left drag pans too,
// a right drag zooms, Reset brings the camera back to the front and frames the content again, and
// the 3D menu turns the camera to a side, switches the projection and fits the content again; a
// double click on bone makes the picked point the one the camera turns about.
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

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

// A drag with `button` (and modifiers) from `from` by `by` pixels, in two moves.
void drag(QWidget* w, Qt::MouseButton button, Qt::KeyboardModifiers mods, QPoint from, QPoint by) {
  QTest::mousePress(w, button, mods, from);
  QTest::mouseMove(w, from + by / 2);
  QTest::mouseMove(w, from + by);
  QTest::mouseRelease(w, button, mods, from + by);
}

}  // namespace

TEST(Camera3dGui, TheCtIsFramedToItsBoneAndPansZoomsAndResets) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  // Framed to the bone (and the couch) the preset shows, not the 500 x 500 x 402 mm box.
  const view::Frame3D fitted = w.state().camera3d().frame;
  const view::Frame3D box = view::boxFrame(ct);
  EXPECT_EQ(fitted.volume, ct.serial());
  EXPECT_LT(fitted.radiusMm, box.radiusMm * 0.9);
  EXPECT_GT(fitted.radiusMm, 150);  // the chest is wider than 300 mm
  EXPECT_GT(fitted.halfHeightMm, box.halfHeightMm * 0.9);  // bone from the first slice to the last

  const int vw = v3d->width(), vh = v3d->height();
  auto cursorAt = [&] {
    const auto at = view::projectToPixel(view::orbitCamera(ct, w.state().camera3d(), vw, vh), w.state().cursor(), vw, vh);
    EXPECT_TRUE(at.has_value());
    return at ? QPointF((*at)[0], (*at)[1]) : QPointF();
  };
  // A middle drag by (40, 25) pans: the cursor (at the depth of the volume's middle, near the orbit's
  // centre) moves with the mouse, nearly pixel for pixel; the camera does not turn.
  const QPointF before = cursorAt();
  const QPoint mid(vw / 2, vh / 2);
  drag(v3d, Qt::MiddleButton, Qt::NoModifier, mid, QPoint(40, 25));
  const QPointF after = cursorAt();
  EXPECT_NEAR(after.x() - before.x(), 40, 4);
  EXPECT_NEAR(after.y() - before.y(), 25, 4);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 0);
  EXPECT_EQ(w.state().camera3d().elevationDeg, 0);
  // Shift and a left drag pan too (back by the same pixels: the cursor where it was).
  drag(v3d, Qt::LeftButton, Qt::ShiftModifier, mid, QPoint(-40, -25));
  EXPECT_NEAR(cursorAt().x(), before.x(), 1e-6);
  EXPECT_NEAR(cursorAt().y(), before.y(), 1e-6);
  // A right drag up by 70 px zooms in 2x (1.01 a pixel).
  drag(v3d, Qt::RightButton, Qt::NoModifier, mid, QPoint(0, -70));
  EXPECT_NEAR(w.state().camera3d().zoom, std::pow(1.01, 70), 1e-9);
  EXPECT_TRUE(v3d->headerText().contains("zoom 2.01")) << v3d->headerText().toStdString();
  ASSERT_TRUE(test::refined(v3d));

  // Reset: the front, zoom 1, no pan, the content framed again (the same frame).
  view::Camera3DView turned = w.state().camera3d();
  turned.azimuthDeg = 120;
  turned.panMm = {30, 0, 0};
  w.state().setCamera3d(turned);
  auto* reset = w.findChild<QAction*>("reset");
  ASSERT_NE(reset, nullptr);
  reset->trigger();
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 0);
  EXPECT_EQ(w.state().camera3d().zoom, 1);
  EXPECT_EQ(cvx::norm(w.state().camera3d().panMm), 0);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_EQ(w.state().camera3d().frame.volume, ct.serial());
  EXPECT_NEAR(w.state().camera3d().frame.radiusMm, fitted.radiusMm, 1e-9);
  EXPECT_NEAR(cvx::norm(w.state().camera3d().frame.centre - fitted.centre), 0, 1e-9);

  // The 3D menu: the view from the patient's left, parallel projection, and a fit that keeps the side.
  auto* left = w.findChild<QAction*>("viewFrom3dL");
  auto* perspective = w.findChild<QAction*>("perspective3d");
  auto* fit = w.findChild<QAction*>("fit3d");
  ASSERT_TRUE(left && perspective && fit);
  left->trigger();
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 90);
  EXPECT_TRUE(perspective->isChecked());
  perspective->trigger();
  EXPECT_FALSE(w.state().camera3d().perspective);
  EXPECT_TRUE(v3d->headerText().contains("az 90  el 0  parallel")) << v3d->headerText().toStdString();
  view::Camera3DView zoomed = w.state().camera3d();
  zoomed.zoom = 3;
  zoomed.panMm = {0, 0, 40};
  w.state().setCamera3d(zoomed);
  fit->trigger();
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 90);
  EXPECT_EQ(w.state().camera3d().zoom, 1);
  EXPECT_EQ(cvx::norm(w.state().camera3d().panMm), 0);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_EQ(w.state().camera3d().frame.volume, ct.serial());
  test::saveTour(v3d, "ct_3d_left_parallel");

  // A double click on bone: the cursor goes there and the camera turns about it (the image's centre).
  const QImage shown = cvx::viewer::grabShown(v3d);
  QPoint bone(-1, -1);
  for (int x = vw / 2 - 60; x >= 0 && bone.x() < 0; --x) {
    const QRgb p = shown.pixel(x, vh / 2);
    if (qRed(p) > 150 && qRed(p) >= qGreen(p) && qGreen(p) >= qBlue(p)) bone = QPoint(x, vh / 2);
  }
  ASSERT_GE(bone.x(), 0) << "no bone left of the middle";
  QTest::mouseDClick(v3d, Qt::LeftButton, Qt::NoModifier, bone);
  EXPECT_TRUE(v3d->pickText().startsWith("picked")) << v3d->pickText().toStdString();
  const QPointF centred = cursorAt();  // the cursor snaps to the voxel grid: within a pixel
  EXPECT_NEAR(centred.x(), vw / 2.0, 1.0);
  EXPECT_NEAR(centred.y(), vh / 2.0, 1.0);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 90);
}
