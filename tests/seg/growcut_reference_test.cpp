// SPDX-License-Identifier: MIT
// cvx::seg::growCut (the pool over z-slices, rows skipped when they cannot change) against a plain
// single-threaded sweep written in the test from the published rule (growcut_phantom.h): the same
// labels and the same iteration count, converged or stopped early, 6 and 26 neighbours, 3 classes
// on random intensities (many near-ties and partial attacks).
#include <cvx/seg/growcut.h>

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "growcut_phantom.h"
#include "seg_phantom.h"

namespace {
using namespace cvx::test::growcut;

TEST(GrowCutReference, SameLabelsAndIterationsAsAPlainSweep) {
  const int64_t nx = 37, ny = 29, nz = 23;
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> value(-40, 40);
  // Three blocks of mean 0, 150 and 300 with uniform noise, so that classes meet at soft edges.
  auto vol = cvx::test::phantom<int16_t>(nx, ny, nz, {0.7, 0.7, 1.3}, [&](int64_t x, int64_t y, int64_t) {
    return (x < 12 ? 0 : (y < 15 ? 150 : 300)) + value(rng);
  });
  std::uniform_int_distribution<int> pick(0, 999);
  auto seeds = seedMap(*vol, [&](int64_t x, int64_t y, int64_t) -> uint8_t {
    if (pick(rng) >= 3) return 0;  // 0.3% of the voxels are seeds of a class by position
    return x < 12 ? 1 : (y < 15 ? 2 : 3);
  });
  std::vector<float> I(static_cast<size_t>(nx * ny * nz));
  float lo = 1e9f, hi = -1e9f;
  for (size_t i = 0; i < I.size(); ++i) {
    I[i] = vol->as<int16_t>()[i];
    lo = std::min(lo, I[i]), hi = std::max(hi, I[i]);
  }
  const std::vector<uint8_t> s(seeds->as<uint8_t>(), seeds->as<uint8_t>() + I.size());
  for (int connectivity : {6, 26})
    for (int maxIterations : {4, 1000}) {
      SCOPED_TRACE(testing::Message() << "connectivity " << connectivity << ", max " << maxIterations);
      const Reference ref = referenceGrowCut(I, s, nx, ny, nz, connectivity, hi - lo, maxIterations);
      cvx::seg::GrowCutOptions o;
      o.connectivity = connectivity;
      o.marginMm = 1000;
      o.maxIterations = maxIterations;
      auto r = cvx::seg::growCut(*vol, *seeds, o);
      ASSERT_TRUE(r.ok()) << r.error().str();
      EXPECT_EQ(r->roi.count(), nx * ny * nz);
      EXPECT_EQ(r->range, hi - lo);
      EXPECT_EQ(r->converged, ref.converged);
      EXPECT_EQ(r->iterations, ref.iterations);
      int64_t diff = 0;
      for (size_t i = 0; i < I.size(); ++i) diff += r->labels->as<uint8_t>()[i] != ref.labels[i];
      EXPECT_EQ(diff, 0);
      if (maxIterations > 100) {
        EXPECT_TRUE(ref.converged);
        EXPECT_EQ(countLabel(*r->labels, 0), 0);  // every voxel reached (no g = 0 edge here)
      }
    }
}

}  // namespace
