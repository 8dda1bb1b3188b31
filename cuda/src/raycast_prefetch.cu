// SPDX-License-Identifier: MIT
// Phases copied ahead on the prefetch stream (raycast_prefetch.h).
#include <cvx/core/backend.h>
#include <cvx/core/log.h>
#include <cvx/cuda/raycast.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "raycast_prefetch.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace cvx::cuda::detail {
namespace {

// Whether a phase of type t gets a texture's array (castResident's rule for a volume drawn alone).
bool texturedType(PixelType t) {
  bool textured = false;
  (void)withVoxelType(t, [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    textured = kTextured<T>;
    return Status{};
  });
  return textured && textureSampling();
}

}  // namespace

Prefetcher::Prefetcher(int device, std::mutex& frameMutex, std::unique_ptr<ResidentCache>& cache)
    : device_(device), frameMutex_(frameMutex), cache_(cache) {}

Prefetcher::~Prefetcher() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
    next_.reset();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (stream_) cudaStreamSynchronize(stream_);
  for (int k = 0; k < 2; ++k) {
    if (staging_[k]) cudaFreeHost(staging_[k]);
    if (stagingFree_[k]) cudaEventDestroy(stagingFree_[k]);
  }
  if (stream_) cudaStreamDestroy(stream_);
}

void Prefetcher::request(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision) {
  if (!v || phase < 0 || phase >= v->dims()[3]) return;
  std::lock_guard lock(m_);
  if (stop_) return;
  next_ = Job{std::move(v), phase, revision};
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  wake_.notify_all();
}

void Prefetcher::waitIdle() {
  std::unique_lock lock(m_);
  idle_.wait(lock, [&] { return stop_ || (!busy_ && !next_); });
}

uint64_t Prefetcher::skipped() const {
  std::lock_guard lock(m_);
  return skipped_;
}

void Prefetcher::loop() {
#if defined(__linux__)
  // Below the threads that draw: the next phase is wanted soon, the frame now.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
  (void)cudaSetDevice(device_);
  std::unique_lock lock(m_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || next_.has_value(); });
    if (stop_) break;
    Job job = std::move(*next_);
    next_.reset();
    busy_ = true;
    lock.unlock();
    copy(job);
    job.volume.reset();  // the last reference may free a volume: not under the lock
    lock.lock();
    busy_ = false;
    idle_.notify_all();
  }
  busy_ = false;
  idle_.notify_all();
}

Status Prefetcher::setUp() {
  if (stream_) return {};
  CVX_CUDA_TRY(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  for (int k = 0; k < 2; ++k) {
    CVX_CUDA_TRY(cudaHostAlloc(&staging_[k], kChunkBytes, cudaHostAllocDefault));
    CVX_CUDA_TRY(cudaEventCreateWithFlags(&stagingFree_[k], cudaEventDisableTiming));
  }
  return {};
}

void Prefetcher::copy(const Job& job) {
  const Volume& v = *job.volume;
  std::shared_ptr<DeviceCopy> c;
  std::shared_ptr<PendingCopy> pending;
  const Status ready = setUp();  // once, before the frames' lock (pinned allocations take a while)
  {
    std::lock_guard lock(frameMutex_);
    ResidentCache& cache = *cache_;
    const size_t bytes = phaseBytes(v), budget = volumeBudgetBytes();
    const size_t want = texturedType(v.type()) ? 2 * bytes : bytes;
    const bool skip = cache.phases.holds(v, job.phase, job.revision) || (budget > 0 && bytes > budget) ||
                      cache.phases.bytes() + want > residentBudgetBytes();
    auto start = [&]() -> Status {
      CVX_TRY(ready);
      c = std::make_shared<DeviceCopy>();
      pending = std::make_shared<PendingCopy>();
      CVX_CUDA_TRY(c->voxels.reserve(bytes));
      CVX_CUDA_TRY(cudaEventCreateWithFlags(&pending->ready, cudaEventDisableTiming));
      return {};
    };
    const Status st = skip ? Status{} : start();
    if (skip || !st.ok()) {
      if (!st.ok()) {
        (void)cudaGetLastError();
        log::warn("cuda: a phase is not copied ahead: " + st.error().str());
      }
      std::lock_guard count(m_);
      ++skipped_;
      return;
    }
    c->volume = &v, c->serial = v.serial(), c->phase = job.phase, c->revision = job.revision, c->bytes = want;
    c->pending = pending;
    // Least recently drawn: the frames' makeRoom drops it last.
    cache.phases.copies.insert(cache.phases.copies.begin(), c);
    ++cache.prefetched;
  }
  const Status st = fill(job, *c, pending->ready);
  if (!st.ok()) {
    (void)cudaGetLastError();
    log::warn("cuda: copying a phase ahead failed (the frame copies it): " + st.error().str());
  }
  pending->finish(st.ok());
}

Status Prefetcher::fill(const Job& job, DeviceCopy& c, cudaEvent_t ready) {
  const Volume& v = *job.volume;
  const size_t bytes = phaseBytes(v);
  const std::byte* src = v.slice(0, job.phase);
  auto* dst = static_cast<std::byte*>(c.voxels.p);
  int k = 0;
  for (size_t off = 0; off < bytes; off += kChunkBytes, k ^= 1) {
    const size_t n = std::min(kChunkBytes, bytes - off);
    CVX_CUDA_TRY(cudaEventSynchronize(stagingFree_[k]));  // the buffer's last chunk has left it
    std::memcpy(staging_[k], src + off, n);
    CVX_CUDA_TRY(cudaMemcpyAsync(dst + off, staging_[k], n, cudaMemcpyHostToDevice, stream_));
    CVX_CUDA_TRY(cudaEventRecord(stagingFree_[k], stream_));
  }
  if (texturedType(v.type())) {
    const auto d = v.dims();
    const Status made = withVoxelType(v.type(), [&](auto* type) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
      if constexpr (kTextured<T>) return c.texture.make(static_cast<const T*>(c.voxels.p), d[0], d[1], d[2], stream_);
      return Status{};
    });
    if (!made.ok()) {  // the exact sampler draws it (castResident's rule for a failed array)
      c.texture.reset();
      c.texture.refused = true;
      (void)cudaGetLastError();
    }
  }
  CVX_CUDA_TRY(cudaEventRecord(ready, stream_));
  return {};
}

}  // namespace cvx::cuda::detail
