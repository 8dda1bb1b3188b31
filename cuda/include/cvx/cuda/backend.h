// SPDX-License-Identifier: MIT
// The CUDA back end: volumes live in device memory. Registers itself only when a device is usable.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include <cvx/core/backend.h>
#include <cvx/cuda/device.h>

namespace cvx::cuda {

inline constexpr int kBackendPriority = 100;  // above the CPU back end

class CudaBackend final : public Backend {
 public:
  static Result<std::unique_ptr<Backend>> create();
  ~CudaBackend() override;
  std::string name() const override { return "cuda"; }
  BackendCapabilities capabilities() const override;
  Result<VolumeHandle> uploadVolume(const Volume& volume) override;
  Status release(VolumeHandle handle) override;
  void releaseAll() override;
  // Copies an upload back to the host (dst must be exactly its size): for tests and readback.
  Status download(VolumeHandle handle, std::span<std::byte> dst) const;

 private:
  explicit CudaBackend(DeviceInfo info) : info_(std::move(info)) {}
  struct Buffer {
    void* device = nullptr;
    size_t bytes = 0;
  };
  DeviceInfo info_;
  mutable std::mutex mutex_;
  std::map<uint64_t, Buffer> buffers_;
  uint64_t next_ = 1;
};

// Adds "cuda" to the registry when probeDevice() passes; returns whether it did. A second call
// on the same registry is a no-op that returns true.
bool registerBackend(BackendRegistry& registry = BackendRegistry::global());

}  // namespace cvx::cuda
