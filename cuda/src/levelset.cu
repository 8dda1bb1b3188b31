// SPDX-License-Identifier: MIT
// The threshold level set on the GPU: hd::runLevelSet drives, each pass is one kernel over a box
// of voxels (one thread per voxel), reading one buffer and writing another. Sums are 64-bit
// integer atomics and boxes integer atomicMin/Max, so the order of the threads does not matter.
#include <cvx/core/seg_inputs.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/levelset.h>

#include <climits>
#include <cstring>
#include <string>

#include "check.h"

namespace cvx::cuda {
namespace {

using hd::BandBox;
using hd::LevelSetConstants;

struct DevStats {
  unsigned long long sum, count;
  int x0, y0, z0, x1, y1, z1;
};

__device__ __forceinline__ bool boxThread(const BandBox& b, int& x, int& y, int& z) {
  x = b.x0 + static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  y = b.y0 + static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  z = b.z0 + static_cast<int>(blockIdx.z * blockDim.z + threadIdx.z);
  return x <= b.x1 && y <= b.y1 && z <= b.z1;
}
__device__ __forceinline__ int64_t idx(const LevelSetConstants& c, int x, int y, int z) {
  return (static_cast<int64_t>(z) * c.ny + y) * c.nx + x;
}
__device__ __forceinline__ void include(DevStats* s, int x, int y, int z) {
  atomicMin(&s->x0, x), atomicMin(&s->y0, y), atomicMin(&s->z0, z);
  atomicMax(&s->x1, x), atomicMax(&s->y1, y), atomicMax(&s->z1, z);
}

__global__ void initKernel(const uint8_t* mask, float* phi, LevelSetConstants c, BandBox b, DevStats* s) {
  int x, y, z;
  if (!boxThread(b, x, y, z)) return;
  const int64_t i = idx(c, x, y, z);
  const bool in = mask[i] != 0;
  phi[i] = in ? -c.band : c.band;
  if (in) include(s, x, y, z);
}
__global__ void reinitStartKernel(const float* src, float* dst, LevelSetConstants c, BandBox b) {
  int x, y, z;
  if (boxThread(b, x, y, z)) dst[idx(c, x, y, z)] = hd::reinitStart(src, c, b, x, y, z);
}
__global__ void reinitSweepKernel(const float* src, float* dst, LevelSetConstants c, BandBox b) {
  int x, y, z;
  if (boxThread(b, x, y, z)) dst[idx(c, x, y, z)] = hd::reinitSweep(src, c, b, x, y, z);
}
__global__ void measureKernel(const float* phi, const float* ref, LevelSetConstants c, BandBox b, DevStats* s) {
  int x, y, z;
  if (!boxThread(b, x, y, z)) return;
  const int64_t i = idx(c, x, y, z);
  if (!(hd::fabsHd(phi[i]) < c.band)) return;
  atomicAdd(&s->sum, hd::rmsQuantum(phi[i], ref[i]));
  atomicAdd(&s->count, 1ull);
  include(s, x, y, z);
}
__global__ void copyKernel(const float* src, float* dst, LevelSetConstants c, BandBox b) {
  int x, y, z;
  if (boxThread(b, x, y, z)) dst[idx(c, x, y, z)] = src[idx(c, x, y, z)];
}
template <class T>
__global__ void deltaKernel(const float* phi, const T* image, float* delta, LevelSetConstants c, BandBox b) {
  int x, y, z;
  if (!boxThread(b, x, y, z)) return;
  const int64_t i = idx(c, x, y, z);
  float d = 0.0f;
  if (hd::fabsHd(phi[i]) < c.band)
    d = hd::levelSetDelta(phi, c, b, x, y, z, hd::levelSetSpeed(static_cast<double>(image[i]), c));
  delta[i] = d;
}
__global__ void applyKernel(float* phi, const float* delta, LevelSetConstants c, BandBox b) {
  int x, y, z;
  if (!boxThread(b, x, y, z)) return;
  const int64_t i = idx(c, x, y, z);
  if (hd::fabsHd(phi[i]) < c.band) phi[i] = hd::levelSetApply(phi[i], delta[i], c);
}
__global__ void maskKernel(const float* phi, uint8_t* mask, int64_t n) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) mask[i] = hd::levelSetInside(phi[i]) ? 1 : 0;
}

