// SPDX-License-Identifier: MIT
// CUDA back end: uploads volumes into device memory; registered only when the probe passes.
#include <cvx/core/log.h>
#include <cvx/cuda/backend.h>

#include <cuda_runtime.h>

#include "check.h"
#include "raycast_prefetch.h"
#include "raycast_resident.h"

namespace cvx::cuda {

Result<std::unique_ptr<Backend>> CudaBackend::create() {
  auto dev = probeDevice();
  if (!dev.ok()) return dev.error();
  CVX_CUDA_TRY(cudaSetDevice(dev->index));
  return std::unique_ptr<Backend>(new CudaBackend(dev.value()));
}

CudaBackend::CudaBackend(DeviceInfo info) : info_(std::move(info)), frames_(new detail::ResidentCache()) {}

CudaBackend::~CudaBackend() {
  prefetcher_.reset();  // its thread may be filling a copy of the cache
  releaseAll();
}

void CudaBackend::prefetch(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision) {
  std::lock_guard lock(prefetchMutex_);
  if (!prefetcher_) prefetcher_ = std::make_unique<detail::Prefetcher>(info_.index, frameMutex_, frames_);
  prefetcher_->request(std::move(v), phase, revision);
}

void CudaBackend::waitForPrefetch() {
  detail::Prefetcher* p = nullptr;
  {
    std::lock_guard lock(prefetchMutex_);
    p = prefetcher_.get();  // lives until the destructor
  }
  if (p) p->waitIdle();
}

uint64_t CudaBackend::prefetchedPhases() const {
  std::lock_guard lock(frameMutex_);
  return frames_->prefetched;
}

uint64_t CudaBackend::prefetchesSkipped() const {
  std::lock_guard lock(prefetchMutex_);
  return prefetcher_ ? prefetcher_->skipped() : 0;
}

Status CudaBackend::raycast(const RaycastJob& job) {
  std::lock_guard lock(frameMutex_);
  return detail::raycastResident(*frames_, job);
}

Result<const float*> CudaBackend::deviceFrameLocked(const RaycastJob& job) {
  RaycastJob j = job;
  j.rgba = j.depth = j.value = nullptr;
  CVX_TRY(detail::raycastResident(*frames_, j));
  return static_cast<const float*>(frames_->out.rgba.p);
}

Result<const float*> CudaBackend::raycastOnDevice(const RaycastJob& job) {
  std::lock_guard lock(frameMutex_);
  return deviceFrameLocked(job);
}

Status CudaBackend::withDeviceFrame(const RaycastJob& job, const DeviceFrameUse& use) {
  std::lock_guard lock(frameMutex_);
  auto frame = deviceFrameLocked(job);
  if (!frame) return frame.error();
  return use(*frame);
}

Status CudaBackend::synchronize() {
  // The frames' stream, not the device: a copy ahead on the prefetch stream is not a frame's work.
  CVX_CUDA_TRY(cudaStreamSynchronize(0));
  return {};
}

uint64_t CudaBackend::raycastUploads() const {
  std::lock_guard lock(frameMutex_);
  return frames_->uploads;
}

BackendCapabilities CudaBackend::capabilities() const {
  BackendCapabilities c;
  c.gpu = true;
  c.maxVolumeDim = 16384;  // cudaExtent of a 3D texture on compute >= 7.5 (used by later issues)
  c.memoryBytes = info_.totalMemoryBytes;
  c.device = info_.name + " (sm_" + std::to_string(info_.computeMajor) + std::to_string(info_.computeMinor) + ")";
  return c;
}

Result<VolumeHandle> CudaBackend::uploadVolume(const Volume& volume) {
  const size_t bytes = volume.byteSize();
  if (bytes == 0 || volume.data() == nullptr) {
    return makeError("backend.empty_volume", "nothing to upload");
  }
  size_t freeBytes = 0, totalBytes = 0;
  CVX_CUDA_TRY(cudaMemGetInfo(&freeBytes, &totalBytes));
  if (bytes > freeBytes) {
    return makeError("backend.out_of_memory", "volume of " + std::to_string(bytes >> 20) + " MiB exceeds free device memory (" +
                                                  std::to_string(freeBytes >> 20) + " MiB)");
  }
  void* dev = nullptr;
  CVX_CUDA_TRY(cudaMalloc(&dev, bytes));
  const cudaError_t e = cudaMemcpy(dev, volume.data(), bytes, cudaMemcpyHostToDevice);
  if (e != cudaSuccess) {
    cudaFree(dev);
    return detail::cudaFault(e, "cudaMemcpy (upload)");
  }
  std::lock_guard lock(mutex_);
  const uint64_t id = next_++;
  buffers_[id] = Buffer{dev, bytes};
  return VolumeHandle{id};
}

Status CudaBackend::release(VolumeHandle handle) {
  Buffer b;
  {
    std::lock_guard lock(mutex_);
    auto it = buffers_.find(handle.id);
    if (it == buffers_.end()) {
      return makeError("backend.bad_handle", "not a volume of this back end", std::to_string(handle.id));
    }
    b = it->second;
    buffers_.erase(it);
  }
  CVX_CUDA_TRY(cudaFree(b.device));
  return {};
}

void CudaBackend::releaseAll() {
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, b] : buffers_) cudaFree(b.device);
    buffers_.clear();
  }
  std::lock_guard lock(frameMutex_);
  (void)cudaStreamSynchronize(0);  // a raycastOnDevice frame may still read the tables' textures
  frames_ = std::make_unique<detail::ResidentCache>();
}

uint64_t CudaBackend::tableTexturesMade() const {
  std::lock_guard lock(frameMutex_);
  return frames_->tables.texturesMade();
}

Status CudaBackend::download(VolumeHandle handle, std::span<std::byte> dst) const {
  std::lock_guard lock(mutex_);
  auto it = buffers_.find(handle.id);
  if (it == buffers_.end()) {
    return makeError("backend.bad_handle", "not a volume of this back end", std::to_string(handle.id));
  }
  if (dst.size() != it->second.bytes) {
    return makeError("backend.size_mismatch", "destination size differs from the upload");
  }
  CVX_CUDA_TRY(cudaMemcpy(dst.data(), it->second.device, dst.size(), cudaMemcpyDeviceToHost));
  return {};
}

bool registerBackend(BackendRegistry& registry) {
  if (registry.has("cuda")) return true;
  auto dev = probeDevice();
  if (!dev.ok()) {
    log::info("cuda back end not registered: " + dev.error().str());
    return false;
  }
  BackendEntry e;
  e.name = "cuda";
  e.priority = kBackendPriority;
  e.probe = [](std::string* why) {
    auto d = probeDevice();
    if (!d.ok()) *why = d.error().str();
    return d.ok();
  };
  e.factory = [] { return CudaBackend::create(); };
  return registry.add(std::move(e)).ok();
}

}  // namespace cvx::cuda
