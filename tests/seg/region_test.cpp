// threshold, connectedThreshold and fillHoles on phantoms whose answer is known by construction
// or by a plain breadth-first search written here.
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <string>

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


// ---- peakNear --------------------------------------------------------------------------------
// The ball here is the test's own: offsets whose centre lies within r mm, the distance computed in
// mm from the spacing; every offset used lies at least 0.1 mm^2 off the sphere (asserted), so the
// rule's rounding and its 1e-6 tolerance cannot decide any of them.
std::string str(Index3 i) { return std::to_string(i.x) + "," + std::to_string(i.y) + "," + std::to_string(i.z); }
bool same(Index3 a, Index3 b) { return a.x == b.x && a.y == b.y && a.z == b.z; }

bool clearlyIn(Index3 o, const Vec3& s, double r) {
  const double x = o.x * s.x, y = o.y * s.y, z = o.z * s.z, q = x * x + y * y + z * z;
  EXPECT_GT(std::abs(q - r * r), 0.1) << str(o) << " lies on the sphere";
  return q < r * r;
}

// kSpacing (0.8, 0.6, 1.5) and r = 2.8 mm: (3, 2, 0) is 2.68 mm away and inside, (0, 0, 2) is
// 3.0 mm away and outside although it is nearer in voxels; both hotter voxels are outside.
TEST(SegPeakNear, LargestInTheBallOfTheSpacingNotOfTheIndices) {
  const Index3 seed{10, 10, 7};
  const double r = 2.8;
  ASSERT_TRUE(clearlyIn({3, 2, 0}, kSpacing, r) && clearlyIn({-1, 1, 1}, kSpacing, r));
  ASSERT_FALSE(clearlyIn({0, 0, 2}, kSpacing, r) || clearlyIn({4, 0, 0}, kSpacing, r));
  auto v = phantom<int16_t>(21, 21, 15, kSpacing, [&](int64_t x, int64_t y, int64_t z) {
    const Index3 o{x - seed.x, y - seed.y, z - seed.z};
    if (o.x == 3 && o.y == 2 && o.z == 0) return 50;
    if (o.x == -1 && o.y == 1 && o.z == 1) return 40;
    if (o.x == 0 && o.y == 0 && o.z == 2) return 90;  // nearer in voxels, farther in mm
    if (o.x == 4 && o.y == 0 && o.z == 0) return 80;
    return 7;
  });
  auto p = peakNear(*v, seed, r);
  ASSERT_TRUE(p.ok()) << p.error().str();
  EXPECT_TRUE(same(p->at, {13, 12, 7})) << str(p->at);
  EXPECT_EQ(p->value, 50);  // the stored value
  // A radius that reaches (0, 0, 2) (3.0 mm) but not (4, 0, 0) (3.2 mm).
  ASSERT_TRUE(clearlyIn({0, 0, 2}, kSpacing, 3.1) && !clearlyIn({4, 0, 0}, kSpacing, 3.1));
  p = peakNear(*v, seed, 3.1);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(same(p->at, {10, 10, 9})) << str(p->at);
  EXPECT_EQ(p->value, 90);
}

// Against a search of the whole volume written here: random values 0..20 (many ties) and seeds at
// the centre, on faces and corners (the ball clipped); the expected peak is the first strict
// maximum in raster order among the voxels within r mm.
TEST(SegPeakNear, EqualsAnExhaustiveSearchIncludingTiesAndEdges) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> u(0, 20);
  const int64_t nx = 13, ny = 11, nz = 7;
  auto v = phantom<uint16_t>(nx, ny, nz, kSpacing, [&](int64_t, int64_t, int64_t) { return u(rng); });
  int checked = 0;
  for (const double r : {2.8, 4.1})
    for (const Index3 seed : {Index3{6, 5, 3}, Index3{0, 0, 0}, Index3{12, 10, 6}, Index3{0, 5, 6}, Index3{12, 0, 3}}) {
      Index3 best{-1, -1, -1};
      double top = -1;
      for (int64_t z = 0; z < nz; ++z)
        for (int64_t y = 0; y < ny; ++y)
          for (int64_t x = 0; x < nx; ++x)
            if (clearlyIn({x - seed.x, y - seed.y, z - seed.z}, kSpacing, r) && v->valueAt(x, y, z) > top)
              top = v->valueAt(x, y, z), best = {x, y, z};
      auto p = peakNear(*v, seed, r);
      ASSERT_TRUE(p.ok()) << p.error().str();
      EXPECT_EQ(p->value, top) << r << " at " << str(seed);
      EXPECT_TRUE(same(p->at, best)) << r << " at " << str(seed) << ": " << str(p->at) << " not " << str(best);
      ++checked;
    }
  EXPECT_EQ(checked, 10);
}

TEST(SegPeakNear, RadiusZeroOrBelowEverySpacingIsTheSeed) {
  auto v = phantom<int16_t>(9, 9, 9, kSpacing, [](int64_t x, int64_t y, int64_t z) { return x + y + z; });
  for (const double r : {0.0, 0.55}) {  // 0.55 mm < 0.6 mm, the smallest spacing
    auto p = peakNear(*v, {4, 4, 4}, r);
    ASSERT_TRUE(p.ok()) << p.error().str();
    EXPECT_TRUE(same(p->at, {4, 4, 4})) << r;
    EXPECT_EQ(p->value, 12) << r;
  }
  // 0.7 mm reaches the y neighbours (0.6 mm) only: (4, 5, 4) holds 13.
  auto p = peakNear(*v, {4, 4, 4}, 0.7);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(same(p->at, {4, 5, 4})) << str(p->at);
}

