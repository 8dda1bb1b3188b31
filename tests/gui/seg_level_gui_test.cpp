// SPDX-License-Identifier: MIT
// The Level tool through the real main window under Xvfb, on the CT's axial view: the mouse over the
// edge of a vertebra outlines the trace in yellow; a click fills the active segment with exactly the
// voxels of that slice that form the seed's 4-connected component on its side of the seed's level
// (checked here by the component's defining properties, from the CT's HU: each voxel on the side,
// all reached from the seed, every voxel beside them off the side), and no other slice; Shift erases
// it; Undo brings it back; a coronal view traces its own slice.
#include <gtest/gtest.h>

#include <QAction>
#include <QImage>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <deque>

#include <cvx/viewstate/mapping.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Whether mask (on ct's grid) is exactly the 4-connected component of `seed` in its slice across
// `axis` of the voxels on its side of the seed's level: >= level when a 4-neighbour in the slice lies
// below it, else <= level.
::testing::AssertionResult isTheComponent(const Volume& ct, const std::vector<uint8_t>& mask,
                                          std::array<int64_t, 3> seed, int axis) {
  const auto& d = ct.dims();
  auto hu = [&](int64_t x, int64_t y, int64_t z) { return view::modalityValue(ct, ct.valueAt(x, y, z, 0)); };
  auto at = [&](std::array<int64_t, 3> p) { return static_cast<size_t>((p[2] * d[1] + p[1]) * d[0] + p[0]); };
  const int ua = axis == 0 ? 1 : 0, va = axis == 2 ? 1 : 2;
  auto neighbours = [&](std::array<int64_t, 3> p) {
    std::vector<std::array<int64_t, 3>> out;
    for (const int a : {ua, va})
      for (const int s : {-1, 1}) {
        auto q = p;
        q[static_cast<size_t>(a)] += s;
        if (q[static_cast<size_t>(a)] >= 0 && q[static_cast<size_t>(a)] < d[static_cast<size_t>(a)])
          out.push_back(q);
      }
    return out;
  };
  const double level = hu(seed[0], seed[1], seed[2]);
  bool lower = false;
  for (const auto& q : neighbours(seed)) lower = lower || hu(q[0], q[1], q[2]) < level;
  auto side = [&](std::array<int64_t, 3> p) {
    const double v = hu(p[0], p[1], p[2]);
    return lower ? v >= level : v <= level;
  };
  if (!mask[at(seed)]) return ::testing::AssertionFailure() << "the seed is not filled";
  size_t filled = 0;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        const std::array<int64_t, 3> p{x, y, z};
        if (!mask[at(p)]) continue;
        ++filled;
        if (p[static_cast<size_t>(axis)] != seed[static_cast<size_t>(axis)])
          return ::testing::AssertionFailure() << "a voxel off the slice";
        if (!side(p)) return ::testing::AssertionFailure() << "a voxel off the level's side";
        for (const auto& q : neighbours(p))
          if (!mask[at(q)] && side(q)) return ::testing::AssertionFailure() << "the component stops short";
      }
  // Connected: every filled voxel reached from the seed through filled ones.
  std::vector<uint8_t> seen(mask.size(), 0);
  std::deque<std::array<int64_t, 3>> front{seed};
  seen[at(seed)] = 1;
  size_t reached = 0;
  while (!front.empty()) {
    const auto p = front.front();
    front.pop_front();
    ++reached;
    for (const auto& q : neighbours(p))
      if (mask[at(q)] && !seen[at(q)]) seen[at(q)] = 1, front.push_back(q);
  }
  if (reached != filled)
    return ::testing::AssertionFailure() << reached << " reached of " << filled << " filled";
  return ::testing::AssertionSuccess() << filled << " voxels";
}

