// A fixed-size thread pool with parallelFor; exceptions never cross it (they come back as errors).
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <cvx/core/error.h>

namespace cvx {

class ThreadPool {
 public:
  // threads == 0: hardware concurrency (CVX_THREADS overrides).
  explicit ThreadPool(unsigned threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()); }

  // Runs fn in the pool; the future becomes ready when it has run.
  std::future<void> submit(std::function<void()> fn);

  // Calls fn(i) for i in [0, n), spread over the pool and the calling thread; blocks until done.
  // Indices are handed out dynamically (good for uneven work like decoding files). An exception
  // thrown by fn never leaves a thread: indices not yet started are skipped and the first one comes
  // back as thread.task_failed (with its what()); the pool stays usable.
  Status parallelFor(int64_t n, const std::function<void(int64_t)>& fn);

  // The process-wide pool.
  static ThreadPool& global();
  static unsigned defaultThreadCount();

 private:
  void workerLoop();
  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace cvx
