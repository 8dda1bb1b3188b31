// SPDX-License-Identifier: MIT
// Fill between slices from the Segments dock on the CT: a segment drawn on two axial slices four
// apart (the same box on both, so every slice between must be that box exactly) is filled in
// place: still one segment, of the same name, holding the box on the five slices; one undo step
// gives the drawn slices back.
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

// A run's result applied to the segment as it is when the run ends (SegEditing::applyRunResult):
// what the run changed relative to what it read goes in; what changed meanwhile stays (a stroke
// painted during the run, and voxels erased during the run that the result still holds: a plain
// union of result and segment would bring those back); another segment of its layer that the
// result reaches keeps every voxel (the segment moves to a layer of its own); one undo gives back
// the segment as it was when the run ended. A segment removed during the run (which may free its
// number for a new one) drops the result with seg.segment_gone.
TEST(SegFillBetweenGui, ARunsChangesApplyToTheSegmentAsItIsNow) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_NE(test::openWithSegments(w, "ct"), nullptr);
  const Volume& v = *w.state().layers()[0].volume;
  const auto& d = v.dims();
  const size_t n = static_cast<size_t>(v.voxelsPerPhase());
  auto box = [&](int64_t x0, int64_t x1, int64_t y0, int64_t y1, int64_t z0, int64_t z1) {
    std::vector<uint8_t> m(n, 0);
    for (int64_t z = z0; z <= z1; ++z)
      for (int64_t y = y0; y <= y1; ++y)
        for (int64_t x = x0; x <= x1; ++x) m[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
    return m;
  };
  auto volumeOf = [&](const std::vector<uint8_t>& m) {
    auto r = Volume::create(PixelType::UInt8, {d[0], d[1], d[2], 1});
    EXPECT_TRUE(r.ok());
    std::copy(m.begin(), m.end(), (*r)->as<uint8_t>());
    return *r;
  };
  Segment first, tumour, node;
  first.name = "First", tumour.name = "Tumour", node.name = "Node";
  ASSERT_TRUE(w.editing()->addSegment(first, box(0, 1, 0, 1, 0, 0).data()).ok());
  std::vector<uint8_t> input = box(2, 9, 2, 9, 1, 1);  // what the run read: the tumour on slices 1 and 5
  const auto slice5 = box(2, 9, 2, 9, 5, 5);
  for (size_t i = 0; i < n; ++i) input[i] |= slice5[i];
  ASSERT_TRUE(w.editing()->addSegment(tumour, input.data()).ok());
  ASSERT_TRUE(w.editing()->addSegment(node, box(12, 14, 2, 4, 3, 3).data()).ok());  // beside it, same layer
  const int index = w.state().activeSegment().first;
  const Segmentation& seg = *w.state().segmentations()[static_cast<size_t>(index)].segmentation;
  ASSERT_EQ(seg.segments()[1].layer, seg.segments()[2].layer);
  const uint16_t number = seg.segments()[1].number;
  const uint64_t removals = w.editing()->removalsOf(index);  // when the run starts
  // The result: slices 2..4 filled, reaching x = 14 on slice 3 (the node's voxels).
  std::vector<uint8_t> result = input;
  const auto between = box(2, 9, 2, 9, 2, 4), reach = box(10, 14, 2, 4, 3, 3);
  for (size_t i = 0; i < n; ++i) result[i] |= between[i] | reach[i];
  // Meanwhile: a stroke painted onto the tumour, and one erased from it (both in its own layer).
  w.state().setActiveSegment(index, 1);
  w.editing()->brushMm = 1.5;
  auto stroke = [&](view::BrushMode mode, int64_t x, int64_t y) {
    const std::vector<uint8_t> before = seg.mask(1);
    EXPECT_TRUE(w.editing()->beginStroke(mode).ok());
    EXPECT_TRUE(w.editing()->dab(v.geometry.worldAt(double(x), double(y), 1), v.geometry.direction[2]).ok());
    EXPECT_TRUE(w.editing()->endStroke().ok());
    std::vector<uint8_t> changed = seg.mask(1);
    for (size_t i = 0; i < n; ++i) changed[i] = changed[i] != before[i];
    EXPECT_GT(std::count(changed.begin(), changed.end(), 1), 0);
    return changed;
  };
  const auto painted = stroke(view::BrushMode::Paint, 3, 13);
  const auto erased = stroke(view::BrushMode::Erase, 5, 5);
  const std::vector<uint8_t> nodeBefore = seg.mask(2);
  const std::vector<uint8_t> tumourBefore = seg.mask(1);
  ASSERT_TRUE(w.editing()->applyRunResult(seg, number, removals, *volumeOf(input), *volumeOf(result)).ok());
  std::vector<uint8_t> want = result;
  for (size_t i = 0; i < n; ++i) want[i] = (want[i] || painted[i]) && !erased[i];
  EXPECT_EQ(seg.mask(1), want);
  EXPECT_EQ(seg.mask(2), nodeBefore) << "the node lost voxels";
  EXPECT_NE(seg.segments()[1].layer, seg.segments()[2].layer);
  ASSERT_TRUE(w.editing()->undo());
  EXPECT_EQ(seg.mask(1), tumourBefore);
  // "First" removed during the run: the number may have been freed, so the result is dropped.
  w.state().setActiveSegment(index, 0);
  ASSERT_TRUE(w.editing()->removeActiveSegment().ok());
  const auto gone = w.editing()->applyRunResult(seg, number, removals, *volumeOf(input), *volumeOf(result));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, "seg.segment_gone");
  EXPECT_EQ(seg.mask(0), tumourBefore) << "a dropped result changed the segment";
}
