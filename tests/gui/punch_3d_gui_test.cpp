// SPDX-License-Identifier: MIT
// Punching the 3D view through the real main window under Xvfb (punch_3d.h, the Punch tool and the 3D
// menu's "Punch"): on the chest CT seen from the front, a lasso over the view's left half leaves no
// bone drawn inside it while the right half stays as it was pixel for pixel, the MPR views and the
// series' voxels are untouched, Undo and Redo step through the punches, "Restore the whole volume"
// removes them (and Undo brings them back), Shift keeps only the inside; "Show only the active
// segment" keeps bone inside the segment's projected box alone.
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

#include <algorithm>

#include <cvx/core/raycast.h>
#include <cvx/viewstate/camera_3d.h>

#include "../../viewer/src/grab_shown.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_pixels.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Bone pixels of im in the rectangle [x0, x1) x [y0, y1).
int boneIn(const QImage& im, int x0, int x1, int y0, int y1) {
  int n = 0;
  for (int y = std::max(0, y0); y < std::min(im.height(), y1); ++y)
    for (int x = std::max(0, x0); x < std::min(im.width(), x1); ++x) n += test::isBone(im.pixel(x, y));
  return n;
}

QImage shown(viewer::VolumeView* v) {
  EXPECT_TRUE(test::refined(v));
  return viewer::grabShown(v);
}

}  // namespace

TEST(Punch3dGui, ALassoLeavesTheBoneItHoldsOutOfThe3dViewAloneAndStepsUndoAndRestore) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  const int vw = v3d->width(), vh = v3d->height();
  // The lasso: the left half, rows 8 % to 92 %; the columns compared keep 4 % away from its edge.
  const int mid = vw / 2, top = vh * 8 / 100, bottom = vh * 92 / 100;
  const std::vector<QPoint> lasso = {{vw * 2 / 100, top}, {mid, top}, {mid, bottom}, {vw * 2 / 100, bottom}};
  const int leftIn0 = vw * 6 / 100, leftIn1 = mid - vw * 4 / 100, right0 = mid + vw * 4 / 100;
  // Below the header text and above the orientation marker (orange: bone-coloured) and the pick text.
  const int rows0 = std::max(60, top + vh * 4 / 100), rows1 = std::min(vh - 75, bottom - vh * 4 / 100);
  const QImage before = shown(v3d);
  const int leftBefore = boneIn(before, leftIn0, leftIn1, rows0, rows1),
            rightBefore = boneIn(before, right0, vw, rows0, rows1);
  ASSERT_GT(leftBefore, 2000);
  ASSERT_GT(rightBefore, 2000);
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const QImage axialBefore = viewer::grabShown(axial);
  const auto volume = w.state().layers().front().volume;
  const std::vector<int16_t> voxels(volume->as<int16_t>(), volume->as<int16_t>() + volume->voxelCount());

  w.findChild<QAction*>("toolPunch")->trigger();
  test::dragThrough(v3d, lasso, Qt::NoModifier);
  ASSERT_EQ(w.state().punches3d().list().size(), 1u) << v3d->pickText().toStdString();
  const QImage punched = shown(v3d);
  EXPECT_EQ(boneIn(punched, leftIn0, leftIn1, rows0, rows1), 0) << "nothing of what the lasso holds is drawn";
  EXPECT_EQ(boneIn(punched, right0, vw, rows0, rows1), rightBefore) << "the rest is drawn as before";
  EXPECT_TRUE(v3d->headerText().contains("punched: lasso")) << v3d->headerText().toStdString();
  EXPECT_EQ(test::differingPixels(viewer::grabShown(axial), axialBefore, 0), 0)
      << "the MPR views are the series'";
  EXPECT_TRUE(std::equal(voxels.begin(), voxels.end(), volume->as<int16_t>()))
      << "the series' voxels are untouched";
  test::saveTour(w.viewports(), "ct_punch");

  w.findChild<QAction*>("undo")->trigger();  // under Punch, Undo steps the punches
  EXPECT_TRUE(w.state().punches3d().empty());
  EXPECT_EQ(boneIn(shown(v3d), leftIn0, leftIn1, rows0, rows1), leftBefore);
  w.findChild<QAction*>("redo")->trigger();
  EXPECT_EQ(w.state().punches3d().list().size(), 1u);
  QAction* restore = test::menuAction(w, "punch3d", "punch3dNone");
  ASSERT_NE(restore, nullptr);
  ASSERT_TRUE(restore->isEnabled());
  restore->trigger();
  EXPECT_TRUE(w.state().punches3d().empty());
  EXPECT_EQ(boneIn(shown(v3d), leftIn0, leftIn1, rows0, rows1), leftBefore);
  test::menuAction(w, "punch3d", "punch3dUndo")->trigger();
  EXPECT_EQ(w.state().punches3d().list().size(), 1u) << "Undo punch brings the punches back";
  test::menuAction(w, "punch3d", "punch3dNone")->trigger();

  test::dragThrough(v3d, lasso, Qt::ShiftModifier);  // keep only the inside
  const QImage kept = shown(v3d);
  EXPECT_EQ(boneIn(kept, right0, vw, rows0, rows1), 0);
  EXPECT_EQ(boneIn(kept, leftIn0, leftIn1, rows0, rows1), leftBefore);
  EXPECT_TRUE(v3d->headerText().contains("punched: lasso kept")) << v3d->headerText().toStdString();

  // A click is no lasso: no punch, and the view says why.
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, QPoint(vw / 2, vh / 2));
  EXPECT_EQ(w.state().punches3d().list().size(), 1u);
  EXPECT_TRUE(v3d->pickText().contains("seg.edit_bad_polygon")) << v3d->pickText().toStdString();
}

