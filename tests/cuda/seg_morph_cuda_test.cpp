// SPDX-License-Identifier: MIT
// cuda::seg dilate / erode / open / close against cvx::seg (identical labels, memcmp) on noisy
// masks with anisotropic spacing, radii below, at and above the spacings (the ball flat along an
// axis, a voxel exactly on the sphere at 1 mm spacing and r = 2 mm), and against a brute-force
// loop over cvx::seg::ballOffsets (the ball's definition: any offset of the ball on foreground for
// dilation; all offsets on foreground, outside the volume counting as foreground, for erosion).
// Skips without a device; fails with CVX_REQUIRE_CUDA=1.
#include <cvx/cuda/segment.h>
#include <cvx/seg/segment.h>

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "need_gpu.h"
#include "seg_cuda_phantom.h"

namespace {

using namespace cvx::test::segcuda;
namespace gpu = cvx::cuda::seg;

// A noisy mask: the spheres' threshold near their edge, so that speckle and holes appear.
VolumePtr noisyMask(int64_t nx, int64_t ny, int64_t nz, cvx::Vec3 sp) {
  auto v = spheres(nx, ny, nz, sp, 260);
  auto m = cvx::seg::threshold(*v, 300, 2000);
  EXPECT_TRUE(m.ok());
  return *m;
}

VolumePtr bruteForce(const cvx::Volume& m, double r, bool erode) {
  auto offs = cvx::seg::ballOffsets(r, m.geometry.spacingMm);
  EXPECT_TRUE(offs.ok());
  const int64_t nx = m.dims()[0], ny = m.dims()[1], nz = m.dims()[2];
  auto out = make(cvx::PixelType::UInt8, nx, ny, nz, m.geometry.spacingMm);
  const uint8_t* in = m.as<uint8_t>();
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        bool any = false, all = true;
        for (const auto& o : *offs) {
          const int64_t a = x + o.x, b = y + o.y, c = z + o.z;
          const bool inside = a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz;
          const bool fg = inside ? in[(c * ny + b) * nx + a] != 0 : erode;
          any |= fg;
          all &= fg;
        }
        out->as<uint8_t>()[(z * ny + y) * nx + x] = erode ? all : any;
      }
  return out;
}

TEST(SegCudaMorph, EqualsCpuAnisotropic) {
  auto m = noisyMask(97, 83, 41, {0.7, 0.8, 1.5});
  CVX_NEED_GPU();
  for (double r : {0.0, 0.5, 0.75, 1.5, 2.4, 3.3}) {
    const std::string rs = " r=" + std::to_string(r);
    auto cd = cvx::seg::dilate(*m, r), ce = cvx::seg::erode(*m, r);
    auto co = cvx::seg::open(*m, r), cc = cvx::seg::close(*m, r);
    auto gd = gpu::dilate(*m, r), ge = gpu::erode(*m, r), go = gpu::open(*m, r), gc = gpu::close(*m, r);
    ASSERT_TRUE(cd.ok() && ce.ok() && co.ok() && cc.ok());
    ASSERT_TRUE(gd.ok() && ge.ok() && go.ok() && gc.ok()) << (gd.ok() ? "" : gd.error().str());
    expectSameLabels(**cd, **gd, "dilate" + rs);
    expectSameLabels(**ce, **ge, "erode" + rs);
    expectSameLabels(**co, **go, "open" + rs);
    expectSameLabels(**cc, **gc, "close" + rs);
  }
}

TEST(SegCudaMorph, EqualsBallOffsetsBruteForce) {
  // 1 mm isotropic with r = 2: offset (2, 0, 0) lies exactly on the sphere and is inside by the
  // rule's epsilon; 0.6 x 0.9 x 2.0 with r = 1.9: flat along z.
  for (cvx::Vec3 sp : {cvx::Vec3{1, 1, 1}, cvx::Vec3{0.6, 0.9, 2.0}}) {
    auto m = noisyMask(41, 37, 19, sp);
    for (double r : {2.0, 1.9}) {
      auto bd = bruteForce(*m, r, false), be = bruteForce(*m, r, true);
      // The oracle agrees with the CPU here (checked everywhere, device or not).
      auto cd = cvx::seg::dilate(*m, r), ce = cvx::seg::erode(*m, r);
      ASSERT_TRUE(cd.ok() && ce.ok());
      expectSameLabels(*bd, **cd, "cpu dilate vs ballOffsets");
      expectSameLabels(*be, **ce, "cpu erode vs ballOffsets");
      if (!cvx::cuda::probeDevice().ok()) continue;
      auto gd = gpu::dilate(*m, r), ge = gpu::erode(*m, r);
      ASSERT_TRUE(gd.ok() && ge.ok());
      expectSameLabels(*bd, **gd, "gpu dilate vs ballOffsets r=" + std::to_string(r));
      expectSameLabels(*be, **ge, "gpu erode vs ballOffsets r=" + std::to_string(r));
    }
  }
  CVX_NEED_GPU();
}

TEST(SegCudaMorph, RejectsWhatTheCpuRejects) {
  auto m = noisyMask(20, 20, 10, {1, 1, 1});
  CVX_NEED_GPU();
  for (double r : {-1.0, std::nan(""), 300.0}) {
    auto g = gpu::dilate(*m, r);
    ASSERT_FALSE(g.ok()) << r;
    EXPECT_EQ(g.error().code, "seg.bad_radius") << r;
  }
  auto notMask = make(cvx::PixelType::Int16, 4, 4, 4);
  auto g = gpu::erode(*notMask, 1.0);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "seg.bad_pixel_type");
}

}  // namespace
