// SPDX-License-Identifier: MIT
#include <cvx/core/bricks.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <type_traits>

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

// Separable. A slice's reduction: per brick column (bx, by), the min and max over the brick's x
// span of each row, then over its y span. A layer of bricks (bz) combines the reductions of the
// slices in its z span. Layers are taken in runs on the thread pool, each run keeping the last
// size.z + 2 slices' reductions in a ring, so that a slice shared by two layers (the apron) is
// reduced once per run, not once per layer (3 times per slice for the CT's 4x4x1 bricks).
template <class T>
void rangesOf(const Volume& v, int64_t phase, BrickRanges& r) {
  const auto& d = v.dims();
  const T* data = reinterpret_cast<const T*>(v.slice(0, phase));
  const int64_t nx = d[0], ny = d[1], nz = d[2], bx = r.bx, by = r.by, bz = r.bz;
  const bool rescale = !v.info.rescaleApplied;
  const double slope = rescale ? v.info.rescaleSlope : 1.0, intercept = rescale ? v.info.rescaleIntercept : 0.0;
  const size_t cells = static_cast<size_t>(by * bx) * 2;
  // Slice z's reduction into out (cells floats); rowX: ny * bx * 2 floats of scratch.
  auto reduceSlice = [&](int64_t z, std::vector<float>& rowX, float* out) {
    for (int64_t y = 0; y < ny; ++y) {
      const T* row = data + (z * ny + y) * nx;
      float* o = &rowX[static_cast<size_t>(y * bx) * 2];
      for (int64_t b = 0; b < bx; ++b) {
        const Span s = brickSpan(b, r.size.x, nx);
        if constexpr (std::is_integral_v<T>) {  // compared as stored (exact, monotone to float)
          T mn = row[s.lo], mx = row[s.lo];
          for (int64_t x = s.lo + 1; x <= s.hi; ++x) {
            mn = row[x] < mn ? row[x] : mn;
            mx = row[x] > mx ? row[x] : mx;
          }
          o[2 * b] = hd::loadVoxel(&mn);
          o[2 * b + 1] = hd::loadVoxel(&mx);
        } else {
          float mn = INFINITY, mx = -INFINITY;
          for (int64_t x = s.lo; x <= s.hi; ++x) {
            const float f = hd::loadVoxel(row + x);
            mn = f < mn ? f : mn;
            mx = f > mx ? f : mx;
          }
          o[2 * b] = mn;
          o[2 * b + 1] = mx;
        }
      }
    }
    for (int64_t b = 0; b < by; ++b) {
      const Span s = brickSpan(b, r.size.y, ny);
      float* o = out + b * bx * 2;
      std::copy_n(&rowX[static_cast<size_t>(s.lo * bx) * 2], 2 * bx, o);
      for (int64_t y = s.lo + 1; y <= s.hi; ++y) {
        const float* in = &rowX[static_cast<size_t>(y * bx) * 2];
        for (int64_t x = 0; x < 2 * bx; x += 2) {
          o[x] = std::min(o[x], in[x]);
          o[x + 1] = std::max(o[x + 1], in[x + 1]);
        }
      }
    }
  };
  const int64_t runs = std::min<int64_t>(bz, 4 * static_cast<int64_t>(ThreadPool::global().size() + 1));
  const int ring = r.size.z + 2;  // a layer's span: size.z slices and one each side
  (void)ThreadPool::global().parallelFor(runs, [&](int64_t run) {
    std::vector<float> rowX(static_cast<size_t>(ny * bx) * 2), layer(cells), slices(cells * ring);
    std::vector<int64_t> held(static_cast<size_t>(ring), -1);  // the slice each ring slot holds
    for (int64_t lz = run * bz / runs; lz < (run + 1) * bz / runs; ++lz) {
      const Span zs = brickSpan(lz, r.size.z, nz);
      for (size_t i = 0; i < cells; i += 2) layer[i] = INFINITY, layer[i + 1] = -INFINITY;
      for (int64_t z = zs.lo; z <= zs.hi; ++z) {
        const size_t slot = static_cast<size_t>(z % ring);
        float* sr = &slices[slot * cells];
        if (held[slot] != z) reduceSlice(z, rowX, sr), held[slot] = z;
        for (size_t i = 0; i < cells; i += 2) {
          layer[i] = std::min(layer[i], sr[i]);
          layer[i + 1] = std::max(layer[i + 1], sr[i + 1]);
        }
      }
      for (int64_t i = 0; i < by * bx; ++i) {
        // The sampler applies slope and intercept to the interpolated value: so do the bounds (a
        // negative slope swaps them).
        float a = static_cast<float>(layer[2 * i] * slope + intercept),
              b = static_cast<float>(layer[2 * i + 1] * slope + intercept);
        if (a > b) std::swap(a, b);
        const size_t k = static_cast<size_t>(lz * by * bx + i);
        r.minMax[2 * k] = a;
        r.minMax[2 * k + 1] = b;
      }
    }
  });
}

}  // namespace

