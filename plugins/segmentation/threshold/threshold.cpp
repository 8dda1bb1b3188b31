// The threshold segmenter plugin: label 1 where lower <= value <= upper, both inclusive, with
// lower and upper in the series' units (HU for CT). One implementation of the rule: cvx::seg::threshold
// (hd::inRange, in stored units) on the host's buffer borrowed without a copy; the bounds are mapped
// from the series' units to stored ones (value = stored * slope + intercept) before the test.
#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>

namespace {

namespace sp = cvx::seg::plugin;

void threshold(cvx::plugin::SegmentRun& run) {
  const auto [lo, hi] = sp::storedRange(run, run.number("lower"), run.number("upper"));
  const auto input = sp::borrowInput(run);
  const auto mask = sp::bridged(run, [&](cvx::Progress* p) { return cvx::seg::threshold(*input, lo, hi, 0, p); });
  sp::writeLabels(run, *mask);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, threshold); }

const CvxParamSpec kParams[] = {
    {"lower", "Lower", CVX_PARAM_FLOAT, 0, 300, 0, 0, "series", nullptr, 0, "Smallest value inside (HU for CT)."},
    {"upper", "Upper", CVX_PARAM_FLOAT, 0, 3071, 0, 0, "series", nullptr, 0, "Largest value inside (HU for CT)."},
};

}  // namespace

CVX_PLUGIN_ENTRY {
  static const CvxPluginApi api = {CVX_PLUGIN_API_VERSION, sizeof(CvxPluginApi), "threshold", "Threshold", "1.0.0",
                                   CVX_KIND_SEGMENTER, CVX_BACKEND_CPU, kParams, 2, segment, nullptr, {}};
  return &api;
}
