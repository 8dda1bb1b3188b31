// SPDX-License-Identifier: MIT
// The transfer-function editor's gradient-opacity curve through the real main window under Xvfb,
// on the CT's bone preset (which has none): the plot starts empty (opacity by value alone); a
// double-click at factor 0 starts a curve that is 0 at every magnitude, so nothing is drawn (opacity
// times 0); the point dragged to factor 1 draws the bone again, as without a curve; a right-click
// removes it, and the preset is 1D again.
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/tf_editor.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// The middle of the 3D view: the rendering, without the corner text and the orientation marker.
QImage middle(const QImage& im) { return im.copy(im.width() / 5, im.height() / 6, im.width() * 3 / 5, im.height() * 2 / 3); }

// Bright pixels (the bone drawn); the crosshair is green.
int64_t drawn(const QImage& im) {
  int64_t n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) n += qRed(im.pixel(x, y)) > 100;
  return n;
}

// Pixels whose largest channel differs by more than 16.
int64_t differing(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return a.width() * int64_t{a.height()};
  int64_t n = 0;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) {
      const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
      n += std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)), std::abs(qBlue(p) - qBlue(q))}) > 16;
    }
  return n;
}

QPoint at(const view::TfPlot& pl, double magnitude, double factor) {
  return QPoint(static_cast<int>(std::lround(pl.xOf(magnitude))), static_cast<int>(std::lround(pl.yOf(factor))));
}

}  // namespace

TEST(TfGradientGui, AZeroFactorHidesTheVolumeAndOneDrawsItAsWithout) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 960, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  auto* button = w.findChild<QAction*>("editTransferFunction");
  ASSERT_NE(button, nullptr);
  button->trigger();
  auto* ed = w.findChild<viewer::TfEditor*>("tfEditor");
  ASSERT_NE(ed, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(ed));
  QWidget* canvas = ed->gradientCanvas();
  ASSERT_EQ(canvas->objectName(), "tfGradientCanvas");
  EXPECT_EQ(ed->edit().gradientSize(), 0) << "ct-bone has no gradient-opacity curve";
  const view::TfPlot pl = ed->gradientPlot();
  EXPECT_GT(pl.hi, 0);
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  const QImage before = middle(viewer::grabShown(v3d));
  ASSERT_GT(drawn(before), before.width() * int64_t{before.height()} / 50);

  // Factor 0 at a tenth of the range: the curve is 0 everywhere (held beyond its one point).
  QTest::mouseDClick(canvas, Qt::LeftButton, Qt::NoModifier, at(pl, 0.1 * pl.hi, 0));
  const view::TransferPreset* edited = w.state().editedPreset3d();
  ASSERT_NE(edited, nullptr);
  ASSERT_EQ(edited->gradientOpacity.size(), 1u);
  EXPECT_NEAR(edited->gradientOpacity[0].magnitude, 0.1 * pl.hi, 1.5 * pl.hi / pl.width);
  EXPECT_EQ(edited->gradientOpacity[0].factor, 0);
  EXPECT_EQ(ed->gradientSelected(), 0);
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  const QImage hidden = middle(viewer::grabShown(v3d));
  test::saveTour(&w, "ct_tf_gradient_zero");
  EXPECT_LT(drawn(hidden), drawn(before) / 100) << "opacity times 0 draws nothing";

  // Dragged to factor 1: every opacity as without the curve (through the 2D table).
  const QPoint from = at(pl, edited->gradientOpacity[0].magnitude, 0), to = at(pl, 0.1 * pl.hi, 1);
  QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, from);
  QTest::mouseMove(canvas, (from + to) / 2);
  QTest::mouseMove(canvas, to);
  QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, to);
  edited = w.state().editedPreset3d();
  ASSERT_EQ(edited->gradientOpacity.size(), 1u);
  EXPECT_EQ(edited->gradientOpacity[0].factor, 1);
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  const QImage one = middle(viewer::grabShown(v3d));
  EXPECT_LT(differing(before, one), before.width() * int64_t{before.height()} / 100);

  // A right-click removes the point: no curve, the preset is 1D again and draws as before.
  QTest::mouseClick(canvas, Qt::RightButton, Qt::NoModifier, to);
  edited = w.state().editedPreset3d();
  ASSERT_NE(edited, nullptr);
  EXPECT_TRUE(edited->gradientOpacity.empty());
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  EXPECT_LT(differing(before, middle(viewer::grabShown(v3d))), before.width() * int64_t{before.height()} / 1000);
}
