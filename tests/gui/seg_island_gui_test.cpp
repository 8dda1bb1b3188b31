// SPDX-License-Identifier: MIT
// The Island tool through the real main window under Xvfb: on the CT, a segment of two blocks apart;
// a click in the axial view inside the left block keeps that block and removes the other, Undo
// brings it back, Shift and a click removes the block clicked; in the 3D view a click on a block's
// surface keeps that block, and with Shift removes it (no pan).
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

#include <cvx/core/raycast.h>
#include <cvx/viewstate/camera_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

TEST(SegIslandGui, AClickKeepsThePieceUnderItAndShiftRemovesIt) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  // Two blocks through every slice, apart: x 100..180 and x 330..410, y 200..300.
  std::vector<uint8_t> left(static_cast<size_t>(ct.voxelsPerPhase()), 0), right = left;
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        left[static_cast<size_t>(i)] = x >= 100 && x <= 180 && y >= 200 && y <= 300;
        right[static_cast<size_t>(i)] = x >= 330 && x <= 410 && y >= 200 && y <= 300;
      }
  std::vector<uint8_t> both(left.size());
  for (size_t i = 0; i < both.size(); ++i) both[i] = left[i] | right[i];
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(ct));
  ASSERT_TRUE(seg->addSegment(Segment{}, both.data()).ok());
  auto index = w.state().addSegmentation(seg, 0, "blocks");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  w.findChild<QAction*>("toolIsland")->trigger();

  viewer::PlaneView* axial = w.viewports()->views()[0];
  const auto frame = w.state().pixelFrame(0, axial->width(), axial->height());
  const double slice = std::llround(ct.geometry.voxelFromWorld().applyPoint(w.state().cursor()).z);
  const auto leftAt = frame.pixelOf(ct.geometry.worldAt(140, 250, slice));
  const auto rightAt = frame.pixelOf(ct.geometry.worldAt(370, 250, slice));
  QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, QPoint(int(leftAt[0]), int(leftAt[1])));
  EXPECT_EQ(seg->mask(0), left) << "the left block kept, the right removed";
  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg->mask(0), both);
  QTest::mouseClick(axial, Qt::LeftButton, Qt::ShiftModifier, QPoint(int(rightAt[0]), int(rightAt[1])));
  EXPECT_EQ(seg->mask(0), left) << "Shift: the right block removed";
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg->mask(0), both);

  // In 3D, the right block's front face (the patient's left: the image's right, seen from the front).
  ASSERT_TRUE(test::refined(v3d));
  const Camera3D cam = view::orbitCamera(ct, w.state().camera3d(), v3d->width(), v3d->height());
  const auto face =
      view::projectToPixel(cam, ct.geometry.worldAt(370, 200, (d[2] - 1) / 2.0), v3d->width(), v3d->height());
  ASSERT_TRUE(face.has_value());
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, QPoint(int((*face)[0]), int((*face)[1])));
  EXPECT_EQ(seg->mask(0), right) << v3d->pickText().toStdString();
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg->mask(0), both);
  ASSERT_TRUE(test::refined(v3d));
  const auto camera = w.state().camera3d();
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::ShiftModifier, QPoint(int((*face)[0]), int((*face)[1])));
  EXPECT_EQ(seg->mask(0), left) << "Shift: the block clicked removed, " << v3d->pickText().toStdString();
  EXPECT_EQ(w.state().camera3d().panMm.x, camera.panMm.x) << "no pan";
}
