// SPDX-License-Identifier: MIT
// SegEditor::combine (logical operators between segments): each operator's result against the
// set operation done here on the masks, no other segment ever changed (a result that would share a
// layer's voxel with another segment moves to a layer of its own), and one undo restores every
// byte and the segment table.
#include <gtest/gtest.h>

#include <vector>

#include <cvx/viewstate/seg_edit.h>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

const std::array<int64_t, 3> kDims{16, 14, 10};
const size_t kN = static_cast<size_t>(kDims[0] * kDims[1] * kDims[2]);

std::vector<uint8_t> block(int64_t x0, int64_t x1, int64_t y0, int64_t y1, int64_t z0, int64_t z1) {
  return test::blockMask(kDims, x0, x1, y0, y1, z0, z1);
}

Segment named(const char* name) {
  Segment s;
  s.name = name;
  return s;
}

std::vector<std::vector<uint8_t>> bytes(const Segmentation& s) {
  std::vector<std::vector<uint8_t>> out;
  for (const auto& l : s.layers()) out.emplace_back(l->as<uint8_t>(), l->as<uint8_t>() + s.voxelsPerLayer());
  return out;
}

// a and b overlap (x 6..8); c lies apart. a and c share layer 0, b (overlapping a) layer 1.
struct Three {
  Segmentation seg{kDims, Geometry{}};
  SegEditor ed{seg};
  std::vector<uint8_t> a = block(1, 8, 2, 9, 1, 6), b = block(6, 12, 4, 11, 3, 8), c = block(13, 15, 0, 3, 0, 2);
  Three() {
    EXPECT_TRUE(ed.addSegment(named("a"), a.data()).ok());
    EXPECT_TRUE(ed.addSegment(named("b"), b.data()).ok());
    EXPECT_TRUE(ed.addSegment(named("c"), c.data()).ok());
    EXPECT_EQ(seg.segments()[0].layer, seg.segments()[2].layer);
    EXPECT_NE(seg.segments()[0].layer, seg.segments()[1].layer);
  }
};

}  // namespace

TEST(SegLogic, EachOperatorGivesTheSetOperationAndNoOtherSegmentChanges) {
  struct Case {
    SegLogic op;
    bool (*in)(bool a, bool b);
  };
  const Case cases[] = {{SegLogic::Add, [](bool a, bool b) { return a || b; }},
                        {SegLogic::Intersect, [](bool a, bool b) { return a && b; }},
                        {SegLogic::Subtract, [](bool a, bool b) { return a && !b; }},
                        {SegLogic::Invert, [](bool a, bool) { return !a; }},
                        {SegLogic::Copy, [](bool, bool b) { return b; }}};
  for (const Case& k : cases) {
    Three t;
    const auto before = bytes(t.seg);
    const auto table = t.seg.segments();
    const size_t steps = t.ed.undoSteps();
    ASSERT_TRUE(t.ed.combine(0, k.op, 1).ok()) << static_cast<int>(k.op);
    const auto got = t.seg.mask(0);
    int64_t wrong = 0, count = 0;
    for (size_t i = 0; i < kN; ++i) {
      const bool want = k.in(t.a[i] != 0, t.b[i] != 0);
      wrong += (got[i] != 0) != want;
      count += want;
    }
    EXPECT_EQ(wrong, 0) << static_cast<int>(k.op);
    EXPECT_EQ(t.seg.voxelCount(0), count) << static_cast<int>(k.op);
    EXPECT_EQ(t.seg.mask(1), t.b) << "b changed by " << static_cast<int>(k.op);
    EXPECT_EQ(t.seg.mask(2), t.c) << "c changed by " << static_cast<int>(k.op);
    EXPECT_EQ(t.ed.undoSteps(), steps + 1);
    ASSERT_TRUE(t.ed.undo());
    EXPECT_GE(bytes(t.seg).size(), before.size());  // a layer added for the move stays, empty
    for (size_t l = 0; l < before.size(); ++l) EXPECT_EQ(bytes(t.seg)[l], before[l]) << "layer " << l;
    for (size_t s = 0; s < table.size(); ++s) {
      EXPECT_EQ(t.seg.segments()[s].layer, table[s].layer);
      EXPECT_EQ(t.seg.segments()[s].label, table[s].label);
    }
    EXPECT_EQ(t.seg.mask(0), t.a);
  }
}

// Where it can, the result stays in its layer with its label: a less b never meets c.
TEST(SegLogic, AResultThatMeetsNoOtherSegmentKeepsItsLayerAndLabel) {
  Three t;
  const Segment was = t.seg.segments()[0];
  ASSERT_TRUE(t.ed.combine(0, SegLogic::Subtract, 1).ok());
  EXPECT_EQ(t.seg.segments()[0].layer, was.layer);
  EXPECT_EQ(t.seg.segments()[0].label, was.label);
  // Adding c, a segment of a's own layer: the result would take c's voxels there, so a moves to
  // another layer and c keeps every voxel.
  ASSERT_TRUE(t.ed.combine(0, SegLogic::Add, 2).ok());
  EXPECT_EQ(t.seg.mask(2), t.c);
  EXPECT_NE(t.seg.segments()[0].layer, t.seg.segments()[2].layer);
  EXPECT_FALSE(t.ed.combine(0, SegLogic::Add, 7).ok());
  EXPECT_FALSE(t.ed.combine(9, SegLogic::Invert, 0).ok());
}
