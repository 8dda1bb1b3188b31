// SPDX-License-Identifier: MIT
// cuda::seg threshold, region growing and Otsu against cvx::seg (the oracle): identical labels
// (memcmp; Dice reported) on procedural phantoms: noisy spheres in every scalar type, a spiral
// corridor that needs many propagation passes, diagonal chains that only 26-connectivity follows.
// The phantoms' analytic facts (the spiral's voxel count, the chains' lengths) are checked on the
// CPU first, so that part runs everywhere; the GPU part skips without a device and fails with
// CVX_REQUIRE_CUDA=1.
#include <cvx/core/hd/segment.h>
#include <cvx/cuda/segment.h>
#include <cvx/seg/segment.h>

#include <gtest/gtest.h>

#include <tuple>

#include <cmath>
#include <limits>
#include <vector>

#include "need_gpu.h"
#include "seg_cuda_phantom.h"

namespace {

using namespace cvx::test::segcuda;
namespace gpu = cvx::cuda::seg;

// v converted to type t (values kept; the spheres' noise keeps them in every type's range after
// the +100 shift).
VolumePtr convert(const cvx::Volume& v, cvx::PixelType t) {
  auto o = make(t, v.dims()[0], v.dims()[1], v.dims()[2], v.geometry.spacingMm);
  const int16_t* s = v.as<int16_t>();
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) {
    const int val = s[i] + 100;
    switch (t) {
      case cvx::PixelType::UInt8:
        o->as<uint8_t>()[i] = static_cast<uint8_t>(std::clamp(val / 8, 0, 255));
        break;
      case cvx::PixelType::UInt16:
        o->as<uint16_t>()[i] = static_cast<uint16_t>(val);
        break;
      case cvx::PixelType::Float32:
        o->as<float>()[i] = i % 977 == 0 ? NAN : static_cast<float>(val) * 0.37f;
        break;
      default:
        o->as<int16_t>()[i] = static_cast<int16_t>(val);
    }
  }
  return o;
}

// A square spiral corridor (1 voxel wide, walls 1 voxel thick) in every slice: value 100 on the
// corridor, 0 elsewhere. count: the corridor's voxels in one slice.
VolumePtr spiral(int64_t nx, int64_t ny, int64_t nz, int64_t& count) {
  std::vector<uint8_t> c(static_cast<size_t>(nx * ny), 0);
  auto set = [&](int64_t x, int64_t y) { c[y * nx + x] = 1; };
  for (int64_t x0 = 1, y0 = 1, x1 = nx - 2, y1 = ny - 2; x0 + 2 <= x1 && y0 + 2 <= y1;
       x0 += 2, y0 += 2, x1 -= 2, y1 -= 2) {
    for (int64_t x = x0; x <= x1; ++x) set(x, y0);                  // right along the top
    for (int64_t y = y0; y <= y1; ++y) set(x1, y);                  // down the right side
    for (int64_t x = x1; x >= x0; --x) set(x, y1);                  // left along the bottom
    for (int64_t y = y1; y >= y0 + 2; --y) set(x0, y);              // up the left side, short of the top
    if (x0 + 4 <= x1 - 2 && y0 + 4 <= y1 - 2) set(x0 + 1, y0 + 2);  // the step into the next ring
  }
  count = 0;
  for (uint8_t b : c) count += b;
  auto v = make(cvx::PixelType::Int16, nx, ny, nz, {0.5, 0.5, 1.0});
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t i = 0; i < nx * ny; ++i) v->as<int16_t>()[z * nx * ny + i] = c[i] ? 100 : 0;
  return v;
}

// Float32 with two chains of 64 voxels at 5.0: A along the corner diagonal (i, i, i), B along the
// edge diagonal (i, i, 70); NaN sprinkled on the background (never inside).
VolumePtr chains() {
  auto v = make(cvx::PixelType::Float32, 72, 72, 72);
  float* p = v->as<float>();
  for (int64_t i = 0; i < v->voxelsPerPhase(); ++i) p[i] = i % 101 == 7 ? NAN : 0.0f;
  for (int64_t i = 0; i < 64; ++i) {
    p[(i * 72 + i) * 72 + i] = 5.0f;
    p[(70 * 72 + i) * 72 + i] = 5.0f;
  }
  return v;
}

TEST(SegCuda, ReportsNoDeviceOrRuns) {
  // Runs everywhere: without a device the API answers cuda.no_device instead of failing otherwise.
  auto v = spheres(20, 18, 9, {1, 1, 1}, 30);
  auto r = gpu::threshold(*v, 300, 900);
  if (!cvx::cuda::probeDevice().ok()) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "cuda.no_device");
  } else {
    ASSERT_TRUE(r.ok()) << r.error().str();
  }
}

