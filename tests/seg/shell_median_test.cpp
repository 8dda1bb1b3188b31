// shellMedian (a lesion's surroundings) against this file's own loop: the voxels whose centres lie
// between the two radii (distances in mm from the spacing, every one used at least 0.1 mm^2 off
// both spheres, asserted), sorted, the middle one (or the mean of the two middle ones).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <cvx/seg/segment.h>

#include "seg_phantom.h"

namespace cvx::seg {
namespace {

using test::phantom;

const Vec3 kSpacing{0.8, 0.6, 1.5};

// The values (NaN too) of v's voxels whose centres lie more than inner and less than outer mm from
// c, every voxel centre at least 0.1 mm^2 off both spheres (asserted): the test's own shell.
std::vector<double> shellOf(const Volume& v, Index3 c, double inner, double outer) {
  std::vector<double> in;
  const auto d = v.dims();
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        const double dx = (x - c.x) * kSpacing.x, dy = (y - c.y) * kSpacing.y, dz = (z - c.z) * kSpacing.z;
        const double q = dx * dx + dy * dy + dz * dz;
        EXPECT_GT(std::abs(q - inner * inner), 0.1) << "a voxel centre on the inner sphere";
        EXPECT_GT(std::abs(q - outer * outer), 0.1) << "a voxel centre on the outer sphere";
        if (q > inner * inner && q < outer * outer) in.push_back(v.valueAt(x, y, z));
      }
  return in;
}

// The expected median: the shell's numbers sorted. count: how many; distinct: an even count whose
// two middle values differ (so that the mean of both is tested).
double expectedMedian(const Volume& v, Index3 c, double inner, double outer, int64_t& count, bool* distinct = nullptr) {
  std::vector<double> in;
  for (const double value : shellOf(v, c, inner, outer))
    if (!std::isnan(value)) in.push_back(value);
  count = static_cast<int64_t>(in.size());
  if (in.empty()) return NAN;
  std::sort(in.begin(), in.end());
  const size_t n = in.size();
  if (distinct) *distinct = n % 2 == 0 && in[n / 2 - 1] != in[n / 2];
  return n % 2 ? in[n / 2] : 0.5 * (in[n / 2 - 1] + in[n / 2]);
}

// Random values (many ties), centres inside, on faces and at corners (the shell clipped), odd and
// even counts.
TEST(SegShellMedian, EqualsASortOfTheShellsVoxels) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> u(0, 40);
  const int64_t nx = 17, ny = 15, nz = 9;
  auto v = phantom<uint16_t>(nx, ny, nz, kSpacing, [&](int64_t, int64_t, int64_t) { return u(rng); });
  int odd = 0, even = 0, distinctMiddles = 0;
  for (const auto& [inner, outer] : {std::pair{1.3, 3.3}, std::pair{0.4, 2.8}, std::pair{2.8, 5.3}})
    for (const Index3 c :
         {Index3{8, 7, 4}, Index3{0, 0, 0}, Index3{16, 14, 8}, Index3{0, 7, 8}, Index3{16, 0, 4}}) {
      int64_t count = 0;
      bool distinct = false;
      const double want = expectedMedian(*v, c, inner, outer, count, &distinct);
      ASSERT_GT(count, 0);
      (count % 2 ? odd : even)++;
      distinctMiddles += distinct;
      auto m = shellMedian(*v, c, inner, outer);
      ASSERT_TRUE(m.ok()) << m.error().str();
      EXPECT_EQ(*m, want) << inner << ".." << outer << " about " << c.x << "," << c.y << "," << c.z;
    }
  EXPECT_GT(odd, 0);
  EXPECT_GT(even, 0);
  EXPECT_GT(distinctMiddles, 0) << "an even count whose middle values differ";
}

