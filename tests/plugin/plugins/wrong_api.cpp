// A test plugin built for another API version (999): the host must refuse to run it.
#include "test_plugins.h"

namespace {
int segment(const CvxSegmentRequest*) { return CVX_STATUS_OK; }
}  // namespace

CVX_TEST_PLUGIN("test.wrong_api", segment, 999u)
