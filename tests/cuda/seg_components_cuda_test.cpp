// SPDX-License-Identifier: MIT
// cuda::seg::labelComponents (and keepLargest, removeSmallIslands) against cvx::seg's: the same
// labels (memcmp of the uint32 label arrays: the numbering, raster order of each component's first
// voxel, must match too) and the same sizes, on a speckled mask (thousands of components) and on
// diagonal chains whose component counts are known (6: every voxel alone; 26: one per chain).
// Skips without a device; fails with CVX_REQUIRE_CUDA=1.
#include <cvx/cuda/segment.h>
#include <cvx/seg/segment.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "need_gpu.h"
#include "seg_cuda_phantom.h"

namespace {

using namespace cvx::test::segcuda;
namespace gpu = cvx::cuda::seg;

void expectSameComponents(const cvx::seg::Components& c, const gpu::Components& g, const std::string& what) {
  ASSERT_EQ(c.labels.size(), g.labels.size()) << what;
  EXPECT_EQ(c.count(), g.count()) << what;
  EXPECT_EQ(std::memcmp(c.labels.data(), g.labels.data(), c.labels.size() * sizeof(uint32_t)), 0) << what;
  EXPECT_EQ(c.voxels, g.voxels) << what;
  std::cout << "[ labels   ] " << what << ": " << c.count() << " components on the CPU, " << g.count()
            << " on the GPU\n";
}

TEST(SegCudaComponents, SpeckleEqualsCpu) {
  auto v = spheres(131, 97, 45, {0.7, 0.8, 1.5}, 300);
  auto m = cvx::seg::threshold(*v, 150, 2000);  // the noise makes speckle outside and holes inside
  ASSERT_TRUE(m.ok());
  CVX_NEED_GPU();
  for (int conn : {6, 26}) {
    auto c = cvx::seg::labelComponents(**m, conn);
    auto g = gpu::labelComponents(**m, conn);
    ASSERT_TRUE(c.ok() && g.ok()) << (g.ok() ? "" : g.error().str());
    EXPECT_GT(c->count(), 100u);
    expectSameComponents(*c, *g, "speckle " + std::to_string(conn));
  }
}

TEST(SegCudaComponents, KeepLargestAndIslandsEqualCpu) {
  auto v = spheres(131, 97, 45, {0.7, 0.8, 1.5}, 300);
  auto m = cvx::seg::threshold(*v, 150, 2000);
  ASSERT_TRUE(m.ok());
  CVX_NEED_GPU();
  for (int conn : {6, 26}) {
    auto c = cvx::seg::keepLargest(**m, conn);
    auto g = gpu::keepLargest(**m, conn);
    ASSERT_TRUE(c.ok() && g.ok()) << (g.ok() ? "" : g.error().str());
    expectSameLabels(**c, **g, "keep largest " + std::to_string(conn));
    for (int64_t minVoxels : {0, 2, 5, 50}) {
      auto ci = cvx::seg::removeSmallIslands(**m, minVoxels, conn);
      auto gi = gpu::removeSmallIslands(**m, minVoxels, conn);
      ASSERT_TRUE(ci.ok() && gi.ok()) << (gi.ok() ? "" : gi.error().str());
      expectSameLabels(**ci, **gi, "islands < " + std::to_string(minVoxels) + ", " + std::to_string(conn));
    }
  }
  auto empty = make(cvx::PixelType::UInt8, 9, 8, 7);
  auto e = gpu::keepLargest(*empty);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(countOnes(**e), 0);
  auto bad = gpu::removeSmallIslands(**m, -1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "seg.bad_parameter");
}

TEST(SegCudaComponents, ChainsHaveKnownCounts) {
  auto m = make(cvx::PixelType::UInt8, 70, 66, 72);
  uint8_t* p = m->as<uint8_t>();
  for (int64_t i = 0; i < 64; ++i) {
    p[(i * 66 + i) * 70 + i] = 1;       // corner diagonal
    p[(70 * 66 + i) * 70 + i + 3] = 1;  // edge diagonal in slice 70
  }
  CVX_NEED_GPU();
  auto g6 = gpu::labelComponents(*m, 6);
  auto g26 = gpu::labelComponents(*m, 26);
  ASSERT_TRUE(g6.ok() && g26.ok());
  EXPECT_EQ(g6->count(), 128u);
  EXPECT_EQ(g26->count(), 2u);
  EXPECT_EQ(g26->voxels, (std::vector<int64_t>{m->voxelsPerPhase() - 128, 64, 64}));
  EXPECT_EQ(g26->labels[0], 1u);  // the first foreground voxel in raster order starts component 1
  auto c26 = cvx::seg::labelComponents(*m, 26);
  ASSERT_TRUE(c26.ok());
  expectSameComponents(*c26, *g26, "chains 26");
}

}  // namespace
