// SPDX-License-Identifier: MIT
// The CUDA back end's ray casting across frames (CudaBackend::raycast): the phase being viewed
// stays on the device while (volume, phase, revision) stay the same, and so do the image's
// buffers while the size does; only the small tables travel with each frame. Private to the cuda
// module (backend.cu, raycast.cu).
#pragma once
#include <cstddef>
#include <cstdint>

#include <cvx/core/backend.h>

#include "check.h"
#include "raycast_texture.h"
#include "raycast_upload.h"

namespace cvx::cuda::detail {

// One phase of one volume on the device.
struct DeviceCopy {
  const Volume* volume = nullptr;
  int64_t phase = -1;
  uint64_t revision = 0;
  DeviceBytes voxels;
  DeviceTexture texture;  // the texture sampler's array of voxels, made on first use (reset with them)
  bool holds(const Volume* v, int64_t ph, uint64_t rev) const {
    return voxels.p && volume == v && phase == ph && revision == rev;
  }
};

struct ResidentCache {
  DeviceCopy first, second;
  DeviceTables tables;
  DeviceImage out;
  uint64_t uploads = 0;  // phases copied to the device so far (tests: a second frame copies none)
};

// cuda::raycast's image for job, through the cache. Above volumeBudgetBytes() the phase is cast
// out of core (raycastSlabs) and nothing stays. raycast's errors.
Status raycastResident(ResidentCache& cache, const RaycastJob& job);

}  // namespace cvx::cuda::detail
