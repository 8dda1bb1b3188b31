// SPDX-License-Identifier: MIT
// cudaError_t to cvx::Error (private to the cuda module).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include <cvx/core/error.h>

namespace cvx::cuda::detail {

inline Error cudaFault(cudaError_t e, const char* what) {
  return makeError("cuda.fault", std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")");
}

// A device allocation freed on every path.
struct DeviceBytes {
  void* p = nullptr;
  size_t capacity = 0;  // bytes, when allocated through reserve()
  uint64_t generation = 0;  // bumped by every allocation: what a texture over it was made for
  DeviceBytes() = default;
  DeviceBytes(const DeviceBytes&) = delete;
  DeviceBytes& operator=(const DeviceBytes&) = delete;
  ~DeviceBytes() { reset(); }
  void reset() {
    if (p) cudaFree(p);
    p = nullptr;
    capacity = 0;
  }
  // At least n bytes, kept from an earlier call when they fit (a resident renderer's tables).
  cudaError_t reserve(size_t n) {
    if (p && capacity >= n) return cudaSuccess;
    reset();
    const cudaError_t e = cudaMalloc(&p, n);
    ++generation;
    if (e == cudaSuccess) capacity = n;
    else p = nullptr;
    return e;
  }
};

}  // namespace cvx::cuda::detail

// Returns a cuda.fault Error from the enclosing function when a CUDA call fails.
#define CVX_CUDA_TRY(call)                                                     \
  do {                                                                         \
    const cudaError_t cvx_cuda_e_ = (call);                                    \
    if (cvx_cuda_e_ != cudaSuccess) return ::cvx::cuda::detail::cudaFault(cvx_cuda_e_, #call); \
  } while (0)
