// SPDX-License-Identifier: MIT
// view::PhaseBricks (phase_bricks.h): each phase's map is that phase's (its ranges equal
// cvx::brickRanges of the phase, computed here afresh), built once while kept, its skip map rebuilt
// for other opacities only; within a budget of two maps a loop of four still finds phases on every
// later pass (the least recently used rule would find none); threads asking together build each
// phase once; the prefetch builds the other phases within the budget, and holds no volume alive.
#include <gtest/gtest.h>

#include <thread>
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

TransferTable table(float from, float red = 1) {
  auto t = buildTransferTable({{-1000, red, 1, 1, 0}, {from, red, 1, 1, 0}, {1000, red, 1, 1, 1}}, 1.0);
  EXPECT_TRUE(t.ok());
  return t.ok() ? std::move(*t) : TransferTable{};
}

}  // namespace

TEST(PhaseBricks, EachPhaseHasItsOwnMapBuiltOnceAndItsSkipMapFollowsTheOpacities) {
  const auto v = phases();
  const TransferTable a = table(200), b = table(800), aRed = table(200, 0.2f);
  view::PhaseBricks bricks;
  for (int pass = 0; pass < 2; ++pass)
    for (int t = 0; t < kPhases; ++t) {
      const auto e = bricks.get(v, t, pass == 0 ? a : aRed);  // other colours: the same maps
      ASSERT_EQ(e->phase, t);
      const BrickRanges fresh = brickRanges(*v, t);
      EXPECT_EQ(e->ranges->minMax, fresh.minMax) << "phase " << t;
      EXPECT_EQ(e->skip, brickSkipMap(fresh, a)) << "phase " << t;
    }
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(kPhases));
  const auto e = bricks.get(v, 2, b);  // other opacities: the skip map again, not the ranges
  EXPECT_EQ(e->skip, brickSkipMap(brickRanges(*v, 2), b));
  EXPECT_NE(e->skip, brickSkipMap(brickRanges(*v, 2), a)) << "the two tables must differ for this check";
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases));
  EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(kPhases + 1));
  bricks.clear();
  EXPECT_EQ(bricks.find(v, 2, b), nullptr) << "cleared";
  const auto built = bricks.get(v, 2, b);
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases + 1));
  // find: the kept map for these opacities, else nothing, and it never builds.
  EXPECT_EQ(bricks.find(v, 2, b), built);
  EXPECT_EQ(bricks.find(v, 2, a), nullptr);
  EXPECT_EQ(bricks.find(v, 1, b), nullptr);
  EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases + 1));
  EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(kPhases + 2));
}

TEST(PhaseBricks, ALoopLongerThanTheBudgetStillFindsPhases) {
  const auto v = phases();
  const TransferTable a = table(200);
  size_t one = 0;
  {
    view::PhaseBricks probe;
    one = probe.get(v, 0, a)->bytes();
  }
  view::PhaseBricks bricks(2 * one);  // two phases' maps
  uint64_t built = 0;
  for (int pass = 0; pass < 4; ++pass) {
    for (int t = 0; t < kPhases; ++t) {
      EXPECT_EQ(bricks.get(v, t, a)->phase, t);
      EXPECT_LE(bricks.phasesKept(), 2u);
    }
    const uint64_t now = bricks.rangeBuilds() - built;
    built = bricks.rangeBuilds();
    if (pass == 0) EXPECT_EQ(now, static_cast<uint64_t>(kPhases));
    else EXPECT_LT(now, static_cast<uint64_t>(kPhases)) << "pass " << pass << " found no phase kept";
  }
  // A map dropped while still held (another thread drawing with it) stays whole there.
  const auto held = bricks.get(v, 0, a);
  for (int t = 1; t < kPhases; ++t) bricks.get(v, t, a);
  EXPECT_EQ(held->ranges->minMax, brickRanges(*v, 0).minMax);
  EXPECT_EQ(held->skip, brickSkipMap(brickRanges(*v, 0), a));
}

