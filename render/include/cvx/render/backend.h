// SPDX-License-Identifier: MIT
// The CPU back end of the registry (core/backend.h): the voxels stay where they are in host memory,
// and raycast runs render::raycastCpu (raycastCpuFused for a fused job) on the thread pool. It is
// registered as "cpu" with the lowest priority, so it is chosen when no GPU back end is usable.
#pragma once
#include <map>
#include <memory>
#include <mutex>

#include <cvx/core/backend.h>

namespace cvx::render {

inline constexpr int kCpuBackendPriority = 0;

class CpuBackend final : public Backend {
 public:
  std::string name() const override { return "cpu"; }
  BackendCapabilities capabilities() const override;
  // No copy: the handle names the caller's volume, which must outlive it.
  Result<VolumeHandle> uploadVolume(const Volume& volume) override;
  Status release(VolumeHandle handle) override;
  void releaseAll() override;
  Status raycast(const RaycastJob& job) override;

 private:
  std::mutex mutex_;
  std::map<uint64_t, const Volume*> volumes_;
  uint64_t next_ = 1;
};

// Adds "cpu" to the registry (always usable); a second call on the same registry is a no-op.
void registerBackend(BackendRegistry& registry = BackendRegistry::global());

}  // namespace cvx::render
