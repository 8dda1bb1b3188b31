// SPDX-License-Identifier: MIT
// Cine: a 4D series played at a frame rate, as a reading workstation plays cardiac phases or a
// perfusion series. The phase shown is a function of the time since play started (cinePhase), so
// a frame that takes longer than the rate allows skips phases instead of slowing the clock: the
// rate holds and frames are dropped. Qt-free: the window's play button drives it with a timer.
#pragma once

namespace cvx::view {

enum class CineMode {
  Loop,    // 0, 1, ..., n - 1, 0, 1, ...
  Bounce,  // 0, 1, ..., n - 1, n - 2, ..., 1, 0, 1, ... (a cardiac cycle without the jump back)
};

struct Cine {
  double fps = 10;  // phases a second; clamped to [kCineMinFps, kCineMaxFps]
  CineMode mode = CineMode::Loop;
};
inline constexpr double kCineMinFps = 1, kCineMaxFps = 60;

// The phase to show elapsedMs after play started at phase `start` (clamped into 0..phases-1), for
// `phases` phases: start advanced by floor(elapsedMs * fps / 1000) steps of c.mode's sequence. A
// bounce that starts at phase s goes up first (down from the last phase). 0 when phases < 2;
// negative or NaN times count as 0.
int cinePhase(const Cine& c, int start, int phases, double elapsedMs);

}  // namespace cvx::view
