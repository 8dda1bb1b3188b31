// SPDX-License-Identifier: MIT
// `cinevox PATH --screenshot PNG` where OpenGL cannot work (Qt's offscreen platform, no display):
// the 3D view has no OpenGL canvas and paints its pictures with QPainter (Qt 6.4 crashes composing
// a window that holds a QOpenGLWidget there: volume_view.h), so the viewer still opens, and the
// screenshot (decoded with Qt's QImage) shows the bone rendering in the 2x2's 3D place.
#include <gtest/gtest.h>

#include <QImage>
#include <QString>

#include <string>

#include "run_command.h"
#include "temp_dir.h"
#include "test_data.h"

using cvx::test::run;

TEST(ViewCli, ScreenshotWithoutOpenGlShowsThe3dView) {
  CVX_REQUIRE_FOLDER("ct");
  cvx::test::TempDir home;
  ASSERT_TRUE(home.ok());
  const std::string png = home.file("shot.png");
  // The user's folders in the temporary home: the run leaves nothing behind.
  const std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY HOME=" + home.path() + " XDG_DATA_HOME=" + home.path() +
                          "/data XDG_CONFIG_HOME=" + home.path() + "/config QT_QPA_PLATFORM=offscreen " CVX_CINEVOX
                          " " + cvx::test::dataPath("ct") + " --screenshot " + png + " 2>&1";
  const auto [out, rc] = run(cmd);
  ASSERT_EQ(rc, 0) << out;
  const QImage shot(QString::fromStdString(png));
  ASSERT_FALSE(shot.isNull()) << out;
  EXPECT_EQ(shot.width(), 1280);
  EXPECT_EQ(shot.height(), 860);
  // The lower right quadrant of the viewports (right of the series list, below the toolbars):
  // ivory bone of the ct-bone preset, as the OpenGL view draws it (tests/gui/baselines/ct_3d_bone).
  int bone = 0, all = 0;
  for (int y = shot.height() * 11 / 20; y < shot.height() - 40; ++y)
    for (int x = shot.width() * 7 / 10; x < shot.width(); ++x, ++all) {
      const QRgb p = shot.pixel(x, y);
      bone += qRed(p) > 120 && qRed(p) >= qGreen(p) && qGreen(p) >= qBlue(p) && qRed(p) - qBlue(p) > 10;
    }
  EXPECT_GT(bone, all / 50) << bone << " of " << all;
}
