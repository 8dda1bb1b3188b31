// threshold, connectedThreshold and fillHoles on phantoms whose answer is known by construction
// or by a plain breadth-first search written here.
#include <gtest/gtest.h>

#include <cmath>
#include <deque>

#include <cvx/seg/segment.h>

#include "seg_phantom.h"

namespace cvx::seg {
namespace {

using test::countNonZero;
using test::maskPhantom;
using test::phantom;

const Vec3 kSpacing{0.8, 0.6, 1.5};

// The connected region by a breadth-first search over an explicit neighbour list.
std::vector<uint8_t> bfsRegion(const Volume& v, Index3 seed, double lo, double hi, int conn) {
  const int64_t nx = v.dims()[0], ny = v.dims()[1], nz = v.dims()[2];
  std::vector<uint8_t> out(static_cast<size_t>(nx * ny * nz), 0);
  auto inside = [&](int64_t x, int64_t y, int64_t z) {
    const double val = v.valueAt(x, y, z);
    return lo <= val && val <= hi;
  };
  if (!inside(seed.x, seed.y, seed.z)) return out;
  std::deque<Index3> q{seed};
  out[(seed.z * ny + seed.y) * nx + seed.x] = 1;
  while (!q.empty()) {
    const Index3 p = q.front();
    q.pop_front();
    for (int dz = -1; dz <= 1; ++dz)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int manhattan = std::abs(dx) + std::abs(dy) + std::abs(dz);
          if (manhattan == 0 || (conn == 6 && manhattan != 1)) continue;
          const int64_t x = p.x + dx, y = p.y + dy, z = p.z + dz;
          if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
          uint8_t& o = out[(z * ny + y) * nx + x];
          if (o || !inside(x, y, z)) continue;
          o = 1;
          q.push_back({x, y, z});
        }
  }
  return out;
}

template <class T>
void checkThresholdRamp(double lo, double hi) {
  auto v = phantom<T>(17, 13, 9, kSpacing, [](int64_t x, int64_t y, int64_t z) {
    return std::is_signed_v<T> ? static_cast<double>(x + 10 * y + 31 * z) - 150.0
                               : static_cast<double>((x + 10 * y + 31 * z) % 250);
  });
  auto m = threshold(*v, lo, hi);
  ASSERT_TRUE(m.ok()) << m.error().str();
  test::expectMaskOf(**m, *v);
  for (int64_t z = 0; z < 9; ++z)
    for (int64_t y = 0; y < 13; ++y)
      for (int64_t x = 0; x < 17; ++x) {
        const double val = v->valueAt(x, y, z);
        ASSERT_EQ(test::at(**m, x, y, z), (lo <= val && val <= hi) ? 1 : 0) << x << "," << y << "," << z;
      }
}

TEST(SegThreshold, InclusiveBoundsForEveryType) {
  checkThresholdRamp<int16_t>(-20, 100);     // integer bounds: both ends inside
  checkThresholdRamp<int16_t>(-20.5, 99.5);  // fractional bounds
  checkThresholdRamp<int16_t>(-1e9, 40000);  // beyond the type's range
  checkThresholdRamp<uint16_t>(12, 200);
  checkThresholdRamp<uint8_t>(0, 0);  // a single value
  checkThresholdRamp<float>(10.25, 77.0);
}

TEST(SegThreshold, EmptyWhenLowAboveHighAndNaNIsNeverInside) {
  auto v = phantom<float>(8, 8, 4, kSpacing, [](int64_t x, int64_t, int64_t) { return x == 3 ? NAN : x; });
  auto m = threshold(*v, -1e30, 1e30);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(countNonZero(**m), 8 * 8 * 4 - 8 * 4);
  auto e = threshold(*v, 5, 4);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(countNonZero(**e), 0);
}

TEST(SegThreshold, ReadsTheRequestedPhase) {
  auto r = Volume::create(PixelType::Int16, {4, 4, 2, 3});
  ASSERT_TRUE(r.ok());
  auto v = *r;
  for (int64_t i = 0; i < v->voxelCount(); ++i)
    v->as<int16_t>()[i] = static_cast<int16_t>(i / v->voxelsPerPhase());
  auto m = threshold(*v, 2, 2, 2);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->dims()[3], 1);
  EXPECT_EQ(countNonZero(**m), 32);
  EXPECT_EQ(countNonZero(**threshold(*v, 2, 2, 0)), 0);
  auto bad = threshold(*v, 0, 1, 3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "seg.bad_phase");
}

