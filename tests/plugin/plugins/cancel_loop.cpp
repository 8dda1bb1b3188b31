// A test plugin that reports progress and loops until cancelled (at most 30 s, then it fails).
#include <chrono>
#include <thread>

#include "test_plugins.h"

namespace {
int segment(const CvxSegmentRequest* r) {
  return cvx::plugin::guardedSegment(r, [](cvx::plugin::SegmentRun& run) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 1; std::chrono::steady_clock::now() - start < std::chrono::seconds(30); ++i) {
      run.progress(i < 900 ? i / 1000.0 : 0.9);
      run.checkCancel();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    throw cvx::plugin::Failure(CVX_STATUS_FAILED, "never cancelled");
  });
}
}  // namespace

CVX_TEST_PLUGIN("test.cancel_loop", segment, CVX_PLUGIN_API_VERSION)