// Equal maxima: the first in raster order (z, then y, then x) wins, not the nearest nor the first
// in x.
TEST(SegPeakNear, TiesGoToTheFirstInRasterOrder) {
  const Index3 s{5, 5, 5};
  const Index3 a{6, 6, 4}, b{4, 4, 5}, c{3, 5, 5};  // a: lowest z; b before c: lower y
  for (const Index3 o : {a, b, c}) ASSERT_TRUE(clearlyIn({o.x - s.x, o.y - s.y, o.z - s.z}, kSpacing, 2.0));
  for (const bool withA : {true, false}) {
    auto v = phantom<int16_t>(11, 11, 11, kSpacing, [&](int64_t x, int64_t y, int64_t z) {
      const bool isA = x == a.x && y == a.y && z == a.z, isB = x == b.x && y == b.y && z == b.z;
      const bool isC = x == c.x && y == c.y && z == c.z;
      return ((isA && withA) || isB || isC) ? 30 : (x == s.x && y == s.y && z == s.z ? 29 : 1);
    });
    auto p = peakNear(*v, s, 2.0);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(same(p->at, withA ? a : b)) << str(p->at);
    EXPECT_EQ(p->value, 30);
  }
}

// NaN is passed over wherever it lies: at the seed, first in the ball's raster order, and where a
// naive comparison would keep it; a ball of NaN alone is seg.bad_seed.
TEST(SegPeakNear, NaNIsSkipped) {
  const Index3 s{5, 5, 5};
  auto v = phantom<float>(11, 11, 11, kSpacing, [&](int64_t x, int64_t y, int64_t z) {
    if (z <= 4) return static_cast<double>(NAN);         // the ball's first rows (and the seed's left)
    if (x == s.x && y == s.y && z == s.z) return static_cast<double>(NAN);
    if (x == 6 && y == 6 && z == 6) return 2.5;          // 1.8 mm away: the peak
    return x == 7 && y == 5 && z == 5 ? 2.25 : -1.0;
  });
  auto p = peakNear(*v, s, 2.0);
  ASSERT_TRUE(p.ok()) << p.error().str();
  EXPECT_TRUE(same(p->at, {6, 6, 6})) << str(p->at);
  EXPECT_EQ(p->value, 2.5);
  auto nan = phantom<float>(5, 5, 5, kSpacing, [](int64_t, int64_t, int64_t) { return NAN; });
  auto none = peakNear(*nan, {2, 2, 2}, 3.0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "seg.bad_seed");
}

// The ball is clipped, not wrapped: from (0, 5, 3), offset (-1, 0, 0) would read (nx - 1, 4, 3) in
// memory; from (nx - 1, 2, 3), offset (+1, 0, 0) would read (0, 3, 3). Those hold the hottest values.
TEST(SegPeakNear, TheBallIsClippedAtTheEdge) {
  const int64_t nx = 15;
  auto v = phantom<int16_t>(nx, 11, 7, kSpacing, [&](int64_t x, int64_t y, int64_t z) {
    if (z == 3 && ((x == nx - 1 && y == 4) || (x == 0 && y == 3))) return 1000;
    return (z == 3 && ((x == 1 && y == 5) || (x == nx - 2 && y == 2))) ? 20 : 0;  // 0.8 mm from a seed
  });
  // r = 0.9 mm: the x and y neighbours (0.8, 0.6 mm), not the diagonals (1.0 mm) nor z (1.5 mm).
  for (const Index3 seed : {Index3{0, 5, 3}, Index3{nx - 1, 2, 3}}) {
    auto p = peakNear(*v, seed, 0.9);
    ASSERT_TRUE(p.ok()) << p.error().str();
    EXPECT_EQ(p->value, 20) << "seed x " << seed.x;
    EXPECT_TRUE(same(p->at, {seed.x == 0 ? 1 : nx - 2, seed.y, 3})) << str(p->at);
  }
  // A corner seed whose ball holds the whole volume (15.6 mm across): the first maximum in raster
  // order, (0, 3, 3) before (nx - 1, 4, 3).
  auto p = peakNear(*v, {0, 0, 0}, 50.0);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->value, 1000);
  EXPECT_TRUE(same(p->at, {0, 3, 3})) << str(p->at);
}

TEST(SegPeakNear, Errors) {
  auto v = phantom<int16_t>(6, 5, 4, kSpacing, [](int64_t, int64_t, int64_t) { return 1; });
  for (const Index3 s : {Index3{-1, 0, 0}, Index3{6, 0, 0}, Index3{0, 5, 0}, Index3{0, 0, 4}, Index3{0, -1, 2}})
    EXPECT_EQ(peakNear(*v, s, 2.0).error().code, "seg.bad_seed") << str(s);
  EXPECT_EQ(peakNear(*v, {1, 1, 1}, -0.5).error().code, "seg.bad_radius");
  EXPECT_EQ(peakNear(*v, {1, 1, 1}, NAN).error().code, "seg.bad_radius");
  auto rgb = Volume::create(PixelType::RGB8, {4, 4, 4, 1});
  ASSERT_TRUE(rgb.ok());
  EXPECT_EQ(peakNear(**rgb, {1, 1, 1}, 1.0).error().code, "seg.bad_pixel_type");
}

}  // namespace
}  // namespace cvx::seg
