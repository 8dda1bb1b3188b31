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
  const size_t i = static_cast<size_t>(y) * width + x;
  rgba[i] = make_float4(r.colour.r, r.colour.g, r.colour.b, r.colour.a);
  depth[i] = r.depth;
  value[i] = r.value;
}

// Copies n bytes of host memory to a new device allocation held by d (nothing for a null source).
Status upload(detail::DeviceBytes& d, const void* host, size_t n) {
  if (!host || n == 0) return {};
  CVX_CUDA_TRY(cudaMalloc(&d.p, n));
  CVX_CUDA_TRY(cudaMemcpy(d.p, host, n, cudaMemcpyHostToDevice));
  return {};
}

// second: the fused volume (voxel type T2), or null (T2 = hd::NoSecond's stand-in, float).
template <class T, class T2>
Status launch(const Volume& v, int64_t phase, const Volume* second, int64_t phase2, hd::RaycastParams p,
              hd::TransferFunction1D tf, int width, int height, float* rgba, float* depth, float* value) {
  const size_t voxelBytes = static_cast<size_t>(v.voxelsPerPhase()) * bytesPerVoxel(v.type());
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  const size_t tfBytes = static_cast<size_t>(tf.n) * sizeof(hd::TfNode);
  const size_t brickBytes = p.bricks.skip ? static_cast<size_t>(p.bricks.bx) * p.bricks.by * p.bricks.bz : 0;
  const size_t tf2Bytes =
      p.tf2.nodes ? static_cast<size_t>(p.tf2.nv) * static_cast<size_t>(p.tf2.ng) * sizeof(hd::TfNode) : 0;
  detail::DeviceBytes dVoxels, dNodes, dIntegral, dTf2, dBricks, dDepthIn, dRgba, dDepth, dValue;
  detail::DeviceBytes dVoxels2, dNodes2, dIntegral2;
  hd::GridSampler<T2> s2;
  if (second) {
    const hd::TransferFunction1D& f = p.fusion.tf;
    const size_t bytes2 = static_cast<size_t>(f.n) * sizeof(hd::TfNode);
    CVX_TRY(upload(dVoxels2, second->slice(0, phase2),
                   static_cast<size_t>(second->voxelsPerPhase()) * bytesPerVoxel(second->type())));
    CVX_TRY(upload(dNodes2, f.nodes, bytes2));
    CVX_TRY(upload(dIntegral2, f.integral, f.integral ? bytes2 : 0));
    p.fusion.tf.nodes = static_cast<const hd::TfNode*>(dNodes2.p);
    p.fusion.tf.integral = static_cast<const hd::TfNode*>(dIntegral2.p);
    s2 = gridSampler(*second, static_cast<const T2*>(dVoxels2.p));
  }
  CVX_TRY(upload(dVoxels, v.slice(0, phase), voxelBytes));
  CVX_TRY(upload(dNodes, tf.nodes, tfBytes));
  CVX_TRY(upload(dIntegral, tf.integral, tf.integral ? tfBytes : 0));
  CVX_TRY(upload(dBricks, p.bricks.skip, brickBytes));
  CVX_TRY(upload(dTf2, p.tf2.nodes, tf2Bytes));
  CVX_TRY(upload(dDepthIn, p.depthIn, p.depthIn ? pixels * sizeof(float) : 0));
  CVX_CUDA_TRY(cudaMalloc(&dRgba.p, pixels * sizeof(float4)));
  CVX_CUDA_TRY(cudaMalloc(&dDepth.p, pixels * sizeof(float)));
  CVX_CUDA_TRY(cudaMalloc(&dValue.p, pixels * sizeof(float)));
  tf.nodes = static_cast<const hd::TfNode*>(dNodes.p);
  tf.integral = static_cast<const hd::TfNode*>(dIntegral.p);
  p.bricks.skip = static_cast<const uint8_t*>(dBricks.p);
  p.tf2.nodes = static_cast<const hd::TfNode*>(dTf2.p);
  p.depthIn = static_cast<const float*>(dDepthIn.p);
  const hd::GridSampler<T> s = gridSampler(v, static_cast<const T*>(dVoxels.p));
  const dim3 block(16, 8);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  raycastKernel<T, hd::GridSampler<T2>><<<grid, block>>>(p, tf, s, s2, second != nullptr, width, height,
                                                          static_cast<float4*>(dRgba.p), static_cast<float*>(dDepth.p),
                                                          static_cast<float*>(dValue.p));
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cudaMemcpy(rgba, dRgba.p, pixels * sizeof(float4), cudaMemcpyDeviceToHost));
  if (depth) CVX_CUDA_TRY(cudaMemcpy(depth, dDepth.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
  if (value) CVX_CUDA_TRY(cudaMemcpy(value, dValue.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
  return {};
}

}  // namespace

Status raycast(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
               int height, float* rgba, float* depth, float* value) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
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
