// SPDX-License-Identifier: MIT
// The brick map of empty space (cvx/core/bricks.h) against brute force, and the sampler's shading
// gradient (hd::GridSampler::gradient) against analytic fields and central differences of samples.
#include <cvx/core/bricks.h>
#include <cvx/core/reslice.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "phantom.h"

namespace {

using cvx::Vec3;
using cvx::hd::Vec3f;

// Values that differ from voxel to voxel without a pattern the bricks could line up with.
std::shared_ptr<cvx::Volume> noisy(std::array<int64_t, 4> d) {
  cvx::Geometry g;
  g.spacingMm = {0.7, 0.9, 2.0};
  return cvx::test::fillVolume(g, d, [](Vec3 p) {
    return 1000 * std::sin(0.37 * p.x + 0.11 * p.y * p.y) * std::cos(0.23 * p.z - 0.05 * p.x * p.y);
  });
}

// Every brick's range against the voxels of its span read one by one (Volume::valueAt), for float
// and int16 (the CT's type), on shapes whose layers come in runs of many (61 slices: a thread's run
// keeps the slices two layers share) and of one.
void expectBruteForceRanges(const cvx::Volume& v) {
  const auto& d = v.dims();
  for (const cvx::BrickSize s : {cvx::BrickSize{1, 1, 1}, {3, 3, 3}, {4, 4, 4}, {8, 8, 8}, {4, 4, 1}, {2, 5, 3}})
    for (int64_t phase = 0; phase < d[3]; ++phase) {
      const cvx::BrickRanges r = cvx::brickRanges(v, phase, s);
      ASSERT_EQ(r.bx, (d[0] + s.x - 1) / s.x);
      ASSERT_EQ(r.by, (d[1] + s.y - 1) / s.y);
      ASSERT_EQ(r.bz, (d[2] + s.z - 1) / s.z);
      for (int z = 0; z < r.bz; ++z)
        for (int y = 0; y < r.by; ++y)
          for (int x = 0; x < r.bx; ++x) {
            float mn = INFINITY, mx = -INFINITY;
            for (int64_t k = std::max<int64_t>(0, z * s.z - 1); k <= std::min(d[2] - 1, int64_t{z + 1} * s.z); ++k)
              for (int64_t j = std::max<int64_t>(0, y * s.y - 1); j <= std::min(d[1] - 1, int64_t{y + 1} * s.y); ++j)
                for (int64_t i = std::max<int64_t>(0, x * s.x - 1); i <= std::min(d[0] - 1, int64_t{x + 1} * s.x);
                     ++i) {
                  const float f = static_cast<float>(v.valueAt(i, j, k, phase));
                  mn = std::min(mn, f);
                  mx = std::max(mx, f);
                }
            const size_t b = (static_cast<size_t>(z) * r.by + y) * r.bx + x;
            ASSERT_EQ(r.minMax[2 * b], mn) << s.x << s.y << s.z << " " << x << " " << y << " " << z;
            ASSERT_EQ(r.minMax[2 * b + 1], mx);
          }
    }
}

TEST(BrickRanges, EachBrickSpansItsVoxelsAndAOneVoxelApron) {
  for (const std::array<int64_t, 4> d :
       {std::array<int64_t, 4>{23, 17, 9, 2}, {1, 5, 8, 1}, {8, 8, 8, 1}, {9, 7, 61, 1}})
    expectBruteForceRanges(*noisy(d));
  // Int16, stored values (no rescale here: the ranges are in modality units, slope 1).
  auto i16 = cvx::Volume::create(cvx::PixelType::Int16, {11, 9, 61, 1}).value();
  for (int64_t i = 0; i < i16->voxelCount(); ++i)
    i16->as<int16_t>()[i] = static_cast<int16_t>((i * 7919) % 4001 - 2000);
  expectBruteForceRanges(*i16);
  auto v = noisy({4, 4, 4, 1});
  EXPECT_TRUE(cvx::brickRanges(*v, 1, 4).minMax.empty());  // no such phase
  EXPECT_TRUE(cvx::brickRanges(*v, 0, 0).minMax.empty());
  EXPECT_TRUE(cvx::brickRanges(*v, 0, cvx::BrickSize{4, 0, 4}).minMax.empty());
}

// A brick about as deep in mm as it is wide: 4 voxels along the finest axis, the nearest whole
// number for the same length along the others (worked by hand), 1 to 4.
TEST(BrickSize, FourVoxelsAlongTheFinestAxisAndTheSameLengthAlongTheOthers) {
  auto eq = [](cvx::BrickSize s, int x, int y, int z) { return s.x == x && s.y == y && s.z == z; };
  EXPECT_TRUE(eq(cvx::brickSizeFor({0.977, 0.977, 3.0}), 4, 4, 1));  // 3.9 / 3.0 = 1.3
  EXPECT_TRUE(eq(cvx::brickSizeFor({0.7, 0.7, 1.25}), 4, 4, 2));     // 2.8 / 1.25 = 2.24
  EXPECT_TRUE(eq(cvx::brickSizeFor({0.5, 0.5, 0.8}), 4, 4, 3));      // 2.0 / 0.8 = 2.5, rounded away
  EXPECT_TRUE(eq(cvx::brickSizeFor({1, 1, 1}), 4, 4, 4));
  EXPECT_TRUE(eq(cvx::brickSizeFor({2.0, 1.0, 1.0}), 2, 4, 4));
  EXPECT_TRUE(eq(cvx::brickSizeFor({0.5, 0.5, 10.0}), 4, 4, 1));  // never below 1
  EXPECT_TRUE(eq(cvx::brickSizeFor({0.0, 1.0, NAN}), 4, 4, 4));   // unusable spacings keep 4
}

TEST(BrickSkipMap, ChessboardDistanceToTheNearestVisibleBrick) {
  // Two blobs and a speck, visible only above 300 HU: clusters of visible bricks far apart.
  cvx::Geometry g;
  const Vec3 a{12, 10, 8}, b{50, 35, 20};
  auto v = cvx::test::fillVolume(g, {61, 47, 30, 1}, [&](Vec3 p) {
    const double speck = cvx::norm(p - Vec3{58, 3, 2}) < 0.5 ? 1000 : 0;
    return 1000 * std::exp(-cvx::dot(p - a, p - a) / 20) + 800 * std::exp(-cvx::dot(p - b, p - b) / 40) + speck;
  });
  auto table = cvx::buildTransferTable({{-1000, 0, 0, 0, 0}, {300, 1, 1, 1, 0}, {1000, 1, 1, 1, 0.5f}}, 1.0);
  ASSERT_TRUE(table.ok());
  for (const cvx::BrickSize size : {cvx::BrickSize{2, 2, 2}, {4, 4, 4}, {8, 8, 8}, {4, 4, 1}, {3, 2, 5}}) {
    const cvx::BrickRanges r = cvx::brickRanges(*v, 0, size);
    std::vector<uint8_t> empty(r.minMax.size() / 2);
    int visible = 0;
    for (size_t i = 0; i < empty.size(); ++i) {
      empty[i] = r.minMax[2 * i + 1] <= 300;  // the table is 0 at and below 300 HU
      visible += !empty[i];
    }
    ASSERT_GT(visible, 0);
    ASSERT_LT(visible, static_cast<int>(empty.size()) / 2);
    const std::vector<uint8_t> skip = cvx::brickSkipMap(r, *table);
    const std::vector<uint8_t> expected = cvx::test::octantSkip(empty, r.bx, r.by, r.bz);
    ASSERT_EQ(skip.size(), expected.size());
    for (size_t i = 0; i < skip.size(); ++i) ASSERT_EQ(int(skip[i]), int(expected[i])) << i << " size " << size.x;
    EXPECT_GE(*std::max_element(skip.begin(), skip.end()), 3);  // whole cubes to skip
    const cvx::hd::BrickMap m = cvx::brickMapView(r, skip);
    EXPECT_EQ(m.skip, skip.data());
    EXPECT_EQ(m.size[0], size.x);
    EXPECT_EQ(m.size[1], size.y);
    EXPECT_EQ(m.size[2], size.z);
  }
  // Nothing visible: every entry is the cap.
  auto none = cvx::buildTransferTable({{-5000, 0, 0, 0, 0}, {5000, 0, 0, 0, 0}}, 1.0);
  const cvx::BrickRanges r = cvx::brickRanges(*v, 0, 4);
  for (uint8_t k : cvx::brickSkipMap(r, *none)) ASSERT_EQ(k, 255);
  EXPECT_TRUE(cvx::brickSkipMap(cvx::BrickRanges{}, *none).empty());
  EXPECT_EQ(cvx::brickMapView(r, {}).skip, nullptr);
}

// A linear field has the same gradient everywhere inside; one voxel from the rim a one-sided
// difference halves it (neighbours clamped), and in the outer half voxel the point is clamped.
TEST(SamplerGradient, LinearFieldExactInsideClampedAtTheRim) {
  const std::array<int64_t, 4> d{9, 7, 6, 1};
  cvx::Geometry g;
  auto v = cvx::test::fillVolume(g, d, [](Vec3 p) { return 3 * p.x - 2 * p.y + 5 * p.z + 7; });
  v->info.rescaleApplied = false;
  v->info.rescaleSlope = 2;  // modality = stored * 2 - 1: the gradient doubles
  v->info.rescaleIntercept = -1;
  const auto s = cvx::gridSampler(*v, v->as<float>());
  for (float x : {1.0f, 2.3f, 6.99f, 7.0f})
    for (float y : {1.0f, 3.5f, 5.0f})
      for (float z : {1.0f, 2.2f, 4.0f}) {
        const Vec3f gr = s.gradient({x, y, z});
        EXPECT_NEAR(gr.x, 6, 1e-4) << x << " " << y << " " << z;
        EXPECT_NEAR(gr.y, -4, 1e-4);
        EXPECT_NEAR(gr.z, 10, 1e-4);
      }
  // Voxel 0 and the last voxel: (v1 - v0) / 2; beyond the last centre the point is clamped.
  EXPECT_NEAR(s.gradient({0, 3, 3}).x, 3, 1e-4);
  EXPECT_NEAR(s.gradient({8, 3, 3}).x, 3, 1e-4);
  EXPECT_NEAR(s.gradient({8.4f, 3, 3}).x, 3, 1e-4);
  EXPECT_NEAR(s.gradient({-0.4f, 3, 3}).x, 3, 1e-4);
  EXPECT_NEAR(s.gradient({0.5f, 3, 3}).x, 4.5, 1e-4);  // halfway between 3 and 6
  // A one-voxel axis has no gradient along it.
  auto flat = cvx::test::fillVolume(g, {5, 5, 1, 1}, [](Vec3 p) { return p.x + p.z; });
  const auto fs = cvx::gridSampler(*flat, flat->as<float>());
  EXPECT_EQ(fs.gradient({2.5f, 2, 0}).z, 0.0f);
  EXPECT_NEAR(fs.gradient({2.5f, 2, 0}).x, 1, 1e-5);
}

// Inside, the interpolated voxel differences equal central differences of the trilinear field.
TEST(SamplerGradient, EqualsCentralDifferencesOfSamplesInside) {
  const std::array<int64_t, 4> d{12, 10, 8, 1};
  auto v = noisy(d);
  const auto s = cvx::gridSampler(*v, v->as<float>());
  for (float x = 1.0f; x <= 10.0f; x += 0.61f)
    for (float y = 1.0f; y <= 8.0f; y += 0.73f)
      for (float z = 1.0f; z <= 6.0f; z += 0.87f) {
        const Vec3f gr = s.gradient({x, y, z});
        const float cx = 0.5f * (s.sample({x + 1, y, z}) - s.sample({x - 1, y, z}));
        const float cy = 0.5f * (s.sample({x, y + 1, z}) - s.sample({x, y - 1, z}));
        const float cz = 0.5f * (s.sample({x, y, z + 1}) - s.sample({x, y, z - 1}));
        ASSERT_NEAR(gr.x, cx, 1e-3) << x << " " << y << " " << z;
        ASSERT_NEAR(gr.y, cy, 1e-3);
        ASSERT_NEAR(gr.z, cz, 1e-3);
      }
}

}  // namespace

