// SPDX-License-Identifier: MIT
// cuda::seg::fillHoles against cvx::seg::fillHoles: the same mask byte for byte (memcmp; Dice
// reported), 6 and 26, on phantoms whose answer is known by construction (a hollow ball fills to the
// solid ball; a box shell whose gap is diagonal fills with 6 and not with 26; a cavity open to the
// border stays open; a hole cut by the volume's border is not a hole), the empty and the full mask,
// foreground values other than 1 (the output is 0/1), a speckled mask with many holes, and the
// CPU's error codes. Skips without a device; fails with CVX_REQUIRE_CUDA=1.
#include <cvx/cuda/segment.h>
#include <cvx/seg/segment.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>

#include "need_gpu.h"
#include "seg_cuda_phantom.h"

namespace {

using namespace cvx::test::segcuda;
namespace gpu = cvx::cuda::seg;

template <class Inside>
VolumePtr maskOf(int64_t nx, int64_t ny, int64_t nz, Inside&& inside, uint8_t on = 1) {
  auto m = make(cvx::PixelType::UInt8, nx, ny, nz, {0.8, 0.9, 2.0});
  uint8_t* p = m->as<uint8_t>();
  for (int64_t z = 0, i = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x, ++i) p[i] = inside(x, y, z) ? on : 0;
  return m;
}

// The GPU's fill equals the CPU's for both connectivities; returns the GPU's, connectivity 6 and 26.
std::pair<VolumePtr, VolumePtr> fillBoth(const cvx::Volume& m, const std::string& what) {
  VolumePtr g[2];
  for (int k = 0; k < 2; ++k) {
    const int conn = k == 0 ? 6 : 26;
    auto c = cvx::seg::fillHoles(m, conn);
    gpu::Timing t;
    auto r = gpu::fillHoles(m, conn, &t);
    EXPECT_TRUE(c.ok() && r.ok()) << what << ": " << (r.ok() ? "" : r.error().str());
    if (!c.ok() || !r.ok()) return {};
    expectSameLabels(**c, **r,
                     what + " " + std::to_string(conn) + " (kernels " + std::to_string(t.kernelMs) + " ms)");
    EXPECT_EQ((*r)->geometry.spacingMm.z, m.geometry.spacingMm.z) << what;
    g[k] = *r;
  }
  return {g[0], g[1]};
}

int64_t r2(int64_t x, int64_t y, int64_t z) {
  return (x - 20) * (x - 20) + (y - 17) * (y - 17) + (z - 15) * (z - 15);
}

TEST(SegCudaFillHoles, HollowBallBecomesTheSolidBall) {
  auto shell = maskOf(41, 37, 31,
                      [](int64_t x, int64_t y, int64_t z) { return r2(x, y, z) <= 196 && r2(x, y, z) > 64; });
  auto solid = maskOf(41, 37, 31, [](int64_t x, int64_t y, int64_t z) { return r2(x, y, z) <= 196; });
  CVX_NEED_GPU();
  auto [f6, f26] = fillBoth(*shell, "hollow ball");
  ASSERT_TRUE(f6 && f26);
  expectSameLabels(*solid, *f6, "hollow ball 6 = solid ball");
  expectSameLabels(*solid, *f26, "hollow ball 26 = solid ball");
  // A tunnel through the shell to the border: nothing to fill.
  auto open = maskOf(41, 37, 31, [](int64_t x, int64_t y, int64_t z) {
    return r2(x, y, z) <= 196 && r2(x, y, z) > 64 && !(y == 17 && z == 15 && x > 20);
  });
  auto [o6, o26] = fillBoth(*open, "tunnelled ball");
  ASSERT_TRUE(o6 && o26);
  expectSameLabels(*open, *o6, "tunnelled ball 6 unchanged");
  expectSameLabels(*open, *o26, "tunnelled ball 26 unchanged");
}

// A 9^3 box of 1-voxel walls without its edge voxel (2,2,5): the inside meets the gap only across
// an edge, so 6-connected background is enclosed and 26-connected background leaks out.
TEST(SegCudaFillHoles, BoxShellWithADiagonalGap) {
  auto box = maskOf(13, 13, 13, [](int64_t x, int64_t y, int64_t z) {
    // The walls: Chebyshev distance 4 from the centre (6, 6, 6), i.e. the faces of [2, 10]^3.
    const int64_t d = std::max({std::abs(x - 6), std::abs(y - 6), std::abs(z - 6)});
    return d == 4 && !(x == 2 && y == 2 && z == 5);
  });
  CVX_NEED_GPU();
  auto [f6, f26] = fillBoth(*box, "box shell");
  ASSERT_TRUE(f6 && f26);
  EXPECT_EQ(countOnes(*f6), 9 * 9 * 9 - 1);
  EXPECT_EQ(countOnes(*f26), 9 * 9 * 9 - 7 * 7 * 7 - 1);
}

// A cavity cut open by the volume's face z = 0 touches the border: background, not a hole; a
// second, closed cavity in the same volume is filled. Foreground 255 comes out as 1.
TEST(SegCudaFillHoles, HoleOnTheBorderStaysAndValuesBecomeOne) {
  auto m = maskOf(
      30, 26, 20,
      [](int64_t x, int64_t y, int64_t z) {
        const bool cupWall = x >= 2 && x < 12 && y >= 2 && y < 12 && z < 8;
        const bool cupHole = x >= 4 && x < 10 && y >= 4 && y < 10 && z < 6;  // open at z = 0
        const bool boxWall = x >= 15 && x < 27 && y >= 10 && y < 24 && z >= 5 && z < 17;
        const bool boxHole = x >= 17 && x < 25 && y >= 12 && y < 22 && z >= 7 && z < 15;
        return (cupWall && !cupHole) || (boxWall && !boxHole);
      },
      255);
  CVX_NEED_GPU();
  auto [f6, f26] = fillBoth(*m, "border cup and closed box");
  ASSERT_TRUE(f6 && f26);
  const int64_t walls = countOnes(*m), boxHole = 8 * 10 * 8;
  for (const VolumePtr& f : {f6, f26}) {
    EXPECT_EQ(countOnes(*f), walls + boxHole);
    const uint8_t* p = f->as<uint8_t>();
    for (int64_t i = 0; i < f->voxelsPerPhase(); ++i) ASSERT_LE(p[i], 1) << i;
    EXPECT_EQ(p[(0 * 26 + 6) * 30 + 6], 0) << "the cup's hole on the border stays background";
    EXPECT_EQ(p[(10 * 26 + 16) * 30 + 20], 1) << "the box's hole is filled";
  }
}

TEST(SegCudaFillHoles, EmptyFullAndSpeckle) {
  auto empty = make(cvx::PixelType::UInt8, 17, 9, 11);
  auto full = maskOf(17, 9, 11, [](int64_t, int64_t, int64_t) { return true; });
  auto single = maskOf(1, 1, 1, [](int64_t, int64_t, int64_t) { return false; });
  auto v = spheres(131, 97, 45, {0.7, 0.8, 1.5}, 300);
  auto speckle = cvx::seg::threshold(*v, 150, 2000);  // noise: holes inside the spheres, specks outside
  ASSERT_TRUE(speckle.ok());
  CVX_NEED_GPU();
  auto [e6, e26] = fillBoth(*empty, "empty");
  ASSERT_TRUE(e6 && e26);
  EXPECT_EQ(countOnes(*e6) + countOnes(*e26), 0);
  auto [u6, u26] = fillBoth(*full, "full");
  ASSERT_TRUE(u6 && u26);
  EXPECT_EQ(countOnes(*u6), full->voxelsPerPhase());
  auto [s6, s26] = fillBoth(*single, "one background voxel");
  ASSERT_TRUE(s6 && s26);
  EXPECT_EQ(countOnes(*s6), 0);
  auto [p6, p26] = fillBoth(**speckle, "speckle");
  ASSERT_TRUE(p6 && p26);
  EXPECT_GT(countOnes(*p6), countOnes(**speckle)) << "the speckle has holes to fill";
}

// The input checks come before the device's, so this runs without one too.
TEST(SegCudaFillHoles, ErrorsAreTheCpus) {
  auto i16 = make(cvx::PixelType::Int16, 4, 4, 4);
  auto m = make(cvx::PixelType::UInt8, 4, 4, 4);
  EXPECT_EQ(gpu::fillHoles(*i16).error().code, cvx::seg::fillHoles(*i16).error().code);
  EXPECT_EQ(gpu::fillHoles(*i16).error().code, "seg.bad_pixel_type");
  for (int conn : {0, 4, 8, 18}) {
    EXPECT_EQ(gpu::fillHoles(*m, conn).error().code, "seg.bad_connectivity") << conn;
    EXPECT_EQ(cvx::seg::fillHoles(*m, conn).error().code, "seg.bad_connectivity") << conn;
  }
}

}  // namespace
