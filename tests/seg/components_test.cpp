// labelComponents, keepLargest and removeSmallIslands on cubes of known sizes, and labelling of
// random masks against a breadth-first search written here (compared as partitions).
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include <cvx/seg/segment.h>

#include "seg_phantom.h"

namespace cvx::seg {
namespace {

using test::countNonZero;
using test::maskPhantom;

bool inCube(int64_t x, int64_t y, int64_t z, int64_t x0, int64_t y0, int64_t z0, int64_t n) {
  return x >= x0 && x < x0 + n && y >= y0 && y < y0 + n && z >= z0 && z < z0 + n;
}

// Cubes of 2^3 (at the origin corner), 4^3, 3^3 (touching the 4^3 at one corner) and 5^3.
std::shared_ptr<Volume> cubes() {
  return maskPhantom(24, 20, 16, {0.5, 0.5, 2.0}, [](int64_t x, int64_t y, int64_t z) {
    return inCube(x, y, z, 0, 0, 0, 2) || inCube(x, y, z, 5, 5, 5, 4) || inCube(x, y, z, 9, 9, 9, 3) ||
           inCube(x, y, z, 15, 2, 3, 5);
  });
}

TEST(SegComponents, CubesSizesAndRasterOrder) {
  auto m = cubes();
  auto six = labelComponents(*m, 6);
  ASSERT_TRUE(six.ok()) << six.error().str();
  ASSERT_EQ(six->count(), 4u);
  // Raster order of first voxels: (0,0,0) the 2^3, (15,2,3) the 5^3, (5,5,5) the 4^3, (9,9,9) the 3^3.
  EXPECT_EQ(six->voxels[1], 8);
  EXPECT_EQ(six->voxels[2], 125);
  EXPECT_EQ(six->voxels[3], 64);
  EXPECT_EQ(six->voxels[4], 27);
  EXPECT_EQ(six->voxels[0], 24 * 20 * 16 - 8 - 125 - 64 - 27);
  auto label = [&](const Components& c, int64_t x, int64_t y, int64_t z) {
    return c.labels[(z * 20 + y) * 24 + x];
  };
  EXPECT_EQ(label(*six, 1, 1, 1), 1u);
  EXPECT_EQ(label(*six, 19, 6, 7), 2u);
  EXPECT_EQ(label(*six, 8, 8, 8), 3u);
  EXPECT_EQ(label(*six, 9, 9, 9), 4u);
  EXPECT_EQ(label(*six, 3, 3, 3), 0u);
  EXPECT_EQ(six->dims[2], 16);
  EXPECT_EQ(six->geometry.spacingMm.z, 2.0);
  auto full = labelComponents(*m, 26);
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->count(), 3u);  // the 4^3 and the 3^3 touch at a corner
  EXPECT_EQ(full->voxels[3], 64 + 27);
  auto vol = full->toVolume();
  ASSERT_TRUE(vol.ok());
  EXPECT_EQ((*vol)->type(), PixelType::UInt16);
  EXPECT_EQ((*vol)->as<uint16_t>()[(9 * 20 + 9) * 24 + 9], 3);
}

TEST(SegComponents, KeepLargestAndRemoveSmallIslands) {
  auto m = cubes();
  auto big6 = keepLargest(*m, 6);
  ASSERT_TRUE(big6.ok());
  test::expectMaskOf(**big6, *m);
  EXPECT_EQ(countNonZero(**big6), 125);
  EXPECT_EQ(test::at(**big6, 16, 3, 4), 1);
  EXPECT_EQ(countNonZero(**keepLargest(*m, 26)), 125);
  EXPECT_EQ(countNonZero(**removeSmallIslands(*m, 27, 6)), 125 + 64 + 27);
  EXPECT_EQ(countNonZero(**removeSmallIslands(*m, 28, 6)), 125 + 64);
  EXPECT_EQ(countNonZero(**removeSmallIslands(*m, 28, 26)), 125 + 64 + 27);
  EXPECT_EQ(countNonZero(**removeSmallIslands(*m, 0, 6)), 8 + 125 + 64 + 27);
  // A voxel is 0.5 x 0.5 x 2 mm = 0.0005 mL: 0.013 mL keeps 26 voxels and up, 0.014 mL 28 and up.
  EXPECT_EQ(countNonZero(**removeSmallIslandsMl(*m, 0.013, 6)), 125 + 64 + 27);
  EXPECT_EQ(countNonZero(**removeSmallIslandsMl(*m, 0.014, 6)), 125 + 64);
  EXPECT_EQ(countNonZero(**removeSmallIslandsMl(*m, 0.05, 6)), 125);
  EXPECT_EQ(removeSmallIslands(*m, -1).error().code, "seg.bad_parameter");
  EXPECT_EQ(removeSmallIslandsMl(*m, NAN).error().code, "seg.bad_parameter");
  auto empty = maskPhantom(5, 5, 5, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return false; });
  auto e = keepLargest(*empty);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(countNonZero(**e), 0);
  EXPECT_EQ(labelComponents(*empty)->count(), 0u);
}

