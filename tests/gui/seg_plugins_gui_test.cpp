// SPDX-License-Identifier: MIT
// A "segment" plugin from the Segments dock on the CT: morphology's Run is disabled (with a
// tooltip) until a segment is active; dilating an active cube gives a new segment, named after the
// operation, holding exactly the cube dilated by the ball of the CT's spacing (counted here: a voxel
// is in when its per-axis distance to the cube, in mm, lies in the ellipsoid), and undo removes it.
#include <gtest/gtest.h>

#include <algorithm>

#include <QAction>
#include <QPushButton>
#include <QTest>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_run.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

TEST(SegPluginsGui, MorphologyDilatesTheActiveSegmentIntoANewOne) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  auto* run = test::openWithPlugin(w, "ct", "morphology");
  ASSERT_NE(run, nullptr);
  auto* button = w.findChild<QPushButton*>("segRun");
  ASSERT_NE(button, nullptr);
  EXPECT_FALSE(button->isEnabled()) << "no active segment yet";
  EXPECT_FALSE(button->toolTip().isEmpty());

  // An active segment: a 6 x 5 x 4 voxel box near the centre.
  const Volume& ct = *w.state().layers()[0].volume;
  const auto& d = ct.dims();
  const int64_t x0 = d[0] / 2, y0 = d[1] / 2, z0 = d[2] / 2, x1 = x0 + 5, y1 = y0 + 4, z1 = z0 + 3;
  std::vector<uint8_t> box(static_cast<size_t>(ct.voxelsPerPhase()), 0);
  for (int64_t z = z0; z <= z1; ++z)
    for (int64_t y = y0; y <= y1; ++y)
      for (int64_t x = x0; x <= x1; ++x) box[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
  Segment meta;
  meta.name = "Cube";
  ASSERT_TRUE(w.editing()->addSegment(meta, box.data()).ok());
  EXPECT_TRUE(button->isEnabled()) << button->toolTip().toStdString();

  run->setField("radius_mm", 2);
  ASSERT_TRUE(test::runToEnd(run));
  const int index = w.state().activeSegment().first;
  ASSERT_GE(index, 0);
  const auto& seg = *w.state().segmentations()[static_cast<size_t>(index)].segmentation;
  ASSERT_EQ(seg.segments().size(), 2u);
  EXPECT_EQ(seg.segments()[1].name, "Cube dilated 2 mm");
  EXPECT_EQ(seg.segments()[1].algorithmName, "morphology");

  // Expected: per axis the distance (voxels) to the box, times the spacing; in when the sum of
  // squares is within r^2 (the documented ball rule, with its relative epsilon of 1e-6).
  const Vec3 s = ct.geometry.spacingMm;
  const double limit = 2.0 * 2.0 * (1 + 1e-6);
  auto gap = [](int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo - v : (v > hi ? v - hi : 0); };
  int64_t expected = 0;
  for (int64_t z = z0 - 10; z <= z1 + 10; ++z)
    for (int64_t y = y0 - 10; y <= y1 + 10; ++y)
      for (int64_t x = x0 - 10; x <= x1 + 10; ++x) {
        const double dx = gap(x, x0, x1) * s.x, dy = gap(y, y0, y1) * s.y, dz = gap(z, z0, z1) * s.z;
        expected += dx * dx + dy * dy + dz * dz <= limit;
      }
  EXPECT_GT(expected, 6 * 5 * 4);
  EXPECT_EQ(seg.voxelCount(1), expected);
  EXPECT_EQ(seg.voxelCount(0), 6 * 5 * 4) << "the source segment is untouched";
  QTest::qWait(200);
  test::saveTour(&w, "ct_morphology_dilate");

  ASSERT_TRUE(w.editing()->undo());
  EXPECT_EQ(seg.segments().size(), 1u);
}
