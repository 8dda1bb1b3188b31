// SPDX-License-Identifier: MIT
// Statistics per segment (cvx/viewstate/seg_stats.h) on a phantom whose values are known: the
// stored value of voxel (x, y, z) is x, so over a voxel set enumerated here by brute force the
// count, mean, SD, min and max follow from the x indices alone.
#include <gtest/gtest.h>

#include <cvx/viewstate/seg_stats.h>
#include <cmath>

#include "seg_edit_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

const std::array<int64_t, 3> kDims{34, 30, 24};

std::shared_ptr<Volume> xRamp(PixelType type, double slope, double intercept, bool applied) {
  auto v = Volume::create(type, {kDims[0], kDims[1], kDims[2], 1});
  EXPECT_TRUE(v.ok());
  for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++m) {
        if (type == PixelType::Int16) (*v)->as<int16_t>()[m] = static_cast<int16_t>(i);
        if (type == PixelType::Float32) (*v)->as<float>()[m] = static_cast<float>(i);
      }
  (*v)->info.rescaleSlope = slope;
  (*v)->info.rescaleIntercept = intercept;
  (*v)->info.rescaleApplied = applied;
  return *v;
}

// Brute force over the enumerated voxel x indices: count, mean, population SD, min, max of
// slope * x + intercept.
struct Expected {
  int64_t n = 0;
  double mean = 0, sd = 0, min = 1e300, max = -1e300;
};
Expected expectedOf(const std::vector<int64_t>& xs, double slope, double intercept) {
  Expected e;
  e.n = static_cast<int64_t>(xs.size());
  for (int64_t x : xs) e.mean += slope * x + intercept;
  e.mean /= static_cast<double>(e.n);
  for (int64_t x : xs) {
    const double v = slope * x + intercept;
    e.sd += (v - e.mean) * (v - e.mean);
    e.min = std::min(e.min, v), e.max = std::max(e.max, v);
  }
  e.sd = std::sqrt(e.sd / static_cast<double>(e.n));
  return e;
}

}  // namespace

TEST(SegStats, BallsOnAnXRampGiveTheBruteForceValues) {
  const Geometry g = test::obliqueGeometry({0.8, 0.7, 1.9}, {3, -4, 10}, 0.3, -0.2, 0.1);
  Segmentation seg(kDims, g);
  const int64_t n = seg.voxelsPerLayer();
  // Ball A (index-space radius 6 about (12, 14, 11)), ball B (radius 4 about (24, 12, 9)) in the
  // same layer, and C, a slab x in [5, 9], overlapping both: a second layer.
  std::vector<uint8_t> a(n, 0), b(n, 0), c(n, 0);
  std::vector<int64_t> xa, xb, xc;
  for (int64_t k = 0, m = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++m) {
        auto d2 = [&](int64_t x, int64_t y, int64_t z) {
          return (i - x) * (i - x) + (j - y) * (j - y) + (k - z) * (k - z);
        };
        if (d2(12, 14, 11) <= 36) a[m] = 1, xa.push_back(i);
        if (d2(24, 12, 9) <= 16) b[m] = 1, xb.push_back(i);
        if (i >= 5 && i <= 9) c[m] = 1, xc.push_back(i);
      }
  ASSERT_TRUE(seg.addSegment(test::named("a"), a.data()).ok());
  ASSERT_TRUE(seg.addSegment(test::named("b"), b.data()).ok());
  ASSERT_TRUE(seg.addSegment(test::named("c"), c.data()).ok());
  ASSERT_EQ(seg.segments()[1].layer, 0u);
  ASSERT_EQ(seg.segments()[2].layer, 1u);
  Segment empty = test::named("empty");
  empty.layer = 0, empty.label = 9;
  seg.segments().push_back(empty);

  const double slope = 2.5, intercept = -1024;
  const auto vol = xRamp(PixelType::Int16, slope, intercept, false);
  auto st = segmentStats(seg, *vol);
  ASSERT_TRUE(st.ok()) << st.error().str();
  ASSERT_EQ(st->size(), 4u);
  // |det| of the voxel-to-world matrix of a rotation with spacing (0.8, 0.7, 1.9).
  const double voxelMl = 0.8 * 0.7 * 1.9 / 1000.0;
  const std::vector<int64_t>* sets[3] = {&xa, &xb, &xc};
  for (int s = 0; s < 3; ++s) {
    const Expected e = expectedOf(*sets[s], slope, intercept);
    const SegmentStats& r = (*st)[static_cast<size_t>(s)];
    EXPECT_EQ(r.voxels, e.n) << s;
    EXPECT_NEAR(r.volumeMl, e.n * voxelMl, 1e-9) << s;
    EXPECT_NEAR(r.mean, e.mean, 1e-9) << s;
    EXPECT_NEAR(r.sd, e.sd, 1e-9) << s;
    EXPECT_EQ(r.min, e.min) << s;
    EXPECT_EQ(r.max, e.max) << s;
  }
  // The balls are symmetric about their centre's x: mean = slope x0 + intercept, min/max at x0 -+ r.
  EXPECT_NEAR((*st)[0].mean, slope * 12 + intercept, 1e-9);
  EXPECT_EQ((*st)[0].min, slope * 6 + intercept);
  EXPECT_EQ((*st)[1].max, slope * 28 + intercept);
  EXPECT_EQ((*st)[3].voxels, 0);
  EXPECT_EQ((*st)[3].mean, 0);
}

TEST(SegStats, ModalityValuesAreNotRescaledTwice) {
  Geometry g;
  Segmentation seg(kDims, g);
  std::vector<uint8_t> m(seg.voxelsPerLayer(), 0);
  std::vector<int64_t> xs;
  for (int64_t k = 0, q = 0; k < kDims[2]; ++k)
    for (int64_t j = 0; j < kDims[1]; ++j)
      for (int64_t i = 0; i < kDims[0]; ++i, ++q)
        if (j == 3 && k == 4 && i >= 10 && i < 20) m[q] = 1, xs.push_back(i);
  ASSERT_TRUE(seg.addSegment(test::named("row"), m.data()).ok());
  // rescaleApplied: the voxels are modality values; slope and intercept must not apply again.
  auto st = segmentStats(seg, *xRamp(PixelType::Float32, 3.0, 500.0, true));
  ASSERT_TRUE(st.ok());
  const Expected e = expectedOf(xs, 1.0, 0.0);
  EXPECT_EQ((*st)[0].voxels, 10);
  EXPECT_NEAR((*st)[0].mean, 14.5, 1e-12);
  EXPECT_NEAR((*st)[0].sd, e.sd, 1e-12);
  EXPECT_NEAR((*st)[0].sd, std::sqrt(8.25), 1e-12);  // population SD of 10 consecutive integers
  EXPECT_EQ((*st)[0].min, 10);
  EXPECT_EQ((*st)[0].max, 19);
}

TEST(SegStats, ErrorsHaveCodes) {
  Geometry g;
  Segmentation seg({10, 10, 10}, g);
  EXPECT_EQ(segmentStats(seg, *xRamp(PixelType::Int16, 1, 0, false)).error().code, "seg.stats_grid_mismatch");
  Segmentation same(kDims, g);
  EXPECT_EQ(segmentStats(same, *xRamp(PixelType::Int16, 1, 0, false), 1).error().code,
            "seg.stats_grid_mismatch");
}
