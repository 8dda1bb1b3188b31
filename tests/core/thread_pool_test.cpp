#include <cvx/core/thread_pool.h>
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

TEST(ThreadPool, ParallelForVisitsEveryIndexOnce) {
  cvx::ThreadPool pool(4);
  std::vector<std::atomic<int>> hits(1000);
  EXPECT_TRUE(pool.parallelFor(1000, [&](int64_t i) { hits[static_cast<size_t>(i)].fetch_add(1); }).ok());
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPool, NestedParallelForDoesNotDeadlock) {
  cvx::ThreadPool pool(2);
  std::atomic<int> sum{0};
  EXPECT_TRUE(pool.parallelFor(8, [&](int64_t) {
                    EXPECT_TRUE(pool.parallelFor(8, [&](int64_t j) { sum += static_cast<int>(j); }).ok());
                  }).ok());
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
  EXPECT_TRUE(pool.parallelFor(0, [&](int64_t) { ++calls; }).ok());
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(pool.parallelFor(1, [&](int64_t) { ++calls; }).ok());
  EXPECT_EQ(calls, 1);
}

// An exception in a task never leaves a thread (no std::terminate, no hang): parallelFor reports the
// first one as thread.task_failed with its message, and the pool keeps working afterwards.
TEST(ThreadPool, AThrowingTaskIsReportedAndThePoolLivesOn) {
  cvx::ThreadPool pool(4);
  std::atomic<int> ran{0};
  const cvx::Status st = pool.parallelFor(1000, [&](int64_t i) {
    ran.fetch_add(1);
    if (i == 10) throw std::runtime_error("boom at 10");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "thread.task_failed");
  EXPECT_NE(st.error().message.find("boom at 10"), std::string::npos) << st.error().message;
  EXPECT_GE(ran.load(), 11);
  std::vector<std::atomic<int>> hits(500);
  EXPECT_TRUE(pool.parallelFor(500, [&](int64_t i) { hits[static_cast<size_t>(i)].fetch_add(1); }).ok());
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPool, EveryIndexThrowingStillReturns) {
  for (unsigned threads : {1u, 3u}) {
    cvx::ThreadPool pool(threads);
    const cvx::Status st = pool.parallelFor(64, [](int64_t) { throw 42; });  // not a std::exception
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "thread.task_failed");
    EXPECT_NE(st.error().message.find("unknown exception"), std::string::npos);
  }
}
