// SPDX-License-Identifier: MIT
// peakNear: the hottest voxel in a ball about a seed; shellMedian: a lesion's surroundings (segment.h).
#include "common.h"

#include <cvx/core/hd/segment.h>

namespace cvx::seg {

using namespace detail;

Result<Peak> peakNear(const Volume& vol, Index3 seed, double radiusMm, int64_t t) try {
  CVX_TRY(seginputs::intensity(vol, t));
  const Dims d = dimsOf(vol);
  if (!d.contains(seed))
    return makeError("seg.bad_seed", "seed (" + std::to_string(seed.x) + ", " + std::to_string(seed.y) + ", " +
                                         std::to_string(seed.z) + ") is outside the volume");
  auto ball = ballOffsets(radiusMm, vol.geometry.spacingMm);  // raster order: z, then y, then x
  if (!ball.ok()) return ball.error();
  return withTyped(vol, t, [&](const auto* v) -> Result<Peak> {
    bool found = false;
    Peak best;
    for (const Index3& o : *ball) {
      const Index3 q{seed.x + o.x, seed.y + o.y, seed.z + o.z};
      if (!d.contains(q)) continue;
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

Result<double> shellMedian(const Volume& vol, Index3 centre, double innerMm, double outerMm, int64_t t) try {
  CVX_TRY(seginputs::intensity(vol, t));
  const Dims d = dimsOf(vol);
  if (!d.contains(centre))
    return makeError("seg.bad_seed", "the shell's centre is outside the volume");
  if (!(innerMm >= 0.0) || !(outerMm > innerMm) || !std::isfinite(outerMm))
    return makeError("seg.bad_radius", "a shell needs 0 <= inner < outer radius (mm), got " + std::to_string(innerMm) +
                                           " and " + std::to_string(outerMm));
  const Vec3 s = vol.geometry.spacingMm;
  const int ex = hd::ballExtent(outerMm, s.x), ey = hd::ballExtent(outerMm, s.y), ez = hd::ballExtent(outerMm, s.z);
  if (ex < 0 || ey < 0 || ez < 0) return makeError("seg.bad_radius", "the series' spacing is not positive");
  // The outer ball's box clipped to the volume: no offset list, whatever the radius.
  const int64_t x0 = std::max<int64_t>(0, centre.x - ex), x1 = std::min<int64_t>(d.nx - 1, centre.x + ex);
  const int64_t y0 = std::max<int64_t>(0, centre.y - ey), y1 = std::min<int64_t>(d.ny - 1, centre.y + ey);
  const int64_t z0 = std::max<int64_t>(0, centre.z - ez), z1 = std::min<int64_t>(d.nz - 1, centre.z + ez);
  return withTyped(vol, t, [&](const auto* v) -> Result<double> {
    std::vector<double> values;
    for (int64_t z = z0; z <= z1; ++z)
      for (int64_t y = y0; y <= y1; ++y)
        for (int64_t x = x0; x <= x1; ++x) {
          const int i = static_cast<int>(x - centre.x), j = static_cast<int>(y - centre.y),
                    k = static_cast<int>(z - centre.z);
          if (!hd::inBall(i, j, k, s.x, s.y, s.z, outerMm) || hd::inBall(i, j, k, s.x, s.y, s.z, innerMm)) continue;
          const double value = static_cast<double>(v[(z * d.ny + y) * d.nx + x]);
          if (!std::isnan(value)) values.push_back(value);
        }
    if (values.empty())
      return makeError("seg.bad_shell", "no voxel of the volume that holds a number lies in the background shell");
    const size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2) return upper;
    return 0.5 * (*std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid)) + upper);
  });
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace cvx::seg
