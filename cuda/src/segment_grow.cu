// SPDX-License-Identifier: MIT
// Region growing (connected threshold) on the GPU. The result is defined as a set, not by an
// order of visits: the in-range voxels connected (6 or 26) to an in-range seed through in-range
// voxels. Any propagation that (a) only fills an open voxel next to a filled one and (b) stops
// only when no open voxel has a filled neighbour reaches exactly that set, whatever the order, so
// the labels equal the CPU's scanline flood fill (cvx::seg::connectedThreshold) bit for bit.
//
// The scheme, on bits: each x row is cut into 32-voxel words; O (open: hd::inRange) and F (filled)
// hold one bit per voxel (1/8 byte per voxel each, so a pass over 512^3 reads 32 MB).
//  - pack: a warp per word, a ballot of hd::inRange of 32 voxels; seeds set their F bit if open.
//  - pass: a block loads a tile of 4 x 16 x 16 words (128 x 16 x 16 voxels) of F plus a one-word
//    halo into shared memory and iterates until the tile is stable: a word's new F is the open
//    runs (within the word) that hold a seed bit, a seed bit being an open voxel next to a filled
//    one in the 6- or 26-neighbourhood (the neighbour rows' words, shifted by one bit for the x
//    diagonals, the end bits of the words on the left and right). A run fills in one step with a
//    carry (((s + o) ^ o) & o fills upward, the same on the bit-reversed word downward); each
//    thread owns a column of 4 words along z and sweeps it up and down (Gauss-Seidel), so most
//    of a tile fills in a few iterations. Changed words go back to global memory and raise the
//    pass's flag.
//  - passes repeat until a pass changes nothing; then unpack writes F as bytes.
// Termination and pass count: F only grows and is bounded by O, and every pass but the last adds
// at least one bit, so it terminates. A pass ends with every tile stable under the halo it read,
// so the filled front crosses at least one tile boundary per pass along any path from a seed:
// passes <= 2 + the number of tile-boundary crossings along the longest shortest path inside the
// region. A convex region needs about (its extent / the tile's extent) passes along the worst
// axis (512^3 all in range, seed in a corner: ~34 passes expected, not yet measured); the worst case is a path that winds
// through many tiles (a spiral or serpentine: up to one pass per tile it crosses, tested in
// seg_cuda_test's spiral), bounded by the number of tiles crossed, never by the voxel count of a
// tile. Passes are launched in batches of 4 between host checks (a pass that changes nothing
// leaves the state as it is, so extra passes are harmless).
#include <cvx/core/hd/segment.h>

#include <vector>

#include "segment_detail.h"

namespace cvx::cuda::seg {

using namespace detail;

namespace {

constexpr int kTW = 4, kTY = 16, kTZ = 4, kKZ = 4;                // threads x, y, z; words per thread along z
constexpr int kSW = kTW + 2, kSY = kTY + 2, kSZ = kTZ * kKZ + 2;  // the shared tile with its halo
constexpr int kBatch = 4;

struct WordGrid {
  int64_t nx, ny, nz, nxw;  // nxw: words per row
  __host__ __device__ int64_t words() const { return nxw * ny * nz; }
};

template <class T>
__global__ void packKernel(const T* __restrict__ v, WordGrid g, double lo, double hi,
                           uint32_t* __restrict__ open) {
  const int lane = threadIdx.x & 31;
  const int64_t warps = int64_t{gridDim.x} * (blockDim.x / 32);
  for (int64_t w = (blockIdx.x * int64_t{blockDim.x} + threadIdx.x) / 32; w < g.words(); w += warps) {
    const int64_t row = w / g.nxw, x = (w % g.nxw) * 32 + lane;
    const bool in = x < g.nx && hd::inRange(v[row * g.nx + x], lo, hi);
    const uint32_t bits = __ballot_sync(0xffffffffu, in);
    if (lane == 0) open[w] = bits;
  }
}

__global__ void seedKernel(const int64_t* __restrict__ seeds, int count, WordGrid g,
                           const uint32_t* __restrict__ open, uint32_t* filled) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= count) return;
  const int64_t x = seeds[3 * i], y = seeds[3 * i + 1], z = seeds[3 * i + 2];
  const int64_t w = (z * g.ny + y) * g.nxw + x / 32;
  const uint32_t bit = 1u << (x % 32);
  if (open[w] & bit) atomicOr(&filled[w], bit);
}

__global__ void unpackKernel(const uint32_t* __restrict__ filled, WordGrid g, uint8_t* __restrict__ out) {
  const int lane = threadIdx.x & 31;
  const int64_t warps = int64_t{gridDim.x} * (blockDim.x / 32);
  for (int64_t w = (blockIdx.x * int64_t{blockDim.x} + threadIdx.x) / 32; w < g.words(); w += warps) {
    const int64_t row = w / g.nxw, x = (w % g.nxw) * 32 + lane;
    if (x < g.nx) out[row * g.nx + x] = (filled[w] >> lane) & 1u;
  }
}

