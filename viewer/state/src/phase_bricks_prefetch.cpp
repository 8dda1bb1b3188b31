// SPDX-License-Identifier: MIT
// PhaseBricks::prefetch (phase_bricks.h): the other phases' maps built on a background thread.
#include <cvx/viewstate/phase_bricks.h>

#include <cvx/core/log.h>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace cvx::view {

void PhaseBricks::prefetch(const std::shared_ptr<const Volume>& v, int phase, const TransferTable& table) {
  std::lock_guard lock(mutex_);
  if (stop_) return;
  const uint64_t tableNo = tableNoLocked(table);
  // The same request again (each frame of a loop asks): the job in hand goes on.
  if (job_ && job_->volume.lock() == v && job_->tableNo == tableNo) {
    job_->phase = phase;
  } else {
    job_ = Job{v, phase, std::make_shared<const TransferTable>(table), tableNo};
  }
  if (!thread_.joinable()) thread_ = std::thread([this] { prefetchLoop(); });
  wake_.notify_all();
}

std::optional<int> PhaseBricks::nextPrefetchLocked(const Volume& v, const Job& job) {
  const int n = static_cast<int>(v.dims()[3]);
  size_t one = 0;  // a phase's map, as one already kept weighs
  for (const Kept& k : entries_)
    if (k.entry->volume == v.serial()) one = std::max(one, k.entry->bytes());
  for (int i = 0; i < n; ++i) {
    const int phase = (job.phase + i) % n;
    const Key key{v.serial(), phase};
    if (building_.count(key)) continue;
    auto it = findLocked(key);
    if (it != entries_.end() && it->entry->table == job.tableNo) continue;
    // Only what fits beside the maps kept: the prefetch never drops a map.
    const size_t adds = it != entries_.end() ? one - std::min(one, it->entry->bytes()) : one;
    if (keptBytesLocked() + adds > budgetFor(v)) return std::nullopt;
    return phase;
  }
  return std::nullopt;
}

void PhaseBricks::prefetchLoop() {
#if defined(__linux__)
  // Below the threads that draw: the maps are wanted soon, the frame now.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || job_.has_value(); });
    if (stop_) break;
    const std::shared_ptr<const Volume> v = job_->volume.lock();
    const std::optional<int> next = v ? nextPrefetchLocked(*v, *job_) : std::nullopt;
    if (!next) {
      job_.reset();
      idle_.notify_all();
      continue;
    }
    const Job job = *job_;
    prefetchBusy_ = true;
    try {
      (void)buildLocked(lock, v, *next, *job.table, job.tableNo, false);
      ++prefetched_;
    } catch (const std::exception& e) {  // out of memory: stop prefetching, the views build as they go
      log::warn(std::string("3D: the phases' brick maps are not built ahead: ") + e.what());
      job_.reset();
    }
    prefetchBusy_ = false;
    idle_.notify_all();
  }
  prefetchBusy_ = false;
  idle_.notify_all();
}

void PhaseBricks::waitForPrefetch() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return stop_ || (!job_ && !prefetchBusy_); });
}

}  // namespace cvx::view
