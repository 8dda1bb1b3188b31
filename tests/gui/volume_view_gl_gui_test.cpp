// SPDX-License-Identifier: MIT
// The 3D view as an OpenGL widget (view_textures.h): what grabShown returns (the --screenshot and
// every 3D GUI test) is what the X server holds on screen, and a view moved into another window
// (a new OpenGL context, as undocking or full screen makes) draws its picture again.
#include <gtest/gtest.h>

#include <QOpenGLContext>
#include <QOpenGLWidget>
#include <QScreen>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Bright ivory pixels (bone in the ct-bone preset).
int64_t bone(const QImage& im) {
  int64_t n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      n += qRed(p) > 120 && qRed(p) >= qGreen(p) && qGreen(p) >= qBlue(p);
    }
  return n;
}

}  // namespace

TEST(VolumeViewGl, ScreenPixelsEqualTheGrabAndANewContextDrawsAgain) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  QTest::qWait(100);
  ASSERT_NE(v3d->canvas(), nullptr) << "OpenGL works under Xvfb (Mesa)";
  ASSERT_NE(v3d->canvas()->context(), nullptr);
  EXPECT_TRUE(v3d->canvas()->context()->isValid());

  // The X server's pixels of the view (an independent read of the screen) against grabShown's.
  const QImage shown = viewer::grabShown(v3d);
  const QPoint at = v3d->mapTo(&w, QPoint(0, 0));
  const QImage screen = w.screen()->grabWindow(w.winId(), at.x(), at.y(), v3d->width(), v3d->height()).toImage();
  ASSERT_EQ(screen.size(), shown.size());
  EXPECT_LT(test::differingPixels(screen, shown, 8), shown.width() * int64_t{shown.height()} / 1000);
  const int64_t bones = bone(shown);
  EXPECT_GT(bones, shown.width() * int64_t{shown.height()} / 50);

  // Into another top-level window: Qt gives the widget a new context (the old one's textures are
  // released first); the picture is drawn again, the same one.
  const QOpenGLContext* before = v3d->canvas()->context();
  auto floating = std::make_unique<QWidget>();
  floating->resize(v3d->size());
  v3d->setParent(floating.get());
  v3d->move(0, 0);
  v3d->show();
  floating->show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(floating.get()));
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->canvas()->context() != nullptr && v3d->refined(); }, 60000));
  QTest::qWait(100);
  EXPECT_NE(v3d->canvas()->context(), before) << "Qt kept the context: the recreation was not exercised";
  const QImage again = viewer::grabShown(v3d);
  ASSERT_EQ(again.size(), shown.size());
  EXPECT_LT(test::differingPixels(again, shown, 8), shown.width() * int64_t{shown.height()} / 1000);
  // A layout without a 3D place takes the view away (and deletes it) before its window goes.
  w.viewports()->setLayout(view::Layout{});
  QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

// CVX_NO_OPENGL=1 (or no OpenGL at all): no canvas, the view paints the host images with QPainter,
// and they match the OpenGL view's committed baseline.
TEST(VolumeViewGl, WithoutOpenGlThePainterDrawsTheSamePicture) {
  CVX_REQUIRE_FOLDER("ct");
  ::setenv("CVX_NO_OPENGL", "1", 1);
  struct Unset {
    ~Unset() { ::unsetenv("CVX_NO_OPENGL"); }
  } unset;
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  EXPECT_EQ(v3d->canvas(), nullptr);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage shown = viewer::grabShown(v3d);
  EXPECT_GT(bone(shown), shown.width() * int64_t{shown.height()} / 50);
  test::expectMatchesBaseline(v3d, "ct_3d_bone");
  const QPoint at = v3d->mapTo(&w, QPoint(0, 0));
  const QImage screen = w.screen()->grabWindow(w.winId(), at.x(), at.y(), v3d->width(), v3d->height()).toImage();
  ASSERT_EQ(screen.size(), shown.size());
  EXPECT_LT(test::differingPixels(screen, shown, 8), shown.width() * int64_t{shown.height()} / 1000);
}
