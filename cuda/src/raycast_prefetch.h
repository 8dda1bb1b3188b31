// SPDX-License-Identifier: MIT
// Phases copied to the device ahead of the frames that draw them (CudaBackend::prefetch: a cine
// loop's next phase), on a stream of their own, so that the frame drawing now never waits on the
// copy (issue 11: "streams, so interaction never waits on an upload"). Private to the cuda module.
//
// A copy goes host -> pinned staging (this thread, kChunkBytes at a time, two buffers in turn) ->
// device (cudaMemcpyAsync on the prefetch stream, non-blocking: the frames' legacy default stream
// does not wait on it), then into the texture's array (device to device, the same stream), and an
// event is recorded that the frame drawing that phase makes its stream wait on (residentCopy in
// raycast.cu). The copy joins the resident phases (raycast_resident.h) as it starts, so that a
// frame asking for it meanwhile waits for it instead of copying it again.
//
// Rules: a phase already held, one out of core (above volumeBudgetBytes()), or one that would take
// the resident phases past residentBudgetBytes() is not prefetched: a prefetch never drops a kept
// phase (PhaseBricks' rule). Only the latest request waits its turn; the copy in flight goes on.
#pragma once
#include <cuda_runtime.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <cvx/core/volume.h>

#include "raycast_resident.h"

namespace cvx::cuda::detail {

class Prefetcher {
 public:
  static constexpr size_t kChunkBytes = size_t{8} << 20;
  // cache: the back end's (replaced by releaseAll: read under frameMutex at each use).
  Prefetcher(int device, std::mutex& frameMutex, std::unique_ptr<ResidentCache>& cache);
  ~Prefetcher();  // waits for the copy in flight
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // Copies phase `phase` of v (revision as RaycastJob's) ahead; v is kept alive until then. Never
  // waits.
  void request(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision);
  // Until nothing is queued or in flight (tests, the benchmark); the copies issued are on the
  // device once a frame's stream waited on them.
  void waitIdle();
  uint64_t skipped() const;  // requests not copied by the rules above

 private:
  struct Job {
    std::shared_ptr<const Volume> volume;
    int64_t phase = 0;
    uint64_t revision = 0;
  };
  void loop();
  void copy(const Job& job);  // one phase, or none by the rules
  Status fill(const Job& job, DeviceCopy& c, cudaEvent_t ready);  // the copy's chunks and texture
  Status setUp();    // the stream, the staging buffers and their events, until all are made
  void release();    // what setUp made
  void warnOnce(const std::string& what);  // a failure logged once (a faulted context fails them all)

  int device_ = 0;
  std::mutex& frameMutex_;
  std::unique_ptr<ResidentCache>& cache_;
  mutable std::mutex m_;
  std::condition_variable wake_, idle_;
  std::optional<Job> next_;
  bool busy_ = false, stop_ = false;
  uint64_t skipped_ = 0;
  bool ready_ = false, warned_ = false;  // the prefetch thread's alone
  cudaStream_t stream_ = nullptr;
  void* staging_[2] = {nullptr, nullptr};
  cudaEvent_t stagingFree_[2] = {nullptr, nullptr};
  std::thread thread_;
};

}  // namespace cvx::cuda::detail
