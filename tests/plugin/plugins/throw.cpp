// A test plugin whose C++ run throws std::runtime_error; guardedSegment() turns it into
// CVX_STATUS_EXCEPTION with the message.
#include <stdexcept>

#include "test_plugins.h"

namespace {
int segment(const CvxSegmentRequest* r) {
  return cvx::plugin::guardedSegment(r, [](cvx::plugin::SegmentRun&) {
    throw std::runtime_error("deliberate failure from test.throw");
  });
}
}  // namespace

CVX_TEST_PLUGIN("test.throw", segment, CVX_PLUGIN_API_VERSION)
