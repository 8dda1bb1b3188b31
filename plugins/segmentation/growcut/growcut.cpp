// SPDX-License-Identifier: MIT
// The GrowCut plugin (manifest "input": "seeds"): the host's seed label map (0 unlabelled, 1..n the
// segments used as seed classes) and the series, borrowed without a copy, go to cvx::seg::growCut;
// the output labels 1..n say which class each voxel of the ROI went to (0 outside the ROI and
// where no class arrived). The range is given in the series' units and mapped to stored units
// (a difference: divided by |slope|). Rules: docs/segmentation.md, "GrowCut".
#include <cmath>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/growcut.h>
#include <cvx/seg/plugin_support.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/growcut.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

void growCut(cvx::plugin::SegmentRun& run) {
  cvx::seg::GrowCutOptions o;
  o.connectivity = sp::enumInt(run, "connectivity");
  o.marginMm = run.number("margin_mm");
  o.maxIterations = static_cast<int>(run.number("max_iterations"));
  const double slope = std::abs(run.input().valueSlope);
  if (!(slope > 0) || !std::isfinite(slope))
    throw cvx::plugin::Failure(CVX_STATUS_BAD_INPUT, "the series' rescale slope is 0 or not finite");
  o.range = run.number("range") / slope;
  const auto input = sp::borrowInput(run);
  const auto seeds = sp::borrowMask(run);
#if CVX_SEG_WITH_CUDA
  if (run.onCuda())
    return sp::writeLabels(run, *sp::bridged(run, [&](cvx::Progress* p) { return cvx::cuda::growCut(*input, *seeds, o, p); }).labels);
#endif
  const auto r = sp::bridged(run, [&](cvx::Progress* p) { return cvx::seg::growCut(*input, *seeds, o, p); });
  sp::writeLabels(run, *r.labels);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, growCut); }

const CvxParamSpec kParams[] = {
    sp::connectivityParam(0),
    {"margin_mm", "Margin", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 20, 0, 1000, "mm",
     nullptr, 0,
     "The region of interest: the seeds' bounding box grown by this on each side; voxels outside it stay 0."},
    {"max_iterations", "Max iterations", CVX_PARAM_INT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 2000, 1,
     100000, "", nullptr, 0, "Stops after this many iterations if the labels still change."},
    {"range", "Intensity range", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN, 0, 0, 0, "series", nullptr, 0,
     "The intensity difference at which g reaches 0; 0: max - min inside the region of interest."},
};

}  // namespace

CVX_SEG_PLUGIN("growcut", "GrowCut", "1.0.0", kParams, segment)