template <class T>
struct GpuOps {
  const LevelSetConstants& c;
  Progress* progress;
  const T* image;
  const uint8_t* mask;
  float *phi, *work, *ref;
  DevStats* stats;
  cudaError_t err = cudaSuccess;

  void check(cudaError_t e) {
    if (err == cudaSuccess && e != cudaSuccess) err = e;
  }
  BandBox all() const { return {0, 0, 0, c.nx - 1, c.ny - 1, c.nz - 1}; }
  template <class K, class... A>
  void launch(K kernel, const BandBox& b, A... args) {
    if (hd::bandBoxEmpty(b) || err != cudaSuccess) return;
    const dim3 block(32, 4, 2);
    const dim3 grid((b.x1 - b.x0 + 32) / 32, (b.y1 - b.y0 + 4) / 4, (b.z1 - b.z0 + 2) / 2);
    kernel<<<grid, block>>>(args..., c, b);
    check(cudaGetLastError());
  }
  template <class K, class... A>
  void launchStats(K kernel, const BandBox& b, DevStats& host, A... args) {
    host = {0, 0, INT_MAX, INT_MAX, INT_MAX, -1, -1, -1};
    if (err != cudaSuccess) return;
    check(cudaMemcpy(stats, &host, sizeof host, cudaMemcpyHostToDevice));
    if (hd::bandBoxEmpty(b) || err != cudaSuccess) return;
    const dim3 block(32, 4, 2);
    const dim3 grid((b.x1 - b.x0 + 32) / 32, (b.y1 - b.y0 + 4) / 4, (b.z1 - b.z0 + 2) / 2);
    kernel<<<grid, block>>>(args..., c, b, stats);
    check(cudaGetLastError());
    check(cudaMemcpy(&host, stats, sizeof host, cudaMemcpyDeviceToHost));
  }
  static BandBox boxOf(const DevStats& s) {
    if (s.x1 < s.x0) return {};
    return {s.x0, s.y0, s.z0, s.x1, s.y1, s.z1};
  }

  BandBox initPhi() {
    DevStats s;
    launchStats(initKernel, all(), s, mask, phi);
    return err == cudaSuccess ? boxOf(s) : BandBox{};
  }
  void reinit(const BandBox& r, int sweeps) {
    launch(reinitStartKernel, r, static_cast<const float*>(phi), work);
    float* a = work;
    float* b = phi;
    for (int i = 0; i < sweeps; ++i) {
      launch(reinitSweepKernel, r, static_cast<const float*>(a), b);
      float* t = a;
      a = b;
      b = t;
    }
  }
  hd::LevelSetStats measure(const BandBox& r, bool first) {
    DevStats s;
    launchStats(measureKernel, r, s, static_cast<const float*>(phi), static_cast<const float*>(ref));
    launch(copyKernel, first ? all() : r, static_cast<const float*>(phi), ref);
    hd::LevelSetStats out;
    out.sum = s.sum;
    out.count = s.count;
    out.band = boxOf(s);
    return out;
  }
  void evolve(const BandBox& e) {
    launch(deltaKernel<T>, e, static_cast<const float*>(phi), image, work);
    launch(applyKernel, e, phi, static_cast<const float*>(work));
  }
  bool cancelled() const { return err != cudaSuccess || (progress && progress->cancelled()); }
  void step() {
    if (progress) progress->add(1);
  }
};

Error segError(const char* code, std::string msg) { return makeError(code, std::move(msg)); }


