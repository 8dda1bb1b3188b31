// SPDX-License-Identifier: MIT
// One thread per value running core/hd/window.h: the same function the CPU runs.
#include <cvx/core/hd/window.h>
#include <cvx/cuda/device.h>

#include <cuda_runtime.h>

#include "check.h"

namespace cvx::cuda {
namespace {

__global__ void windowKernel(const float* in, float* out, size_t n, float center, float width) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) out[i] = hd::applyWindow(in[i], center, width);
}

// Device buffers freed on every path.
struct DeviceFloats {
  float* p = nullptr;
  ~DeviceFloats() { if (p) cudaFree(p); }
};

}  // namespace

Status applyWindow(std::span<const float> in, std::span<float> out, float center, float width) {
  if (in.size() != out.size()) {
    return makeError("cuda.size_mismatch", "input and output differ in size");
  }
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  if (in.empty()) return {};
  const size_t bytes = in.size() * sizeof(float);
  DeviceFloats dIn, dOut;
  CVX_CUDA_TRY(cudaMalloc(&dIn.p, bytes));
  CVX_CUDA_TRY(cudaMalloc(&dOut.p, bytes));
  CVX_CUDA_TRY(cudaMemcpy(dIn.p, in.data(), bytes, cudaMemcpyHostToDevice));
  constexpr unsigned kBlock = 256;
  const size_t blocks = (in.size() + kBlock - 1) / kBlock;
  windowKernel<<<static_cast<unsigned>(blocks), kBlock>>>(dIn.p, dOut.p, in.size(), center, width);
  CVX_CUDA_TRY(cudaGetLastError());
  CVX_CUDA_TRY(cudaMemcpy(out.data(), dOut.p, bytes, cudaMemcpyDeviceToHost));
  return {};
}

}  // namespace cvx::cuda
