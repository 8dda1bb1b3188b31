// Progress reporting and cooperative cancellation shared between a worker and the UI.
#pragma once
#include <atomic>
#include <cstdint>

namespace cvx {

class Progress {
 public:
  void setTotal(int64_t total) { total_.store(total, std::memory_order_relaxed); }
  void add(int64_t n = 1) { done_.fetch_add(n, std::memory_order_relaxed); }
  int64_t done() const { return done_.load(std::memory_order_relaxed); }
  int64_t total() const { return total_.load(std::memory_order_relaxed); }
  double fraction() const {
    const int64_t t = total();
    return t > 0 ? static_cast<double>(done()) / static_cast<double>(t) : 0.0;
  }
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> done_{0};
  std::atomic<int64_t> total_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace cvx