// The pixel of view v nearest voxel (x, y, z), and the voxel the view maps that pixel to.
std::pair<QPoint, std::array<int64_t, 3>> pixelAndSeed(MainWindow& w, const QWidget* v, int view,
                                                       const Volume& ct, double x, double y, double z) {
  const auto f = w.state().pixelFrame(view, v->width(), v->height());
  const auto px = f.pixelOf(ct.geometry.worldAt(x, y, z));
  const QPoint p(static_cast<int>(std::lround(px[0])), static_cast<int>(std::lround(px[1])));
  const Vec3 i = ct.geometry.voxelFromWorld().applyPoint(f.worldAt(p.x(), p.y()));
  return {p, {std::llround(i.x), std::llround(i.y), std::llround(i.z)}};
}

}  // namespace

TEST(SegLevelGui, TheTraceUnderTheMouseIsOutlinedAndAClickFillsItsComponent) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  const auto seg = test::activeEmptySegment(w, "traced");
  ASSERT_NE(seg, nullptr);
  w.findChild<QAction*>("toolLevel")->trigger();
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const int64_t slice = std::llround(ct.geometry.voxelFromWorld().applyPoint(w.state().cursor()).z);
  // A vertebra's edge on this slice: below the image's centre, in the middle column, the first pixel
  // from the back (row 420's upwards) whose voxel (the one the view maps it to) is above 150 HU.
  QPoint px;
  std::array<int64_t, 3> seed{-1, -1, -1};
  for (int64_t y = 420; y > 300 && seed[0] < 0; --y) {
    const auto [p, s] = pixelAndSeed(w, axial, 0, ct, double(d[0] / 2), double(y), double(slice));
    if (view::modalityValue(ct, ct.valueAt(s[0], s[1], s[2], 0)) > 150) px = p, seed = s;
  }
  ASSERT_GE(seed[0], 0) << "no vertebra found in the middle column";
  const int64_t row = seed[1];
  QTest::mouseMove(axial, px);
  QApplication::processEvents();
  const QImage shown = axial->grab().toImage();
  int yellow = 0;  // about the mouse and above it (the note is written below it)
  for (int y = std::max(0, px.y() - 40); y < std::min(shown.height(), px.y() + 3); ++y)
    for (int x = std::max(0, px.x() - 40); x < std::min(shown.width(), px.x() + 40); ++x) {
      const QColor c = shown.pixelColor(x, y);
      yellow += c.red() >= 245 && c.green() >= 205 && c.green() <= 235 && c.blue() <= 30;  // (255, 220, 0)
    }
  EXPECT_GT(yellow, 10) << "the outline under the mouse";
  test::saveTour(w.viewports(), "level_trace");
  QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, px);
  const auto filled = seg->mask(0);
  EXPECT_TRUE(isTheComponent(ct, filled, seed, 2));
  EXPECT_GT(seg->voxelCount(0), 1u);
  QTest::mouseClick(axial, Qt::LeftButton, Qt::ShiftModifier, px);
  EXPECT_EQ(seg->voxelCount(0), 0u) << "Shift erases the trace";
  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg->mask(0), filled) << "Undo brings it back";
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg->voxelCount(0), 0u);

  // The coronal view traces its own slice (across j) at the same vertebra.
  viewer::PlaneView* coronal = w.viewports()->views()[1];
  w.state().setCursor(ct.geometry.worldAt(double(d[0] / 2), double(row), double(slice)));
  const auto [cp, cseed] = pixelAndSeed(w, coronal, 1, ct, double(d[0] / 2), double(row), double(slice));
  QTest::mouseMove(coronal, cp);
  QTest::mouseClick(coronal, Qt::LeftButton, Qt::NoModifier, cp);
  if (seg->voxelCount(0) > 0)
    EXPECT_TRUE(isTheComponent(ct, seg->mask(0), cseed, 1));
  else
    ADD_FAILURE() << "the coronal click filled nothing at voxel " << cseed[0] << ", " << cseed[1] << ", "
                  << cseed[2];
}
