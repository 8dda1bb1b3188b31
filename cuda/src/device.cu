// SPDX-License-Identifier: MIT
// Device probe: any CUDA error means "no usable GPU" (without a driver the runtime reports
// cudaErrorInsufficientDriver, 35, rather than cudaErrorNoDevice).
#include <cvx/core/log.h>
#include <cvx/cuda/device.h>

#include <cuda_runtime.h>

#include <string>

namespace cvx::cuda {
namespace {

Result<DeviceInfo> probeOnce() {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count <= 0) {
    (void)cudaGetLastError();  // clear the non-sticky error so later calls start clean
    const std::string why = e != cudaSuccess ? std::string(cudaGetErrorName(e)) + " (" +
                                                   cudaGetErrorString(e) + ")"
                                             : std::string("no CUDA device");
    return makeError("cuda.no_device", "no usable CUDA device: " + why);
  }
  cudaDeviceProp prop{};
  e = cudaGetDeviceProperties(&prop, 0);
  if (e != cudaSuccess) {
    return makeError("cuda.no_device", std::string("cudaGetDeviceProperties: ") + cudaGetErrorName(e));
  }
  DeviceInfo info;
  info.name = prop.name;
  info.computeMajor = prop.major;
  info.computeMinor = prop.minor;
  info.totalMemoryBytes = prop.totalGlobalMem;
  cudaDriverGetVersion(&info.driverVersion);
  cudaRuntimeGetVersion(&info.runtimeVersion);
  const std::string cc = std::to_string(prop.major) + "." + std::to_string(prop.minor);
  if (prop.major < kMinComputeMajor || (prop.major == kMinComputeMajor && prop.minor < kMinComputeMinor)) {
    return makeError("cuda.compute_too_old", "compute capability " + cc + " is below 7.5", info.name);
  }
  log::info("cuda: " + info.name + ", compute " + cc + ", " +
            std::to_string(info.totalMemoryBytes >> 20) + " MiB, driver " + std::to_string(info.driverVersion));
  return info;
}

}  // namespace

Result<DeviceInfo> probeDevice() {
  static const Result<DeviceInfo> cached = probeOnce();
  return cached;
}

}  // namespace cvx::cuda
