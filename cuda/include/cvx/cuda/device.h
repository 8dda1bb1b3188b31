// SPDX-License-Identifier: MIT
// CUDA device probe and a host/device check kernel. No CUDA type in this header: it is
// included by g++-compiled code that does not have the CUDA headers.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include <cvx/core/error.h>

namespace cvx::cuda {

// CUDA 13 supports compute capability 7.5 and later; older devices are not usable.
inline constexpr int kMinComputeMajor = 7;
inline constexpr int kMinComputeMinor = 5;

struct DeviceInfo {
  int index = 0;
  std::string name;
  int computeMajor = 0, computeMinor = 0;
  uint64_t totalMemoryBytes = 0;
  int driverVersion = 0, runtimeVersion = 0;  // e.g. 13000 for 13.0
};

// Picks device 0 if it is usable. Any CUDA error (no driver: cudaErrorInsufficientDriver, no
// device: cudaErrorNoDevice, ...) gives cuda.no_device; a device that is too old gives
// cuda.compute_too_old. Never throws, never aborts. The result is computed once per process.
Result<DeviceInfo> probeDevice();

// out[i] = hd::applyWindow(in[i], center, width), one GPU thread per value. Used to prove that
// core/hd code runs unchanged on the device. cuda.size_mismatch if the spans differ in size,
// cuda.no_device without a usable device, cuda.fault on any CUDA error.
Status applyWindow(std::span<const float> in, std::span<float> out, float center, float width);

}  // namespace cvx::cuda
