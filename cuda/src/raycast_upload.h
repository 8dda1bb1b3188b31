// SPDX-License-Identifier: MIT
// What every ray-casting launch copies to the device besides the voxels: the transfer functions,
// the brick map, the 2D table and the scene depth; p and tf are rewritten to point at the copies
// (private to the cuda module: raycast.cu, raycast_slabs.cu).
#pragma once
#include <cuda_runtime.h>

#include <cstddef>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>

#include "check.h"

namespace cvx::cuda::detail {

// Copies n bytes of host memory to a new device allocation held by d (nothing for a null source).
inline Status upload(DeviceBytes& d, const void* host, size_t n) {
  if (!host || n == 0) return {};
  CVX_CUDA_TRY(cudaMalloc(&d.p, n));
  CVX_CUDA_TRY(cudaMemcpy(d.p, host, n, cudaMemcpyHostToDevice));
  return {};
}

struct DeviceTables {
  DeviceBytes nodes, integral, tf2, bricks, brickRange, depthIn, nodes2, integral2;
};

// fused: p.fusion's transfer function is copied too.
inline Status uploadTables(hd::RaycastParams& p, hd::TransferFunction1D& tf, bool fused, size_t pixels,
                           DeviceTables& d) {
  const size_t tfBytes = static_cast<size_t>(tf.n) * sizeof(hd::TfNode);
  const size_t bricks = static_cast<size_t>(p.bricks.bx) * p.bricks.by * p.bricks.bz;
  const size_t brickBytes = p.bricks.skip ? hd::kSkipOctants * bricks : 0;
  const size_t rangeBytes = p.bricks.range ? 2 * bricks * sizeof(float) : 0;
  const size_t tf2Bytes =
      p.tf2.nodes ? static_cast<size_t>(p.tf2.nv) * static_cast<size_t>(p.tf2.ng) * sizeof(hd::TfNode) : 0;
  if (fused) {
    hd::TransferFunction1D& f = p.fusion.tf;
    const size_t bytes2 = static_cast<size_t>(f.n) * sizeof(hd::TfNode);
    CVX_TRY(upload(d.nodes2, f.nodes, bytes2));
    CVX_TRY(upload(d.integral2, f.integral, f.integral ? bytes2 : 0));
    f.nodes = static_cast<const hd::TfNode*>(d.nodes2.p);
    f.integral = static_cast<const hd::TfNode*>(d.integral2.p);
  }
  CVX_TRY(upload(d.nodes, tf.nodes, tfBytes));
  CVX_TRY(upload(d.integral, tf.integral, tf.integral ? tfBytes : 0));
  CVX_TRY(upload(d.bricks, p.bricks.skip, brickBytes));
  CVX_TRY(upload(d.brickRange, p.bricks.range, rangeBytes));
  CVX_TRY(upload(d.tf2, p.tf2.nodes, tf2Bytes));
  CVX_TRY(upload(d.depthIn, p.depthIn, p.depthIn ? pixels * sizeof(float) : 0));
  tf.nodes = static_cast<const hd::TfNode*>(d.nodes.p);
  tf.integral = static_cast<const hd::TfNode*>(d.integral.p);
  p.bricks.skip = static_cast<const uint8_t*>(d.bricks.p);
  p.bricks.range = static_cast<const float*>(d.brickRange.p);
  p.tf2.nodes = static_cast<const hd::TfNode*>(d.tf2.p);
  p.depthIn = static_cast<const float*>(d.depthIn.p);
  return {};
}

// The image a launch writes on the device, copied back into the caller's buffers.
struct DeviceImage {
  DeviceBytes rgba, depth, value;
  size_t pixels = 0;
  Status allocate(size_t n) {
    pixels = n;
    CVX_CUDA_TRY(cudaMalloc(&rgba.p, n * sizeof(float4)));
    CVX_CUDA_TRY(cudaMalloc(&depth.p, n * sizeof(float)));
    CVX_CUDA_TRY(cudaMalloc(&value.p, n * sizeof(float)));
    return {};
  }
  float4* rgbaOut() const { return static_cast<float4*>(rgba.p); }
  float* depthOut() const { return static_cast<float*>(depth.p); }
  float* valueOut() const { return static_cast<float*>(value.p); }
  Status download(float* hostRgba, float* hostDepth, float* hostValue) const {
    CVX_CUDA_TRY(cudaMemcpy(hostRgba, rgba.p, pixels * sizeof(float4), cudaMemcpyDeviceToHost));
    if (hostDepth) CVX_CUDA_TRY(cudaMemcpy(hostDepth, depth.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
    if (hostValue) CVX_CUDA_TRY(cudaMemcpy(hostValue, value.p, pixels * sizeof(float), cudaMemcpyDeviceToHost));
    return {};
  }
};

// Pixel i of a kernel's result.
__device__ inline void storePixel(const hd::PixelResult& r, size_t i, float4* rgba, float* depth, float* value) {
  rgba[i] = make_float4(r.colour.r, r.colour.g, r.colour.b, r.colour.a);
  depth[i] = r.depth;
  value[i] = r.value;
}

}  // namespace cvx::cuda::detail
