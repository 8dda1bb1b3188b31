// SPDX-License-Identifier: MIT
// cinePhase (viewstate/cine.h) against the sequences written out by hand: a loop, a bounce (from
// the start and from the middle, going up first), the rate, dropped frames, and odd input.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <cvx/viewstate/cine.h>

using namespace cvx::view;

namespace {

// The phases shown at 0, 100, 200, ... ms for `count` frames.
std::vector<int> shown(const Cine& c, int start, int phases, int count) {
  std::vector<int> out;
  for (int i = 0; i < count; ++i) out.push_back(cinePhase(c, start, phases, 100.0 * i));
  return out;
}

}  // namespace

TEST(Cine, LoopsAtTheRate) {
  const Cine tenFps{10, CineMode::Loop};  // one phase every 100 ms
  EXPECT_EQ(shown(tenFps, 0, 4, 9), (std::vector<int>{0, 1, 2, 3, 0, 1, 2, 3, 0}));
  EXPECT_EQ(shown(tenFps, 2, 4, 5), (std::vector<int>{2, 3, 0, 1, 2}));
  const Cine fiveFps{5, CineMode::Loop};  // every 200 ms
  EXPECT_EQ(shown(fiveFps, 0, 3, 7), (std::vector<int>{0, 0, 1, 1, 2, 2, 0}));
  EXPECT_EQ(cinePhase(tenFps, 0, 4, 99.9), 0);
  EXPECT_EQ(cinePhase(tenFps, 0, 4, 100.0), 1);
}

TEST(Cine, BouncesWithoutRepeatingTheEnds) {
  const Cine c{10, CineMode::Bounce};
  EXPECT_EQ(shown(c, 0, 4, 10), (std::vector<int>{0, 1, 2, 3, 2, 1, 0, 1, 2, 3}));
  EXPECT_EQ(shown(c, 2, 4, 8), (std::vector<int>{2, 3, 2, 1, 0, 1, 2, 3}));
  EXPECT_EQ(shown(c, 3, 4, 5), (std::vector<int>{3, 2, 1, 0, 1}));
  EXPECT_EQ(shown(c, 0, 2, 5), (std::vector<int>{0, 1, 0, 1, 0}));
}

TEST(Cine, ASlowFrameSkipsPhasesAndTheClockHolds) {
  const Cine c{20, CineMode::Loop};  // 50 ms a phase, 10 phases
  EXPECT_EQ(cinePhase(c, 0, 10, 0), 0);
  EXPECT_EQ(cinePhase(c, 0, 10, 260), 5);  // a frame took 260 ms: phase 5, not 1
  // Hours in: still exact (21,600,000 ms at 20 fps = 432,000 steps, a multiple of 10).
  EXPECT_EQ(cinePhase(c, 3, 10, 21600000.0), 3);
  EXPECT_EQ(cinePhase(c, 3, 10, 21600000.0 + 50), 4);
}

TEST(Cine, OddInputIsClampedNotUndefined) {
  EXPECT_EQ(cinePhase(Cine{}, 0, 1, 500), 0);   // a 3D series
  EXPECT_EQ(cinePhase(Cine{}, 5, 0, 500), 0);   // no phases
  EXPECT_EQ(cinePhase(Cine{}, 9, 4, 0), 3);     // start past the end: the last phase
  EXPECT_EQ(cinePhase(Cine{}, -2, 4, 0), 0);
  EXPECT_EQ(cinePhase(Cine{}, 1, 4, -50), 1);   // time before the start
  EXPECT_EQ(cinePhase(Cine{}, 1, 4, NAN), 1);
  EXPECT_EQ(cinePhase(Cine{1000, CineMode::Loop}, 0, 4, 1000), cinePhase(Cine{60, CineMode::Loop}, 0, 4, 1000));
  EXPECT_EQ(cinePhase(Cine{NAN, CineMode::Loop}, 0, 4, 1000), 1);  // 1 fps
}
