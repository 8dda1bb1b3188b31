// SPDX-License-Identifier: MIT
// LoadOptions::firstSlice: a viewer's first slice is decoded first and the rest outwards from it,
// so that the first image does not wait for half the load; without it, slice order.
#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include <cvx/io/dicom.h>

#include "test_data.h"

using namespace cvx;

namespace {

std::vector<int64_t> readyOrder(int64_t firstSlice) {
  auto scanned = io::scan(test::dataPath("ct"));
  EXPECT_TRUE(scanned.ok());
  const auto plans = io::planSeries(scanned.value()).series;
  EXPECT_EQ(plans.size(), 1u);
  std::vector<int64_t> order;
  std::mutex m;
  io::LoadOptions options;
  options.threads = 1;  // one decoder: the order is the schedule's
  options.firstSlice = firstSlice;
  options.onSliceReady = [&](int64_t s) {
    std::lock_guard lock(m);
    order.push_back(s);
  };
  auto v = io::loadSeries(scanned.value(), plans.front(), options);
  EXPECT_TRUE(v.ok());
  return order;
}

}  // namespace

// Jobs are handed out in schedule order to two decoders (the pool's thread and the job's own), so
// a slice may finish up to a couple of places early or late, never far.
TEST(LoadOrder, TheFirstSliceComesFirstAndTheRestOutwards) {
  CVX_REQUIRE_FOLDER("ct");
  const auto order = readyOrder(67);
  ASSERT_EQ(order.size(), 134u);  // ct/: one file per slice
  EXPECT_TRUE(order[0] == 67 || order[1] == 67);
  // The i-th slice ready started among the first i + 3 jobs, whose distance from 67 is at most
  // (i + 3) / 2 when they go nearest first.
  for (size_t i = 0; i < order.size(); ++i)
    EXPECT_LE(std::abs(order[i] - 67), static_cast<int64_t>(i + 3) / 2) << i;
  const auto plain = readyOrder(-1);
  ASSERT_EQ(plain.size(), 134u);
  for (size_t i = 0; i < plain.size(); ++i) EXPECT_LE(std::abs(plain[i] - static_cast<int64_t>(i)), 2) << i;
}