TEST(SegCuda, ThresholdEveryTypeEqualsCpu) {
  auto base = spheres(77, 61, 23, {0.7, 0.8, 1.5}, 60);
  CVX_NEED_GPU();
  const cvx::PixelType types[] = {cvx::PixelType::Int16, cvx::PixelType::UInt16, cvx::PixelType::UInt8,
                                  cvx::PixelType::Float32};
  for (cvx::PixelType t : types) {
    auto v = convert(*base, t);
    for (auto [lo, hi] :
         {std::pair{440.5, 1300.25}, std::pair{60.0, 120.0}, std::pair{900.0, 100.0}, std::pair{-1e9, 1e9}}) {
      auto c = cvx::seg::threshold(*v, lo, hi);
      auto g = gpu::threshold(*v, lo, hi);
      ASSERT_TRUE(c.ok() && g.ok()) << (g.ok() ? "" : g.error().str());
      expectSameLabels(**c, **g,
                       std::string("threshold ") + cvx::toString(t) + " [" + std::to_string(lo) + ", " +
                           std::to_string(hi) + "]");
    }
  }
}

TEST(SegCuda, RegionGrowingSpheresEqualsCpu) {
  auto v = spheres(150, 131, 70, {0.7, 0.8, 1.5}, 150);  // noise punches holes and bridges
  const std::vector<cvx::seg::Index3> seeds = {
      {45, 46, 28}, {105, 78, 38}, {0, 0, 0}};  // the last: out of range
  CVX_NEED_GPU();
  for (int conn : {6, 26}) {
    auto c = cvx::seg::connectedThreshold(*v, seeds, 300, 1000, conn);
    gpu::Timing t;
    auto g = gpu::connectedThreshold(*v, {{45, 46, 28}, {105, 78, 38}, {0, 0, 0}}, 300, 1000, conn, 0, &t);
    ASSERT_TRUE(c.ok() && g.ok()) << (g.ok() ? "" : g.error().str());
    EXPECT_GT(countOnes(**c), 10000);
    expectSameLabels(
        **c, **g,
        "region growing spheres " + std::to_string(conn) + ", " + std::to_string(t.passes) + " passes");
  }
  auto none = gpu::connectedThreshold(*v, {}, 300, 1000, 6);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(countOnes(**none), 0);
  auto bad = gpu::connectedThreshold(*v, {{150, 0, 0}}, 300, 1000, 6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "seg.bad_seed");
  auto conn = gpu::connectedThreshold(*v, {{1, 1, 1}}, 300, 1000, 8);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().code, "seg.bad_connectivity");
}

TEST(SegCuda, SpiralNeedsManyPassesAndFillsTheWholeCorridor) {
  int64_t count = 0;
  auto v = spiral(203, 151, 5, count);
  // The phantom: the corridor is one piece (the CPU's flood fill from its start reaches all of it).
  EXPECT_GT(count, 203 * 151 / 3);
  auto c = cvx::seg::connectedThreshold(*v, {{1, 1, 0}}, 50, 150, 6);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(countOnes(**c), 5 * count);
  CVX_NEED_GPU();
  for (int conn : {6, 26}) {
    gpu::Timing t;
    auto g = gpu::connectedThreshold(*v, {{1, 1, 0}}, 50, 150, conn, 0, &t);
    ASSERT_TRUE(g.ok()) << g.error().str();
    EXPECT_EQ(countOnes(**g), 5 * count);
    expectSameLabels(**c, **g,
                     "spiral " + std::to_string(conn) + ", " + std::to_string(t.passes) + " passes");
    // The corridor winds through the 16-row tiles ~2 * 38 times: one pass cannot fill it.
    EXPECT_GT(t.passes, 20);
  }
}

TEST(SegCuda, DiagonalsConnectOnlyUnder26) {
  auto v = chains();
  const std::vector<cvx::seg::Index3> seeds = {{0, 0, 0}, {0, 0, 70}};
  auto c6 = cvx::seg::connectedThreshold(*v, seeds, 4.5, 5.5, 6);
  auto c26 = cvx::seg::connectedThreshold(*v, seeds, 4.5, 5.5, 26);
  ASSERT_TRUE(c6.ok() && c26.ok());
  ASSERT_EQ(countOnes(**c6), 2);     // the seeds alone: no face neighbour is in range
  ASSERT_EQ(countOnes(**c26), 128);  // both chains whole, across word (x 31|32) and tile borders
  CVX_NEED_GPU();
  auto g6 = gpu::connectedThreshold(*v, {{0, 0, 0}, {0, 0, 70}}, 4.5, 5.5, 6);
  auto g26 = gpu::connectedThreshold(*v, {{0, 0, 0}, {0, 0, 70}}, 4.5, 5.5, 26);
  ASSERT_TRUE(g6.ok() && g26.ok());
  expectSameLabels(**c6, **g6, "chains 6");
  expectSameLabels(**c26, **g26, "chains 26");
}

