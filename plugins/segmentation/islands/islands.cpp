// SPDX-License-Identifier: MIT
// The islands plugin: of the active segment's connected components (6 or 26), keep the largest
// (ties: the first in raster order) or remove those below min_ml millilitres (voxels x sx*sy*sz /
// 1000). Manifest "input": "segment"; cvx::seg on the host's mask buffer, without a copy.
#include <string>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>

namespace {

namespace sp = cvx::seg::plugin;

void islands(cvx::plugin::SegmentRun& run) {
  const std::string op = sp::enumText(run, "operation");
  const double minMl = run.number("min_ml");
  const int connectivity = sp::enumInt(run, "connectivity");
  const auto mask = sp::borrowMask(run);
  const auto out = sp::bridged(run, [&](cvx::Progress* p) -> cvx::Result<cvx::seg::VolumePtr> {
    if (op == "keep_largest") return cvx::seg::keepLargest(*mask, connectivity, p);
    if (op == "remove_small") return cvx::seg::removeSmallIslandsMl(*mask, minMl, connectivity, p);
    return cvx::makeError("seg.bad_parameter", "unknown operation '" + op + "'");
  });
  sp::writeLabels(run, *out);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, islands); }

const char* const kOperations[] = {"keep_largest", "remove_small"};
const char* const kConnectivity[] = {"6", "26"};
const CvxParamSpec kParams[] = {
    {"operation", "Operation", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kOperations, 2,
     "keep_largest: the largest component only; remove_small: drop components under min_ml."},
    {"min_ml", "Smallest island", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN, 1, 0, 0, "mL", nullptr, 0,
     "remove_small: components below this volume are removed."},
    {"connectivity", "Connectivity", CVX_PARAM_ENUM, 0, 1, 0, 0, "", kConnectivity, 2,
     "6: faces; 26: faces, edges and corners."},
};

}  // namespace

CVX_PLUGIN_ENTRY {
  static const CvxPluginApi api = {CVX_PLUGIN_API_VERSION,
                                   sizeof(CvxPluginApi),
                                   "islands",
                                   "Islands",
                                   "1.0.0",
                                   CVX_KIND_SEGMENTER,
                                   CVX_BACKEND_CPU,
                                   kParams,
                                   3,
                                   segment,
                                   nullptr,
                                   {}};
  return &api;
}
