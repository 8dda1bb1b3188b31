#include <cvx/core/thread_pool.h>
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

TEST(ThreadPool, ParallelForVisitsEveryIndexOnce) {
  cvx::ThreadPool pool(4);
  std::vector<std::atomic<int>> hits(1000);
  pool.parallelFor(1000, [&](int64_t i) { hits[static_cast<size_t>(i)].fetch_add(1); });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPool, NestedParallelForDoesNotDeadlock) {
  cvx::ThreadPool pool(2);
  std::atomic<int> sum{0};
  pool.parallelFor(8, [&](int64_t) { pool.parallelFor(8, [&](int64_t j) { sum += static_cast<int>(j); }); });
  EXPECT_EQ(sum.load(), 8 * 28);
}

TEST(ThreadPool, SubmitRuns) {
  cvx::ThreadPool pool(2);
  std::atomic<bool> ran{false};
  pool.submit([&] { ran = true; }).wait();
  EXPECT_TRUE(ran.load());
}

TEST(ThreadPool, ZeroAndOneItems) {
  cvx::ThreadPool pool(3);
  int calls = 0;
  pool.parallelFor(0, [&](int64_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  pool.parallelFor(1, [&](int64_t) { ++calls; });
  EXPECT_EQ(calls, 1);
}
