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

namespace {

namespace sp = cvx::seg::plugin;

void grow(cvx::plugin::SegmentRun& run) {
  const auto [lo, hi] = sp::storedRange(run, run.number("lower"), run.number("upper"));
  const int connectivity = sp::enumInt(run, "connectivity");
  const CvxParamValue& s = run.param("seeds");
  if (s.pointCount == 0 || !s.points) throw sp::Failure(CVX_STATUS_BAD_PARAM, "at least one seed is needed");
  std::vector<cvx::seg::Index3> seeds;
  for (uint32_t i = 0; i < s.pointCount; ++i)
    seeds.push_back({std::llround(s.points[3 * i]), std::llround(s.points[3 * i + 1]),
                     std::llround(s.points[3 * i + 2])});
  const auto input = sp::borrowInput(run);
  const auto mask = sp::bridged(run, [&](cvx::Progress* p) {
    return cvx::seg::connectedThreshold(*input, seeds, lo, hi, connectivity, 0, p);
  });
  sp::writeLabels(run, *mask);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, grow); }

const char* const kConnectivity[] = {"6", "26"};
const CvxParamSpec kParams[] = {
    {"seeds", "Seeds", CVX_PARAM_SEEDS, CVX_PARAM_REQUIRED, 0, 0, 0, "", nullptr, 0,
     "Voxels (i, j, k) the region grows from."},
    {"lower", "Lower", CVX_PARAM_FLOAT, 0, -100, 0, 0, "series", nullptr, 0,
     "Smallest value inside (HU for CT)."},
    {"upper", "Upper", CVX_PARAM_FLOAT, 0, 200, 0, 0, "series", nullptr, 0,
     "Largest value inside (HU for CT)."},
    {"connectivity", "Connectivity", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kConnectivity, 2,
     "6: faces; 26: faces, edges and corners."},
};

}  // namespace

CVX_PLUGIN_ENTRY {
  static const CvxPluginApi api = {CVX_PLUGIN_API_VERSION,
                                   sizeof(CvxPluginApi),
                                   "region_growing",
                                   "Region growing",
                                   "1.0.0",
                                   CVX_KIND_SEGMENTER,
                                   CVX_BACKEND_CPU,
                                   kParams,
                                   4,
                                   segment,
                                   nullptr,
                                   {}};
  return &api;
}