TEST(Punch3dGui, ShowOnlyTheActiveSegmentKeepsTheBoneInsideItAlone) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  EXPECT_FALSE(test::menuAction(w, "punch3d", "punch3dKeepSegment")->isEnabled()) << "no active segment";
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  // The middle third of the CT along x and y, every slice: the spine and the mediastinum.
  std::vector<uint8_t> block(static_cast<size_t>(ct.voxelsPerPhase()), 0);
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        block[static_cast<size_t>(i)] =
            x >= d[0] / 3 && x < 2 * d[0] / 3 && y >= d[1] / 3 && y < 2 * d[1] / 3;
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(ct));
  ASSERT_TRUE(seg->addSegment(Segment{}, block.data()).ok());
  auto index = w.state().addSegmentation(seg, 0, "block");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  w.state().setSegmentationVisible(*index, false);  // its surface would hide the bone

  const int vw = v3d->width(), vh = v3d->height();
  const QImage before = shown(v3d);
  // The block's box on the image: its corners projected, 4 px wider.
  const Camera3D cam = view::orbitCamera(ct, w.state().camera3d(), vw, vh);
  double x0 = 1e9, x1 = -1e9;
  for (int c = 0; c < 8; ++c) {
    const Vec3 corner =
        ct.geometry.worldAt((c & 1) ? 2 * d[0] / 3 - 0.5 : d[0] / 3 - 0.5,
                            (c & 2) ? 2 * d[1] / 3 - 0.5 : d[1] / 3 - 0.5, (c & 4) ? d[2] - 0.5 : -0.5);
    const auto at = view::projectToPixel(cam, corner, vw, vh);
    ASSERT_TRUE(at.has_value());
    x0 = std::min(x0, (*at)[0] - 4), x1 = std::max(x1, (*at)[0] + 4);
  }
  const int rows0 = 60, rows1 = vh - 75;
  const int outsideBefore = boneIn(before, 0, static_cast<int>(x0), rows0, rows1) +
                            boneIn(before, static_cast<int>(x1) + 1, vw, rows0, rows1);
  ASSERT_GT(outsideBefore, 2000) << "ribs and arms either side of the block";
  QAction* keep = test::menuAction(w, "punch3d", "punch3dKeepSegment");
  ASSERT_TRUE(keep->isEnabled());
  keep->trigger();
  ASSERT_EQ(w.state().punches3d().list().size(), 1u);
  EXPECT_TRUE(w.state().punches3d().list()[0].keepInside);
  const QImage after = shown(v3d);
  test::saveTour(v3d, "ct_punch_segment");
  EXPECT_EQ(boneIn(after, 0, static_cast<int>(x0), rows0, rows1) +
                boneIn(after, static_cast<int>(x1) + 1, vw, rows0, rows1),
            0);
  EXPECT_GT(boneIn(after, static_cast<int>(x0), static_cast<int>(x1) + 1, rows0, rows1), 2000)
      << "the spine stays";
  // The segment edited afterwards: the punch is the segment as it was.
  Volume& layer = *seg->layers()[seg->segments()[0].layer];
  std::fill(layer.as<uint8_t>(), layer.as<uint8_t>() + layer.voxelCount(), uint8_t{0});
  w.state().segmentationEdited(*index);
  EXPECT_GT(boneIn(shown(v3d), static_cast<int>(x0), static_cast<int>(x1) + 1, rows0, rows1), 2000);
}
