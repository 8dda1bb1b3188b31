// SPDX-License-Identifier: MIT
// Empty-space skipping while a second volume is fused (bricks.h's fusedRanges and the fused
// brickSkipMap): a brick of the first grid is empty only when neither volume can show anything there.
#include <cvx/core/bricks.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/thread_pool.h>

namespace cvx {

std::vector<float> fusedRanges(const BrickRanges& first, const hd::Fusion& f, const BrickRanges& second) {
  const int64_t n = int64_t{first.bx} * first.by * first.bz;
  const int64_t n2b = int64_t{second.bx} * second.by * second.bz;
  if (n <= 0 || first.minMax.size() != static_cast<size_t>(2 * n) || n2b <= 0 ||
      second.minMax.size() != static_cast<size_t>(2 * n2b))
    return {};
  // The second grid's voxel counts, from its box [-0.5, n - 0.5] (a degenerate grid has none).
  const double boxHi[3] = {f.hi.x, f.hi.y, f.hi.z};
  int64_t n2[3];
  for (int a = 0; a < 3; ++a) n2[a] = std::max<int64_t>(0, std::llround(boxHi[a] + 0.5));
  const int size[3] = {first.size.x, first.size.y, first.size.z};
  const int size2[3] = {second.size.x, second.size.y, second.size.z};
  const int count2[3] = {second.bx, second.by, second.bz};
  std::vector<float> out(static_cast<size_t>(2 * n));
  (void)ThreadPool::global().parallelFor(first.bz, [&](int64_t bz) {
    for (int64_t by = 0; by < first.by; ++by)
      for (int64_t bx = 0; bx < first.bx; ++bx) {
        const int64_t b[3] = {bx, by, bz};
        // The brick's positions [b s - 0.5, (b + 1) s - 0.5] (brick_walk.h's brickOf), as a centre and
        // half extents, mapped: the second's box around them, one voxel wider for the float rounding.
        double c[3], h[3];
        for (int a = 0; a < 3; ++a) {
          h[a] = 0.5 * size[a];
          c[a] = static_cast<double>(b[a]) * size[a] - 0.5 + h[a];
        }
        int64_t lo[3], hi[3];
        bool inside = n2[0] > 0 && n2[1] > 0 && n2[2] > 0;
        for (int r = 0; r < 3 && inside; ++r) {
          double c2 = f.fromFirst[r][3], e2 = 1.0;
          for (int a = 0; a < 3; ++a) {
            c2 += f.fromFirst[r][a] * c[a];
            e2 += std::abs(static_cast<double>(f.fromFirst[r][a])) * h[a];
          }
          const double l = c2 - e2, u = c2 + e2, top = static_cast<double>(n2[r] - 1);
          if (!(u >= -0.5 && l <= top + 0.5)) {  // outside the second's box (or NaN): nothing fused
            inside = false;
            break;
          }
          // The voxels the sampler reads there: the clamped coordinate's floor and the next one.
          lo[r] = static_cast<int64_t>(std::floor(std::clamp(l, 0.0, top)));
          hi[r] = std::min<int64_t>(n2[r] - 1, static_cast<int64_t>(std::floor(std::clamp(u, 0.0, top))) + 1);
        }
        float mn = INFINITY, mx = -INFINITY;
        if (inside) {
          int64_t b0[3], b1[3];
          for (int a = 0; a < 3; ++a) {
            b0[a] = std::min<int64_t>(lo[a] / size2[a], count2[a] - 1);
            b1[a] = std::min<int64_t>(hi[a] / size2[a], count2[a] - 1);
          }
          for (int64_t z = b0[2]; z <= b1[2]; ++z)
            for (int64_t y = b0[1]; y <= b1[1]; ++y)
              for (int64_t x = b0[0]; x <= b1[0]; ++x) {
                const size_t i = static_cast<size_t>((z * second.by + y) * second.bx + x);
                mn = std::min(mn, second.minMax[2 * i]);
                mx = std::max(mx, second.minMax[2 * i + 1]);
              }
        }
        const size_t k = static_cast<size_t>((bz * first.by + by) * first.bx + bx);
        out[2 * k] = mn;
        out[2 * k + 1] = mx;
      }
  });
  return out;
}

std::vector<uint8_t> brickSkipMap(const BrickRanges& r, const TransferTable& tf, const std::vector<float>& second,
                                  const TransferTable& tf2) {
  const int64_t n = int64_t{r.bx} * r.by * r.bz;
  if (n <= 0 || r.minMax.size() != static_cast<size_t>(2 * n) || second.size() != static_cast<size_t>(2 * n))
    return {};
  std::vector<uint8_t> empty(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const float lo2 = second[2 * i], hi2 = second[2 * i + 1];
    empty[i] = tf.transparent(r.minMax[2 * i], r.minMax[2 * i + 1]) && (lo2 > hi2 || tf2.transparent(lo2, hi2));
  }
  return detail::skipMapOf(empty, r.bx, r.by, r.bz);
}

}  // namespace cvx
