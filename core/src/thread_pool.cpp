#include <cvx/core/thread_pool.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>

#include <cvx/core/log.h>

namespace cvx {

unsigned ThreadPool::defaultThreadCount() {
  if (const char* env = std::getenv("CVX_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool::ThreadPool(unsigned threads) {
  if (threads == 0) threads = defaultThreadCount();
  // The calling thread takes part in parallelFor, so the pool keeps threads-1 workers.
  for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
}

ThreadPool& ThreadPool::global() {
  static ThreadPool pool;
  return pool;
}

void ThreadPool::workerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_ && queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    // Tasks never throw (submit's packaged_task and parallelFor's body catch); this is the last
    // guard, so that no exception ends the process from a worker.
    try {
      task();
    } catch (const std::exception& e) {
      log::error(std::string("thread.task_failed: ") + e.what());
    } catch (...) {
      log::error("thread.task_failed: unknown exception");
    }
  }
}

std::future<void> ThreadPool::submit(std::function<void()> fn) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
  auto fut = task->get_future();
  if (workers_.empty()) {
    (*task)();
    return fut;
  }
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back([task] { (*task)(); });
  }
  cv_.notify_one();
  return fut;
}

Status ThreadPool::parallelFor(int64_t n, const std::function<void(int64_t)>& fn) {
  if (n <= 0) return {};
  // Helpers that start late find no index left and never touch fn, so the caller only waits for
  // helpers that are running; this also makes nested parallelFor calls from workers safe.
  struct State {
    std::atomic<int64_t> next{0};
    std::atomic<int> running{0};
    std::mutex m;
    std::condition_variable cv;
    std::optional<Error> failure;  // the first exception, under m
  };
  auto st = std::make_shared<State>();
  const std::function<void(int64_t)>* fnp = &fn;
  auto body = [st, n, fnp] {
    st->running.fetch_add(1);
    // An exception stops the hand-out of further indices and is reported to the caller as an error.
    auto fail = [&](std::string what) {
      st->next.store(n);
      std::lock_guard lock(st->m);
      if (!st->failure) st->failure = Error{"thread.task_failed", "a parallel task threw: " + what, {}};
    };
    for (int64_t i = st->next.fetch_add(1); i < n; i = st->next.fetch_add(1)) {
      try {
        (*fnp)(i);
      } catch (const std::exception& e) {
        fail(e.what());
      } catch (...) {
        fail("unknown exception");
      }
    }
    if (st->running.fetch_sub(1) == 1) {
      std::lock_guard lock(st->m);
      st->cv.notify_all();
    }
  };
  const int64_t helpers = std::min<int64_t>(static_cast<int64_t>(workers_.size()), n - 1);
  if (helpers > 0) {
    std::lock_guard lock(mutex_);
    for (int64_t h = 0; h < helpers; ++h) queue_.emplace_back(body);
  }
  cv_.notify_all();
  body();
  std::unique_lock lock(st->m);
  st->cv.wait(lock, [&] { return st->running.load() == 0; });
  if (st->failure) return *st->failure;
  return {};
}

}  // namespace cvx
