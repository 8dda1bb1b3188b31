// SPDX-License-Identifier: MIT
// SegEditor::replaceMask / replaceMasks (a plugin's result written onto existing segments): the
// segments hold exactly the new voxels afterwards, another segment of the same layer keeps the
// voxels the new mask does not take, and one undo restores every byte of every layer.
#include <gtest/gtest.h>

#include <vector>

#include <cvx/viewstate/seg_edit.h>

using namespace cvx;
using namespace cvx::view;

namespace {

Segment named(const char* name) {
  Segment s;
  s.name = name;
  return s;
}

const std::array<int64_t, 3> kDims{20, 18, 12};
const int64_t kN = kDims[0] * kDims[1] * kDims[2];

int64_t idx(int64_t x, int64_t y, int64_t z) { return (z * kDims[1] + y) * kDims[0] + x; }

std::vector<uint8_t> block(int64_t x0, int64_t x1, int64_t y0, int64_t y1, int64_t z0, int64_t z1,
                           uint8_t v = 1) {
  std::vector<uint8_t> m(static_cast<size_t>(kN), 0);
  for (int64_t z = z0; z <= z1; ++z)
    for (int64_t y = y0; y <= y1; ++y)
      for (int64_t x = x0; x <= x1; ++x) m[static_cast<size_t>(idx(x, y, z))] = v;
  return m;
}

std::vector<std::vector<uint8_t>> bytes(const Segmentation& s) {
  std::vector<std::vector<uint8_t>> out;
  for (const auto& l : s.layers()) out.emplace_back(l->as<uint8_t>(), l->as<uint8_t>() + s.voxelsPerLayer());
  return out;
}

}  // namespace

TEST(SegReplace, OneSegmentGetsExactlyTheNewMaskAndUndoRestoresIt) {
  Segmentation seg(kDims, Geometry{});
  SegEditor ed(seg);
  const auto a = block(2, 7, 2, 7, 2, 5), b = block(10, 15, 3, 9, 1, 8);
  ASSERT_TRUE(ed.addSegment(named("a"), a.data()).ok());
  ASSERT_TRUE(ed.addSegment(named("b"), b.data()).ok());
  ASSERT_EQ(seg.segments()[0].layer, seg.segments()[1].layer);  // disjoint: one layer
  const auto before = bytes(seg);
  // a's new mask overlaps b's block in x 10..12: there it takes over b's voxels.
  const auto next = block(5, 12, 4, 6, 3, 4);
  ASSERT_TRUE(ed.replaceMask(0, next.data()).ok());
  EXPECT_EQ(seg.mask(0), next);
  int64_t bExpected = 0;
  for (int64_t i = 0; i < kN; ++i) bExpected += b[static_cast<size_t>(i)] && !next[static_cast<size_t>(i)];
  EXPECT_EQ(seg.voxelCount(1), bExpected);
  EXPECT_LT(bExpected, 6 * 7 * 8);
  ASSERT_TRUE(ed.undo());
  EXPECT_EQ(bytes(seg), before);
  ASSERT_TRUE(ed.redo());
  EXPECT_EQ(seg.mask(0), next);
  EXPECT_FALSE(ed.replaceMask(5, next.data()).ok());
}

TEST(SegReplace, SeedClassesReplaceTheirSegmentsInOneStep) {
  Segmentation seg(kDims, Geometry{});
  SegEditor ed(seg);
  const auto fg = block(3, 4, 3, 4, 3, 4), bg = block(15, 16, 12, 13, 8, 9);
  ASSERT_TRUE(ed.addSegment(named("foreground"), fg.data()).ok());
  ASSERT_TRUE(ed.addSegment(named("background"), bg.data()).ok());
  const auto before = bytes(seg);
  const size_t steps = ed.undoSteps();
  // A label map: 1 in the left half (x < 10), 2 in the right half: segments 0 and 1.
  std::vector<uint8_t> labels(static_cast<size_t>(kN));
  for (int64_t z = 0; z < kDims[2]; ++z)
    for (int64_t y = 0; y < kDims[1]; ++y)
      for (int64_t x = 0; x < kDims[0]; ++x) labels[static_cast<size_t>(idx(x, y, z))] = x < 10 ? 1 : 2;
  ASSERT_TRUE(ed.replaceMasks({0, 1}, labels.data()).ok());
  EXPECT_EQ(ed.undoSteps(), steps + 1);
  EXPECT_EQ(seg.voxelCount(0), kN / 2);
  EXPECT_EQ(seg.voxelCount(1), kN / 2);
  const auto m0 = seg.mask(0);
  for (int64_t z = 0; z < kDims[2]; ++z)
    for (int64_t y = 0; y < kDims[1]; ++y)
      for (int64_t x = 0; x < kDims[0]; ++x) ASSERT_EQ(m0[static_cast<size_t>(idx(x, y, z))], x < 10 ? 1 : 0);
  ASSERT_TRUE(ed.undo());
  EXPECT_EQ(bytes(seg), before);
}
