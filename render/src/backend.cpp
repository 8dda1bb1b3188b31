// SPDX-License-Identifier: MIT
#include <cvx/render/backend.h>

#include <algorithm>
#include <string>
#include <thread>

#include <cvx/render/raycast.h>

namespace cvx::render {

BackendCapabilities CpuBackend::capabilities() const {
  BackendCapabilities c;
  c.device = "CPU, " + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " threads";
  return c;
}

Result<VolumeHandle> CpuBackend::uploadVolume(const Volume& volume) {
  if (volume.byteSize() == 0 || volume.data() == nullptr) return makeError("backend.empty_volume", "nothing to upload");
  std::lock_guard lock(mutex_);
  const uint64_t id = next_++;
  volumes_[id] = &volume;
  return VolumeHandle{id};
}

Status CpuBackend::release(VolumeHandle handle) {
  std::lock_guard lock(mutex_);
  if (volumes_.erase(handle.id) == 0)
    return makeError("backend.bad_handle", "not a volume of this back end", std::to_string(handle.id));
  return {};
}

void CpuBackend::releaseAll() {
  std::lock_guard lock(mutex_);
  volumes_.clear();
}

Status CpuBackend::raycast(const RaycastJob& j) {
  if (!j.volume) return makeError("render.bad_request", "no volume");
  if (j.second)
    return raycastCpuFused(*j.volume, j.phase, *j.second, j.phase2, j.params, j.tf, j.width, j.height, j.rgba,
                           j.depth, j.value);
  return raycastCpu(*j.volume, j.phase, j.params, j.tf, j.width, j.height, j.rgba, j.depth, j.value);
}

void registerBackend(BackendRegistry& registry) {
  if (registry.has("cpu")) return;
  BackendEntry e;
  e.name = "cpu";
  e.priority = kCpuBackendPriority;
  e.probe = [](std::string*) { return true; };
  e.factory = []() -> Result<std::unique_ptr<Backend>> { return std::unique_ptr<Backend>(new CpuBackend()); };
  (void)registry.add(std::move(e));
}

}  // namespace cvx::render
