// The per-voxel rules of cvx/core/hd/segment.h against their definitions in docs/segmentation.md.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <tuple>

#include <cvx/core/hd/segment.h>

namespace cvx::hd {
namespace {

TEST(HdSegment, ThresholdIsInclusiveAndNeverNaN) {
  EXPECT_TRUE(inRange<int16_t>(-400, -400.0, 200.0));
  EXPECT_TRUE(inRange<int16_t>(200, -400.0, 200.0));
  EXPECT_FALSE(inRange<int16_t>(201, -400.0, 200.0));
  EXPECT_FALSE(inRange<int16_t>(-401, -400.0, 200.0));
  EXPECT_TRUE(inRange<float>(0.5f, 0.5, 0.5));
  EXPECT_FALSE(inRange<float>(std::nanf(""), -1e30, 1e30));
  EXPECT_FALSE(inRange<uint8_t>(5, 6.0, 4.0));  // lo > hi selects nothing
}

TEST(HdSegment, SixNeighboursAreTheFaces) {
  std::set<std::tuple<int, int, int>> got;
  ASSERT_EQ(neighbourCount(6), 6);
  for (int n = 0; n < 6; ++n) {
    const Offset3i o = neighbourOffset(6, n);
    got.insert({o.dx, o.dy, o.dz});
    EXPECT_TRUE(isNeighbour(6, o.dx, o.dy, o.dz));
  }
  const std::set<std::tuple<int, int, int>> faces{{-1, 0, 0}, {1, 0, 0},  {0, -1, 0},
                                                  {0, 1, 0},  {0, 0, -1}, {0, 0, 1}};
  EXPECT_EQ(got, faces);
  EXPECT_FALSE(isNeighbour(6, 1, 1, 0));
  EXPECT_FALSE(isNeighbour(6, 0, 0, 0));
}

TEST(HdSegment, TwentySixNeighboursAreTheBlockWithoutItsCentre) {
  std::set<std::tuple<int, int, int>> got;
  ASSERT_EQ(neighbourCount(26), 26);
  for (int n = 0; n < 26; ++n) {
    const Offset3i o = neighbourOffset(26, n);
    got.insert({o.dx, o.dy, o.dz});
    EXPECT_TRUE(isNeighbour(26, o.dx, o.dy, o.dz));
  }
  EXPECT_EQ(got.size(), 26u);
  for (int z = -1; z <= 1; ++z)
    for (int y = -1; y <= 1; ++y)
      for (int x = -1; x <= 1; ++x) EXPECT_EQ(got.count({x, y, z}), (x || y || z) ? 1u : 0u);
  const Offset3i first = neighbourOffset(26, 0);
  EXPECT_EQ(first.dx + first.dy + first.dz, -3);  // x fastest from (-1,-1,-1)
  EXPECT_FALSE(isNeighbour(26, 2, 0, 0));
  EXPECT_EQ(neighbourCount(18), 0);
}

TEST(HdSegment, BallKeepsVoxelsOnTheSphere) {
  // r = 2 mm at 1 mm: (2,0,0) lies on the sphere and is inside; (1,1,2) is sqrt(6) > 2 mm away.
  EXPECT_TRUE(inBall(2, 0, 0, 1, 1, 1, 2.0));
  EXPECT_TRUE(inBall(0, 0, -2, 1, 1, 1, 2.0));
  EXPECT_FALSE(inBall(1, 1, 2, 1, 1, 1, 2.0));
  // 3 x 0.7 mm is 2.1 mm, which double does not hold exactly; the epsilon keeps it inside.
  EXPECT_TRUE(inBall(3, 0, 0, 0.7, 0.7, 0.7, 2.1));
  EXPECT_EQ(ballExtent(2.1, 0.7), 3);
  EXPECT_FALSE(inBall(3, 0, 0, 0.7, 0.7, 0.7, 2.0999));
  EXPECT_EQ(ballExtent(2.0999, 0.7), 2);
  // A radius below the spacing: the ball is flat along that axis.
  EXPECT_EQ(ballExtent(2.0, 3.0), 0);
  EXPECT_EQ(ballExtent(0.0, 1.0), 0);
  EXPECT_EQ(ballExtent(-1.0, 1.0), -1);
  EXPECT_EQ(ballExtent(1.0, 0.0), -1);
  EXPECT_EQ(ballExtent(std::nan(""), 1.0), -1);
}

TEST(HdSegment, BallCountMatchesTheSphereVolumeForLargeRadii) {
  // A radius of 20 voxels: the voxel count of the ball is within 1% of 4/3 pi r^3.
  int64_t n = 0;
  const double r = 20.0;
  const int e = ballExtent(r, 1.0);
  ASSERT_EQ(e, 20);
  for (int k = -e; k <= e; ++k)
    for (int j = -e; j <= e; ++j)
      for (int i = -e; i <= e; ++i) n += inBall(i, j, k, 1, 1, 1, r);
  const double expected = 4.0 / 3.0 * M_PI * r * r * r;
  EXPECT_NEAR(static_cast<double>(n), expected, 0.01 * expected);
}

TEST(HdSegment, BinsFollowTheirEdges) {
  // Edges computed as min + b * width in double: 3 * 0.1 is 0.30000000000000004, so 0.3 is in bin 2.
  const Bins h{0.0, 0.1, 10};
  EXPECT_EQ(binOf(h, 0.3), 2);
  for (int b = 1; b < 10; ++b) {
    const double e = binEdge(h, b);
    EXPECT_EQ(binOf(h, e), b) << "edge " << b;
    EXPECT_EQ(binOf(h, std::nextafter(e, -1.0)), b - 1) << "below edge " << b;
  }
  EXPECT_EQ(binOf(h, 1.0), 9);   // the maximum is in the last bin
  EXPECT_EQ(binOf(h, 7.0), 9);   // above: the last bin
  EXPECT_EQ(binOf(h, -5.0), 0);  // below: the first
  EXPECT_EQ(binOf(h, std::nan("")), 0);
  // Integer data with power-of-two bins: floor((v - min) / width) exactly.
  const Bins g{-1024.0, 4096.0 / 128.0, 128};
  for (int v = -1024; v <= 3072; v += 7) EXPECT_EQ(binOf(g, v), std::min(127, (v + 1024) / 32)) << v;
  EXPECT_DOUBLE_EQ(binCentre(g, 0), -1024.0 + 16.0);
}

}  // namespace
}  // namespace cvx::hd
