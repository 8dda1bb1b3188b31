// SPDX-License-Identifier: MIT
// Dilation and erosion by the ball of hd::inBall on the GPU, equal to cvx::seg::dilate / erode.
// The ball is a union of runs along x: for fixed (j, k), hd::ballDist2(i, j, k) does not decrease
// with |i| (each step of the rule is a correctly rounded, hence monotonic, operation), so the ball's
// offsets with that (j, k) are exactly i in [-a, a], a = the largest i with hd::inBall(i, j, k)
// (the row is absent when (0, j, k) is outside). A voxel is in the dilation iff for some row
// (j, k, a) of the ball the mask row (y + j, z + k) has a foreground voxel within [x - a, x + a],
// i.e. iff D(x, y + j, z + k) <= a, D being the distance along x to the nearest foreground voxel
// of that row (capped at the ball's x extent + 1). Two kernels: D (a scan of at most the x extent
// each way per voxel, from cache), then one read of D per ball row per voxel, stopping at the first
// hit: O(rows) = O(ey * ez) per voxel instead of O(ex * ey * ez) for a loop over the ball. Rows
// outside the volume are skipped and D does not look past the row's ends: outside the volume is
// background for the dilation. Erosion dilates the complement and complements the result (outside
// the volume is then foreground, as on the CPU).
#include <cvx/core/hd/segment.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "segment_detail.h"

namespace cvx::cuda::seg {

using namespace detail;

namespace {

constexpr int kMaxExtent = 255;  // as cvx::seg (seg.bad_radius beyond)
constexpr int kThreads = 256;

struct BallRow {
  int dy, dz, a;
};

struct Dims3 {
  int64_t nx, ny, nz;
};

// D along x, capped at cap, of the foreground (in != 0) ^ flip.
__global__ void rowDistanceKernel(const uint8_t* __restrict__ in, Dims3 d, uint8_t flip, int cap,
                                  uint16_t* __restrict__ dist) {
  const int64_t n = d.nx * d.ny * d.nz;
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const int64_t x = i % d.nx, row = i - x;
    int r = cap;
    for (int k = 0; k < cap; ++k) {
      if ((x - k >= 0 && ((in[row + x - k] != 0) ^ flip)) ||
          (x + k < d.nx && ((in[row + x + k] != 0) ^ flip))) {
        r = k;
        break;
      }
    }
    dist[i] = static_cast<uint16_t>(r);
  }
}

__global__ void ballKernel(const uint16_t* __restrict__ dist, Dims3 d, const BallRow* __restrict__ rows,
                           int nRows, uint8_t flip, uint8_t* __restrict__ out) {
  const int64_t n = d.nx * d.ny * d.nz, slice = d.nx * d.ny;
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const int64_t z = i / slice, y = (i % slice) / d.nx;
    uint8_t hit = 0;
    for (int r = 0; r < nRows; ++r) {
      const BallRow b = rows[r];
      const int64_t yy = y + b.dy, zz = z + b.dz;
      if (yy < 0 || yy >= d.ny || zz < 0 || zz >= d.nz) continue;
      if (dist[i + b.dz * slice + b.dy * d.nx] <= b.a) {
        hit = 1;
        break;
      }
    }
    out[i] = hit ^ flip;
  }
}

// The ball's rows for a radius and spacing, with cvx::seg's checks; the rows nearest the centre
// first (they are the likeliest to hit).
Result<std::vector<BallRow>> ballRows(double r, const Vec3& s, int& ex) {
  if (!(r >= 0) || std::isinf(r))
    return makeError("seg.bad_radius", "the radius must be a number of mm >= 0");
  if (!(s.x > 0) || !(s.y > 0) || !(s.z > 0))
    return makeError("seg.bad_radius", "the volume's spacing is not positive");
  ex = hd::ballExtent(r, s.x, kMaxExtent + 1);
  const int ey = hd::ballExtent(r, s.y, kMaxExtent + 1), ez = hd::ballExtent(r, s.z, kMaxExtent + 1);
  if (ex > kMaxExtent || ey > kMaxExtent || ez > kMaxExtent)
    return makeError("seg.bad_radius", "a " + std::to_string(r) + " mm ball spans more than " +
                                           std::to_string(kMaxExtent) + " voxels along an axis");
  std::vector<BallRow> rows;
  for (int k = -ez; k <= ez; ++k)
    for (int j = -ey; j <= ey; ++j) {
      if (!hd::inBall(0, j, k, s.x, s.y, s.z, r)) continue;
      int a = 0;
      while (a < ex && hd::inBall(a + 1, j, k, s.x, s.y, s.z, r)) ++a;
      rows.push_back({j, k, a});
    }
  std::stable_sort(rows.begin(), rows.end(), [](const BallRow& p, const BallRow& q) {
    return std::abs(p.dy) + std::abs(p.dz) < std::abs(q.dy) + std::abs(q.dz);
  });
  return rows;
}