TEST(SegThreshold, Errors) {
  auto rgb = Volume::create(PixelType::RGB8, {4, 4, 4, 1});
  ASSERT_TRUE(rgb.ok());
  EXPECT_EQ(threshold(**rgb, 0, 1).error().code, "seg.bad_pixel_type");
  auto v = phantom<int16_t>(4, 4, 4, kSpacing, [](int64_t, int64_t, int64_t) { return 0; });
  EXPECT_EQ(threshold(*v, NAN, 1).error().code, "seg.bad_range");
  EXPECT_EQ(connectedThreshold(*v, {{0, 0, 0}}, 0, NAN).error().code, "seg.bad_range");
}

// Two 4^3 cubes of value 100 in a background of 0: the second shares only an edge (or only a
// corner) with the first, which 26-connectivity crosses and 6-connectivity does not.
TEST(SegConnectedThreshold, SixAndTwentySixAcrossAnEdgeAndACorner) {
  for (const bool corner : {false, true}) {
    auto v = phantom<int16_t>(14, 14, 12, kSpacing, [&](int64_t x, int64_t y, int64_t z) {
      const bool a = x >= 2 && x <= 5 && y >= 2 && y <= 5 && z >= 2 && z <= 5;
      const int64_t z0 = corner ? 6 : 2;
      const bool b = x >= 6 && x <= 9 && y >= 6 && y <= 9 && z >= z0 && z <= z0 + 3;
      return (a || b) ? 100 : 0;
    });
    auto six = connectedThreshold(*v, {{3, 3, 3}}, 50, 150, 6);
    auto full = connectedThreshold(*v, {{3, 3, 3}}, 50, 150, 26);
    ASSERT_TRUE(six.ok() && full.ok());
    test::expectMaskOf(**six, *v);
    EXPECT_EQ(countNonZero(**six), 64) << (corner ? "corner" : "edge");
    EXPECT_EQ(countNonZero(**full), 128) << (corner ? "corner" : "edge");
    EXPECT_EQ(test::at(**six, 2, 2, 2), 1);
    EXPECT_EQ(test::at(**six, 6, 6, corner ? 6 : 2), 0);
    EXPECT_EQ(test::at(**full, 9, 9, corner ? 9 : 5), 1);
  }
}

// Random values: the in-range voxels form a maze of clusters; the region grown from a seed equals
// a breadth-first search, for both connectivities and every voxel type.
template <class T>
void checkAgainstBfs(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> u(0, 99);
  auto v = phantom<T>(31, 23, 19, kSpacing, [&](int64_t, int64_t, int64_t) { return u(rng); });
  for (const int conn : {6, 26}) {
    const double hi = conn == 6 ? 34 : 14;  // a little above each connectivity's percolation threshold
    std::vector<Index3> seeds;
    for (int64_t start : {int64_t{0}, v->voxelCount() / 3, 2 * v->voxelCount() / 3})
      for (int64_t i = start; i < v->voxelCount(); ++i) {
        const int64_t x = i % 31, y = (i / 31) % 23, z = i / (31 * 23);
        if (v->valueAt(x, y, z) > hi) continue;
        seeds.push_back({x, y, z});
        break;
      }
    ASSERT_FALSE(seeds.empty());
    auto m = connectedThreshold(*v, seeds, 0, hi, conn);
    ASSERT_TRUE(m.ok()) << m.error().str();
    std::vector<uint8_t> expected(static_cast<size_t>(v->voxelCount()), 0);
    for (const Index3& s : seeds) {
      const auto r = bfsRegion(*v, s, 0, hi, conn);
      for (size_t i = 0; i < r.size(); ++i) expected[i] |= r[i];
    }
    int64_t diff = 0, n = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      diff += expected[i] != reinterpret_cast<const uint8_t*>((*m)->data())[i];
      n += expected[i];
    }
    EXPECT_EQ(diff, 0) << "connectivity " << conn;
    EXPECT_GT(n, 20) << "the phantom should grow a sizeable region";
  }
}

TEST(SegConnectedThreshold, EqualsBreadthFirstSearch) {
  checkAgainstBfs<int16_t>(1);
  checkAgainstBfs<uint8_t>(2);
  checkAgainstBfs<uint16_t>(3);
  checkAgainstBfs<float>(4);
}