// The voxels a table can show (cvx::visibleVoxels of its skip map, what the 3D view frames): the box
// of the bricks whose span (the brick and its one-voxel apron) holds a voxel above 300 HU, found here
// voxel by voxel, for several brick shapes; none for a table that shows nothing.
TEST(VisibleVoxels, TheBoxOfTheBricksWhoseSpanHoldsAVisibleVoxel) {
  cvx::Geometry g;
  const Vec3 a{20, 14, 9}, b{41, 30, 17};
  const std::array<int64_t, 4> d{53, 45, 26, 1};
  auto v = cvx::test::fillVolume(g, d, [&](Vec3 p) {
    return 1000 * std::exp(-cvx::dot(p - a, p - a) / 12) + 700 * std::exp(-cvx::dot(p - b, p - b) / 8);
  });
  auto table = cvx::buildTransferTable({{-1000, 0, 0, 0, 0}, {300, 1, 1, 1, 0}, {1000, 1, 1, 1, 0.5f}}, 1.0);
  ASSERT_TRUE(table.ok());
  for (const cvx::BrickSize s : {cvx::BrickSize{1, 1, 1}, {4, 4, 4}, {4, 4, 1}, {3, 5, 2}, {8, 8, 8}}) {
    const cvx::BrickRanges r = cvx::brickRanges(*v, 0, s);
    const std::array<int64_t, 3> size{s.x, s.y, s.z};
    std::array<int64_t, 3> lo{d[0], d[1], d[2]}, hi{-1, -1, -1};
    for (int64_t bz = 0; bz < r.bz; ++bz)
      for (int64_t by = 0; by < r.by; ++by)
        for (int64_t bx = 0; bx < r.bx; ++bx) {
          const std::array<int64_t, 3> brick{bx, by, bz};
          std::array<int64_t, 3> from{}, to{};
          for (size_t k = 0; k < 3; ++k) {
            from[k] = std::max<int64_t>(0, brick[k] * size[k] - 1);
            to[k] = std::min<int64_t>(d[k] - 1, (brick[k] + 1) * size[k]);
          }
          bool shows = false;
          for (int64_t z = from[2]; z <= to[2] && !shows; ++z)
            for (int64_t y = from[1]; y <= to[1] && !shows; ++y)
              for (int64_t x = from[0]; x <= to[0] && !shows; ++x) shows = v->valueAt(x, y, z) > 300;
          if (!shows) continue;
          for (size_t k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], brick[k] * size[k]);
            hi[k] = std::max(hi[k], std::min(d[k] - 1, (brick[k] + 1) * size[k] - 1));
          }
        }
    ASSERT_GE(hi[0], 0);
    const auto box = cvx::visibleVoxels(r, cvx::brickSkipMap(r, *table), {d[0], d[1], d[2]});
    ASSERT_TRUE(box.has_value());
    bool smaller = false;  // the blobs lie inside: less than the whole volume
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(box->lo[k], lo[k]) << "axis " << k << ", bricks " << s.x << "x" << s.y << "x" << s.z;
      EXPECT_EQ(box->hi[k], hi[k]) << "axis " << k << ", bricks " << s.x << "x" << s.y << "x" << s.z;
      smaller = smaller || box->lo[k] > 0 || box->hi[k] < d[k] - 1;
    }
    EXPECT_TRUE(smaller);
  }
  auto none = cvx::buildTransferTable({{-5000, 0, 0, 0, 0}, {5000, 0, 0, 0, 0}}, 1.0);
  const cvx::BrickRanges r = cvx::brickRanges(*v, 0, 4);
  EXPECT_FALSE(cvx::visibleVoxels(r, cvx::brickSkipMap(r, *none), {d[0], d[1], d[2]}).has_value());
  EXPECT_FALSE(cvx::visibleVoxels(r, {}, {d[0], d[1], d[2]}).has_value());  // no map of r's size
}