Status morphOnce(const uint8_t* in, const Dims3& d, const std::vector<BallRow>& rows, int ex, bool erode,
                 uint8_t* out) {
  const int64_t n = d.nx * d.ny * d.nz;
  if (n == 0) return {};
  DeviceBytes dDist, dRows;
  CVX_CUDA_TRY(cudaMalloc(&dDist.p, static_cast<size_t>(n) * sizeof(uint16_t)));
  CVX_CUDA_TRY(cudaMalloc(&dRows.p, rows.size() * sizeof(BallRow)));
  CVX_CUDA_TRY(cudaMemcpy(dRows.p, rows.data(), rows.size() * sizeof(BallRow), cudaMemcpyHostToDevice));
  const uint8_t flip = erode ? 1 : 0;
  const unsigned grid = blocksFor(n, kThreads, 1u << 16);
  rowDistanceKernel<<<grid, kThreads>>>(in, d, flip, ex + 1, static_cast<uint16_t*>(dDist.p));
  ballKernel<<<grid, kThreads>>>(static_cast<const uint16_t*>(dDist.p), d,
                                 static_cast<const BallRow*>(dRows.p), static_cast<int>(rows.size()), flip,
                                 out);
  CVX_CUDA_TRY(cudaGetLastError());
  return {};
}

// ops: the sequence of erode (true) / dilate (false) steps, from in to out (a scratch buffer between).
Status morphSequence(const DeviceVolume& in, double radiusMm, std::initializer_list<bool> ops, uint8_t* out) {
  CVX_TRY(checkDevice(in, out));
  if (in.type != PixelType::UInt8)
    return makeError("seg.bad_pixel_type", std::string("a mask must be UInt8, not ") + toString(in.type));
  int ex = 0;
  auto rows = ballRows(radiusMm, in.spacingMm, ex);
  if (!rows.ok()) return rows.error();
  const Dims3 d{in.dims[0], in.dims[1], in.dims[2]};
  DeviceBytes tmp;
  if (ops.size() > 1)
    CVX_CUDA_TRY(cudaMalloc(&tmp.p, static_cast<size_t>(std::max<int64_t>(1, voxelCount(in)))));
  const uint8_t* src = static_cast<const uint8_t*>(in.voxels);
  size_t i = 0;
  for (bool e : ops) {
    // With two steps the first writes tmp, the second reads it and writes out.
    uint8_t* dst = ++i == ops.size() ? out : static_cast<uint8_t*>(tmp.p);
    CVX_TRY(morphOnce(src, d, *rows, ex, e, dst));
    src = dst;
  }
  return {};
}

Result<VolumePtr> hostMorph(const Volume& mask, double radiusMm, std::initializer_list<bool> ops,
                            Timing* timing) {
  CVX_TRY(seginputs::mask(mask));
  return hostRun(mask, 0, timing,
                 [&](const DeviceVolume& in, uint8_t* out) { return morphSequence(in, radiusMm, ops, out); });
}

}  // namespace

Status morphologyDevice(const DeviceVolume& in, double radiusMm, bool erode, uint8_t* out) {
  return morphSequence(in, radiusMm, {erode}, out);
}

Result<VolumePtr> dilate(const Volume& mask, double radiusMm, Timing* timing) {
  return hostMorph(mask, radiusMm, {false}, timing);
}
Result<VolumePtr> erode(const Volume& mask, double radiusMm, Timing* timing) {
  return hostMorph(mask, radiusMm, {true}, timing);
}
Result<VolumePtr> open(const Volume& mask, double radiusMm, Timing* timing) {
  return hostMorph(mask, radiusMm, {true, false}, timing);
}
Result<VolumePtr> close(const Volume& mask, double radiusMm, Timing* timing) {
  return hostMorph(mask, radiusMm, {false, true}, timing);
}

}  // namespace cvx::cuda::seg