TEST(SegConnectedThreshold, SeedsOutOfRangeGrowNothingAndSeedsOutsideAreErrors) {
  auto v = phantom<int16_t>(8, 8, 8, kSpacing, [](int64_t x, int64_t, int64_t) { return x < 4 ? 10 : 90; });
  auto m = connectedThreshold(*v, {{6, 1, 1}}, 0, 50);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(countNonZero(**m), 0);
  auto none = connectedThreshold(*v, {}, 0, 50);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(countNonZero(**none), 0);
  EXPECT_EQ(connectedThreshold(*v, {{8, 0, 0}}, 0, 50).error().code, "seg.bad_seed");
  EXPECT_EQ(connectedThreshold(*v, {{0, -1, 0}}, 0, 50).error().code, "seg.bad_seed");
  EXPECT_EQ(connectedThreshold(*v, {{0, 0, 0}}, 0, 50, 8).error().code, "seg.bad_connectivity");
}

// A hollow ball (shell between 5 and 8 mm at 1 mm spacing): filling gives the solid ball of 8 mm.
TEST(SegFillHoles, HollowBallBecomesSolid) {
  const Vec3 s{1, 1, 1};
  auto r2 = [](int64_t x, int64_t y, int64_t z) {
    return (x - 12) * (x - 12) + (y - 11) * (y - 11) + (z - 10) * (z - 10);
  };
  auto shell = maskPhantom(
      25, 23, 21, s, [&](int64_t x, int64_t y, int64_t z) { return r2(x, y, z) <= 64 && r2(x, y, z) > 25; });
  auto solid = maskPhantom(25, 23, 21, s, [&](int64_t x, int64_t y, int64_t z) { return r2(x, y, z) <= 64; });
  for (const int conn : {6, 26}) {
    auto f = fillHoles(*shell, conn);
    ASSERT_TRUE(f.ok()) << f.error().str();
    test::expectMaskOf(**f, *shell);
    EXPECT_EQ(test::countDiff(**f, *solid), 0) << conn;
  }
  // A tunnel through the shell lets the inside reach the border: nothing to fill.
  auto open = maskPhantom(25, 23, 21, s, [&](int64_t x, int64_t y, int64_t z) {
    return r2(x, y, z) <= 64 && r2(x, y, z) > 25 && !(y == 11 && z == 10 && x > 12);
  });
  EXPECT_EQ(test::countDiff(**fillHoles(*open, 6), *open), 0);
}

// A 9^3 box with 1-voxel walls whose edge voxel (2,2,5) is missing: the inside touches that gap only
// diagonally, so background connected by 26 leaks out and background connected by 6 does not.
TEST(SegFillHoles, ConnectivityIsTheBackgroundsOwn) {
  auto box = maskPhantom(13, 13, 13, {1, 1, 1}, [](int64_t x, int64_t y, int64_t z) {
    auto in = [](int64_t c) { return c >= 2 && c <= 10; };
    auto wall = [](int64_t c) { return c == 2 || c == 10; };
    if (x == 2 && y == 2 && z == 5) return false;
    return in(x) && in(y) && in(z) && (wall(x) || wall(y) || wall(z));
  });
  EXPECT_EQ(countNonZero(*box), 9 * 9 * 9 - 7 * 7 * 7 - 1);
  EXPECT_EQ(countNonZero(**fillHoles(*box, 6)), 9 * 9 * 9 - 1);
  EXPECT_EQ(countNonZero(**fillHoles(*box, 26)), 9 * 9 * 9 - 7 * 7 * 7 - 1);
  auto i16 = phantom<int16_t>(4, 4, 4, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1; });
  EXPECT_EQ(fillHoles(*i16).error().code, "seg.bad_pixel_type");
}

TEST(SegRegion, CancelAndProgress) {
  auto v = phantom<int16_t>(20, 20, 20, kSpacing, [](int64_t x, int64_t, int64_t) { return x; });
  Progress done;
  auto m = connectedThreshold(*v, {{1, 1, 1}}, 0, 10, 6, 0, &done);
  ASSERT_TRUE(m.ok());
  EXPECT_GT(done.total(), 0);
  EXPECT_EQ(done.done(), done.total());
  Progress stop;
  stop.cancel();
  EXPECT_EQ(threshold(*v, 0, 5, 0, &stop).error().code, "seg.cancelled");
  EXPECT_EQ(connectedThreshold(*v, {{1, 1, 1}}, 0, 10, 6, 0, &stop).error().code, "seg.cancelled");
  EXPECT_EQ(fillHoles(**m, 6, &stop).error().code, "seg.cancelled");
}

}  // namespace
}  // namespace cvx::seg
