// SPDX-License-Identifier: MIT
// Phases copied ahead on the prefetch stream (raycast_prefetch.h).
#include <cvx/core/backend.h>
#include <cvx/core/log.h>
#include <cvx/cuda/raycast.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "raycast_prefetch.h"


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
  std::optional<Job> dropped;  // a volume's last reference goes outside the lock
  {
    std::lock_guard lock(m_);
    stop_ = true;
    dropped.swap(next_);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  release();
}

void Prefetcher::release() {
  if (stream_) (void)cudaStreamSynchronize(stream_);
  for (int k = 0; k < 2; ++k) {
    if (staging_[k]) (void)cudaFreeHost(staging_[k]);
    if (stagingFree_[k]) (void)cudaEventDestroy(stagingFree_[k]);
    staging_[k] = nullptr, stagingFree_[k] = nullptr;
  }
  if (stream_) (void)cudaStreamDestroy(stream_);
  stream_ = nullptr;
  ready_ = false;
}

void Prefetcher::request(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision) {
  if (!v || phase < 0 || phase >= v->dims()[3]) return;
  std::optional<Job> replaced;  // its volume's last reference may go: outside the lock
  {
    std::lock_guard lock(m_);
    if (stop_) return;
    replaced.swap(next_);
    next_ = Job{std::move(v), phase, revision};
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  }
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
  // Not below the threads that draw (as PhaseBricks' prefetch is): a frame that asks for the phase
  // in flight waits for this thread to issue its chunks.
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
  if (ready_) return {};
  auto make = [&]() -> Status {
    CVX_CUDA_TRY(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    for (int k = 0; k < 2; ++k) {
      CVX_CUDA_TRY(cudaHostAlloc(&staging_[k], kChunkBytes, cudaHostAllocDefault));
      CVX_CUDA_TRY(cudaEventCreateWithFlags(&stagingFree_[k], cudaEventDisableTiming));
    }
    return {};
  };
  const Status st = make();
  if (!st.ok()) {  // nothing half made is kept: the next request tries again
    (void)cudaGetLastError();
    release();
    return st;
  }
  ready_ = true;
  return {};
}

void Prefetcher::warnOnce(const std::string& what) {
  if (warned_) return;
  warned_ = true;
  log::warn(what + " (said once)");
}

void Prefetcher::copy(const Job& job) {
  const Volume& v = *job.volume;
  std::shared_ptr<DeviceCopy> c;
  std::shared_ptr<PendingCopy> pending;
  const Status ready = setUp();  // before the frames' lock (pinned allocations take a while)
  {
    std::lock_guard lock(frameMutex_);
    ResidentCache& cache = *cache_;
    const size_t bytes = phaseBytes(v), budget = volumeBudgetBytes();
    const size_t want = texturedType(v.type()) ? 2 * bytes : bytes;
    // Held already, asked before the voxels changed, out of core, or no room beside the kept ones.
    const bool skip = cache.phases.holds(v, job.phase, job.revision) || cache.phases.holdsNewer(v, job.revision) ||
                      (budget > 0 && bytes > budget) || cache.phases.bytes() + want > residentBudgetBytes();
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
        warnOnce("cuda: a phase is not copied ahead: " + st.error().str());
      }
      std::lock_guard count(m_);
      ++skipped_;
      return;
    }
    c->volume = &v, c->serial = v.serial(), c->phase = job.phase, c->revision = job.revision, c->bytes = want;
    c->pending = pending;
    c->speculative = true;  // until a frame draws it: the first to go for room (a guess not taken)
    cache.phases.copies.insert(cache.phases.copies.begin(), c);
    ++cache.prefetched;
  }
  // Whatever happens below, a frame waiting on the copy is let go (as failed unless it was issued).
  struct Finish {
    PendingCopy& p;
    bool ok = false;
    ~Finish() { p.finish(ok); }
  } finish{*pending};
  const Status st = fill(job, *c, pending->ready);
  finish.ok = st.ok();
  if (st.ok()) warned_ = false;  // a failure after a copy that worked is said again
  if (!st.ok()) {
    // `ready` may never have been recorded: what was queued into the copy ends before it can go.
    (void)cudaStreamSynchronize(stream_);
    (void)cudaGetLastError();
    warnOnce("cuda: copying a phase ahead failed (its frame copies it): " + st.error().str());
  }
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
