// The threshold segmenter plugin: label 1 where lower <= value <= upper, both inclusive, with
// lower and upper in the series' units (HU for CT). The rule is hd::inRange (cvx/core/hd/segment.h),
// which compares in stored units: the bounds are mapped from the series' units to stored ones
// (value = stored * slope + intercept) before the test.
#include <cmath>
#include <cstdint>

#include <cvx/core/hd/segment.h>
#include <cvx/core/plugin/plugin.h>

namespace {

using cvx::plugin::Failure;
using cvx::plugin::SegmentRun;

template <class T>
void label(const SegmentRun& run, double lo, double hi) {
  const CvxVolumeView& in = run.input();
  const int64_t slice = in.dims[0] * in.dims[1];
  const T* v = run.voxels<T>();
  uint8_t* out = run.labels();
  for (int64_t z = 0; z < in.dims[2]; ++z) {
    run.checkCancel();
    const T* s = v + z * slice;
    uint8_t* o = out + z * slice;
    for (int64_t i = 0; i < slice; ++i) o[i] = cvx::hd::inRange(s[i], lo, hi) ? 1 : 0;
    run.progress(static_cast<double>(z + 1) / static_cast<double>(in.dims[2]));
  }
}

void threshold(SegmentRun& run) {
  const double lower = run.number("lower"), upper = run.number("upper");
  if (lower > upper) throw Failure(CVX_STATUS_BAD_PARAM, "lower is above upper");
  const CvxVolumeView& in = run.input();
  const double slope = in.valueSlope, intercept = in.valueIntercept;
  if (!(slope != 0.0) || !std::isfinite(slope) || !std::isfinite(intercept))
    throw Failure(CVX_STATUS_BAD_INPUT, "the series' rescale slope is 0 or not finite");
  // Series units -> stored units; a negative slope swaps the ends.
  double lo = (lower - intercept) / slope, hi = (upper - intercept) / slope;
  if (slope < 0) std::swap(lo, hi);
  switch (in.pixelType) {
    case CVX_PIXEL_UINT8: label<uint8_t>(run, lo, hi); break;
    case CVX_PIXEL_INT16: label<int16_t>(run, lo, hi); break;
    case CVX_PIXEL_UINT16: label<uint16_t>(run, lo, hi); break;
    case CVX_PIXEL_FLOAT32: label<float>(run, lo, hi); break;
    default: throw Failure(CVX_STATUS_BAD_INPUT, "unsupported pixel type");
  }
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
