// otsu and multiOtsu against thresholds worked out by hand and by a brute-force search written
// here: every split of the bins, scored by the between-class variance sum_c w_c (mu_c - mu)^2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <cvx/seg/segment.h>

#include "seg_phantom.h"

namespace cvx::seg {
namespace {

using test::phantom;

// The upper edges of the best split of `values` into `classes` classes over `bins` bins of
// [min, max]. Power-of-two bin counts keep floor((v - min) / width) exact.
std::vector<double> bruteOtsu(const std::vector<double>& values, int bins, int classes) {
  double mn = INFINITY, mx = -INFINITY;
  for (double v : values) mn = std::min(mn, v), mx = std::max(mx, v);
  const double w = (mx - mn) / bins;
  std::vector<double> n(bins, 0), sum(bins, 0);
  double total = 0, mean = 0;
  for (double v : values) {
    const int b = std::min(bins - 1, static_cast<int>(std::floor((v - mn) / w)));
    const double centre = mn + (b + 0.5) * w;
    n[b] += 1, sum[b] += centre, total += 1, mean += centre;
  }
  mean /= total;
  std::vector<int> ends(classes - 1), best;
  double bestVar = -1;
  // Enumerates ends[0] < ends[1] < ... < ends[classes - 2] <= bins - 2 in lexicographic order.
  std::function<void(int, int)> rec = [&](int c, int from) {
    if (c == classes - 1) {
      double var = 0;
      int start = 0;
      for (int k = 0; k < classes; ++k) {
        const int end = k < classes - 1 ? ends[k] : bins - 1;
        double cn = 0, cs = 0;
        for (int b = start; b <= end; ++b) cn += n[b], cs += sum[b];
        if (cn > 0) var += cn / total * (cs / cn - mean) * (cs / cn - mean);
        start = end + 1;
      }
      if (var > bestVar) bestVar = var, best = ends;
      return;
    }
    for (int e = from; e <= bins - classes + c; ++e) {
      ends[c] = e;
      rec(c + 1, e + 1);
    }
  };
  rec(0, 0);
  std::vector<double> t;
  for (int e : best) t.push_back(mn + (e + 1) * w);
  return t;
}

std::vector<double> valuesOf(const Volume& v) {
  std::vector<double> out;
  for (int64_t z = 0; z < v.dims()[2]; ++z)
    for (int64_t y = 0; y < v.dims()[1]; ++y)
      for (int64_t x = 0; x < v.dims()[0]; ++x) {
        const double d = v.valueAt(x, y, z);
        if (!std::isnan(d)) out.push_back(d);
      }
  return out;
}

// Low mode 100..140 for x < 12, high mode 300..380 beyond.
std::shared_ptr<Volume> bimodal() {
  return phantom<int16_t>(20, 17, 11, {0.7, 0.7, 2}, [](int64_t x, int64_t y, int64_t z) {
    return x < 12 ? 100 + (x * 7 + y * 3 + z) % 41 : 300 + (x + y * 5 + z * 11) % 81;
  });
}

TEST(SegOtsu, BimodalSplitsBetweenTheModes) {
  auto v = bimodal();
  auto r = otsu(*v, 64);
  ASSERT_TRUE(r.ok()) << r.error().str();
  // Bins of 280 / 64 = 4.375; 140 falls in bin 9; the first best split ends there: 100 + 10 x 4.375.
  EXPECT_EQ(r->threshold, 143.75);
  EXPECT_EQ(r->bins, 64);
  EXPECT_EQ(bruteOtsu(valuesOf(*v), 64, 2), std::vector<double>{143.75});
  test::expectMaskOf(*r->mask, *v);
  for (int64_t z = 0; z < 11; ++z)
    for (int64_t y = 0; y < 17; ++y)
      for (int64_t x = 0; x < 20; ++x) ASSERT_EQ(test::at(*r->mask, x, y, z), x >= 12 ? 1 : 0);
}

TEST(SegOtsu, SkewedModesMatchBruteForce) {
  // Overlapping modes (no empty bins between them): the split is decided by the variance alone.
  std::mt19937 rng(5);
  std::normal_distribution<double> a(400, 60), b(700, 120);
  auto v = phantom<uint16_t>(30, 30, 20, {1, 1, 1}, [&](int64_t x, int64_t, int64_t) {
    return std::clamp(std::round(x < 21 ? a(rng) : b(rng)), 0.0, 4000.0);
  });
  for (const int bins : {32, 128, 256}) {
    auto r = otsu(*v, bins);
    ASSERT_TRUE(r.ok());
    const auto want = bruteOtsu(valuesOf(*v), bins, 2);
    EXPECT_DOUBLE_EQ(r->threshold, want[0]) << bins << " bins";
    int64_t wrong = 0;
    for (int64_t i = 0; i < v->voxelCount(); ++i)
      wrong += r->mask->as<uint8_t>()[i] != (v->as<uint16_t>()[i] >= want[0] ? 1 : 0);
    EXPECT_EQ(wrong, 0);
  }
}

TEST(SegOtsu, TwoValuesByHand) {
  // Half 10, half 50; 4 bins of 10: 10 is in bin 0 and 50 (the maximum) in bin 3. Every split
  // separates them; the first, after bin 0, is the threshold 20.
  auto v = phantom<int16_t>(4, 4, 4, {1, 1, 1}, [](int64_t x, int64_t, int64_t) { return x < 2 ? 10 : 50; });
  auto r = otsu(*v, 4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->threshold, 20.0);
  EXPECT_EQ(test::countNonZero(*r->mask), 32);
  // bins = 0: one bin per stored value, 41 of them; the first split ends after the bin of 10.
  auto a = otsu(*v);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->bins, 41);
  EXPECT_DOUBLE_EQ(a->threshold, 10 + 40.0 / 41);
  EXPECT_EQ(test::countNonZero(*a->mask), 32);
  auto f = phantom<float>(4, 4, 4, {1, 1, 1}, [](int64_t x, int64_t, int64_t) { return x < 2 ? 10 : 50; });
  EXPECT_EQ(otsu(*f)->bins, 256);
}

TEST(SegOtsu, NaNIsNotCounted) {
  auto v = phantom<float>(16, 8, 8, {1, 1, 1}, [](int64_t x, int64_t y, int64_t) {
    return x == 0 ? NAN : (x < 9 ? 1.0 + 0.01 * y : 5.0 + 0.02 * x);
  });
  auto r = otsu(*v, 32);
  ASSERT_TRUE(r.ok());
  const auto want = bruteOtsu(valuesOf(*v), 32, 2);
  EXPECT_DOUBLE_EQ(r->threshold, want[0]);
  for (int64_t y = 0; y < 8; ++y) EXPECT_EQ(test::at(*r->mask, 0, y, 3), 0);
  EXPECT_EQ(test::at(*r->mask, 9, 2, 3), 1);
  EXPECT_EQ(test::at(*r->mask, 8, 2, 3), 0);
}

TEST(SegMultiOtsu, ThreeModesMatchBruteForce) {
  auto v = phantom<int16_t>(24, 10, 10, {1, 1, 1}, [](int64_t x, int64_t y, int64_t z) {
    if (x < 8) return 100 + (x * 7 + y * 3 + z) % 41;
    if (x < 16) return 300 + (x + y * 5 + z * 11) % 81;
    return 600 + (x * 3 + y + z * 7) % 51;
  });
  const auto values = valuesOf(*v);
  auto r = multiOtsu(*v, 3, 128);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const auto want = bruteOtsu(values, 128, 3);
  ASSERT_EQ(r->thresholds.size(), 2u);
  EXPECT_DOUBLE_EQ(r->thresholds[0], want[0]);
  EXPECT_DOUBLE_EQ(r->thresholds[1], want[1]);
  EXPECT_GT(want[0], 140);
  EXPECT_LT(want[0], 300);
  EXPECT_GT(want[1], 380);
  EXPECT_LT(want[1], 600);
  for (int64_t z = 0; z < 10; ++z)
    for (int64_t y = 0; y < 10; ++y)
      for (int64_t x = 0; x < 24; ++x) ASSERT_EQ(test::at(*r->labels, x, y, z), x / 8);
  // Four classes on skewed data, against the brute force as well.
  std::mt19937 rng(9);
  std::normal_distribution<double> n(0, 1);
  auto s =
      phantom<float>(20, 20, 10, {1, 1, 1}, [&](int64_t x, int64_t, int64_t) { return n(rng) + 0.3 * x; });
  auto four = multiOtsu(*s, 4, 32);
  ASSERT_TRUE(four.ok());
  const auto want4 = bruteOtsu(valuesOf(*s), 32, 4);
  ASSERT_EQ(four->thresholds.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(four->thresholds[i], want4[i]) << i;
}

TEST(SegOtsu, Errors) {
  auto v = bimodal();
  EXPECT_EQ(otsu(*v, 1).error().code, "seg.bad_bins");
  EXPECT_EQ(otsu(*v, -3).error().code, "seg.bad_bins");
  EXPECT_EQ(otsu(*v, 70000).error().code, "seg.bad_bins");
  EXPECT_EQ(multiOtsu(*v, 1).error().code, "seg.bad_classes");
  EXPECT_EQ(multiOtsu(*v, 9).error().code, "seg.bad_classes");
  EXPECT_EQ(multiOtsu(*v, 3, 65536).error().code, "seg.bad_bins");
  auto flat = phantom<uint8_t>(4, 4, 4, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 7; });
  EXPECT_EQ(otsu(*flat).error().code, "seg.flat_histogram");
  Progress stop;
  stop.cancel();
  EXPECT_EQ(otsu(*v, 64, 0, &stop).error().code, "seg.cancelled");
  Progress done;
  ASSERT_TRUE(multiOtsu(*v, 3, 64, 0, &done).ok());
  EXPECT_EQ(done.done(), done.total());
}

}  // namespace
}  // namespace cvx::seg
