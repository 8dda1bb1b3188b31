// SPDX-License-Identifier: MIT
// Private helpers of the CUDA segmentation (segment*.cu): cvx::seg's input checks with its codes,
// type dispatch, the host wrapper's upload / run / download with CUDA-event timing.
#pragma once
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include <cvx/core/seg_inputs.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/segment.h>

#include "check.h"

namespace cvx::cuda::seg::detail {

using cvx::cuda::detail::DeviceBytes;


inline Status checkDevice(const DeviceVolume& in, const void* out) {
  if (!in.voxels || !out) return makeError("cuda.bad_pointer", "a device pointer is null");
  if (!seginputs::scalarType(in.type))
    return makeError("seg.bad_pixel_type",
                     std::string("segmentation needs a scalar volume, not ") + toString(in.type));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  return {};
}

inline int64_t voxelCount(const DeviceVolume& in) { return in.dims[0] * in.dims[1] * in.dims[2]; }

using seginputs::makeMask;

// fn(T{}) with T the C++ type of a scalar PixelType.
template <class Fn>
decltype(auto) withType(PixelType t, Fn&& fn) {
  switch (t) {
    case PixelType::UInt8:
      return fn(uint8_t{});
    case PixelType::Int16:
      return fn(int16_t{});
    case PixelType::UInt16:
      return fn(uint16_t{});
    default:
      return fn(float{});
  }
}

// Events at the four stage boundaries: upload, kernels, download.
struct Stages {
  cudaEvent_t e[4] = {nullptr, nullptr, nullptr, nullptr};
  Stages() {
    for (auto& x : e) cudaEventCreate(&x);
  }
  ~Stages() {
    for (auto& x : e)
      if (x) cudaEventDestroy(x);
  }
  Stages(const Stages&) = delete;
  Stages& operator=(const Stages&) = delete;
  void mark(int i) { cudaEventRecord(e[i]); }
  Status finish(Timing* t) {
    CVX_CUDA_TRY(cudaEventSynchronize(e[3]));
    if (!t) return {};
    float ms[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) CVX_CUDA_TRY(cudaEventElapsedTime(&ms[i], e[i], e[i + 1]));
    t->uploadMs = ms[0];
    t->kernelMs = ms[1];
    t->downloadMs = ms[2];
    return {};
  }
};

// The host form of a device operation: phase t of vol up, run(DeviceVolume, uint8_t* dOut), the
// mask down into a new volume like vol.
template <class Run>
Result<VolumePtr> hostRun(const Volume& vol, int64_t t, Timing* timing, Run&& run) {
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  auto out = makeMask(vol);
  if (!out.ok()) return out.error();
  const int64_t n = vol.voxelsPerPhase();
  const size_t inBytes = static_cast<size_t>(n) * bytesPerVoxel(vol.type());
  DeviceBytes dIn, dOut;
  CVX_CUDA_TRY(cudaMalloc(&dIn.p, inBytes > 0 ? inBytes : 1));
  CVX_CUDA_TRY(cudaMalloc(&dOut.p, n > 0 ? static_cast<size_t>(n) : 1));
  Stages st;
  st.mark(0);
  CVX_CUDA_TRY(cudaMemcpy(dIn.p, vol.slice(0, t), inBytes, cudaMemcpyHostToDevice));
  st.mark(1);
  DeviceVolume in{dIn.p, vol.type(), {vol.dims()[0], vol.dims()[1], vol.dims()[2]}, vol.geometry.spacingMm};
  CVX_TRY(run(in, static_cast<uint8_t*>(dOut.p)));
  st.mark(2);
  CVX_CUDA_TRY(cudaMemcpy((*out)->as<uint8_t>(), dOut.p, static_cast<size_t>(n), cudaMemcpyDeviceToHost));
  st.mark(3);
  CVX_TRY(st.finish(timing));
  return out;
}

inline unsigned blocksFor(int64_t n, int threads, unsigned cap = 1u << 20) {
  const int64_t b = (n + threads - 1) / threads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > cap ? cap : b));
}

}  // namespace cvx::cuda::seg::detail
