// Background loading: the first slice is in place before the whole volume, progress and cancel work.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "data_util.h"

TEST(Progressive, FirstSliceIsReadyBeforeTheWholeVolume) {
  CVX_REQUIRE_FOLDER("pet_ct");
  auto p = cvx::test::plan("pet_ct");
  ASSERT_FALSE(p.groups.series.empty());
  const auto& plan = p.groups.series[0];
  std::vector<int64_t> order;
  cvx::io::LoadOptions opt;
  opt.threads = 1;  // serial, so the order is deterministic
  std::shared_ptr<cvx::Volume> vol;
  opt.onSliceReady = [&](int64_t i) { order.push_back(i); };
  auto job = cvx::io::startLoad(std::make_shared<const cvx::io::ScanResult>(std::move(p.scan)), plan, opt);
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE((*job)->wait().ok());
  vol = (*job)->volume();
  ASSERT_EQ(order.size(), static_cast<size_t>(plan.dims[2]));
  EXPECT_EQ(order.front(), 0);  // slice order first
  for (size_t i = 1; i < order.size(); ++i) EXPECT_LT(order[i - 1], order[i]);
  EXPECT_EQ(vol->slicesReady(), plan.dims[2]);
  EXPECT_EQ((*job)->progress().done(), plan.dims[2]);
}

TEST(Progressive, CancelStopsTheLoadWithACode) {
  CVX_REQUIRE_FOLDER("pet_ct");
  auto p = cvx::test::plan("pet_ct");
  ASSERT_FALSE(p.groups.series.empty());
  cvx::io::LoadOptions opt;
  opt.threads = 1;
  std::shared_ptr<cvx::io::LoadJob> handle;
  std::atomic<int> seen{0};
  std::atomic<cvx::io::LoadJob*> jobPtr{nullptr};
  opt.onSliceReady = [&](int64_t) {
    if (++seen == 1)
      while (!jobPtr.load()) std::this_thread::yield();
    if (seen == 1) jobPtr.load()->cancel();
  };
  auto scan = std::make_shared<const cvx::io::ScanResult>(std::move(p.scan));
  auto job = cvx::io::startLoad(scan, p.groups.series[0], opt);
  ASSERT_TRUE(job.ok());
  jobPtr = job->get();
  const auto st = (*job)->wait();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "io.cancelled");
  // Slice 0 landed before the cancel, the last one never did.
  EXPECT_TRUE((*job)->volume()->sliceReady(0));
  EXPECT_LT((*job)->volume()->slicesReady(), p.groups.series[0].dims[2]);
}
