// SPDX-License-Identifier: MIT
// The Draw tool through the real main window under Xvfb: an outline drawn in the axial view is
// filled into the active segment on the slice shown, exactly the voxels of that slice whose centres
// fall inside it (PixelFrame, even-odd, written out here), and no other slice; Shift erases inside an
// outline; Undo takes a fill back; the brush's value range holds for it as for a stroke.
#include <gtest/gtest.h>

#include <QAction>
#include <QTest>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_pixels.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// The voxels of the axial view's slice (the cursor's) whose centres fall inside `outline` (view pixels,
// even-odd) on window w's axial view, and their count.
std::pair<std::vector<uint8_t>, int64_t> insideOnSlice(MainWindow& w, const std::vector<QPoint>& outline) {
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  const viewer::PlaneView* axial = w.viewports()->views()[0];
  const auto frame = w.state().pixelFrame(0, axial->width(), axial->height());
  const int64_t slice = std::llround(ct.geometry.voxelFromWorld().applyPoint(w.state().cursor()).z);
  std::vector<uint8_t> want(static_cast<size_t>(ct.voxelsPerPhase()), 0);
  int64_t count = 0;
  for (int64_t y = 0; y < d[1]; ++y)
    for (int64_t x = 0; x < d[0]; ++x) {
      const auto px = frame.pixelOf(ct.geometry.worldAt(double(x), double(y), double(slice)));
      const bool in = test::insidePolygon(outline, px[0], px[1]);
      want[static_cast<size_t>((slice * d[1] + y) * d[0] + x)] = in;
      count += in;
    }
  return {want, count};
}

}  // namespace

TEST(SegDrawGui, AnOutlineInTheAxialViewFillsItsSliceAndShiftErases) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  const auto seg = test::activeEmptySegment(w, "drawn");
  ASSERT_NE(seg, nullptr);
  w.findChild<QAction*>("toolDraw")->trigger();
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const int vw = axial->width(), vh = axial->height();
  const std::vector<QPoint> outline = {{vw * 30 / 100, vh * 30 / 100},
                                       {vw * 62 / 100, vh * 36 / 100},
                                       {vw * 55 / 100, vh * 70 / 100},
                                       {vw * 45 / 100, vh * 50 / 100},
                                       {vw * 33 / 100, vh * 64 / 100}};
  const auto frame = w.state().pixelFrame(0, vw, vh);
  const int64_t slice = std::llround(ct.geometry.voxelFromWorld().applyPoint(w.state().cursor()).z);
  // The voxels of the slice shown whose centres fall inside the outline on the view.
  const auto [want, count] = insideOnSlice(w, outline);
  ASSERT_GT(count, 1000);
  test::dragThrough(axial, outline, Qt::NoModifier);
  const std::vector<uint8_t> got = seg->mask(0);
  ASSERT_EQ(got.size(), want.size());
  int64_t differ = 0;
  for (size_t i = 0; i < got.size(); ++i) differ += (got[i] != 0) != (want[i] != 0);
  EXPECT_EQ(differ, 0) << count << " voxels inside the outline on slice " << slice;
  test::saveTour(axial, "seg_draw_axial");

  // Shift: an outline round the middle of the first erases what it holds there.
  const std::vector<QPoint> hole = {{vw * 42 / 100, vh * 40 / 100},
                                    {vw * 52 / 100, vh * 40 / 100},
                                    {vw * 52 / 100, vh * 48 / 100},
                                    {vw * 42 / 100, vh * 48 / 100}};
  int64_t holeCount = 0;
  for (int64_t y = 0; y < d[1]; ++y)
    for (int64_t x = 0; x < d[0]; ++x) {
      const auto px = frame.pixelOf(ct.geometry.worldAt(double(x), double(y), double(slice)));
      holeCount +=
          want[static_cast<size_t>((slice * d[1] + y) * d[0] + x)] && test::insidePolygon(hole, px[0], px[1]);
    }
  ASSERT_GT(holeCount, 50);
  test::dragThrough(axial, hole, Qt::ShiftModifier);
  EXPECT_EQ(seg->voxelCount(0), static_cast<uint64_t>(count - holeCount));
  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg->voxelCount(0), static_cast<uint64_t>(count)) << "Undo takes the erase back";

  // The brush's value range holds: above 300 HU only (bone), the outline fills its bone alone.
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg->voxelCount(0), 0u);
  w.editing()->brushRange = std::pair{300.0, 40000.0};
  test::dragThrough(axial, outline, Qt::NoModifier);
  int64_t bone = 0;
  for (size_t i = 0; i < want.size(); ++i)
    bone += want[i] &&
            cvx::test::huAt(ct, ct.geometry.worldAt(double(int64_t(i) % d[0]),
                                                    double(int64_t(i) / d[0] % d[1]), double(slice))) >= 300;
  EXPECT_EQ(seg->voxelCount(0), static_cast<uint64_t>(bone));
}

TEST(SegDrawGui, ClicksMakeAPolygonThatEnterOrADoubleClickFills) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  const Volume& ct = *w.state().layers().front().volume;
  const auto seg = test::activeEmptySegment(w, "clicked");
  ASSERT_NE(seg, nullptr);
  w.findChild<QAction*>("toolDraw")->trigger();
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const int vw = axial->width(), vh = axial->height();
  const std::vector<QPoint> corners = {{vw * 35 / 100, vh * 32 / 100},
                                       {vw * 60 / 100, vh * 38 / 100},
                                       {vw * 50 / 100, vh * 66 / 100},
                                       {vw * 38 / 100, vh * 58 / 100}};
  const int64_t slice = std::llround(ct.geometry.voxelFromWorld().applyPoint(w.state().cursor()).z);
  const auto [want, count] = insideOnSlice(w, corners);
  ASSERT_GT(count, 1000);
  // Clicks, the mouse moving between them, then Enter: the polygon of the clicks.
  for (const QPoint& c : corners) {
    QTest::mouseMove(axial, c);
    QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, c);
  }
  EXPECT_EQ(seg->voxelCount(0), 0u) << "nothing filled before the polygon is closed";
  QTest::keyClick(axial, Qt::Key_Return);
  EXPECT_EQ(seg->mask(0), want) << count << " voxels inside the polygon on slice " << slice;
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg->voxelCount(0), 0u);
  // Escape drops a polygon; the clicks after it start a new one, which a double click on the last
  // corner closes.
  QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, corners[0]);
  QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, corners[2]);
  QTest::keyClick(axial, Qt::Key_Escape);
  for (size_t i = 0; i + 1 < corners.size(); ++i) QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, corners[i]);
  QTest::mouseDClick(axial, Qt::LeftButton, Qt::NoModifier, corners.back());
  EXPECT_EQ(seg->mask(0), want) << "closed by a double click";
  EXPECT_TRUE(w.findChild<QAction*>("undo")->isEnabled());
  // Another tool chosen drops a polygon left open: Enter after coming back fills nothing.
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg->voxelCount(0), 0u);
  for (const QPoint& c : corners) QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, c);
  w.findChild<QAction*>("toolNavigate")->trigger();
  w.findChild<QAction*>("toolDraw")->trigger();
  QTest::keyClick(axial, Qt::Key_Return);
  EXPECT_EQ(seg->voxelCount(0), 0u);
}
