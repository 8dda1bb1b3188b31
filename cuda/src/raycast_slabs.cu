// SPDX-License-Identifier: MIT
// Out of core on the GPU (core/hd/raycast_slab.h): the slabs of cvx::planSlabs uploaded in turn
// into one device buffer under the budget, one thread per pixel casting its span of each, the rays'
// state kept on the device between slabs.
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

template <class T>
Status castSlabs(const Volume& v, int64_t phase, hd::RaycastParams p, hd::TransferFunction1D tf,
                 const std::vector<RaySlab>& slabs, const std::vector<int>& order, int width, int height, float* rgba,
                 float* depth, float* value) {
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  detail::DeviceTables tables;
  CVX_TRY(detail::uploadTables(p, tf, false, pixels, tables));
  int64_t most = 0;
  for (const RaySlab& s : slabs) most = std::max(most, s.bufEnd - s.bufBegin);
  detail::DeviceBytes slabVoxels, states;
  detail::DeviceImage out;
  CVX_CUDA_TRY(cudaMalloc(&slabVoxels.p, static_cast<size_t>(most) * v.sliceBytes()));
  CVX_CUDA_TRY(cudaMalloc(&states.p, pixels * sizeof(hd::RayState)));
  CVX_TRY(out.allocate(pixels));
  auto* st = static_cast<hd::RayState*>(states.p);
  resetKernel<<<static_cast<unsigned>((pixels + 255) / 256), 256>>>(st, pixels);
  CVX_CUDA_TRY(cudaGetLastError());
  const dim3 block(16, 8);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  for (int i : order) {
    const RaySlab& slab = slabs[static_cast<size_t>(i)];
    const int64_t n = slab.bufEnd - slab.bufBegin;
    // The copy waits for the previous slab's kernel (one stream), which reads this buffer.
    CVX_CUDA_TRY(cudaMemcpy(slabVoxels.p, v.slice(slab.bufBegin, phase), static_cast<size_t>(n) * v.sliceBytes(),
                            cudaMemcpyHostToDevice));
    hd::SlabSampler<hd::GridSampler<T>> s;
    static_cast<hd::GridSampler<T>&>(s) = gridSampler(v, static_cast<const T*>(slabVoxels.p));
    s.dims.nz = static_cast<int>(n);
    s.zOff = static_cast<float>(slab.bufBegin);
    slabKernel<T><<<grid, block>>>(p, tf, s, slab.zLo, slab.zHi, width, height, st);
    CVX_CUDA_TRY(cudaGetLastError());
  }
  finishKernel<<<grid, block>>>(p, tf, width, height, st, out.rgbaOut(), out.depthOut(), out.valueOut());
  CVX_CUDA_TRY(cudaGetLastError());
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
  auto slabs = planSlabs(v.dims(), v.sliceBytes(), p, budgetBytes);
  if (!slabs.ok()) return slabs.error();
  auto order = slabOrder(slabs.value(), p.cam);
  if (!order.ok()) return order.error();
  if (slabCount) *slabCount = static_cast<int>(slabs.value().size());
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    return castSlabs<T>(v, phase, p, tf, slabs.value(), order.value(), width, height, rgba, depth, value);
  });
}

}  // namespace cvx::cuda
