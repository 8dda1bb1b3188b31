// SPDX-License-Identifier: MIT
// Windowing the 3D view with the mouse, through the real main window under Xvfb on the CT: Ctrl and a
// left drag 64 px up moves every point of ct-bone (read here from its file, resolved for the CT) by
// 64 x w / 256 HU towards the higher values (w: 1350 HU, where its curve changes, 150 to 1500; the MPR
// views' rule: down brighter, so up darker), keeps their alphas, marks the corner "(edited)", leaves the camera as it was, and
// the rendering shows less: fewer non-black pixels once bone must be denser to show. A second drag
// starts from that edit, and Escape before its release puts the edit back; from the file's curve,
// Escape drops the edit, as choosing the preset again does.
#include <gtest/gtest.h>

#include <QTest>

#include <cvx/viewstate/tf_edit.h>
#include <cvx/viewstate/tf_presets.h>

#include "../../viewer/src/grab_shown.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_pixels.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

int lit(const QImage& im) {
  int n = 0;
  for (int y = 40; y < im.height() - 40; ++y)  // below the corner's text, above the marker
    for (int x = 0; x < im.width(); ++x) n += !test::isBlack(im.pixel(x, y));
  return n;
}

}  // namespace

TEST(Window3dGui, CtrlDragWindowsTheRenderingAsTheMprViewsRule) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  ASSERT_EQ(w.state().preset3d(), "ct-bone");
  ASSERT_EQ(w.state().editedPreset3d(), nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  auto file = view::loadTransferPreset("ct-bone");
  ASSERT_TRUE(file.ok()) << file.error().str();
  auto base = view::editablePreset(*file, ct);
  ASSERT_TRUE(base.ok()) << base.error().str();
  // ct-bone's window (view::windowSpan's rule, from the file): 150 HU, the last point of its leading
  // transparent run, to 1500, the first of its trailing run at 0.9.
  ASSERT_EQ(base->points.size(), 6u);
  ASSERT_EQ(base->points[1].value, 150);
  ASSERT_EQ(base->points[4].value, 1500);
  const double span = 1500 - 150;
  const QImage before = viewer::grabShown(v3d);
  const view::Camera3DView camera = w.state().camera3d();

  const QPoint from(v3d->width() / 2, v3d->height() / 2);
  QTest::mousePress(v3d, Qt::LeftButton, Qt::ControlModifier, from);
  for (int s = 1; s <= 8; ++s) QTest::mouseMove(v3d, from - QPoint(0, 8 * s));
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::ControlModifier, from - QPoint(0, 64));

  const view::TransferPreset* edited = w.state().editedPreset3d();
  ASSERT_NE(edited, nullptr);
  ASSERT_EQ(edited->points.size(), base->points.size());
  for (size_t i = 0; i < base->points.size(); ++i) {
    EXPECT_NEAR(edited->points[i].value, base->points[i].value + 64 * span / 256, 1e-9) << i;
    EXPECT_EQ(edited->points[i].alpha, base->points[i].alpha) << i;
  }
  EXPECT_EQ(w.state().camera3d().azimuthDeg, camera.azimuthDeg);  // no rotation
  EXPECT_EQ(w.state().camera3d().elevationDeg, camera.elevationDeg);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_TRUE(v3d->headerText().contains("(edited)")) << v3d->headerText().toStdString();
  const QImage after = viewer::grabShown(v3d);
  test::saveTour(v3d, "ct_3d_windowed");
  EXPECT_LT(lit(after), lit(before) * 9 / 10) << lit(before) << " lit before";

  // A second drag starts from the edit; Escape before its release puts that edit back.
  const std::vector<TfPoint> windowed = edited->points;
  QTest::mousePress(v3d, Qt::LeftButton, Qt::ControlModifier, from);
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, from + QPoint(16 * s, 0));
  ASSERT_NE(w.state().editedPreset3d(), nullptr);
  EXPECT_NE(w.state().editedPreset3d()->points[1].value, windowed[1].value);  // wider meanwhile
  QTest::keyClick(v3d, Qt::Key_Escape);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::ControlModifier, from + QPoint(64, 0));
  ASSERT_NE(w.state().editedPreset3d(), nullptr);
  EXPECT_EQ(w.state().editedPreset3d()->points[1].value, windowed[1].value);

  // From the file's curve, Escape drops the edit altogether; so does choosing the preset again.
  w.state().setPreset3d("ct-bone");
  EXPECT_EQ(w.state().editedPreset3d(), nullptr);
  QTest::mousePress(v3d, Qt::LeftButton, Qt::ControlModifier, from);
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, from + QPoint(0, 8 * s));
  EXPECT_NE(w.state().editedPreset3d(), nullptr);
  QTest::keyClick(v3d, Qt::Key_Escape);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::ControlModifier, from + QPoint(0, 32));
  EXPECT_EQ(w.state().editedPreset3d(), nullptr);
}