// The open bits of o reached from the seed bits s (s within o) along runs of o, both ways.
__device__ __forceinline__ uint32_t fillUp(uint32_t o, uint32_t s) { return (((s + o) ^ o) & o) | s; }
__device__ __forceinline__ uint32_t fillRuns(uint32_t o, uint32_t s) {
  return fillUp(o, s) | __brev(fillUp(__brev(o), __brev(s)));
}

template <int Conn>
__global__ void __launch_bounds__(kTW* kTY* kTZ)
    passKernel(WordGrid g, const uint32_t* __restrict__ open, uint32_t* __restrict__ filled, int* changed) {
  __shared__ uint32_t s[kSZ][kSY][kSW];
  const int tid = threadIdx.x + kTW * (threadIdx.y + kTY * threadIdx.z);
  const int64_t w0 = int64_t{blockIdx.x} * kTW, y0 = int64_t{blockIdx.y} * kTY,
                z0 = int64_t{blockIdx.z} * kTZ * kKZ;
  bool hasF = false;
  for (int i = tid; i < kSZ * kSY * kSW; i += kTW * kTY * kTZ) {
    const int lw = i % kSW, ly = (i / kSW) % kSY, lz = i / (kSW * kSY);
    const int64_t w = w0 + lw - 1, y = y0 + ly - 1, z = z0 + lz - 1;
    uint32_t f = 0;
    if (w >= 0 && w < g.nxw && y >= 0 && y < g.ny && z >= 0 && z < g.nz)
      f = filled[(z * g.ny + y) * g.nxw + w];
    s[lz][ly][lw] = f;
    hasF |= f != 0;
  }
  const int lw = threadIdx.x + 1, ly = threadIdx.y + 1;
  const int64_t w = w0 + threadIdx.x, y = y0 + threadIdx.y;
  uint32_t o[kKZ], f0[kKZ];
  bool pending = false;
  for (int k = 0; k < kKZ; ++k) {
    const int64_t z = z0 + threadIdx.z * kKZ + k;
    const bool inside = w < g.nxw && y < g.ny && z < g.nz;
    o[k] = inside ? open[(z * g.ny + y) * g.nxw + w] : 0u;
    f0[k] = inside ? filled[(z * g.ny + y) * g.nxw + w] : 0u;
    pending |= (o[k] & ~f0[k]) != 0;
  }
  // Nothing to fill here, or nothing filled nearby: the tile is stable.
  if (!__syncthreads_or(pending)) return;
  if (!__syncthreads_or(hasF)) return;
  for (;;) {
    bool ch = false;
    for (int step = 0; step < 2 * kKZ; ++step) {  // up the column, then down
      const int k = step < kKZ ? step : 2 * kKZ - 1 - step;
      const uint32_t ok = o[k];
      const int lz = threadIdx.z * kKZ + k + 1;
      const uint32_t f = s[lz][ly][lw];
      if (ok == 0 || f == ok) continue;
      uint32_t seed;
      if constexpr (Conn == 6) {
        seed = f | s[lz][ly - 1][lw] | s[lz][ly + 1][lw] | s[lz - 1][ly][lw] | s[lz + 1][ly][lw] |
               (s[lz][ly][lw - 1] >> 31) | (s[lz][ly][lw + 1] << 31);
      } else {
        uint32_t hc = 0, hl = 0, hr = 0;
#pragma unroll
        for (int dz = -1; dz <= 1; ++dz)
#pragma unroll
          for (int dy = -1; dy <= 1; ++dy) {
            hl |= s[lz + dz][ly + dy][lw - 1];
            hc |= s[lz + dz][ly + dy][lw];
            hr |= s[lz + dz][ly + dy][lw + 1];
          }
        seed = hc | (hc << 1) | (hc >> 1) | (hl >> 31) | (hr << 31);
      }
      const uint32_t nf = fillRuns(ok, seed & ok);
      if (nf != f) {
        s[lz][ly][lw] = nf;
        ch = true;
      }
    }
    if (!__syncthreads_or(ch)) break;
  }
  bool wrote = false;
  for (int k = 0; k < kKZ; ++k) {
    const int64_t z = z0 + threadIdx.z * kKZ + k;
    const uint32_t f = s[threadIdx.z * kKZ + k + 1][ly][lw];
    if (f != f0[k]) {  // only inside the volume can a word change (outside, o = 0)
      filled[(z * g.ny + y) * g.nxw + w] = f;
      wrote = true;
    }
  }
  if (wrote) *changed = 1;
}

}  // namespace

