// SPDX-License-Identifier: MIT
// 3D scissors (issue 12), through the real main window under Xvfb: with the Scissors tool, a lasso
// dragged over the 3D view erases from the active segment exactly the voxels whose centres the
// view's camera projects inside the lasso (projectToPixel, written out here with an even-odd test);
// Undo brings them back; with Shift the lasso keeps only the inside. In a 2D view the lasso cuts
// along the view's normal: the voxels of every slice whose centres fall inside it (PixelFrame).
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

#include <cvx/core/raycast.h>
#include <cvx/viewstate/render_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

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
        n += px && test::insidePolygon(lasso, (*px)[0], (*px)[1]);
      }
  return n;
}

// A block in the middle third of the CT along each axis, as the active segment.
std::shared_ptr<Segmentation> activeBlock(MainWindow& w, std::vector<uint8_t>& block) {
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  block.assign(static_cast<size_t>(ct.voxelsPerPhase()), 0);
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        block[static_cast<size_t>(i)] = x >= d[0] / 3 && x < 2 * d[0] / 3 && y >= d[1] / 3 && y < 2 * d[1] / 3 &&
                                        k >= d[2] / 3 && k < 2 * d[2] / 3;
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(ct));
  EXPECT_TRUE(seg->addSegment(Segment{}, block.data()).ok());
  auto index = w.state().addSegmentation(seg, 0, "block");
  EXPECT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  auto* tool = w.findChild<QAction*>("toolScissors");
  EXPECT_NE(tool, nullptr);
  if (tool) tool->trigger();
  return seg;
}

}  // namespace

TEST(SegScissorsGui, ALassoInThe3dViewCutsWhatItEnclosesAndUndoRestoresIt) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  std::vector<uint8_t> block;
  auto seg = activeBlock(w, block);
  const int64_t before = seg->voxelCount(0);
  // The camera framed (the worker fits the frame with its first full picture): the lassos below and
  // the expected count use one camera.
  ASSERT_TRUE(test::refined(v3d));

  // A lasso round the middle of the view: a skewed pentagon.
  const int vw = v3d->width(), vh = v3d->height();
  const std::vector<QPoint> lasso = {{vw * 45 / 100, vh * 30 / 100}, {vw * 62 / 100, vh * 38 / 100},
                                     {vw * 58 / 100, vh * 66 / 100}, {vw * 47 / 100, vh * 55 / 100},
                                     {vw * 38 / 100, vh * 60 / 100}};
  const Camera3D cam = view::orbitCamera(ct, w.state().camera3d(), vw, vh);
  const double azimuth = w.state().camera3d().azimuthDeg, elevation = w.state().camera3d().elevationDeg;
  const int64_t cut = projectedInside(ct, block, cam, vw, vh, lasso);
  ASSERT_GT(cut, 1000);
  ASSERT_LT(cut, before);
  test::dragThrough(v3d, lasso, Qt::NoModifier);
  EXPECT_EQ(seg->voxelCount(0), before - cut) << v3d->pickText().toStdString();
  test::saveTour(v3d, "seg_scissors_3d");

  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg->voxelCount(0), before) << "Undo brings the cut voxels back";

  test::dragThrough(v3d, lasso, Qt::ShiftModifier);  // keep only the inside
  EXPECT_EQ(seg->voxelCount(0), cut);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, azimuth) << "a lasso does not turn the camera";
  EXPECT_EQ(w.state().camera3d().elevationDeg, elevation);
}

TEST(SegScissorsGui, ALassoInA2dViewCutsThroughEverySliceAlongItsNormal) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const Volume& ct = *w.state().layers().front().volume;
  std::vector<uint8_t> block;
  auto seg = activeBlock(w, block);
  const int64_t before = seg->voxelCount(0);
  const int vw = axial->width(), vh = axial->height();
  const std::vector<QPoint> lasso = {{vw * 40 / 100, vh * 35 / 100}, {vw * 60 / 100, vh * 42 / 100},
                                     {vw * 52 / 100, vh * 63 / 100}, {vw * 36 / 100, vh * 58 / 100}};
  const auto frame = w.state().pixelFrame(0, vw, vh);
  const auto& d = ct.dims();
  int64_t cut = 0;
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        if (!block[static_cast<size_t>(i)]) continue;
        const auto px = frame.pixelOf(ct.geometry.worldAt(double(x), double(y), double(k)));
        cut += test::insidePolygon(lasso, px[0], px[1]);
      }
  ASSERT_GT(cut, 1000);
  ASSERT_LT(cut, before);
  test::dragThrough(axial, lasso, Qt::NoModifier);
  EXPECT_EQ(seg->voxelCount(0), before - cut);
  // Every slice of the block lost the same columns: the cut goes through the volume.
  const auto mask = seg->mask(0);
  const int64_t z0 = d[2] / 3, z1 = 2 * d[2] / 3 - 1, slice = d[0] * d[1];
  int64_t left0 = 0, left1 = 0;
  for (int64_t i = 0; i < slice; ++i) left0 += mask[static_cast<size_t>(z0 * slice + i)], left1 += mask[static_cast<size_t>(z1 * slice + i)];
  EXPECT_EQ(left0, left1);
}
