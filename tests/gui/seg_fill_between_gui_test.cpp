// SPDX-License-Identifier: MIT
// Fill between slices from the Segments dock on the CT: a segment drawn on two axial slices four
// apart (the same box on both, so every slice between must be that box exactly) is filled in
// place: still one segment, of the same name, holding the box on the five slices; one undo step
// gives the drawn slices back.
#include <gtest/gtest.h>

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

TEST(SegFillBetweenGui, TheActiveSegmentIsFilledInPlaceAndUndoGivesTheDrawnSlicesBack) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  auto* run = test::openWithPlugin(w, "ct", "fill_between_slices");
  ASSERT_NE(run, nullptr);

  const Volume& ct = *w.state().layers()[0].volume;
  const auto& d = ct.dims();
  const int64_t x0 = d[0] / 2 - 10, y0 = d[1] / 2 - 6, z0 = d[2] / 2, x1 = x0 + 19, y1 = y0 + 11, z1 = z0 + 4;
  auto inBox = [&](int64_t x, int64_t y) { return x >= x0 && x <= x1 && y >= y0 && y <= y1; };
  std::vector<uint8_t> drawn(static_cast<size_t>(ct.voxelsPerPhase()), 0);
  for (int64_t z : {z0, z1})
    for (int64_t y = y0; y <= y1; ++y)
      for (int64_t x = x0; x <= x1; ++x) drawn[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
  Segment meta;
  meta.name = "Tumour";
  ASSERT_TRUE(w.editing()->addSegment(meta, drawn.data()).ok());
  const int64_t box = (x1 - x0 + 1) * (y1 - y0 + 1);

  ASSERT_TRUE(test::runToEnd(run)) << run->message().toStdString();
  const int index = w.state().activeSegment().first;
  ASSERT_GE(index, 0);
  const auto& seg = *w.state().segmentations()[static_cast<size_t>(index)].segmentation;
  ASSERT_EQ(seg.segments().size(), 1u) << "filled in place, not a new segment";
  EXPECT_EQ(seg.segments()[0].name, "Tumour");
  const std::vector<uint8_t> filled = seg.mask(0);
  int64_t wrong = 0;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x)
        wrong += (filled[static_cast<size_t>((z * d[1] + y) * d[0] + x)] != 0) != (z >= z0 && z <= z1 && inBox(x, y));
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(seg.voxelCount(0), 5 * box);
  EXPECT_NE(run->message().indexOf("Tumour"), -1) << run->message().toStdString();
  QTest::qWait(200);
  test::saveTour(&w, "ct_fill_between");

  ASSERT_TRUE(w.editing()->undo());
  EXPECT_EQ(seg.voxelCount(0), 2 * box);
  EXPECT_EQ(seg.mask(0), drawn);
}
