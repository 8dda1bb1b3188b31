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
namespace detail {
struct ResidentCache;  // raycast_resident.h
class Prefetcher;      // raycast_prefetch.h
}

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
  // cuda::raycast (raycastFused) with the viewed phase kept on the device between frames: it is
  // copied again only when the job's volume, phase or revision changes. Safe from several threads
  // (one frame at a time).
  Status raycast(const RaycastJob& job) override;
  // Phases copied to the device by raycast so far (tests: an unchanged second frame copies none).
  uint64_t raycastUploads() const;
  // raycast with the image left on the device (job.rgba, depth and value are ignored): width x
  // height premultiplied float RGBA, row 0 the image's top, valid until the next frame of this back
  // end (for cuda::GlTarget::write: the 3D view's texture without a host round trip).
  Result<const float*> raycastOnDevice(const RaycastJob& job);
  // Backend::withDeviceFrame: raycastOnDevice's image given to `use` under the frame lock, so that
  // no frame of another thread (the 3D view's worker) replaces it while `use` reads it.
  Status withDeviceFrame(const RaycastJob& job, const DeviceFrameUse& use) override;
  // Backend::prefetch: the phase copied on a stream of its own, through pinned memory, while frames
  // draw (raycast_prefetch.h); a frame that asks for it waits for it on the device only. Not copied:
  // a phase held already, one cast out of core, one the resident phases have no room for.
  void prefetch(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision) override;
  // Until the prefetch has nothing queued or in flight (tests, the benchmark).
  void waitForPrefetch();
  uint64_t prefetchedPhases() const;  // phases the prefetch copied so far
  uint64_t prefetchesSkipped() const;  // requests it did not copy (the rules above)
  // Texture objects made over the transfer-function tables (tests: the fetches go through them).
  uint64_t tableTexturesMade() const;
  // Waits until the frames' work on the device has finished (a frame of raycastOnDevice, for timing
  // it), not a copy ahead on the prefetch stream. cuda.fault on a CUDA error.
  Status synchronize();

 private:
  explicit CudaBackend(DeviceInfo info);
  Result<const float*> deviceFrameLocked(const RaycastJob& job);  // raycastOnDevice with frameMutex_ held
  struct Buffer {
    void* device = nullptr;
    size_t bytes = 0;
  };
  DeviceInfo info_;
  mutable std::mutex mutex_;
  std::map<uint64_t, Buffer> buffers_;
  uint64_t next_ = 1;
  mutable std::mutex frameMutex_;  // raycast's cache
  std::unique_ptr<detail::ResidentCache> frames_;
  mutable std::mutex prefetchMutex_;                // prefetcher_'s creation
  std::unique_ptr<detail::Prefetcher> prefetcher_;  // after frames_: stopped before the cache goes
};

// Adds "cuda" to the registry when probeDevice() passes; returns whether it did. A second call
// on the same registry is a no-op that returns true.
bool registerBackend(BackendRegistry& registry = BackendRegistry::global());

}  // namespace cvx::cuda
