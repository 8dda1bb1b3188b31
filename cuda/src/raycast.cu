// SPDX-License-Identifier: MIT
// One thread per pixel running core/hd/raycast.h: the function the CPU back end runs.
#include <cvx/core/backend.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/reslice.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/raycast.h>

#include <cuda_runtime.h>

#include <string>

#include "check.h"

namespace cvx::cuda {
namespace {

template <class T>
__global__ void raycastKernel(hd::RaycastParams p, hd::TransferFunction1D tf, hd::GridSampler<T> s, int width,
                              int height, float4* rgba, float* depth, float* value) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  const hd::PixelResult r = hd::shadePixel(p, tf, s, x, y);
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

template <class T>
Status launch(const Volume& v, int64_t phase, hd::RaycastParams p, hd::TransferFunction1D tf, int width, int height,
              float* rgba, float* depth, float* value) {
  const size_t voxelBytes = static_cast<size_t>(v.voxelsPerPhase()) * bytesPerVoxel(v.type());
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  const size_t tfBytes = static_cast<size_t>(tf.n) * sizeof(hd::TfNode);
  const size_t brickBytes = p.bricks.skip ? static_cast<size_t>(p.bricks.bx) * p.bricks.by * p.bricks.bz : 0;
  const size_t tf2Bytes =
      p.tf2.nodes ? static_cast<size_t>(p.tf2.nv) * static_cast<size_t>(p.tf2.ng) * sizeof(hd::TfNode) : 0;
  detail::DeviceBytes dVoxels, dNodes, dIntegral, dTf2, dBricks, dDepthIn, dRgba, dDepth, dValue;
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
  raycastKernel<T><<<grid, block>>>(p, tf, s, width, height, static_cast<float4*>(dRgba.p),
                                    static_cast<float*>(dDepth.p), static_cast<float*>(dValue.p));
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cudaMemcpy(rgba, dRgba.p, pixels * sizeof(float4), cudaMemcpyDeviceToHost));
  if (depth) CVX_CUDA_TRY(cudaMemcpy(depth, dDepth.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
  if (value) CVX_CUDA_TRY(cudaMemcpy(value, dValue.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
  return {};
}

Error badRequest(std::string message) { return makeError("render.bad_request", std::move(message)); }

}  // namespace

Status raycast(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
               int height, float* rgba, float* depth, float* value) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  switch (v.type()) {
    case PixelType::UInt8: return launch<uint8_t>(v, phase, p, tf, width, height, rgba, depth, value);
    case PixelType::Int16: return launch<int16_t>(v, phase, p, tf, width, height, rgba, depth, value);
    case PixelType::UInt16: return launch<uint16_t>(v, phase, p, tf, width, height, rgba, depth, value);
    case PixelType::Float32: return launch<float>(v, phase, p, tf, width, height, rgba, depth, value);
    case PixelType::RGB8: return launch<hd::Rgb<uint8_t>>(v, phase, p, tf, width, height, rgba, depth, value);
    case PixelType::RGB16: return launch<hd::Rgb<uint16_t>>(v, phase, p, tf, width, height, rgba, depth, value);
    case PixelType::RGB32: return launch<hd::Rgb<uint32_t>>(v, phase, p, tf, width, height, rgba, depth, value);
    default: break;
  }
  return badRequest(std::string("no ray casting for pixel type ") + toString(v.type()));
}

}  // namespace cvx::cuda
