// SPDX-License-Identifier: MIT
#include "lung_seed.h"

#include <cstdlib>

namespace cvx::bench {

std::optional<seg::Index3> rightLungSeed(const Volume& v, int64_t z, double lo, double hi) {
  const int64_t nx = v.dims()[0], ny = v.dims()[1];
  auto in = [&](int64_t x, int64_t y) {
    if (x < 0 || y < 0 || x >= nx || y >= ny) return false;
    const double s = v.valueAt(x, y, z);
    return lo <= s && s <= hi;
  };
  auto tissue = [&](int64_t x, int64_t y) {  // denser than the range (not padding, not the edge)
    return x >= 0 && y >= 0 && x < nx && y < ny && v.valueAt(x, y, z) > hi;
  };
  const int64_t step = v.geometry.direction[0].x > 0 ? -1 : 1, y0 = ny / 2;
  for (int64_t x = nx / 2; x >= 0 && x < nx; x += step) {
    if (!in(x, y0)) continue;
    int64_t end = x;
    while (in(end + step, y0)) end += step;
    if (std::abs(end - x) + 1 < 30) {
      x = end;
      continue;
    }
    if (!tissue(x - step, y0) || !tissue(end + step, y0)) return std::nullopt;  // air around the body
    const int64_t xc = (x + end) / 2;
    int64_t ya = y0, yb = y0;
    while (in(xc, ya - 1)) --ya;
    while (in(xc, yb + 1)) ++yb;
    if (!tissue(xc, ya - 1) || !tissue(xc, yb + 1)) return std::nullopt;
    const int64_t yc = (ya + yb) / 2;
    for (int dy = -2; dy <= 2; ++dy)
      for (int dx = -2; dx <= 2; ++dx)
        if (!in(xc + dx, yc + dy)) return std::nullopt;
    return seg::Index3{xc, yc, z};
  }
  return std::nullopt;
}

std::optional<seg::Index3> findRightLungSeed(const Volume& v, double lo, double hi) {
  const int64_t nz = v.dims()[2];
  for (int64_t k = 0; k < nz; ++k) {  // the middle slice first, then outward
    const int64_t z = nz / 2 + (k % 2 ? -(k + 1) / 2 : k / 2);
    if (z < 0 || z >= nz) continue;
    if (auto seed = rightLungSeed(v, z, lo, hi)) return seed;
  }
  return std::nullopt;
}

}  // namespace cvx::bench
