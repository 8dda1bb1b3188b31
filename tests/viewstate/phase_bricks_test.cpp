// SPDX-License-Identifier: MIT
// view::PhaseBricks (phase_bricks.h): each phase's map is that phase's (its ranges equal
// cvx::brickRanges of the phase, computed here afresh), built once while kept, its skip map rebuilt
// for a new table build only; within a budget of two maps a loop of four still finds phases on
// every later pass (the least recently used rule would find none).
#include <gtest/gtest.h>

#include <vector>

#include <cvx/core/bricks.h>
#include <cvx/viewstate/phase_bricks.h>

using namespace cvx;

namespace {

constexpr int kPhases = 4;

std::shared_ptr<Volume> phases() {
  auto v = Volume::create(PixelType::Int16, {24, 20, 16, kPhases}).value();
  // A ramp along z that moves with the phase, with a little noise: bricks with narrow ranges, some
  // transparent under one table and not the other.
  int16_t* p = v->as<int16_t>();
  for (int t = 0; t < kPhases; ++t)
    for (int z = 0; z < 16; ++z)
      for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 24; ++x) *p++ = static_cast<int16_t>(-1000 + 120 * z + 60 * t + (x * 7 + y * 3) % 11);
  return v;
}

TransferTable table(float from) {
  auto t = buildTransferTable({{-1000, 1, 1, 1, 0}, {from, 1, 1, 1, 0}, {1000, 1, 1, 1, 1}}, 1.0);
  EXPECT_TRUE(t.ok());
  return t.ok() ? std::move(*t) : TransferTable{};
}

}  // namespace

TEST(PhaseBricks, EachPhaseHasItsOwnMapBuiltOnceAndItsSkipMapFollowsTheTable) {
  const auto v = phases();
  const TransferTable a = table(200), b = table(800);
  view::PhaseBricks bricks;
  for (int pass = 0; pass < 2; ++pass)
    for (int t = 0; t < kPhases; ++t) {
      const auto& e = bricks.get(*v, t, a, 1);
      ASSERT_EQ(e.phase, t);
      const BrickRanges fresh = brickRanges(*v, t);
      EXPECT_EQ(e.ranges.minMax, fresh.minMax) << "phase " << t;
      EXPECT_EQ(e.skip, brickSkipMap(fresh, a)) << "phase " << t;
    }
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(kPhases));
  const auto& e = bricks.get(*v, 2, b, 2);  // another table build: the skip map again, not the ranges
  EXPECT_EQ(e.skip, brickSkipMap(brickRanges(*v, 2), b));
  EXPECT_NE(e.skip, brickSkipMap(brickRanges(*v, 2), a)) << "the two tables must differ for this check";
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(kPhases + 1));
  bricks.clear();
  bricks.get(*v, 2, b, 2);
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases + 1));
}

TEST(PhaseBricks, ALoopLongerThanTheBudgetStillFindsPhases) {
  const auto v = phases();
  const TransferTable a = table(200);
  size_t one = 0;
  {
    view::PhaseBricks probe;
    const auto& e = probe.get(*v, 0, a, 1);
    one = e.ranges.minMax.size() * sizeof(float) + e.skip.size();
  }
  view::PhaseBricks bricks(2 * one);  // two phases' maps
  uint64_t built = 0;
  for (int pass = 0; pass < 4; ++pass) {
    for (int t = 0; t < kPhases; ++t) {
      EXPECT_EQ(bricks.get(*v, t, a, 1).phase, t);
      EXPECT_LE(bricks.phasesKept(), 2u);
    }
    const uint64_t now = bricks.rangeBuilds() - built;
    built = bricks.rangeBuilds();
    if (pass == 0) EXPECT_EQ(now, static_cast<uint64_t>(kPhases));
    else EXPECT_LT(now, static_cast<uint64_t>(kPhases)) << "pass " << pass << " found no phase kept";
  }
}
