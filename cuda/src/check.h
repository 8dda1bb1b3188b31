// SPDX-License-Identifier: MIT
// cudaError_t to cvx::Error (private to the cuda module).
#pragma once
#include <cuda_runtime.h>

#include <string>

#include <cvx/core/error.h>

namespace cvx::cuda::detail {

inline Error cudaFault(cudaError_t e, const char* what) {
  return makeError("cuda.fault", std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")");
}

// A device allocation freed on every path.
struct DeviceBytes {
  void* p = nullptr;
  DeviceBytes() = default;
  DeviceBytes(const DeviceBytes&) = delete;
  DeviceBytes& operator=(const DeviceBytes&) = delete;
  ~DeviceBytes() {
    if (p) cudaFree(p);
  }
};

}  // namespace cvx::cuda::detail

// Returns a cuda.fault Error from the enclosing function when a CUDA call fails.
#define CVX_CUDA_TRY(call)                                                     \
  do {                                                                         \
    const cudaError_t cvx_cuda_e_ = (call);                                    \
    if (cvx_cuda_e_ != cudaSuccess) return ::cvx::cuda::detail::cudaFault(cvx_cuda_e_, #call); \
  } while (0)
