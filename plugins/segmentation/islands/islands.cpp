// SPDX-License-Identifier: MIT
// The islands plugin: of the active segment's connected components (6 or 26), keep the largest
// (ties: the first in raster order) or remove those below min_ml millilitres (voxels x sx*sy*sz /
// 1000). Manifest "input": "segment"; cvx::seg on the host's mask buffer, without a copy.
#include <string>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/segment.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

void islands(cvx::plugin::SegmentRun& run) {
  const std::string op = sp::enumText(run, "operation");
  const double minMl = run.number("min_ml");
  const int connectivity = sp::enumInt(run, "connectivity");
  const auto mask = sp::borrowMask(run);
#if CVX_SEG_WITH_CUDA
  if (run.onCuda()) {
    return sp::writeLabels(run, *sp::onDevice(run, [&]() -> cvx::Result<cvx::seg::VolumePtr> {
      if (op == "keep_largest") return cvx::cuda::seg::keepLargest(*mask, connectivity);
      if (op != "remove_small") return cvx::makeError("seg.bad_parameter", "unknown operation '" + op + "'");
      const auto need = cvx::seg::minVoxelsForMl(*mask, minMl);  // the CPU's mL -> voxels rule
      if (!need.ok()) return need.error();
      return cvx::cuda::seg::removeSmallIslands(*mask, *need, connectivity);
    }));
  }
#endif
  const auto out = sp::bridged(run, [&](cvx::Progress* p) -> cvx::Result<cvx::seg::VolumePtr> {
    if (op == "keep_largest") return cvx::seg::keepLargest(*mask, connectivity, p);
    if (op == "remove_small") return cvx::seg::removeSmallIslandsMl(*mask, minMl, connectivity, p);
    return cvx::makeError("seg.bad_parameter", "unknown operation '" + op + "'");
  });
  sp::writeLabels(run, *out);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, islands); }

const char* const kOperations[] = {"keep_largest", "remove_small"};
const CvxParamSpec kParams[] = {
    {"operation", "Operation", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kOperations, 2,
     "keep_largest: the largest component only; remove_small: drop components under min_ml."},
    {"min_ml", "Smallest island", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN, 1, 0, 0, "mL", nullptr, 0,
     "remove_small: components below this volume are removed."},
    sp::connectivityParam(1),
};

}  // namespace

CVX_SEG_PLUGIN("islands", "Islands", "1.0.0", kParams, segment)