BrickSize brickSizeFor(const Vec3& spacingMm) {
  const double s[3] = {spacingMm.x, spacingMm.y, spacingMm.z};
  double fine = 0;
  for (double a : s)
    if (a > 0 && std::isfinite(a) && (fine == 0 || a < fine)) fine = a;
  int n[3] = {4, 4, 4};
  if (fine > 0)
    for (int a = 0; a < 3; ++a)
      if (s[a] > 0 && std::isfinite(s[a])) n[a] = static_cast<int>(std::clamp(std::lround(4 * fine / s[a]), 1L, 4L));
  return {n[0], n[1], n[2]};
}

BrickRanges brickRanges(const Volume& v, int64_t phase) { return brickRanges(v, phase, brickSizeFor(v.geometry.spacingMm)); }

BrickRanges brickRanges(const Volume& v, int64_t phase, int size) { return brickRanges(v, phase, BrickSize{size, size, size}); }

BrickRanges brickRanges(const Volume& v, int64_t phase, BrickSize size) {
  BrickRanges r;
  const auto& d = v.dims();
  if (size.x < 1 || size.y < 1 || size.z < 1 || phase < 0 || phase >= d[3] || !v.data() || d[0] < 1 || d[1] < 1 ||
      d[2] < 1)
    return r;
  r.size = size;
  r.bx = static_cast<int>((d[0] + size.x - 1) / size.x);
  r.by = static_cast<int>((d[1] + size.y - 1) / size.y);
  r.bz = static_cast<int>((d[2] + size.z - 1) / size.z);
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
  std::vector<uint8_t> empty(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) empty[i] = tf.transparent(r.minMax[2 * i], r.minMax[2 * i + 1]);
  return detail::skipMapOf(empty, r.bx, r.by, r.bz);
}

std::optional<VoxelBox> visibleVoxels(const BrickRanges& r, const std::vector<uint8_t>& skip,
                                      const std::array<int64_t, 3>& dims) {
  const int64_t n = int64_t{r.bx} * r.by * r.bz;
  if (n <= 0 || skip.size() != static_cast<size_t>(n) * hd::kSkipOctants) return std::nullopt;
  std::array<int64_t, 3> lo{r.bx, r.by, r.bz}, hi{-1, -1, -1};
  int64_t i = 0;
  for (int64_t z = 0; z < r.bz; ++z)
    for (int64_t y = 0; y < r.by; ++y)
      for (int64_t x = 0; x < r.bx; ++x, ++i) {
        if (skip[static_cast<size_t>(i)] != 0) continue;
        const std::array<int64_t, 3> b{x, y, z};
        for (size_t a = 0; a < 3; ++a) lo[a] = std::min(lo[a], b[a]), hi[a] = std::max(hi[a], b[a]);
      }
  if (hi[0] < 0) return std::nullopt;
  const std::array<int, 3> size{r.size.x, r.size.y, r.size.z};
  VoxelBox box;
  for (size_t a = 0; a < 3; ++a) {
    box.lo[a] = std::min(lo[a] * size[a], dims[a] - 1);
    box.hi[a] = std::min((hi[a] + 1) * size[a] - 1, dims[a] - 1);
  }
  return box;
}