// Labels of a breadth-first search: component numbers in raster order of first voxels.
std::vector<uint32_t> bfsLabels(const Volume& m, int conn) {
  const int64_t nx = m.dims()[0], ny = m.dims()[1], nz = m.dims()[2];
  std::vector<uint32_t> lab(static_cast<size_t>(nx * ny * nz), 0);
  uint32_t next = 0;
  for (int64_t s = 0; s < nx * ny * nz; ++s) {
    if (!m.as<uint8_t>()[s] || lab[s]) continue;
    lab[s] = ++next;
    std::deque<int64_t> q{s};
    while (!q.empty()) {
      const int64_t p = q.front();
      q.pop_front();
      const int64_t px = p % nx, py = (p / nx) % ny, pz = p / (nx * ny);
      for (int dz = -1; dz <= 1; ++dz)
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int man = std::abs(dx) + std::abs(dy) + std::abs(dz);
            if (man == 0 || (conn == 6 && man > 1)) continue;
            const int64_t x = px + dx, y = py + dy, z = pz + dz;
            if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
            const int64_t i = (z * ny + y) * nx + x;
            if (m.as<uint8_t>()[i] && !lab[i]) {
              lab[i] = next;
              q.push_back(i);
            }
          }
    }
  }
  return lab;
}

TEST(SegComponents, RandomMasksEqualBreadthFirstSearch) {
  for (const int conn : {6, 26}) {
    auto m = test::randomMask(37, 29, 23, {1, 1, 1}, conn == 6 ? 0.3 : 0.1, 7 + conn);
    auto c = labelComponents(*m, conn);
    ASSERT_TRUE(c.ok());
    const auto ref = bfsLabels(*m, conn);
    // Both number components in raster order of their first voxel, so the labels are identical.
    int64_t diff = 0;
    for (size_t i = 0; i < ref.size(); ++i) diff += ref[i] != c->labels[i];
    EXPECT_EQ(diff, 0) << "connectivity " << conn;
    uint32_t maxRef = 0;
    for (uint32_t l : ref) maxRef = std::max(maxRef, l);
    EXPECT_EQ(c->count(), maxRef);
    EXPECT_GT(maxRef, 100u);
  }
}

TEST(SegComponents, TooManyForUInt16AndErrors) {
  // A 3D checkerboard is 67584 single-voxel components under 6-connectivity (one under 26).
  auto m = maskPhantom(64, 64, 33, {1, 1, 1},
                       [](int64_t x, int64_t y, int64_t z) { return (x + y + z) % 2 == 0; });
  auto six = labelComponents(*m, 6);
  ASSERT_TRUE(six.ok());
  EXPECT_EQ(six->count(), 67584u);
  EXPECT_EQ(six->toVolume().error().code, "seg.too_many_labels");
  EXPECT_EQ(labelComponents(*m, 26)->count(), 1u);
  EXPECT_EQ(labelComponents(*m, 18).error().code, "seg.bad_connectivity");
  auto f = test::phantom<float>(3, 3, 3, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1; });
  EXPECT_EQ(keepLargest(*f).error().code, "seg.bad_pixel_type");
  Progress stop;
  stop.cancel();
  EXPECT_EQ(labelComponents(*m, 6, &stop).error().code, "seg.cancelled");
  EXPECT_EQ(removeSmallIslands(*m, 3, 6, &stop).error().code, "seg.cancelled");
}

}  // namespace
}  // namespace cvx::seg
