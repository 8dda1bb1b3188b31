// The threshold segmenter plugin: label 1 where lower <= value <= upper, both inclusive, with
// lower and upper in the series' units (HU for CT). One implementation of the rule: cvx::seg::threshold
// (hd::inRange, in stored units) on the host's buffer borrowed without a copy; the bounds are mapped
// from the series' units to stored ones (value = stored * slope + intercept) before the test.
#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/segment.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

void threshold(cvx::plugin::SegmentRun& run) {
  const auto range = sp::storedRange(run, run.number("lower"), run.number("upper"));
  const double lo = range.first, hi = range.second;  // names, not a binding: clang 14 cannot capture one
  const auto input = sp::borrowInput(run);
#if CVX_SEG_WITH_CUDA
  if (run.onCuda()) return sp::writeLabels(run, *sp::onDevice(run, [&] { return cvx::cuda::seg::threshold(*input, lo, hi); }));
#endif
  const auto mask = sp::bridged(run, [&](cvx::Progress* p) { return cvx::seg::threshold(*input, lo, hi, 0, p); });
  sp::writeLabels(run, *mask);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, threshold); }

const CvxParamSpec kParams[] = {
    {"lower", "Lower", CVX_PARAM_FLOAT, 0, 300, 0, 0, "series", nullptr, 0, "Smallest value inside (HU for CT)."},
    {"upper", "Upper", CVX_PARAM_FLOAT, 0, 3071, 0, 0, "series", nullptr, 0, "Largest value inside (HU for CT)."},
};

}  // namespace

CVX_SEG_PLUGIN("threshold", "Threshold", "1.0.0", kParams, segment)
