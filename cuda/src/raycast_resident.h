// SPDX-License-Identifier: MIT
// The CUDA back end's ray casting across frames (CudaBackend::raycast): the phase being viewed
// stays on the device while (volume, phase, revision) stay the same, and so do the image's
// buffers while the size does; only the small tables travel with each frame. Private to the cuda
// module (backend.cu, raycast.cu).
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <cvx/core/backend.h>

#include "check.h"
#include "raycast_texture.h"
#include "raycast_upload.h"

namespace cvx::cuda::detail {

// A copy the prefetch thread is making (raycast_prefetch.h). A frame that finds it waits until every
// chunk is issued (a host wait only for the copies not yet issued, never for the device), then has
// its stream wait on `ready`, recorded on the prefetch stream after the voxels and the texture.
struct PendingCopy {
  std::mutex m;
  std::condition_variable cv;
  bool issued = false, ok = false;
  cudaEvent_t ready = nullptr;
  PendingCopy() = default;
  PendingCopy(const PendingCopy&) = delete;
  PendingCopy& operator=(const PendingCopy&) = delete;
  ~PendingCopy() {
    if (ready) cudaEventDestroy(ready);  // released once recorded work completes (CUDA's rule)
  }
  void finish(bool done) {
    std::lock_guard lock(m);
    issued = true, ok = done;
    cv.notify_all();
  }
  bool wait() {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return issued; });
    return ok;
  }
};

// One phase of one volume on the device.
struct DeviceCopy {
  const Volume* volume = nullptr;
  uint64_t serial = 0;  // volume->serial(): a later volume at the same address is another
  int64_t phase = -1;
  uint64_t revision = 0;
  size_t bytes = 0;  // the voxels' and, once made, the texture's
  DeviceBytes voxels;
  DeviceTexture texture;  // the texture sampler's array of voxels, made on first use (reset with them)
  std::shared_ptr<PendingCopy> pending;  // set while a prefetched copy may still be in flight
  bool speculative = false;              // copied ahead and not drawn yet: dropped first for room
  bool holds(const Volume* v, int64_t ph, uint64_t rev) const {
    return voxels.p && volume == v && serial == v->serial() && phase == ph && revision == rev;
  }
  DeviceCopy() = default;
  DeviceCopy(const DeviceCopy&) = delete;
  DeviceCopy& operator=(const DeviceCopy&) = delete;
  // Nothing may still read or write it when its texture and memory go: the prefetch's copies into
  // it (its event; one never recorded is no wait) and the frames' kernels (the legacy stream: a
  // raycastOnDevice frame's kernel may still run when the next frame drops the copy for room).
  ~DeviceCopy() {
    if (pending && pending->ready) (void)cudaEventSynchronize(pending->ready);
    if (voxels.p) (void)cudaStreamSynchronize(0);
  }
};

// The phases kept on the device, so that a 4D series played in a loop (cine, the phase slider)
// copies each phase once: when a new one would take the kept copies past residentBudgetBytes(), the
// most recently drawn go first (a loop longer than the budget then still finds the others; the
// least recently drawn would be the next one needed every time); the phase being drawn always
// stays. A new revision of a volume drops its older copies.
struct ResidentPhases {
  // Least recently drawn first. Shared: the prefetch thread holds the copy it fills, so that a frame
  // may drop it from here meanwhile.
  std::vector<std::shared_ptr<DeviceCopy>> copies;
  // The copy holding (v, phase, revision), moved to the back (the most recent); null when none.
  DeviceCopy* find(const Volume& v, int64_t phase, uint64_t revision);
  // Whether one holds it (nothing moved).
  bool holds(const Volume& v, int64_t phase, uint64_t revision) const;
  // Whether one holds a revision of v after `revision` (a prefetch asked before the voxels changed).
  bool holdsNewer(const Volume& v, uint64_t revision) const;
  void drop(const DeviceCopy* c);
  // Drops v's copies of other revisions (its voxels changed since).
  void dropOtherRevisions(const Volume& v, uint64_t revision);
  // Drops copies until `more` bytes fit under the budget with the rest: first those copied ahead
  // and never drawn (a guess the loop did not take), then the most recently drawn.
  void makeRoom(size_t more, size_t budget);
  size_t bytes() const;
  void clear() { copies.clear(); }
};

// The device memory that resident phases may hold together: CVX_CUDA_RESIDENT_MB (MiB; tests),
// else 2/5 of the device's memory.
size_t residentBudgetBytes();

struct ResidentCache {
  ResidentPhases phases;
  DeviceCopy second;
  DeviceTables tables;
  DeviceImage out;
  uint64_t uploads = 0;     // phases copied to the device by frames so far (tests: a second frame copies none)
  uint64_t prefetched = 0;  // phases the prefetch thread copied (raycast_prefetch.h)
};

// A frame's use of the cache: the phase's copies of other revisions dropped (its voxels changed
// since), then the copy holding (v, phase, revision), or null.
DeviceCopy* frameCopy(ResidentCache& cache, const Volume& v, int64_t phase, uint64_t revision);

// The bytes of one phase of v (its voxels on the device; its texture's array as many again).
size_t phaseBytes(const Volume& v);
// Whether the ray caster samples through the texture unit (raycast_texture.h): unless
// CVX_CUDA_SAMPLER=exact.
bool textureSampling();

// cuda::raycast's image for job, through the cache. Above volumeBudgetBytes() the phase is cast
// out of core (raycastSlabs) and nothing stays. raycast's errors.
Status raycastResident(ResidentCache& cache, const RaycastJob& job);

}  // namespace cvx::cuda::detail
