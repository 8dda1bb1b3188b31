// SPDX-License-Identifier: MIT
// Out of core on the GPU (core/hd/raycast_slab.h): the slabs of cvx::planSlabs uploaded in turn
// into two device buffers under the budget (the next slab's copy overlapping this one's kernel; one
// buffer when half the budget cannot plan), one thread per pixel casting its span of each, the
// rays' state kept on the device between slabs.
#include <cvx/core/backend.h>
#include <cvx/core/hd/raycast_slab.h>
#include <cvx/core/log.h>
#include <cvx/core/raycast_slabs.h>
#include <cvx/core/reslice.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/raycast.h>

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "check.h"
#include "raycast_upload.h"

namespace cvx::cuda {
namespace {

template <class T>
__global__ void slabKernel(hd::RaycastParams p, hd::TransferFunction1D tf, hd::SlabSampler<hd::GridSampler<T>> s,
                           float zLo, float zHi, int width, int height, hd::RayState* states) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  const hd::NoSecond* none = nullptr;
  hd::castSlab(p, tf, s, none, x, y, zLo, zHi, states[static_cast<size_t>(y) * width + x]);
}

__global__ void finishKernel(hd::RaycastParams p, hd::TransferFunction1D tf, int width, int height,
                             const hd::RayState* states, float4* rgba, float* depth, float* value) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  const size_t i = static_cast<size_t>(y) * width + x;
  detail::storePixel(hd::finishSlabs(p, tf, x, y, states[i]), i, rgba, depth, value);
}

__global__ void resetKernel(hd::RayState* states, size_t n) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) states[i] = hd::RayState{};
}

// The two streams of a cast out of core and their events: slab k's copy (copy stream) into buffer
// k % buffers, after that buffer's last kernel; its kernel (cast stream) after the copy. With two
// buffers the copy of slab k + 1 overlaps slab k's kernel. Both streams are non-blocking, so the
// cast stream waits explicitly (`tables`, recorded on the legacy stream) for the tables' uploads:
// a cudaMemcpy from pageable memory returns once the bytes are staged, before they arrive.
struct SlabStreams {
  cudaStream_t copy = nullptr, cast = nullptr;
  cudaEvent_t copied[2] = {nullptr, nullptr}, read[2] = {nullptr, nullptr}, tables = nullptr;
  SlabStreams() = default;
  SlabStreams(const SlabStreams&) = delete;
  SlabStreams& operator=(const SlabStreams&) = delete;
  ~SlabStreams() {  // on every path, before the buffers the streams may still use are freed
    if (copy) (void)cudaStreamSynchronize(copy);
    if (cast) (void)cudaStreamSynchronize(cast);
    for (cudaEvent_t e : {copied[0], copied[1], read[0], read[1], tables})
      if (e) cudaEventDestroy(e);
    if (copy) cudaStreamDestroy(copy);
    if (cast) cudaStreamDestroy(cast);
  }
  Status make() {
    CVX_CUDA_TRY(cudaStreamCreateWithFlags(&copy, cudaStreamNonBlocking));
    CVX_CUDA_TRY(cudaStreamCreateWithFlags(&cast, cudaStreamNonBlocking));
    for (int b = 0; b < 2; ++b) {
      CVX_CUDA_TRY(cudaEventCreateWithFlags(&copied[b], cudaEventDisableTiming));
      CVX_CUDA_TRY(cudaEventCreateWithFlags(&read[b], cudaEventDisableTiming));
    }
    CVX_CUDA_TRY(cudaEventCreateWithFlags(&tables, cudaEventDisableTiming));
    CVX_CUDA_TRY(cudaEventRecord(tables, 0));  // after the tables' uploads on the legacy stream
    CVX_CUDA_TRY(cudaStreamWaitEvent(cast, tables, 0));
    return {};
  }
};