template <class T>
Result<LevelSetOutput> run(const Volume& vol, const Volume& initial, const hd::LevelSetParams& p, int64_t t,
                           Progress* progress) {
  const int dims[3] = {static_cast<int>(vol.dims()[0]), static_cast<int>(vol.dims()[1]),
                       static_cast<int>(vol.dims()[2])};
  const double h[3] = {vol.geometry.spacingMm.x, vol.geometry.spacingMm.y, vol.geometry.spacingMm.z};
  const LevelSetConstants c = hd::levelSetConstants(dims, h, p);
  const int64_t n = static_cast<int64_t>(dims[0]) * dims[1] * dims[2];
  const size_t fb = sizeof(float) * static_cast<size_t>(n);
  detail::DeviceBytes dImage, dMask, dPhi, dWork, dRef, dStats;
  CVX_CUDA_TRY(cudaMalloc(&dImage.p, sizeof(T) * static_cast<size_t>(n)));
  CVX_CUDA_TRY(cudaMalloc(&dMask.p, static_cast<size_t>(n)));
  CVX_CUDA_TRY(cudaMalloc(&dPhi.p, fb));
  CVX_CUDA_TRY(cudaMalloc(&dWork.p, fb));
  CVX_CUDA_TRY(cudaMalloc(&dRef.p, fb));
  CVX_CUDA_TRY(cudaMalloc(&dStats.p, sizeof(DevStats)));
  CVX_CUDA_TRY(
      cudaMemcpy(dImage.p, vol.slice(0, t), sizeof(T) * static_cast<size_t>(n), cudaMemcpyHostToDevice));
  CVX_CUDA_TRY(cudaMemcpy(dMask.p, initial.slice(0, 0), static_cast<size_t>(n), cudaMemcpyHostToDevice));
  if (progress) progress->setTotal(progress->total() + p.maxIterations);
  GpuOps<T> ops{c,
                progress,
                static_cast<const T*>(dImage.p),
                static_cast<const uint8_t*>(dMask.p),
                static_cast<float*>(dPhi.p),
                static_cast<float*>(dWork.p),
                static_cast<float*>(dRef.p),
                static_cast<DevStats*>(dStats.p)};
  const hd::LevelSetRun r = hd::runLevelSet(ops, c, p);
  CVX_CUDA_TRY(ops.err);
  if (r.cancelled) return segError("seg.cancelled", "the segmentation was cancelled");
  if (r.empty) return segError("seg.empty_region", "the level set's initial region is empty");
  auto out = Volume::create(PixelType::UInt8, {vol.dims()[0], vol.dims()[1], vol.dims()[2], 1},
                            VoxelInit::Uninitialized);
  if (!out.ok()) return out.error();
  (*out)->geometry = vol.geometry;
  // The mask is written on the device into the work buffer (n bytes <= 4n), then copied back.
  maskKernel<<<static_cast<unsigned>((n + 255) / 256), 256>>>(static_cast<const float*>(dPhi.p),
                                                              static_cast<uint8_t*>(dWork.p), n);
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cudaMemcpy((*out)->data(), dWork.p, static_cast<size_t>(n), cudaMemcpyDeviceToHost));
  LevelSetOutput o;
  o.phi.resize(static_cast<size_t>(n));
  CVX_CUDA_TRY(cudaMemcpy(o.phi.data(), dPhi.p, fb, cudaMemcpyDeviceToHost));
  o.mask = *out;
  o.iterations = r.iterations;
  o.converged = r.converged;
  o.rmsChange = r.rmsChange;
  return o;
}

}  // namespace

Result<LevelSetOutput> thresholdLevelSet(const Volume& vol, const Volume& initial,
                                         const hd::LevelSetParams& p, int64_t t, Progress* progress) {
  if (auto s = cvx::seginputs::levelSet(vol, initial, p, t); !s.ok()) return s.error();
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  try {
    switch (vol.type()) {
      case PixelType::UInt8:
        return run<uint8_t>(vol, initial, p, t, progress);
      case PixelType::Int16:
        return run<int16_t>(vol, initial, p, t, progress);
      case PixelType::UInt16:
        return run<uint16_t>(vol, initial, p, t, progress);
      default:
        return run<float>(vol, initial, p, t, progress);
    }
  } catch (const std::bad_alloc&) {
    return makeError("seg.out_of_memory", "out of memory during segmentation");
  }
}

}  // namespace cvx::cuda
