// SPDX-License-Identifier: MIT
// GrowCut on phantoms with known answers: the boundary of two regions is the intensity edge (hard
// and soft edges), the iteration count of uniform regions is the largest breadth-first distance from
// the seeds (a spiral corridor), the ROI margin, three classes, noise (Dice vs the truth), cancel
// and the refusals. A plain single-threaded sweep written here from the published rule is the
// reference for the pool's row-skipping implementation (growcut_reference_test.cpp).
#include <cvx/seg/growcut.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <random>
#include <thread>
#include <vector>

#include "growcut_phantom.h"
#include "seg_phantom.h"

namespace {
using cvx::PixelType;
using cvx::Volume;
using cvx::seg::GrowCutOptions;
using cvx::test::at;
using namespace cvx::test::growcut;

TEST(GrowCut, TwoRegionsSplitExactlyAtTheIntensityEdge) {
  // x < 17: 100, x >= 17: 300. One stroke in each region. With the automatic range (200) g across
  // the edge is 0 (a hard edge); with range 400 it is 0.5, so class 1 first invades region 2 at
  // strength 0.5 and is conquered back by class 2's strength 1 (a soft edge). Both end at the edge.
  const int64_t nx = 40, ny = 30, nz = 12, edge = 17;
  auto vol = cvx::test::phantom<uint16_t>(nx, ny, nz, {0.8, 0.8, 2},
                                          [&](int64_t x, int64_t, int64_t) { return x < edge ? 100 : 300; });
  auto seeds = seedMap(*vol, [](int64_t x, int64_t y, int64_t z) -> uint8_t {
    if (z != 6 || y < 5 || y > 25) return 0;
    return x == 4 ? 1 : (x == 33 ? 2 : 0);
  });
  for (int connectivity : {6, 26})
    for (double range : {0.0, 400.0}) {
      SCOPED_TRACE(testing::Message() << "connectivity " << connectivity << ", range " << range);
      GrowCutOptions o;
      o.connectivity = connectivity;
      o.range = range;
      o.marginMm = 1000;
      auto r = cvx::seg::growCut(*vol, *seeds, o);
      ASSERT_TRUE(r.ok()) << r.error().str();
      EXPECT_TRUE(r->converged);
      EXPECT_FLOAT_EQ(r->range, range > 0 ? 400.0f : 200.0f);
      EXPECT_EQ(r->roi.count(), nx * ny * nz);
      EXPECT_EQ(countLabel(*r->labels, 1), edge * ny * nz);
      EXPECT_EQ(countLabel(*r->labels, 2), (nx - edge) * ny * nz);
      int64_t wrong = 0;
      for (int64_t z = 0; z < nz; ++z)
        for (int64_t y = 0; y < ny; ++y)
          for (int64_t x = 0; x < nx; ++x) wrong += at(*r->labels, x, y, z) != (x < edge ? 1 : 2);
      EXPECT_EQ(wrong, 0);
      // Uniform regions: a voxel takes strength 1 exactly at the sweep of its breadth-first distance
      // from its region's seeds, so the last change is at the largest such distance.
      const auto inRegion = [&](int64_t i) { return (i % nx) < edge; };
      const int expect =
          std::max(maxBfsDistance(*seeds, 1, connectivity, inRegion),
                   maxBfsDistance(*seeds, 2, connectivity, [&](int64_t i) { return !inRegion(i); }));
      EXPECT_EQ(r->iterations, expect);
      EXPECT_EQ(r->labels->dims(), (std::array<int64_t, 4>{nx, ny, nz, 1}));
      EXPECT_EQ(r->labels->geometry.spacingMm.z, 2.0);
      EXPECT_EQ(r->labels->geometry.originMm.x, vol->geometry.originMm.x);
    }
}

// A square spiral corridor (value 100) of width 1 with walls of width 1 (value 0): the corridor's
// class must travel its whole length, one voxel per iteration.
TEST(GrowCut, ConvergesOnASpiralAfterItsLength) {
  const int64_t n = 41;
  std::vector<uint8_t> corridor = squareSpiral(n);
  auto vol = cvx::test::phantom<int16_t>(
      n, n, 1, {1, 1, 1}, [&](int64_t x, int64_t y, int64_t) { return corridor[y * n + x] ? 100 : 0; });
  auto seeds = seedMap(*vol, [&](int64_t x, int64_t y, int64_t) -> uint8_t {
    if (x == n / 2 && y == n / 2) return 1;  // the spiral's inner end
    return (x == 0 && y == 0) ? 2 : 0;
  });
  for (int connectivity : {6, 26}) {
    SCOPED_TRACE(testing::Message() << "connectivity " << connectivity);
    const auto inCorridor = [&](int64_t i) { return corridor[i] != 0; };
    const int d1 = maxBfsDistance(*seeds, 1, connectivity, inCorridor);
    const int d2 = maxBfsDistance(*seeds, 2, connectivity, [&](int64_t i) { return !inCorridor(i); });
    ASSERT_GT(d1, 200);  // the spiral is long: convergence takes that many iterations
    GrowCutOptions o;
    o.connectivity = connectivity;
    o.marginMm = 1000;
    o.maxIterations = 5000;
    auto r = cvx::seg::growCut(*vol, *seeds, o);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_TRUE(r->converged);
    EXPECT_EQ(r->iterations, std::max(d1, d2));
    int64_t wrong = 0;
    for (int64_t i = 0; i < n * n; ++i) wrong += r->labels->as<uint8_t>()[i] != (corridor[i] ? 1 : 2);
    EXPECT_EQ(wrong, 0);
    // Stopped before the corridor's end: not converged, the end not reached yet.
    o.maxIterations = d1 - 1;
    auto early = cvx::seg::growCut(*vol, *seeds, o);
    ASSERT_TRUE(early.ok());
    EXPECT_FALSE(early->converged);
    EXPECT_EQ(early->iterations, d1 - 1);
    const int64_t end = farthestVoxel(*seeds, 1, connectivity, inCorridor);
    EXPECT_EQ(early->labels->as<uint8_t>()[end], 0);
    EXPECT_EQ(countLabel(*early->labels, 1),
              countLabel(*r->labels, 1) - countAtDistance(*seeds, 1, connectivity, inCorridor, d1));
  }
}

TEST(GrowCut, RoiIsTheSeedsBoxGrownByTheMarginInVoxelsPerAxis) {
  // Spacing (1, 1.5, 2.5) and a 3 mm margin: floor(3 / s) = 3, 2 and 1 voxels. A uniform volume, so
  // every voxel of the ROI is reached and none outside it.
  auto vol =
      cvx::test::phantom<int16_t>(40, 40, 30, {1, 1.5, 2.5}, [](int64_t, int64_t, int64_t) { return 50; });
  auto seeds = seedMap(*vol, [](int64_t x, int64_t y, int64_t z) -> uint8_t {
    if (x == 20 && y == 20 && z == 15) return 1;
    return (x == 22 && y == 21 && z == 15) ? 2 : 0;
  });
  GrowCutOptions o;
  o.marginMm = 3;
  auto r = cvx::seg::growCut(*vol, *seeds, o);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const cvx::hd::Box3i want{17, 18, 14, 26, 24, 17};  // seeds' box [20,23) x [20,22) x [15,16)
  EXPECT_EQ(r->roi.x0, want.x0);
  EXPECT_EQ(r->roi.y0, want.y0);
  EXPECT_EQ(r->roi.z0, want.z0);
  EXPECT_EQ(r->roi.x1, want.x1);
  EXPECT_EQ(r->roi.y1, want.y1);
  EXPECT_EQ(r->roi.z1, want.z1);
  int64_t inside = 0, outside = 0;
  for (int64_t z = 0; z < 30; ++z)
    for (int64_t y = 0; y < 40; ++y)
      for (int64_t x = 0; x < 40; ++x) {
        const bool in = x >= 17 && x < 26 && y >= 18 && y < 24 && z >= 14 && z < 17;
        (in ? inside : outside) += at(*r->labels, x, y, z) != 0;
      }
  EXPECT_EQ(inside, 9 * 6 * 3);
  EXPECT_EQ(outside, 0);
  // Near a corner the ROI is clipped to the volume.
  auto corner = seedMap(*vol, [](int64_t x, int64_t y, int64_t z) -> uint8_t { return x + y + z == 0; });
  o.marginMm = 5;
  auto c = cvx::seg::growCut(*vol, *corner, o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->roi.x0, 0);
  EXPECT_EQ(c->roi.x1, 6);
  EXPECT_EQ(c->roi.y1, 4);  // 1 + floor(5 / 1.5)
  EXPECT_EQ(c->roi.z1, 3);  // 1 + floor(5 / 2.5): a voxel exactly at the margin is inside
  EXPECT_EQ(cvx::test::countNonZero(*c->labels), 6 * 4 * 3);
}

TEST(GrowCut, ThreeClassesEachTakeTheirSlab) {
  // Float32 slabs along z at 0, 500 and 1000 (range 1000: g across a slab edge is 0.5), one seed
  // voxel per class, in the middle of its slab.
  auto vol = cvx::test::phantom<float>(30, 20, 24, {1, 1, 1}, [](int64_t, int64_t, int64_t z) {
    return z < 8 ? 0.0 : (z < 16 ? 500.0 : 1000.0);
  });
  auto seeds = seedMap(*vol, [](int64_t x, int64_t y, int64_t z) -> uint8_t {
    if (x != 15 || y != 10) return 0;
    return z == 4 ? 1 : (z == 12 ? 2 : (z == 20 ? 3 : 0));
  });
  GrowCutOptions o;
  o.marginMm = 100;
  o.connectivity = 26;
  auto r = cvx::seg::growCut(*vol, *seeds, o);
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_TRUE(r->converged);
  EXPECT_FLOAT_EQ(r->range, 1000.0f);
  int64_t wrong = 0;
  for (int64_t z = 0; z < 24; ++z)
    for (int64_t y = 0; y < 20; ++y)
      for (int64_t x = 0; x < 30; ++x) wrong += at(*r->labels, x, y, z) != 1 + z / 8;
  EXPECT_EQ(wrong, 0);
  for (uint8_t c = 1; c <= 3; ++c) EXPECT_EQ(countLabel(*r->labels, c), 30 * 20 * 8);
}

TEST(GrowCut, NoisySphereDiceAgainstTheTruthAtLeast095) {
  // A sphere (radius 10 mm, 200) in 100, Gaussian noise of SD 15 from a fixed seed; a stroke
  // through the sphere's centre and background strokes around it in three planes.
  const int64_t n = 48;
  const double c = 23.5, radius = 10;
  std::mt19937 rng(20260212);
  std::normal_distribution<double> noise(0, 15);
  const auto inSphere = [&](int64_t x, int64_t y, int64_t z) {
    return (x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c) <= radius * radius;
  };
  auto vol = cvx::test::phantom<int16_t>(n, n, n, {1, 1, 1}, [&](int64_t x, int64_t y, int64_t z) {
    return std::round((inSphere(x, y, z) ? 200 : 100) + noise(rng));
  });
  auto seeds = seedMap(*vol, [&](int64_t x, int64_t y, int64_t z) -> uint8_t {
    if (y == 23 && z == 23 && x >= 18 && x <= 29) return 1;
    // Square rings 5 voxels outside the sphere in the three central planes (strokes in 3 views).
    const auto ring = [](int64_t a, int64_t b) { return std::max(std::abs(a - 23), std::abs(b - 23)) == 16; };
    const bool rim = (z == 23 && ring(x, y)) || (y == 23 && ring(x, z)) || (x == 23 && ring(y, z));
    return rim ? 2 : 0;
  });
  for (int connectivity : {6, 26}) {
    GrowCutOptions o;
    o.connectivity = connectivity;
    o.marginMm = 1000;
    auto r = cvx::seg::growCut(*vol, *seeds, o);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_TRUE(r->converged);
    int64_t both = 0, seg = 0, truth = 0, unlabelled = 0;
    for (int64_t z = 0; z < n; ++z)
      for (int64_t y = 0; y < n; ++y)
        for (int64_t x = 0; x < n; ++x) {
          const bool s = at(*r->labels, x, y, z) == 1, t = inSphere(x, y, z);
          both += s && t, seg += s, truth += t, unlabelled += at(*r->labels, x, y, z) == 0;
        }
    const double dice = 2.0 * static_cast<double>(both) / static_cast<double>(seg + truth);
    std::printf(
        "[ growcut ] noisy sphere, connectivity %d: Dice %.4f after %d iterations (%lld labelled 1, %lld in "
        "the sphere)\n",
        connectivity, dice, r->iterations, static_cast<long long>(seg), static_cast<long long>(truth));
    EXPECT_GE(dice, 0.95) << "connectivity " << connectivity;
    EXPECT_EQ(unlabelled, 0);
  }
}

TEST(GrowCut, CancelStopsWithSegCancelled) {
  const int64_t n = 101;
  std::vector<uint8_t> corridor = squareSpiral(n);
  auto vol = cvx::test::phantom<int16_t>(
      n, n, 1, {1, 1, 1}, [&](int64_t x, int64_t y, int64_t) { return corridor[y * n + x] ? 100 : 0; });
  auto seeds =
      seedMap(*vol, [&](int64_t x, int64_t y, int64_t) -> uint8_t { return x == n / 2 && y == n / 2; });
  GrowCutOptions o;
  o.marginMm = 1000;
  o.maxIterations = 1000000;
  {
    cvx::Progress p;
    p.cancel();
    auto r = cvx::seg::growCut(*vol, *seeds, o, &p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "seg.cancelled");
  }
  // Cancelled from another thread once a few iterations are done (the spiral needs thousands).
  cvx::Progress p;
  std::thread canceller([&] {
    while (p.done() < 10) std::this_thread::sleep_for(std::chrono::microseconds(50));
    p.cancel();
  });
  auto r = cvx::seg::growCut(*vol, *seeds, o, &p);
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seg.cancelled");
  EXPECT_LT(p.done(), p.total());
}

TEST(GrowCut, RefusesBadInputs) {
  auto vol = cvx::test::phantom<int16_t>(8, 8, 4, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 0; });
  auto none = seedMap(*vol, [](int64_t, int64_t, int64_t) -> uint8_t { return 0; });
  auto one = seedMap(*vol, [](int64_t x, int64_t, int64_t) -> uint8_t { return x == 3; });
  auto small = cvx::test::phantom<uint8_t>(8, 8, 3, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1; });
  auto wide = cvx::test::phantom<int16_t>(8, 8, 4, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1; });
  const auto code = [](const cvx::Result<cvx::seg::GrowCutResult>& r) {
    return r.ok() ? "ok" : r.error().code;
  };
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *none)), "seg.bad_seed");
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *small)), "seg.bad_seed");
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *wide)), "seg.bad_seed");
  GrowCutOptions o;
  o.connectivity = 18;
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *one, o)), "seg.bad_connectivity");
  o = {};
  o.marginMm = -1;
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *one, o)), "seg.bad_parameter");
  o = {};
  o.maxIterations = 0;
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *one, o)), "seg.bad_parameter");
  o = {};
  o.range = std::nan("");
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *one, o)), "seg.bad_parameter");
  o = {};
  o.t = 1;
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *one, o)), "seg.bad_phase");
  EXPECT_EQ(code(cvx::seg::growCut(*vol, *one)), "ok");
}

}  // namespace
