// SPDX-License-Identifier: MIT
// SegEditor::island (the Island tool): the piece holding the seed kept, or removed, against pieces
// built here (three blocks: two touching at a corner only, one apart), under 6 and 26 connectivity;
// other segments untouched; one undo; errors.
#include <gtest/gtest.h>

#include <vector>

#include <cvx/viewstate/seg_edit.h>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

const std::array<int64_t, 3> kDims{20, 12, 10};
const size_t kN = static_cast<size_t>(kDims[0] * kDims[1] * kDims[2]);

std::vector<uint8_t> block(int64_t x0, int64_t x1, int64_t y0, int64_t y1, int64_t z0, int64_t z1) {
  return test::blockMask(kDims, x0, x1, y0, y1, z0, z1);
}

std::vector<uint8_t> either(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  std::vector<uint8_t> m(kN);
  for (size_t i = 0; i < kN; ++i) m[i] = a[i] | b[i];
  return m;
}

}  // namespace

TEST(SegIsland, KeepsOrRemovesThePieceOfTheSeedUnderEachConnectivity) {
  // a: x 1..4; b: x 5..7, touching a at a corner only ((4,4,4) and (5,5,5)); c: x 12..15, apart.
  const auto a = block(1, 4, 1, 4, 1, 4), b = block(5, 7, 5, 7, 5, 7), c = block(12, 15, 2, 6, 2, 6);
  const auto all = either(either(a, b), c);
  for (const int connectivity : {6, 26}) {
    for (const bool keep : {true, false}) {
      Segmentation seg(kDims, Geometry{});
      ASSERT_TRUE(seg.addSegment(Segment{}, all.data()).ok());
      const auto other = block(0, 19, 10, 11, 0, 9);  // another segment, in its own layer or not
      ASSERT_TRUE(seg.addSegment(Segment{}, other.data()).ok());
      SegEditor ed(seg);
      ASSERT_TRUE(ed.island(0, {2, 2, 2}, keep, connectivity).ok());
      // The piece of a: a alone under 6; a and b under 26 (they share a corner voxel's corner).
      const auto piece = connectivity == 26 ? either(a, b) : a;
      std::vector<uint8_t> want(kN);
      for (size_t i = 0; i < kN; ++i) want[i] = keep ? piece[i] : all[i] && !piece[i];
      EXPECT_EQ(seg.mask(0), want) << "connectivity " << connectivity << ", keep " << keep;
      EXPECT_EQ(seg.mask(1), other) << "another segment never changes";
      ASSERT_TRUE(ed.undo());
      EXPECT_EQ(seg.mask(0), all) << "one undo";
    }
  }
}

TEST(SegIsland, ASeedOutsideTheSegmentIsAnError) {
  Segmentation seg(kDims, Geometry{});
  const auto a = block(1, 4, 1, 4, 1, 4);
  ASSERT_TRUE(seg.addSegment(Segment{}, a.data()).ok());
  SegEditor ed(seg);
  EXPECT_EQ(ed.island(0, {10, 10, 8}, true).error().code, "seg.edit_no_island");
  EXPECT_EQ(ed.island(0, {-1, 2, 2}, true).error().code, "seg.edit_no_island");
  EXPECT_EQ(ed.island(0, {2, 2, 2}, true, 18).error().code, "seg.bad_connectivity");
  EXPECT_EQ(ed.island(3, {2, 2, 2}, true).error().code, "seg.edit_bad_segment");
  EXPECT_EQ(seg.mask(0), a);
  EXPECT_FALSE(ed.undo()) << "no step was made";
}