Result<int> connectedThresholdDevice(const DeviceVolume& in, const std::vector<Seed>& seeds, double lo,
                                     double hi, int connectivity, uint8_t* out) {
  CVX_TRY(checkDevice(in, out));
  CVX_TRY(seginputs::bounds(lo, hi));
  if (connectivity != 6 && connectivity != 26)
    return makeError("seg.bad_connectivity",
                     "connectivity must be 6 or 26, not " + std::to_string(connectivity));
  const WordGrid g{in.dims[0], in.dims[1], in.dims[2], (in.dims[0] + 31) / 32};
  std::vector<int64_t> seedXyz;
  for (const Seed& s : seeds) {
    if (s.x < 0 || s.y < 0 || s.z < 0 || s.x >= g.nx || s.y >= g.ny || s.z >= g.nz)
      return makeError("seg.bad_seed", "seed (" + std::to_string(s.x) + ", " + std::to_string(s.y) + ", " +
                                           std::to_string(s.z) + ") is outside the volume");
    seedXyz.insert(seedXyz.end(), {s.x, s.y, s.z});
  }
  if (g.ny > 65535 * int64_t{kTY} || g.nz > 65535 * int64_t{kTZ * kKZ})
    return makeError("seg.bad_seed", "the volume is too large for region growing");
  if (g.words() == 0) return 0;
  DeviceBytes dOpen, dFilled, dSeeds, dFlags;
  const size_t wordBytes = static_cast<size_t>(g.words()) * sizeof(uint32_t);
  CVX_CUDA_TRY(cudaMalloc(&dOpen.p, wordBytes));
  CVX_CUDA_TRY(cudaMalloc(&dFilled.p, wordBytes));
  CVX_CUDA_TRY(cudaMalloc(&dFlags.p, kBatch * sizeof(int)));
  CVX_CUDA_TRY(cudaMemset(dFilled.p, 0, wordBytes));
  auto* open = static_cast<uint32_t*>(dOpen.p);
  auto* filled = static_cast<uint32_t*>(dFilled.p);
  const unsigned wordBlocks = blocksFor(g.words() * 32, 256, 1u << 16);
  withType(in.type, [&](auto tag) {
    using T = decltype(tag);
    packKernel<T><<<wordBlocks, 256>>>(static_cast<const T*>(in.voxels), g, lo, hi, open);
  });
  CVX_CUDA_TRY(cudaGetLastError());
  if (!seeds.empty()) {
    CVX_CUDA_TRY(cudaMalloc(&dSeeds.p, seedXyz.size() * sizeof(int64_t)));
    CVX_CUDA_TRY(
        cudaMemcpy(dSeeds.p, seedXyz.data(), seedXyz.size() * sizeof(int64_t), cudaMemcpyHostToDevice));
    const int n = static_cast<int>(seeds.size());
    seedKernel<<<(n + 127) / 128, 128>>>(static_cast<const int64_t*>(dSeeds.p), n, g, open, filled);
    CVX_CUDA_TRY(cudaGetLastError());
  }
  const dim3 block(kTW, kTY, kTZ);
  const dim3 grid(static_cast<unsigned>((g.nxw + kTW - 1) / kTW),
                  static_cast<unsigned>((g.ny + kTY - 1) / kTY),
                  static_cast<unsigned>((g.nz + kTZ * kKZ - 1) / (kTZ * kKZ)));
  int passes = 0;
  for (bool more = !seeds.empty(); more;) {
    CVX_CUDA_TRY(cudaMemset(dFlags.p, 0, kBatch * sizeof(int)));
    for (int b = 0; b < kBatch; ++b) {
      int* flag = static_cast<int*>(dFlags.p) + b;
      if (connectivity == 6)
        passKernel<6><<<grid, block>>>(g, open, filled, flag);
      else
        passKernel<26><<<grid, block>>>(g, open, filled, flag);
    }
    CVX_CUDA_TRY(cudaGetLastError());
    int flags[kBatch];
    CVX_CUDA_TRY(cudaMemcpy(flags, dFlags.p, sizeof flags, cudaMemcpyDeviceToHost));
    for (int b = 0; b < kBatch; ++b) {
      ++passes;
      if (!flags[b]) {  // a pass without change: the fixed point (later passes changed nothing either)
        more = false;
        break;
      }
    }
  }
  unpackKernel<<<wordBlocks, 256>>>(filled, g, out);
  CVX_CUDA_TRY(cudaGetLastError());
  return passes;
}

Result<VolumePtr> connectedThreshold(const Volume& vol, const std::vector<Seed>& seeds, double lo, double hi,
                                     int connectivity, int64_t t, Timing* timing) {
  CVX_TRY(seginputs::intensity(vol, t));
  int passes = 0;
  auto r = hostRun(vol, t, timing, [&](const DeviceVolume& in, uint8_t* out) -> Status {
    auto p = connectedThresholdDevice(in, seeds, lo, hi, connectivity, out);
    if (!p.ok()) return p.error();
    passes = *p;
    return {};
  });
  if (timing) timing->passes = passes;
  return r;
}

}  // namespace cvx::cuda::seg
