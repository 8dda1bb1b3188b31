// SPDX-License-Identifier: MIT
#include <cvx/core/bricks.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/hd/reslice.h>
#include <cvx/core/thread_pool.h>

namespace cvx {
namespace {

// The voxels brick b reads along one axis of n voxels: [b * size - 1, (b + 1) * size], clamped.
struct Span {
  int64_t lo, hi;
};
Span brickSpan(int64_t b, int size, int64_t n) {
  return {std::max<int64_t>(0, b * size - 1), std::min<int64_t>(n - 1, (b + 1) * size)};
}

// Separable, one layer of bricks (bz) at a time on the thread pool: per row of the layer's slices,
// the min and max over each brick's x span; then over each brick's y span; then over the z span.
template <class T>
void rangesOf(const Volume& v, int64_t phase, BrickRanges& r) {
  const auto& d = v.dims();
  const T* data = reinterpret_cast<const T*>(v.slice(0, phase));
  const int64_t nx = d[0], ny = d[1], nz = d[2], bx = r.bx, by = r.by;
  const bool rescale = !v.info.rescaleApplied;
  const double slope = rescale ? v.info.rescaleSlope : 1.0, intercept = rescale ? v.info.rescaleIntercept : 0.0;
  (void)ThreadPool::global().parallelFor(r.bz, [&](int64_t bz) {
    const Span zs = brickSpan(bz, r.size, nz);
    std::vector<float> rowX(static_cast<size_t>(ny * bx) * 2), layer(static_cast<size_t>(by * bx) * 2);
    for (size_t i = 0; i < layer.size(); i += 2) layer[i] = INFINITY, layer[i + 1] = -INFINITY;
    for (int64_t z = zs.lo; z <= zs.hi; ++z) {
      for (int64_t y = 0; y < ny; ++y) {
        const T* row = data + (z * ny + y) * nx;
        float* out = &rowX[static_cast<size_t>(y * bx) * 2];
        for (int64_t b = 0; b < bx; ++b) {
          const Span s = brickSpan(b, r.size, nx);
          float mn = INFINITY, mx = -INFINITY;
          for (int64_t x = s.lo; x <= s.hi; ++x) {
            const float f = hd::loadVoxel(row + x);
            mn = f < mn ? f : mn;
            mx = f > mx ? f : mx;
          }
          out[2 * b] = mn;
          out[2 * b + 1] = mx;
        }
      }
      for (int64_t b = 0; b < by; ++b) {
        const Span s = brickSpan(b, r.size, ny);
        float* out = &layer[static_cast<size_t>(b * bx) * 2];
        for (int64_t y = s.lo; y <= s.hi; ++y) {
          const float* in = &rowX[static_cast<size_t>(y * bx) * 2];
          for (int64_t x = 0; x < 2 * bx; x += 2) {
            out[x] = std::min(out[x], in[x]);
            out[x + 1] = std::max(out[x + 1], in[x + 1]);
          }
        }
      }
    }
    for (int64_t i = 0; i < by * bx; ++i) {
      // The sampler applies slope and intercept to the interpolated value: so do the bounds (a
      // negative slope swaps them).
      float a = static_cast<float>(layer[2 * i] * slope + intercept), b = static_cast<float>(layer[2 * i + 1] * slope + intercept);
      if (a > b) std::swap(a, b);
      const size_t k = static_cast<size_t>(bz * by * bx + i);
      r.minMax[2 * k] = a;
      r.minMax[2 * k + 1] = b;
    }
  });
}

}  // namespace

BrickRanges brickRanges(const Volume& v, int64_t phase, int size) {
  BrickRanges r;
  const auto& d = v.dims();
  if (size < 1 || phase < 0 || phase >= d[3] || !v.data() || d[0] < 1 || d[1] < 1 || d[2] < 1) return r;
  r.size = size;
  r.bx = static_cast<int>((d[0] + size - 1) / size);
  r.by = static_cast<int>((d[1] + size - 1) / size);
  r.bz = static_cast<int>((d[2] + size - 1) / size);
  r.minMax.assign(static_cast<size_t>(r.bx) * r.by * r.bz * 2, 0.0f);
  switch (v.type()) {
    case PixelType::UInt8: rangesOf<uint8_t>(v, phase, r); break;
    case PixelType::Int16: rangesOf<int16_t>(v, phase, r); break;
    case PixelType::UInt16: rangesOf<uint16_t>(v, phase, r); break;
    case PixelType::Float32: rangesOf<float>(v, phase, r); break;
    case PixelType::RGB8: rangesOf<hd::Rgb<uint8_t>>(v, phase, r); break;
    case PixelType::RGB16: rangesOf<hd::Rgb<uint16_t>>(v, phase, r); break;
    case PixelType::RGB32: rangesOf<hd::Rgb<uint32_t>>(v, phase, r); break;
    default: r = {}; break;
  }
  return r;
}

std::vector<uint8_t> brickSkipMap(const BrickRanges& r, const TransferTable& tf) {
  const int64_t n = int64_t{r.bx} * r.by * r.bz;
  if (n <= 0 || r.minMax.size() != static_cast<size_t>(n) * 2) return {};
  std::vector<uint8_t> d(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) d[i] = tf.transparent(r.minMax[2 * i], r.minMax[2 * i + 1]) ? 255 : 0;
  // The chessboard distance by two raster passes over the 26-neighbourhood with unit steps (exact
  // for this metric): forward from the 13 neighbours already visited, then backward. The grid is
  // padded by one brick of 255 on every side, so no neighbour needs a bounds check; per row, the 12
  // neighbours in earlier rows come first (independent along x), then the scan along the row.
  const int64_t px = r.bx + 2, py = r.by + 2, pz = r.bz + 2;
  std::vector<uint8_t> g(static_cast<size_t>(px * py * pz), 255);
  for (int64_t z = 0; z < r.bz; ++z)
    for (int64_t y = 0; y < r.by; ++y)
      std::copy_n(&d[static_cast<size_t>((z * r.by + y) * r.bx)], r.bx,
                  &g[static_cast<size_t>(((z + 1) * py + y + 1) * px + 1)]);
  std::vector<uint8_t> m(static_cast<size_t>(px));
  auto pass = [&](int dir) {
    // Row offsets of the 4 neighbour rows earlier in this pass's order (each read at x - 1, x, x + 1):
    // the three rows of the previous slice and the previous row of this slice.
    const int64_t rows[4] = {-dir * px * py - px, -dir * px * py, -dir * px * py + px, -dir * px};
    for (int64_t zi = 0; zi < r.bz; ++zi)
      for (int64_t yi = 0; yi < r.by; ++yi) {
        const int64_t z = dir > 0 ? zi + 1 : r.bz - zi, y = dir > 0 ? yi + 1 : r.by - yi;
        uint8_t* row = &g[static_cast<size_t>((z * py + y) * px)];
        for (int64_t x = 1; x <= r.bx; ++x) {
          int best = 255;
          for (int64_t o : rows) {
            const uint8_t* n = row + o + x;
            best = std::min({best, int(n[-1]), int(n[0]), int(n[1])});
          }
          m[x] = static_cast<uint8_t>(std::min(best + 1, 255));
        }
        for (int64_t i = 0; i < r.bx; ++i) {
          const int64_t x = dir > 0 ? i + 1 : r.bx - i;
          row[x] = static_cast<uint8_t>(std::min({int(row[x]), int(m[x]), row[x - dir] + 1, 255}));
        }
      }
  };
  pass(1);
  pass(-1);
  for (int64_t z = 0; z < r.bz; ++z)
    for (int64_t y = 0; y < r.by; ++y)
      std::copy_n(&g[static_cast<size_t>(((z + 1) * py + y + 1) * px + 1)], r.bx,
                  &d[static_cast<size_t>((z * r.by + y) * r.bx)]);
  return d;
}

hd::BrickMap brickMapView(const BrickRanges& r, const std::vector<uint8_t>& skip) {
  hd::BrickMap m;
  const size_t n = static_cast<size_t>(r.bx) * r.by * r.bz;
  if (n == 0 || r.minMax.size() != 2 * n) return m;
  m.skip = skip.size() == n ? skip.data() : nullptr;
  m.range = r.minMax.data();
  m.bx = r.bx;
  m.by = r.by;
  m.bz = r.bz;
  m.size = r.size;
  return m;
}

}  // namespace cvx