// buffers: 2 when the plan's slabs leave room for two under the budget (the copies overlap the
// kernels), else 1 (each copy waits for the kernel before).
template <class T>
Status castSlabs(const Volume& v, int64_t phase, hd::RaycastParams p, hd::TransferFunction1D tf,
                 const std::vector<RaySlab>& slabs, const std::vector<int>& order, int buffers, int width, int height,
                 float* rgba, float* depth, float* value) {
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  detail::DeviceTables tables;
  CVX_TRY(detail::uploadTables(p, tf, false, pixels, tables));
  int64_t most = 0;
  for (const RaySlab& s : slabs) most = std::max(most, s.bufEnd - s.bufBegin);
  detail::DeviceBytes slabVoxels[2], states;
  detail::DeviceImage out;
  const size_t slabBytes = static_cast<size_t>(most) * v.sliceBytes();
  for (int b = 0; b < buffers; ++b) CVX_CUDA_TRY(cudaMalloc(&slabVoxels[b].p, slabBytes));
  CVX_CUDA_TRY(cudaMalloc(&states.p, pixels * sizeof(hd::RayState)));
  CVX_TRY(out.allocate(pixels));
  SlabStreams streams;
  CVX_TRY(streams.make());
  auto* st = static_cast<hd::RayState*>(states.p);
  resetKernel<<<static_cast<unsigned>((pixels + 255) / 256), 256, 0, streams.cast>>>(st, pixels);
  CVX_CUDA_TRY(cudaGetLastError());
  const dim3 block(16, 8);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  for (size_t k = 0; k < order.size(); ++k) {
    const RaySlab& slab = slabs[static_cast<size_t>(order[k])];
    const int b = static_cast<int>(k % static_cast<size_t>(buffers));
    const int64_t n = slab.bufEnd - slab.bufBegin;
    // The buffer's last kernel has read it (an event never recorded is no wait); pageable host
    // memory: the call returns once the bytes are staged, while the other buffer's kernel runs.
    CVX_CUDA_TRY(cudaStreamWaitEvent(streams.copy, streams.read[b], 0));
    const size_t bytes = static_cast<size_t>(n) * v.sliceBytes();
    CVX_CUDA_TRY(cudaMemcpyAsync(slabVoxels[b].p, v.slice(slab.bufBegin, phase), bytes, cudaMemcpyHostToDevice,
                                 streams.copy));
    CVX_CUDA_TRY(cudaEventRecord(streams.copied[b], streams.copy));
    CVX_CUDA_TRY(cudaStreamWaitEvent(streams.cast, streams.copied[b], 0));
    hd::SlabSampler<hd::GridSampler<T>> s;
    static_cast<hd::GridSampler<T>&>(s) = gridSampler(v, static_cast<const T*>(slabVoxels[b].p));
    s.dims.nz = static_cast<int>(n);
    s.zOff = static_cast<float>(slab.bufBegin);
    slabKernel<T><<<grid, block, 0, streams.cast>>>(p, tf, s, slab.zLo, slab.zHi, width, height, st);
    CVX_CUDA_TRY(cudaGetLastError());
    CVX_CUDA_TRY(cudaEventRecord(streams.read[b], streams.cast));
  }
  finishKernel<<<grid, block, 0, streams.cast>>>(p, tf, width, height, st, out.rgbaOut(), out.depthOut(),
                                                 out.valueOut());
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cudaStreamSynchronize(streams.cast));
  return out.download(rgba, depth, value);
}

}  // namespace

size_t volumeBudgetBytes() {
  if (const char* mb = std::getenv("CVX_CUDA_BUDGET_MB")) {
    const long long n = std::atoll(mb);
    if (n > 0) return static_cast<size_t>(n) << 20;
    log::warn("cuda: CVX_CUDA_BUDGET_MB=" + std::string(mb) + " is not a positive number of MiB; ignored");
  }
  size_t freeBytes = 0, total = 0;
  if (cudaMemGetInfo(&freeBytes, &total) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return freeBytes / 10 * 7;  // the rest: the image, the rays' state, tables and other work
}

Status raycastSlabs(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                    size_t budgetBytes, int width, int height, float* rgba, float* depth, float* value, int* slabCount) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  // Two buffers of half the budget each when that still plans (the copies overlap the kernels),
  // else one of the whole budget.
  auto halves = planSlabs(v.dims(), v.sliceBytes(), p, budgetBytes / 2);
  const int buffers = halves.ok() ? 2 : 1;
  auto slabs = halves.ok() ? std::move(halves) : planSlabs(v.dims(), v.sliceBytes(), p, budgetBytes);
  if (!slabs.ok()) return slabs.error();
  auto order = slabOrder(slabs.value(), p.cam);
  if (!order.ok()) return order.error();
  if (slabCount) *slabCount = static_cast<int>(slabs.value().size());
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    return castSlabs<T>(v, phase, p, tf, slabs.value(), order.value(), buffers, width, height, rgba, depth, value);
  });
}

}  // namespace cvx::cuda
