// SPDX-License-Identifier: MIT
// Binary dilation and erosion by the ball of hd::inBall, exactly, in three separable passes:
//  x: D(p) = the distance in voxels to the nearest foreground voxel of p's row (capped past the
//     ball's x extent);
//  y: E(p) = min over j of ((D(p + j e_y) * sx)^2 + (j * sy)^2), the rule's first sum, kept as a
//     rank in the sorted table of the values that sum can take within the ball;
//  z: p is in the dilation iff for some k, E(p + k e_z) + (k * sz)^2 <= r^2 (1 + eps).
// Each step keeps the rule's order of operations and IEEE rounding is monotonic, so the minimum
// over the ball is taken exactly as if every offset were tested with hd::inBall: the result equals
// a brute-force dilation by hd::inBall's offsets, voxel for voxel. Cost: (2 ey + 1) + (2 ez + 1)
// operations per voxel, whatever the ball's x extent. Erosion is the complement of the dilation of
// the complement (which makes outside the volume foreground for erosion, as ITK's default).
#include <algorithm>
#include <limits>

#include <cvx/core/hd/segment.h>

#include "common.h"

namespace cvx::seg {

using namespace detail;

namespace {

constexpr int kMaxExtent = 255;
constexpr uint16_t kNone = 0xFFFF;

struct Ball {
  int ex = 0, ey = 0, ez = 0;
  std::vector<uint16_t> rankOf;  // [j * (ex + 2) + i], i in 0..ex+1 (ex+1: no foreground in reach)
  std::vector<int32_t> maxRank;  // [k]: the largest rank inside the ball at |dz| = k, -1 for none
};

Result<Ball> makeBall(double r, const Vec3& s) {
  if (!(r >= 0) || std::isinf(r))
    return makeError("seg.bad_radius", "the radius must be a number of mm >= 0");
  if (!(s.x > 0) || !(s.y > 0) || !(s.z > 0))
    return makeError("seg.bad_radius", "the volume's spacing is not positive");
  Ball b;
  b.ex = hd::ballExtent(r, s.x, kMaxExtent + 1);
  b.ey = hd::ballExtent(r, s.y, kMaxExtent + 1);
  b.ez = hd::ballExtent(r, s.z, kMaxExtent + 1);
  if (b.ex > kMaxExtent || b.ey > kMaxExtent || b.ez > kMaxExtent)
    return makeError("seg.bad_radius", "a " + std::to_string(r) + " mm ball spans more than " +
                                           std::to_string(kMaxExtent) + " voxels along an axis");
  const double lim = hd::ballLimit(r);
  std::vector<double> vals;
  for (int j = 0; j <= b.ey; ++j)
    for (int i = 0; i <= b.ex; ++i) {
      const double v = hd::addRn(hd::axisTerm(i, s.x), hd::axisTerm(j, s.y));
      if (v <= lim) vals.push_back(v);
    }
  std::sort(vals.begin(), vals.end());
  vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
  if (vals.size() >= kNone) return makeError("seg.bad_radius", "the ball has too many distinct distances");
  const int w = b.ex + 2;
  b.rankOf.assign(static_cast<size_t>(w * (b.ey + 1)), kNone);
  for (int j = 0; j <= b.ey; ++j)
    for (int i = 0; i <= b.ex; ++i) {
      const double v = hd::addRn(hd::axisTerm(i, s.x), hd::axisTerm(j, s.y));
      if (v <= lim)
        b.rankOf[j * w + i] =
            static_cast<uint16_t>(std::lower_bound(vals.begin(), vals.end(), v) - vals.begin());
    }
  b.maxRank.assign(static_cast<size_t>(b.ez + 1), -1);
  for (int k = 0; k <= b.ez; ++k)
    for (size_t q = 0; q < vals.size(); ++q)
      if (hd::addRn(vals[q], hd::axisTerm(k, s.z)) <= lim) b.maxRank[k] = static_cast<int32_t>(q);
  return b;
}

// Row kernels (plain loops over restrict pointers, so that the compiler vectorises what it can).
enum RowKind : uint8_t { kEmpty, kFull, kMixed };

// x: distance to the nearest foreground voxel of the row, capped at cap; returns the row's kind.
RowKind rowDistance(const uint8_t* __restrict p, uint16_t* __restrict q, int64_t nx, uint8_t flip,
                    uint16_t cap) {
  int64_t fg = 0;
  for (int64_t x = 0; x < nx; ++x) fg += (p[x] != 0) ^ flip;
  if (fg == 0) return kEmpty;
  if (fg == nx) return kFull;
  uint16_t run = cap;
  for (int64_t x = 0; x < nx; ++x) {
    run = ((p[x] != 0) ^ flip) ? 0 : static_cast<uint16_t>(std::min<int>(run + 1, cap));
    q[x] = run;
  }
  run = cap;
  for (int64_t x = nx - 1; x >= 0; --x) {
    run = q[x] == 0 ? 0 : static_cast<uint16_t>(std::min<int>(run + 1, cap));
    q[x] = std::min(q[x], run);
  }
  return kMixed;
}

void minTable(uint16_t* __restrict o, const uint16_t* __restrict q, const uint16_t* __restrict table,
              int64_t nx) {
  for (int64_t x = 0; x < nx; ++x) o[x] = std::min(o[x], table[q[x]]);
}

void minConst(uint16_t* __restrict o, uint16_t c, int64_t nx) {
  for (int64_t x = 0; x < nx; ++x) o[x] = std::min(o[x], c);
}

void orAtMost(uint8_t* __restrict o, const uint16_t* __restrict r, int64_t n, uint16_t lim) {
  for (int64_t i = 0; i < n; ++i) o[i] |= static_cast<uint8_t>(r[i] <= lim);
}

void flipAll(uint8_t* __restrict o, int64_t n) {
  for (int64_t i = 0; i < n; ++i) o[i] ^= 1;
}

// Per-worker scratch of the dilation.
struct Scratch {
  std::vector<uint16_t> ranks, dist;
  std::vector<uint8_t> kind;
};

// out = dilate(in ^ invert) ^ invert, outside the volume background for the dilation.
Status dilateCore(const Volume& mask, double r, bool invert, uint8_t* out, Progress* progress) {
  auto ball = makeBall(r, mask.geometry.spacingMm);
  if (!ball.ok()) return ball.error();
  const Ball& b = *ball;
  const Dims d = dimsOf(mask);
  const int64_t n = d.slice(), nx = d.nx, ny = d.ny;
  const uint8_t* in = mask.as<uint8_t>();
  const uint8_t flip = invert ? 1 : 0;
  const int64_t bz = std::max<int64_t>(8, 4 * b.ez);
  const int64_t blocks = (d.nz + bz - 1) / bz;
  std::vector<Scratch> scratch(workerCount(blocks));
  const int w = b.ex + 2;
  const uint16_t cap = static_cast<uint16_t>(b.ex + 1);
  addTotal(progress, d.nz);
  return forBlocks(blocks, progress, [&](int wk, int64_t blk) {
    const int64_t z0 = blk * bz, z1 = std::min(d.nz, z0 + bz);
    const int64_t r0 = std::max<int64_t>(0, z0 - b.ez), r1 = std::min(d.nz, z1 + b.ez);
    Scratch& s = scratch[wk];
    s.ranks.resize(static_cast<size_t>((r1 - r0) * n));
    s.dist.resize(static_cast<size_t>(n));
    s.kind.resize(static_cast<size_t>(ny));
    for (int64_t z = r0; z < r1; ++z) {
      for (int64_t y = 0; y < ny; ++y)
        s.kind[y] = rowDistance(in + z * n + y * nx, s.dist.data() + y * nx, nx, flip, cap);
      // y: the smallest rank over the rows within the ball's y extent. Rows without foreground
      // add nothing; full rows add the rank of distance 0.
      uint16_t* rs = s.ranks.data() + (z - r0) * n;
      for (int64_t y = 0; y < ny; ++y) {
        uint16_t* o = rs + y * nx;
        std::fill(o, o + nx, kNone);
        for (int j = -b.ey; j <= b.ey; ++j) {
          const int64_t yy = y + j;
          if (yy < 0 || yy >= ny || s.kind[yy] == kEmpty) continue;
          const uint16_t* table = b.rankOf.data() + (j < 0 ? -j : j) * w;
          if (s.kind[yy] == kFull)
            minConst(o, table[0], nx);
          else
            minTable(o, s.dist.data() + yy * nx, table, nx);
        }
      }
    }
    // z: inside iff a slice within the z extent holds a rank inside the ball at that distance.
    for (int64_t z = z0; z < z1; ++z) {
      uint8_t* o = out + z * n;
      std::fill(o, o + n, uint8_t{0});
      for (int k = -b.ez; k <= b.ez; ++k) {
        const int64_t zz = z + k;
        const int32_t lim = b.maxRank[k < 0 ? -k : k];
        if (zz < 0 || zz >= d.nz || lim < 0) continue;
        orAtMost(o, s.ranks.data() + (zz - r0) * n, n, static_cast<uint16_t>(lim));
      }
      if (flip) flipAll(o, n);
      addProgress(progress);
    }
  });
}

Result<VolumePtr> morph(const Volume& mask, double r, bool erode, Progress* progress) try {
  CVX_TRY(seginputs::mask(mask));
  auto out = makeMask(mask);
  if (!out.ok()) return out.error();
  CVX_TRY(dilateCore(mask, r, erode, (*out)->as<uint8_t>(), progress));
  return out;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace

Result<VolumePtr> dilate(const Volume& mask, double radiusMm, Progress* progress) {
  return morph(mask, radiusMm, false, progress);
}

Result<VolumePtr> erode(const Volume& mask, double radiusMm, Progress* progress) {
  return morph(mask, radiusMm, true, progress);
}

Result<VolumePtr> open(const Volume& mask, double radiusMm, Progress* progress) {
  auto e = morph(mask, radiusMm, true, progress);
  if (!e.ok()) return e;
  return morph(**e, radiusMm, false, progress);
}

Result<VolumePtr> close(const Volume& mask, double radiusMm, Progress* progress) {
  auto e = morph(mask, radiusMm, false, progress);
  if (!e.ok()) return e;
  return morph(**e, radiusMm, true, progress);
}

Result<std::vector<Index3>> ballOffsets(double radiusMm, const Vec3& spacingMm) try {
  auto ball = makeBall(radiusMm, spacingMm);
  if (!ball.ok()) return ball.error();
  std::vector<Index3> offs;
  for (int k = -ball->ez; k <= ball->ez; ++k)
    for (int j = -ball->ey; j <= ball->ey; ++j)
      for (int i = -ball->ex; i <= ball->ex; ++i)
        if (hd::inBall(i, j, k, spacingMm.x, spacingMm.y, spacingMm.z, radiusMm)) offs.push_back({i, j, k});
  return offs;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace cvx::seg
