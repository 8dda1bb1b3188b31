// SPDX-License-Identifier: MIT
// The region growing plugin (connected threshold): the voxels with lower <= value <= upper (series
// units, both inclusive) connected to a seed through such voxels, with 6- or 26-connectivity.
// cvx::seg::connectedThreshold on the host's buffer (no copy); a seed whose own value is out of
// range grows nothing (as ITK's ConnectedThresholdImageFilter).
#include <cmath>
#include <vector>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/segment.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

void grow(cvx::plugin::SegmentRun& run) {
  const auto range = sp::storedRange(run, run.number("lower"), run.number("upper"));
  const double lo = range.first, hi = range.second;  // names, not a binding: clang 14 cannot capture one
  const int connectivity = sp::enumInt(run, "connectivity");
  const CvxParamValue& s = run.param("seeds");
  if (s.pointCount == 0 || !s.points) throw sp::Failure(CVX_STATUS_BAD_PARAM, "at least one seed is needed");
  std::vector<cvx::seg::Index3> seeds;
  for (uint32_t i = 0; i < s.pointCount; ++i)
    seeds.push_back({std::llround(s.points[3 * i]), std::llround(s.points[3 * i + 1]),
                     std::llround(s.points[3 * i + 2])});
  const auto input = sp::borrowInput(run);
#if CVX_SEG_WITH_CUDA
  if (run.onCuda()) {
    std::vector<cvx::cuda::seg::Seed> at;
    for (const auto& q : seeds) at.push_back({q.x, q.y, q.z});
    return sp::writeLabels(run, *sp::onDevice(run, [&] {
      return cvx::cuda::seg::connectedThreshold(*input, at, lo, hi, connectivity);
    }));
  }
#endif
  const auto mask = sp::bridged(run, [&](cvx::Progress* p) {
    return cvx::seg::connectedThreshold(*input, seeds, lo, hi, connectivity, 0, p);
  });
  sp::writeLabels(run, *mask);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, grow); }

const CvxParamSpec kParams[] = {
    {"seeds", "Seeds", CVX_PARAM_SEEDS, CVX_PARAM_REQUIRED, 0, 0, 0, "", nullptr, 0,
     "Voxels (i, j, k) the region grows from."},
    {"lower", "Lower", CVX_PARAM_FLOAT, 0, -100, 0, 0, "series", nullptr, 0,
     "Smallest value inside (HU for CT)."},
    {"upper", "Upper", CVX_PARAM_FLOAT, 0, 200, 0, 0, "series", nullptr, 0,
     "Largest value inside (HU for CT)."},
    sp::connectivityParam(0),
};

}  // namespace

CVX_SEG_PLUGIN("region_growing", "Region growing", "1.0.0", kParams, segment)
