// SPDX-License-Identifier: MIT
// peakNear: the hottest voxel in a ball about a seed (segment.h).
#include "common.h"

namespace cvx::seg {

using namespace detail;

Result<Peak> peakNear(const Volume& vol, Index3 seed, double radiusMm, int64_t t) try {
  CVX_TRY(seginputs::intensity(vol, t));
  const Dims d = dimsOf(vol);
  if (seed.x < 0 || seed.y < 0 || seed.z < 0 || seed.x >= d.nx || seed.y >= d.ny || seed.z >= d.nz)
    return makeError("seg.bad_seed", "seed (" + std::to_string(seed.x) + ", " + std::to_string(seed.y) + ", " +
                                         std::to_string(seed.z) + ") is outside the volume");
  auto ball = ballOffsets(radiusMm, vol.geometry.spacingMm);  // raster order: z, then y, then x
  if (!ball.ok()) return ball.error();
  return withTyped(vol, t, [&](const auto* v) -> Result<Peak> {
    bool found = false;
    Peak best;
    for (const Index3& o : *ball) {
      const Index3 q{seed.x + o.x, seed.y + o.y, seed.z + o.z};
      if (q.x < 0 || q.y < 0 || q.z < 0 || q.x >= d.nx || q.y >= d.ny || q.z >= d.nz) continue;
      const double value = static_cast<double>(v[(q.z * d.ny + q.y) * d.nx + q.x]);
      if (std::isnan(value) || (found && !(value > best.value))) continue;
      best = {q, value};
      found = true;
    }
    if (!found) return makeError("seg.bad_seed", "no voxel near the seed holds a number");
    return best;
  });
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace cvx::seg
