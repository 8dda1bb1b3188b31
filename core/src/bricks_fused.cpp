// SPDX-License-Identifier: MIT
// Empty-space skipping while a second volume is fused (bricks.h's fusedRanges and the fused
// brickSkipMap): a brick of the first grid is empty only when neither volume can show anything there.
#include <cvx/core/bricks.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <cvx/core/backend.h>
#include <cvx/core/hd/reslice.h>
#include <cvx/core/thread_pool.h>

namespace cvx {

namespace {

// The second volume's voxel box for each brick of `first`, and the min and max stored value in it.
template <class T>
void rangesIn(const BrickRanges& first, const hd::Fusion& f, const Volume& second, int64_t phase, std::vector<float>& out) {
  const auto& d = second.dims();
  const T* data = reinterpret_cast<const T*>(second.slice(0, phase));
  const int64_t n2[3] = {d[0], d[1], d[2]};
  const bool rescale = !second.info.rescaleApplied;
  const double slope = rescale ? second.info.rescaleSlope : 1.0, intercept = rescale ? second.info.rescaleIntercept : 0.0;
  const int size[3] = {first.size.x, first.size.y, first.size.z};
  (void)ThreadPool::global().parallelFor(first.bz, [&](int64_t bz) {
    for (int64_t by = 0; by < first.by; ++by)
      for (int64_t bx = 0; bx < first.bx; ++bx) {
        const int64_t b[3] = {bx, by, bz};
        // The brick's positions [b s - 0.5, (b + 1) s - 0.5] (brick_walk.h's brickOf) as a centre and
        // half extents, mapped: the box around them in the second's voxel index.
        double c[3], h[3];
        for (int a = 0; a < 3; ++a) {
          h[a] = 0.5 * size[a] + 0.01;
          c[a] = static_cast<double>(b[a]) * size[a] - 0.5 + 0.5 * size[a];
        }
        int64_t lo[3], hi[3];
        bool inside = true;
        for (int r = 0; r < 3 && inside; ++r) {
          double c2 = f.fromFirst[r][3], e2 = 0.05;
          for (int a = 0; a < 3; ++a) {
            c2 += f.fromFirst[r][a] * c[a];
            e2 += std::abs(static_cast<double>(f.fromFirst[r][a])) * h[a];
          }
          const double l = c2 - e2, u = c2 + e2, top = static_cast<double>(n2[r] - 1);
          inside = u >= -0.5 && l <= top + 0.5;  // else (or NaN) outside the second's box: nothing fused
          // The voxels the sampler reads there: the clamped coordinate's floor and the next one.
          lo[r] = static_cast<int64_t>(std::floor(std::clamp(l, 0.0, top)));
          hi[r] = std::min<int64_t>(n2[r] - 1, static_cast<int64_t>(std::floor(std::clamp(u, 0.0, top))) + 1);
        }
        float mn = INFINITY, mx = -INFINITY;
        if (inside) {
          for (int64_t z = lo[2]; z <= hi[2]; ++z)
            for (int64_t y = lo[1]; y <= hi[1]; ++y) {
              const T* row = data + (z * n2[1] + y) * n2[0];
              for (int64_t x = lo[0]; x <= hi[0]; ++x) {
                const float v = hd::loadVoxel(row + x);
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
              }
            }
          // The sampler applies slope and intercept to the interpolated value: so do the bounds.
          float a = static_cast<float>(mn * slope + intercept), e = static_cast<float>(mx * slope + intercept);
          if (a > e) std::swap(a, e);
          mn = a, mx = e;
        }
        const size_t k = static_cast<size_t>((bz * first.by + by) * first.bx + bx);
        out[2 * k] = mn;
        out[2 * k + 1] = mx;
      }
  });
}

}  // namespace

std::vector<float> fusedRanges(const BrickRanges& first, const hd::Fusion& f, const Volume& second, int64_t phase) {
  const int64_t n = int64_t{first.bx} * first.by * first.bz;
  const auto& d = second.dims();
  if (n <= 0 || first.minMax.size() != static_cast<size_t>(2 * n) || phase < 0 || phase >= d[3] || !second.data() ||
      d[0] < 1 || d[1] < 1 || d[2] < 1)
    return {};
  std::vector<float> out(static_cast<size_t>(2 * n));
  const Status st = withVoxelType(second.type(), [&](auto* type) -> Status {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    rangesIn<T>(first, f, second, phase, out);
    return {};
  });
  if (!st.ok()) return {};
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
