// SPDX-License-Identifier: MIT
// 3D scissors in the 3D view (issue 12), through the real main window under Xvfb: with the
// Scissors tool, a lasso dragged over the 3D view erases from the active segment exactly the voxels
// whose centres the view's camera projects inside the lasso (projectToPixel, written out here with
// an even-odd test); Undo brings them back; with Shift the lasso keeps only the inside.
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

#include <cvx/core/raycast.h>
#include <cvx/viewstate/render_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

bool inside(const std::vector<QPoint>& poly, double x, double y) {
  bool in = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const double ax = poly[i].x(), ay = poly[i].y(), bx = poly[j].x(), by = poly[j].y();
    if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) in = !in;
  }
  return in;
}

// The segment's voxels that the 3D view's camera projects inside the lasso, counted here.
int64_t projectedInside(const Volume& ct, const std::vector<uint8_t>& mask, const Camera3D& cam, int w, int h,
                        const std::vector<QPoint>& lasso) {
  const auto& d = ct.dims();
  int64_t n = 0;
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        if (!mask[static_cast<size_t>(i)]) continue;
        const auto px = projectToPixel(cam, ct.geometry.worldAt(double(x), double(y), double(k)), w, h);
        n += px && inside(lasso, (*px)[0], (*px)[1]);
      }
  return n;
}

void drawLasso(QWidget* v, const std::vector<QPoint>& lasso, Qt::KeyboardModifiers mods) {
  QTest::mousePress(v, Qt::LeftButton, mods, lasso[0]);
  for (size_t i = 1; i < lasso.size(); ++i) QTest::mouseMove(v, lasso[i]);
  QTest::mouseRelease(v, Qt::LeftButton, mods, lasso.back());
}

}  // namespace

TEST(SegScissorsGui, ALassoInThe3dViewCutsWhatItEnclosesAndUndoRestoresIt) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  // A block in the middle third of the CT along each axis.
  std::vector<uint8_t> block(static_cast<size_t>(ct.voxelsPerPhase()));
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        block[static_cast<size_t>(i)] = x >= d[0] / 3 && x < 2 * d[0] / 3 && y >= d[1] / 3 && y < 2 * d[1] / 3 &&
                                        k >= d[2] / 3 && k < 2 * d[2] / 3;
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(ct));
  ASSERT_TRUE(seg->addSegment(Segment{}, block.data()).ok());
  auto index = w.state().addSegmentation(seg, 0, "block");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  const int64_t before = seg->voxelCount(0);
  auto* tool = w.findChild<QAction*>("toolScissors");
  ASSERT_NE(tool, nullptr);
  tool->trigger();

  // A lasso round the middle of the view: a skewed pentagon.
  const int vw = v3d->width(), vh = v3d->height();
  const std::vector<QPoint> lasso = {{vw * 45 / 100, vh * 30 / 100}, {vw * 62 / 100, vh * 38 / 100},
                                     {vw * 58 / 100, vh * 66 / 100}, {vw * 47 / 100, vh * 55 / 100},
                                     {vw * 38 / 100, vh * 60 / 100}};
  const Camera3D cam = view::orbitCamera(ct, w.state().camera3d());
  const double azimuth = w.state().camera3d().azimuthDeg, elevation = w.state().camera3d().elevationDeg;
  const int64_t cut = projectedInside(ct, block, cam, vw, vh, lasso);
  ASSERT_GT(cut, 1000);
  ASSERT_LT(cut, before);
  drawLasso(v3d, lasso, Qt::NoModifier);
  EXPECT_EQ(seg->voxelCount(0), before - cut) << v3d->pickText().toStdString();
  test::saveTour(v3d, "seg_scissors_3d");

  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg->voxelCount(0), before) << "Undo brings the cut voxels back";

  drawLasso(v3d, lasso, Qt::ShiftModifier);  // keep only the inside
  EXPECT_EQ(seg->voxelCount(0), cut);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, azimuth) << "a lasso does not turn the camera";
  EXPECT_EQ(w.state().camera3d().elevationDeg, elevation);
}
