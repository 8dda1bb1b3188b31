// SPDX-License-Identifier: MIT
// The 3D view beside the MPR views (issue 11), through the real main window under Xvfb: the CT
// hangs in 2x2 with its bone rendering (compared with a baseline), the 3D crosshair sits where the
// camera projects the MPR cursor and follows it, a drag turns the camera, and the preset box
// changes the transfer function.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

#include <cvx/viewstate/render_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

bool isCrosshairGreen(QRgb p) { return qGreen(p) > 150 && qRed(p) < 140 && qBlue(p) < 140; }

// Green crosshair pixels within 9 px of (x, y).
int greenNear(const QImage& im, double x, double y) {
  int n = 0;
  for (int dy = -9; dy <= 9; ++dy)
    for (int dx = -9; dx <= 9; ++dx) {
      const int px = static_cast<int>(x) + dx, py = static_cast<int>(y) + dy;
      if (px >= 0 && py >= 0 && px < im.width() && py < im.height()) n += isCrosshairGreen(im.pixel(px, py));
    }
  return n;
}

}  // namespace

// The preview and the full-resolution renderer share the back end, which keys its copy of the
// voxels by their revision: after the load, and after two changes that the worker hears of once
// (it is told when idle), both drew with one count. Before, each
// kept its own count, so on a GPU every full-resolution frame after a preview dropped the
// preview's copy of the volume and copied it again.
TEST(VolumeViewGui, ThePreviewAndTheFullRenderingDrawWithOneVoxelRevision) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  ASSERT_TRUE(test::refined(v3d));
  const auto [before, fineBefore] = v3d->voxelRevisions();
  EXPECT_EQ(before, fineBefore);
  v3d->voxelsChanged();  // two before the worker hears of them: it is told once
  v3d->voxelsChanged();
  ASSERT_TRUE(test::refined(v3d));
  const auto [coarse, fine] = v3d->voxelRevisions();
  EXPECT_EQ(coarse, before + 2);
  EXPECT_EQ(fine, coarse);
  // Slices of no series it draws (here none at all): the count stays, the copies with it.
  v3d->invalidate();
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_EQ(v3d->voxelRevisions().first, coarse);
}

TEST(VolumeViewGui, CtBoneRenderingBesideTheMprRotatesAndKeepsTheCrosshairInStep) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  ASSERT_EQ(w.viewports()->layout().name, "2x2");
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  EXPECT_EQ(w.state().preset3d(), "ct-bone");  // a CT opens with the bone preset
  auto* box = w.findChild<QComboBox*>("preset3d");
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(box->currentText(), "ct-bone");
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage front = cvx::viewer::grabShown(v3d);
  // Bone: ivory pixels (red >= green >= blue, bright), a good part of the view.
  int bone = 0;
  for (int y = 0; y < front.height(); ++y)
    for (int x = 0; x < front.width(); ++x) {
      const QRgb p = front.pixel(x, y);
      bone += qRed(p) > 120 && qRed(p) >= qGreen(p) && qGreen(p) >= qBlue(p);
    }
  EXPECT_GT(bone, front.width() * front.height() / 50);
  test::expectMatchesBaseline(v3d, "ct_3d_bone");
  test::saveTour(&w, "ct_2x2_3d");

  // The crosshair: where the camera projects the cursor, and it follows a new cursor.
  const auto& volume = *w.state().layers().front().volume;
  auto projected = [&] {
    return view::projectToPixel(view::orbitCamera(volume, w.state().camera3d(), v3d->width(), v3d->height()), w.state().cursor(), v3d->width(),
                                v3d->height());
  };
  auto at = projected();
  ASSERT_TRUE(at.has_value());
  EXPECT_GE(greenNear(front, (*at)[0], (*at)[1]), 8);
  w.state().setCursor(w.state().cursor() + Vec3{-80, 0, 60});  // the patient's right, higher up
  QTest::qWait(50);
  at = projected();
  ASSERT_TRUE(at.has_value());
  EXPECT_LT((*at)[0], v3d->width() / 2.0 - 20);  // right: the image's left; superior: up
  EXPECT_LT((*at)[1], v3d->height() / 2.0 - 20);
  EXPECT_GE(greenNear(cvx::viewer::grabShown(v3d), (*at)[0], (*at)[1]), 8);

  // A drag to the right by 100 px turns the camera 50 degrees round the patient.
  const QPoint c(v3d->width() / 2, v3d->height() / 2);
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, c);
  QTest::mouseMove(v3d, c + QPoint(50, 0));
  QTest::mouseMove(v3d, c + QPoint(100, 0));
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, c + QPoint(100, 0));
  EXPECT_NEAR(w.state().camera3d().azimuthDeg, 310, 1e-9);
  ASSERT_TRUE(test::refined(v3d));
  EXPECT_NE(cvx::viewer::grabShown(v3d), front);

  // The key P looks from behind: the camera preset.
  v3d->setFocus();
  QTest::keyClick(v3d, Qt::Key_P);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 180);
  EXPECT_EQ(w.state().camera3d().elevationDeg, 0);

  // The preset box: MIP is grey.
  box->textActivated("mip");
  EXPECT_EQ(w.state().preset3d(), "mip");
  ASSERT_TRUE(test::refined(v3d));
  const QImage mip = cvx::viewer::grabShown(v3d);
  int grey = 0, drawn = 0;
  for (int y = 40; y < mip.height(); ++y)  // below the corner text
    for (int x = 0; x < mip.width(); ++x) {
      const QRgb p = mip.pixel(x, y);
      if (qRed(p) < 30 || isCrosshairGreen(p)) continue;
      ++drawn;
      grey += qRed(p) == qGreen(p) && qGreen(p) == qBlue(p);
    }
  EXPECT_GT(drawn, 1000);
  EXPECT_GT(grey, drawn * 95 / 100);
}