std::vector<uint8_t> detail::skipMapOf(const std::vector<uint8_t>& empty, int bx, int by, int bz) {
  const int64_t n = int64_t{bx} * by * bz;
  if (n <= 0 || empty.size() != static_cast<size_t>(n)) return {};
  // Per octant, on a grid padded by one brick of 255 on every side (past the grid counts as
  // empty: a ray leaves the box there): in an order that visits a brick's 7 forward neighbours
  // (one brick on along any non-empty set of the octant's axes) before it, an empty brick's cube is
  // one more than the smallest of theirs (the largest empty cube in 3D, as the largest square in 2D).
  const int64_t px = bx + 2, py = by + 2, pz = bz + 2;
  std::vector<uint8_t> out(static_cast<size_t>(n) * hd::kSkipOctants);
  auto min8 = [](uint8_t a, uint8_t b) { return a < b ? a : b; };
  // The octants are independent: one task each on the thread pool.
  const Status st = ThreadPool::global().parallelFor(hd::kSkipOctants, [&](int64_t o) {
    std::vector<uint8_t> g(static_cast<size_t>(px * py * pz), uint8_t{255}), m(static_cast<size_t>(bx));
    const int64_t sx = (o & 1) ? -1 : 1, sy = (o & 2) ? -px : px, sz = (o & 4) ? -px * py : px * py;
    uint8_t* f = out.data() + o * n;
    for (int64_t zi = 0; zi < bz; ++zi)
      for (int64_t yi = 0; yi < by; ++yi) {
        const int64_t z = (o & 4) ? zi : bz - 1 - zi, y = (o & 2) ? yi : by - 1 - yi;
        uint8_t* row = &g[static_cast<size_t>(((z + 1) * py + y + 1) * px + 1)];
        // The 6 forward neighbours in rows already done (independent along x), then the scan along
        // the row with the 7th.
        const uint8_t *ry = row + sy, *rz = row + sz, *ryz = row + sy + sz;
        const uint8_t *ryx = ry + sx, *rzx = rz + sx, *ryzx = ryz + sx;
        uint8_t* mm = m.data();
        for (int64_t x = 0; x < bx; ++x)
          mm[x] = min8(min8(min8(ry[x], ryx[x]), min8(rz[x], rzx[x])), min8(ryz[x], ryzx[x]));
        const uint8_t* er = &empty[static_cast<size_t>((z * by + y) * bx)];
        // The 7th neighbour, row[x + sx], is the brick done just before (the padding's 255 at the
        // row's forward end): carried in a register rather than read back from memory.
        uint8_t prev = 255;
        for (int64_t xi = 0; xi < bx; ++xi) {
          const int64_t x = (o & 1) ? xi : bx - 1 - xi;
          const uint8_t near = min8(mm[x], prev);
          prev = er[x] ? static_cast<uint8_t>(near < 255 ? near + 1 : 255) : 0;
          row[x] = prev;
        }
        std::copy_n(row, bx, f + (z * by + y) * bx);
      }
  });
  if (!st.ok()) return {};  // out of memory on a worker: no skipping (the image is the same)
  return out;
}

uint64_t newBrickMapStamp() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

hd::BrickMap brickMapView(const BrickRanges& r, const std::vector<uint8_t>& skip) {
  hd::BrickMap m;
  const size_t n = static_cast<size_t>(r.bx) * r.by * r.bz;
  if (n == 0 || r.minMax.size() != 2 * n) return m;
  m.skip = skip.size() == hd::kSkipOctants * n ? skip.data() : nullptr;
  m.range = r.minMax.data();
  m.bx = r.bx;
  m.by = r.by;
  m.bz = r.bz;
  m.size[0] = r.size.x;
  m.size[1] = r.size.y;
  m.size[2] = r.size.z;
  return m;
}

}  // namespace cvx
