// SPDX-License-Identifier: MIT
// One thread per pixel running core/hd/raycast.h: the function the CPU back end runs.
#include <cvx/core/backend.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/reslice.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/raycast.h>

#include <cuda_runtime.h>

#include <string>
#include <type_traits>

#include "check.h"
#include "raycast_upload.h"

namespace cvx::cuda {
namespace {

// s2 (by value) is read only when fused: shadePixel takes its address on the device.
template <class T, class S2>
__global__ void raycastKernel(hd::RaycastParams p, hd::TransferFunction1D tf, hd::GridSampler<T> s, S2 s2, bool fused,
                              int width, int height, float4* rgba, float* depth, float* value) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  const hd::PixelResult r = hd::shadePixel(p, tf, s, fused ? &s2 : nullptr, x, y);
  detail::storePixel(r, static_cast<size_t>(y) * width + x, rgba, depth, value);
}

// second: the fused volume (voxel type T2), or null (T2 = hd::NoSecond's stand-in, float).
template <class T, class T2>
Status launch(const Volume& v, int64_t phase, const Volume* second, int64_t phase2, hd::RaycastParams p,
              hd::TransferFunction1D tf, int width, int height, float* rgba, float* depth, float* value) {
  const size_t voxelBytes = static_cast<size_t>(v.voxelsPerPhase()) * bytesPerVoxel(v.type());
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  detail::DeviceTables tables;
  CVX_TRY(detail::uploadTables(p, tf, second != nullptr, pixels, tables));
  detail::DeviceBytes dVoxels, dVoxels2;
  detail::DeviceImage out;
  hd::GridSampler<T2> s2;
  if (second) {
    CVX_TRY(detail::upload(dVoxels2, second->slice(0, phase2),
                           static_cast<size_t>(second->voxelsPerPhase()) * bytesPerVoxel(second->type())));
    s2 = gridSampler(*second, static_cast<const T2*>(dVoxels2.p));
  }
  CVX_TRY(detail::upload(dVoxels, v.slice(0, phase), voxelBytes));
  CVX_TRY(out.allocate(pixels));
  const hd::GridSampler<T> s = gridSampler(v, static_cast<const T*>(dVoxels.p));
  const dim3 block(16, 8);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  raycastKernel<T, hd::GridSampler<T2>><<<grid, block>>>(p, tf, s, s2, second != nullptr, width, height,
                                                          out.rgbaOut(), out.depthOut(), out.valueOut());
  CVX_CUDA_TRY(cudaGetLastError());
  return out.download(rgba, depth, value);
}

}  // namespace

Status raycast(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
               int height, float* rgba, float* depth, float* value) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  const size_t budget = volumeBudgetBytes(), bytes = static_cast<size_t>(v.voxelsPerPhase()) * bytesPerVoxel(v.type());
  if (budget > 0 && bytes > budget) return raycastSlabs(v, phase, p, tf, budget, width, height, rgba, depth, value);
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    return launch<T, float>(v, phase, nullptr, 0, p, tf, width, height, rgba, depth, value);
  });
}

Status raycastFused(const Volume& v, int64_t phase, const Volume& second, int64_t phase2, const hd::RaycastParams& p,
                    const hd::TransferFunction1D& tf, int width, int height, float* rgba, float* depth, float* value) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  CVX_TRY(checkFusionRequest(second, phase2, p, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    switch (second.type()) {
      case PixelType::Int16: return launch<T, int16_t>(v, phase, &second, phase2, p, tf, width, height, rgba, depth, value);
      case PixelType::UInt16:
        return launch<T, uint16_t>(v, phase, &second, phase2, p, tf, width, height, rgba, depth, value);
      default: return launch<T, float>(v, phase, &second, phase2, p, tf, width, height, rgba, depth, value);
    }
  });
}

}  // namespace cvx::cuda