// Two threads asking for the same phases at the same time (the 3D view's preview and its
// full-resolution worker) build each phase once, and both get that phase's map.
TEST(PhaseBricks, ThreadsAskingTogetherBuildEachPhaseOnce) {
  auto big = Volume::create(PixelType::Int16, {160, 160, 96, kPhases}).value();
  int16_t* p = big->as<int16_t>();
  for (int64_t i = 0; i < big->voxelsPerPhase() * kPhases; ++i) p[i] = static_cast<int16_t>((i * 37) % 2000 - 1000);
  const std::shared_ptr<const Volume> v = big;
  const TransferTable a = table(200);
  for (int round = 0; round < 3; ++round) {
    view::PhaseBricks bricks;
    std::vector<std::vector<float>> got[2];
    auto ask = [&](int who) {
      for (int t = 0; t < kPhases; ++t) got[who].push_back(bricks.get(v, t, a)->ranges->minMax);
    };
    std::thread other(ask, 1);
    ask(0);
    other.join();
    EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases)) << "round " << round;
    EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(kPhases)) << "round " << round;
    for (int t = 0; t < kPhases; ++t) {
      const auto want = brickRanges(*v, t).minMax;
      EXPECT_EQ(got[0][static_cast<size_t>(t)], want) << t;
      EXPECT_EQ(got[1][static_cast<size_t>(t)], want) << t;
    }
  }
}

// prefetch builds the other phases from the one shown on, each equal to a fresh build; a loop
// afterwards builds nothing. Within a budget of two maps it builds one and drops none.
TEST(PhaseBricks, PrefetchBuildsTheOtherPhasesWithinTheBudget) {
  const auto v = phases();
  const TransferTable a = table(200);
  {
    view::PhaseBricks bricks;
    bricks.get(v, 1, a);
    bricks.prefetch(v, 1, a);
    bricks.waitForPrefetch();
    EXPECT_EQ(bricks.prefetched(), static_cast<uint64_t>(kPhases - 1));
    EXPECT_EQ(bricks.phasesKept(), static_cast<size_t>(kPhases));
    for (int t = 0; t < kPhases; ++t) {
      const auto e = bricks.get(v, t, a);
      EXPECT_EQ(e->ranges->minMax, brickRanges(*v, t).minMax) << t;
      EXPECT_EQ(e->skip, brickSkipMap(brickRanges(*v, t), a)) << t;
    }
    EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases));
    // Other opacities: the prefetch rebuilds the skip maps only.
    const TransferTable b = table(800);
    bricks.get(v, 0, b);
    bricks.prefetch(v, 0, b);
    bricks.waitForPrefetch();
    EXPECT_EQ(bricks.rangeBuilds(), static_cast<uint64_t>(kPhases));
    EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(2 * kPhases));
    for (int t = 0; t < kPhases; ++t) EXPECT_EQ(bricks.get(v, t, b)->skip, brickSkipMap(brickRanges(*v, t), b)) << t;
    EXPECT_EQ(bricks.skipBuilds(), static_cast<uint64_t>(2 * kPhases));
  }
  size_t one = 0;
  {
    view::PhaseBricks probe;
    one = probe.get(v, 0, a)->bytes();
  }
  view::PhaseBricks small(2 * one);
  small.get(v, 0, a);
  small.prefetch(v, 0, a);
  small.waitForPrefetch();
  EXPECT_EQ(small.prefetched(), 1u);
  EXPECT_EQ(small.phasesKept(), 2u);
  small.get(v, 1, a);  // the phase after the one shown
  small.get(v, 0, a);  // and the one shown, still kept
  EXPECT_EQ(small.rangeBuilds(), 2u);
}

// A volume closed while its phases are prefetched: the prefetch stops, its maps go, nothing is held.
TEST(PhaseBricks, AClosedVolumeIsNotHeldByThePrefetch) {
  view::PhaseBricks bricks;
  const TransferTable a = table(200);
  std::weak_ptr<const Volume> gone;
  {
    std::shared_ptr<const Volume> v = phases();
    gone = v;
    bricks.get(v, 0, a);
    bricks.prefetch(v, 0, a);
  }
  bricks.waitForPrefetch();
  EXPECT_TRUE(gone.expired());
  const std::shared_ptr<const Volume> w = phases();
  bricks.get(w, 0, a);
  EXPECT_EQ(bricks.phasesKept(), 1u) << "the closed volume's maps were dropped";
}