// The histogram of the documented rule, counted here (hd::binOf over [min, max], NaN skipped).
std::vector<int64_t> ruleCounts(const cvx::Volume& v, int bins) {
  double mn = INFINITY, mx = -INFINITY;
  std::vector<double> vals;
  for (int64_t i = 0; i < v.voxelsPerPhase(); ++i) {
    double x = 0;
    switch (v.type()) {
      case cvx::PixelType::Int16:
        x = v.as<int16_t>()[i];
        break;
      case cvx::PixelType::UInt8:
        x = v.as<uint8_t>()[i];
        break;
      case cvx::PixelType::UInt16:
        x = v.as<uint16_t>()[i];
        break;
      default:
        x = v.as<float>()[i];
    }
    if (!std::isfinite(x)) continue;
    vals.push_back(x);
    mn = std::min(mn, x);
    mx = std::max(mx, x);
  }
  if (bins == 0) bins = v.type() == cvx::PixelType::Float32 ? 256 : static_cast<int>(mx - mn + 1);
  const cvx::hd::Bins h{mn, (mx - mn) / bins, bins};
  std::vector<int64_t> c(static_cast<size_t>(bins), 0);
  for (double x : vals) ++c[cvx::hd::binOf(h, x)];
  return c;
}

TEST(SegCuda, OtsuEqualsCpu) {
  auto base = spheres(90, 70, 40, {0.7, 0.8, 1.5}, 120);
  CVX_NEED_GPU();
  for (cvx::PixelType t : {cvx::PixelType::Int16, cvx::PixelType::UInt8, cvx::PixelType::Float32}) {
    auto v = convert(*base, t);
    for (int bins : {0, 64}) {
      auto c = cvx::seg::otsu(*v, bins);
      auto g = gpu::otsu(*v, bins);
      ASSERT_TRUE(c.ok() && g.ok()) << (g.ok() ? "" : g.error().str());
      const std::string what = std::string("otsu ") + cvx::toString(t) + " bins " + std::to_string(bins);
      EXPECT_EQ(c->threshold, g->threshold) << what;
      EXPECT_EQ(c->bins, g->bins) << what;
      EXPECT_EQ(g->counts, ruleCounts(*v, bins)) << what;
      expectSameLabels(*c->mask, *g->mask, what);
    }
  }
  auto flat = make(cvx::PixelType::Int16, 8, 8, 8);
  auto f = gpu::otsu(*flat);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "seg.flat_histogram");
}

// Multi-Otsu: the same thresholds and classes as the CPU for 3 to 5 classes, and the CPU's codes
// for bad class and bin counts.
TEST(SegCuda, MultiOtsuEqualsCpu) {
  auto base = spheres(90, 70, 40, {0.7, 0.8, 1.5}, 120);
  CVX_NEED_GPU();
  for (cvx::PixelType t : {cvx::PixelType::Int16, cvx::PixelType::Float32}) {
    auto v = convert(*base, t);
    for (int classes : {3, 4, 5}) {
      const int bins = t == cvx::PixelType::Float32 ? 0 : 128;
      auto c = cvx::seg::multiOtsu(*v, classes, bins);
      auto g = gpu::multiOtsu(*v, classes, bins);
      ASSERT_TRUE(c.ok() && g.ok()) << (g.ok() ? "" : g.error().str());
      const std::string what = std::string("multi-otsu ") + cvx::toString(t) + " classes " + std::to_string(classes);
      EXPECT_EQ(c->thresholds, g->thresholds) << what;
      EXPECT_EQ(g->counts, ruleCounts(*v, bins)) << what;
      expectSameLabels(*c->labels, *g->labels, what);
    }
  }
  for (auto [classes, bins, code] : {std::tuple{1, 0, "seg.bad_classes"}, std::tuple{9, 0, "seg.bad_classes"},
                                     std::tuple{4, 1, "seg.bad_bins"}, std::tuple{5, 4, "seg.bad_bins"}}) {
    auto c = cvx::seg::multiOtsu(*base, classes, bins);
    auto g = gpu::multiOtsu(*base, classes, bins);
    ASSERT_FALSE(c.ok());
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(c.error().code, code);
    EXPECT_EQ(g.error().code, code);
  }
}

}  // namespace