// NaN voxels are passed over: half the volume NaN, the rest its x index; the median of the numbers
// alone (kept, NaN would fall anywhere in the order).
TEST(SegShellMedian, NanVoxelsArePassedOver) {
  const Index3 c{8, 7, 4};
  auto v = phantom<float>(17, 15, 9, kSpacing, [&](int64_t x, int64_t y, int64_t) {
    return x + y < 15 ? static_cast<double>(NAN) : static_cast<double>(x);
  });
  int64_t count = 0;
  const double want = expectedMedian(*v, c, 1.3, 3.3, count);
  const int64_t all = static_cast<int64_t>(shellOf(*v, c, 1.3, 3.3).size());
  ASSERT_GT(count, 10);
  EXPECT_GT(all - count, all / 3) << "a good part of the shell NaN";
  auto m = shellMedian(*v, c, 1.3, 3.3);
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(*m, want);
  // Every voxel NaN: no number in the shell.
  auto nan = phantom<float>(9, 9, 9, kSpacing, [](int64_t, int64_t, int64_t) { return static_cast<double>(NAN); });
  auto none = shellMedian(*nan, {4, 4, 4}, 0.5, 2.0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "seg.bad_shell");
}

// A hot block over a quarter of the shell (46 of its 191 voxels) leaves the median at the
// background's 5, where a mean moves far; the result is in stored units (the volume's rescale is
// the caller's).
TEST(SegShellMedian, AHotNeighbourInPartOfTheShellMovesItLittle) {
  const Index3 c{10, 10, 5};
  auto v = phantom<float>(21, 21, 11, kSpacing, [&](int64_t x, int64_t y, int64_t z) {
    if (x == 12 && y == 10 && z == 5) return static_cast<double>(NAN);
    return x >= 12 ? 200.0 : 5.0;  // the block: x >= 12, 1.6 mm and more to the right
  });
  int64_t count = 0;
  const double want = expectedMedian(*v, c, 1.4, 3.3, count);
  ASSERT_EQ(want, 5.0);
  double mean = 0;
  int64_t hot = 0;
  for (const double value : shellOf(*v, c, 1.4, 3.3))
    if (!std::isnan(value)) mean += value, hot += value > 100;
  mean /= static_cast<double>(count);
  EXPECT_GT(hot, count / 5) << "the block must fill a good part of the shell";
  EXPECT_GT(mean, 40) << "a mean would move far";
  auto m = shellMedian(*v, c, 1.4, 3.3);
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(*m, 5.0);
}

TEST(SegShellMedian, BadInputsHaveCodes) {
  auto v = phantom<int16_t>(5, 5, 5, kSpacing, [](int64_t, int64_t, int64_t) { return 3; });
  auto code = [](const Result<double>& r) { return r.ok() ? std::string("ok") : r.error().code; };
  EXPECT_EQ(code(shellMedian(*v, {2, 2, 2}, 3.0, 3.0)), "seg.bad_radius");
  EXPECT_EQ(code(shellMedian(*v, {2, 2, 2}, 4.0, 2.0)), "seg.bad_radius");
  EXPECT_EQ(code(shellMedian(*v, {2, 2, 2}, -1.0, 2.0)), "seg.bad_radius");
  EXPECT_EQ(code(shellMedian(*v, {2, 2, 2}, NAN, 2.0)), "seg.bad_radius");
  EXPECT_EQ(code(shellMedian(*v, {5, 2, 2}, 1.0, 2.0)), "seg.bad_seed");
  // The whole shell past the volume's edge: 20-30 mm about a 5-voxel volume of 4 x 3 x 7.5 mm.
  EXPECT_EQ(code(shellMedian(*v, {2, 2, 2}, 20.0, 30.0)), "seg.bad_shell");
  EXPECT_EQ(code(shellMedian(*v, {2, 2, 2}, 1.0, INFINITY)), "seg.bad_radius");
  auto ok = shellMedian(*v, {2, 2, 2}, 0.5, 2.0);
  ASSERT_TRUE(ok.ok()) << ok.error().str();
  EXPECT_EQ(*ok, 3.0);
}

}  // namespace
}  // namespace cvx::seg
