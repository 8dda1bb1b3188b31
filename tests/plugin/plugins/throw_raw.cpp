// A test plugin that breaks the rule: its segment function lets a C++ exception escape across the
// C boundary (no guardedSegment). The host's own guard must catch it.
#include <stdexcept>

#include "test_plugins.h"

namespace {
int segment(const CvxSegmentRequest*) { throw std::logic_error("raw exception from test.throw_raw"); }
}  // namespace

CVX_TEST_PLUGIN("test.throw_raw", segment, CVX_PLUGIN_API_VERSION)
