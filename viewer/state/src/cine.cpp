// SPDX-License-Identifier: MIT
#include <cvx/viewstate/cine.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cvx::view {

int cinePhase(const Cine& c, int start, int phases, double elapsedMs) {
  if (phases < 2) return 0;
  start = std::clamp(start, 0, phases - 1);
  const double fps = std::isfinite(c.fps) ? std::clamp(c.fps, kCineMinFps, kCineMaxFps) : kCineMinFps;
  const double t = std::isfinite(elapsedMs) && elapsedMs > 0 ? elapsedMs : 0.0;
  // Steps within the sequence's period (exact for any session length: fmod before the cast).
  const int64_t period = c.mode == CineMode::Loop ? phases : 2 * (phases - 1);
  const int64_t steps = static_cast<int64_t>(std::fmod(std::floor(t * fps / 1000.0), static_cast<double>(period)));
  if (c.mode == CineMode::Loop) return static_cast<int>((start + steps) % phases);
  // Bounce: position u in 0 .. 2(n-1)-1 of the up-and-down cycle, phase u or 2(n-1) - u.
  const int64_t u = (start + steps) % period;
  return static_cast<int>(u < phases ? u : period - u);
}

}  // namespace cvx::view
