// SPDX-License-Identifier: MIT
// Logical operators from the Segments dock on the CT: Apply is disabled (with a reason) until the
// active segment has another to combine with; Subtract takes the other segment's voxels out of
// the active one (counted here on the two boxes), the other keeps all of its own, and the dock's
// Undo gives the active segment back whole.
#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QPushButton>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_editing.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

TEST(SegLogicGui, SubtractTakesTheOtherSegmentOutOfTheActiveOne) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_NE(test::openWithSegments(w, "ct"), nullptr);
  auto* op = w.findChild<QComboBox*>("segLogicOp");
  auto* with = w.findChild<QComboBox*>("segLogicWith");
  auto* apply = w.findChild<QPushButton*>("segLogicApply");
  ASSERT_TRUE(op && with && apply);
  EXPECT_FALSE(apply->isEnabled());
  EXPECT_FALSE(apply->toolTip().isEmpty());

  const Volume& ct = *w.state().layers()[0].volume;
  const auto& d = ct.dims();
  auto box = [&](int64_t x0, int64_t y0, int64_t z0, int64_t n) {
    std::vector<uint8_t> m(static_cast<size_t>(ct.voxelsPerPhase()), 0);
    for (int64_t z = z0; z < z0 + n; ++z)
      for (int64_t y = y0; y < y0 + n; ++y)
        for (int64_t x = x0; x < x0 + n; ++x) m[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
    return m;
  };
  const int64_t cx = d[0] / 2, cy = d[1] / 2, cz = d[2] / 2;
  const auto liver = box(cx, cy, cz, 10), vessel = box(cx + 6, cy + 6, cz + 6, 8);  // a 4^3 overlap
  Segment a, b;
  a.name = "Vessel";
  b.name = "Liver";
  ASSERT_TRUE(w.editing()->addSegment(a, vessel.data()).ok());
  ASSERT_TRUE(w.editing()->addSegment(b, liver.data()).ok());  // active: the liver
  EXPECT_TRUE(apply->isEnabled()) << apply->toolTip().toStdString();
  ASSERT_EQ(with->count(), 1);
  EXPECT_EQ(with->itemText(0), "Vessel");

  op->setCurrentIndex(op->findText("Subtract"));
  apply->click();
  const auto [index, active] = w.state().activeSegment();
  ASSERT_GE(index, 0);
  const auto& seg = *w.state().segmentations()[static_cast<size_t>(index)].segmentation;
  ASSERT_EQ(seg.segments().size(), 2u);
  EXPECT_EQ(seg.segments()[static_cast<size_t>(active)].name, "Liver");
  EXPECT_EQ(seg.voxelCount(static_cast<size_t>(active)), 10 * 10 * 10 - 4 * 4 * 4);
  EXPECT_EQ(seg.mask(static_cast<size_t>(1 - active)), vessel) << "the vessel changed";
  test::saveTour(&w, "ct_logic_subtract");

  ASSERT_TRUE(w.editing()->undo());
  EXPECT_EQ(seg.mask(static_cast<size_t>(active)), liver);

  // A segment chosen in "with" that is removed is not replaced by another silently: Apply waits.
  Segment c;
  c.name = "Cyst";
  ASSERT_TRUE(w.editing()->addSegment(c, box(cx - 20, cy - 20, cz, 4).data()).ok());
  w.state().setActiveSegment(index, active);  // the liver again
  ASSERT_EQ(with->count(), 2);
  const int cyst = with->findText("Cyst");
  ASSERT_GE(cyst, 0);
  with->setCurrentIndex(cyst);
  emit with->activated(cyst);  // as the user's choice
  EXPECT_TRUE(apply->isEnabled());
  w.state().setActiveSegment(index, 2);
  ASSERT_TRUE(w.editing()->removeActiveSegment().ok());
  w.state().setActiveSegment(index, active);
  EXPECT_EQ(with->currentIndex(), -1);
  EXPECT_FALSE(apply->isEnabled()) << "another segment was chosen in the removed one's place";
}
