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

// Separable: per row, the min and max over each brick's x span; then over y spans; then over z.
template <class T>
void rangesOf(const Volume& v, int64_t phase, BrickRanges& r) {
  const auto& d = v.dims();
  const T* data = reinterpret_cast<const T*>(v.slice(0, phase));
  const int64_t nx = d[0], ny = d[1], nz = d[2], bx = r.bx, by = r.by;
  // rowX[(z * ny + y) * bx + b]: x pass; colY[(z * by + b) * bx + x]: y pass over rowX.
  std::vector<float> rowX(static_cast<size_t>(nz * ny * bx) * 2), colY(static_cast<size_t>(nz * by * bx) * 2);
  ThreadPool& pool = ThreadPool::global();
  (void)pool.parallelFor(nz, [&](int64_t z) {
    for (int64_t y = 0; y < ny; ++y) {
      const T* row = data + (z * ny + y) * nx;
      float* out = &rowX[static_cast<size_t>((z * ny + y) * bx) * 2];
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
      float* out = &colY[static_cast<size_t>((z * by + b) * bx) * 2];
      for (int64_t x = 0; x < bx; ++x) out[2 * x] = INFINITY, out[2 * x + 1] = -INFINITY;
      for (int64_t y = s.lo; y <= s.hi; ++y) {
        const float* in = &rowX[static_cast<size_t>((z * ny + y) * bx) * 2];
        for (int64_t x = 0; x < bx; ++x) {
          out[2 * x] = std::min(out[2 * x], in[2 * x]);
          out[2 * x + 1] = std::max(out[2 * x + 1], in[2 * x + 1]);
        }
      }
    }
  });
  const bool rescale = !v.info.rescaleApplied;
  const double slope = rescale ? v.info.rescaleSlope : 1.0, intercept = rescale ? v.info.rescaleIntercept : 0.0;
  for (int64_t bz = 0; bz < r.bz; ++bz) {
    const Span s = brickSpan(bz, r.size, nz);
    for (int64_t i = 0; i < by * bx; ++i) {
      float mn = INFINITY, mx = -INFINITY;
      for (int64_t z = s.lo; z <= s.hi; ++z) {
        mn = std::min(mn, colY[static_cast<size_t>(z * by * bx + i) * 2]);
        mx = std::max(mx, colY[static_cast<size_t>(z * by * bx + i) * 2 + 1]);
      }
      // The sampler applies slope and intercept to the interpolated value: so do the bounds (a
      // negative slope swaps them).
      float a = static_cast<float>(mn * slope + intercept), b = static_cast<float>(mx * slope + intercept);
      if (a > b) std::swap(a, b);
      const size_t k = static_cast<size_t>(bz * by * bx + i);
      r.minMax[2 * k] = a;
      r.minMax[2 * k + 1] = b;
    }
  }
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
  // for this metric): forward from the 13 neighbours already visited, then backward.
  const int64_t sx = 1, sy = r.bx, sz = int64_t{r.bx} * r.by;
  auto pass = [&](int dir) {
    const int64_t z0 = dir > 0 ? 0 : r.bz - 1, y0 = dir > 0 ? 0 : r.by - 1, x0 = dir > 0 ? 0 : r.bx - 1;
    for (int64_t z = z0; z >= 0 && z < r.bz; z += dir)
      for (int64_t y = y0; y >= 0 && y < r.by; y += dir)
        for (int64_t x = x0; x >= 0 && x < r.bx; x += dir) {
          const int64_t i = z * sz + y * sy + x * sx;
          int best = d[i];
          if (best == 0) continue;
          // Neighbours earlier in this pass's order: dz = -dir, any (dy, dx); dz = 0, dy = -dir, any
          // dx; dz = dy = 0, dx = -dir.
          for (int dz = -1; dz <= 1; ++dz)
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx) {
                const bool earlier = dz == -dir || (dz == 0 && (dy == -dir || (dy == 0 && dx == -dir)));
                if (!earlier) continue;
                const int64_t X = x + dx, Y = y + dy, Z = z + dz;
                if (X < 0 || Y < 0 || Z < 0 || X >= r.bx || Y >= r.by || Z >= r.bz) continue;
                best = std::min(best, d[Z * sz + Y * sy + X * sx] + 1);
              }
          d[i] = static_cast<uint8_t>(std::min(best, 255));
        }
  };
  pass(1);
  pass(-1);
  return d;
}

hd::BrickMap brickMapView(const BrickRanges& r, const std::vector<uint8_t>& skip) {
  hd::BrickMap m;
  if (skip.empty() || skip.size() != r.minMax.size() / 2) return m;
  m.skip = skip.data();
  m.bx = r.bx;
  m.by = r.by;
  m.bz = r.bz;
  m.size = r.size;
  return m;
}

}  // namespace cvx
