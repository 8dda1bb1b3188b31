// SPDX-License-Identifier: MIT
// The level-set plugin: the threshold level set (cvx::seg::thresholdLevelSet, docs/segmentation.md,
// "Level set") grown or shrunk from the active segment (manifest "input": "segment") towards the
// boundary of [lower, upper] (series units), smoothed by the curvature weight. CPU; the host's
// buffers are borrowed without a copy. The output is the final region (phi <= 0).
#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/levelset.h>
#include <cvx/seg/plugin_support.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/levelset.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

void levelSet(cvx::plugin::SegmentRun& run) {
  const auto range = sp::storedRange(run, run.number("lower"), run.number("upper"));
  const double lo = range.first, hi = range.second;  // names, not a binding: clang 14 cannot capture one
  cvx::seg::LevelSetParams p;
  p.lower = lo;
  p.upper = hi;
  p.curvature = run.number("curvature");
  p.propagation = run.number("propagation");
  p.maxIterations = static_cast<int>(run.number("max_iterations"));
  p.rmsTolerance = run.number("tolerance_mm");
  const auto input = sp::borrowInput(run);
  const auto mask = sp::borrowMask(run);
  const auto out = sp::bridged(run, [&](cvx::Progress* pr) -> cvx::Result<cvx::seg::VolumePtr> {
#if CVX_SEG_WITH_CUDA
    if (run.onCuda()) {
      auto r = cvx::cuda::thresholdLevelSet(*input, *mask, p, 0, pr);
      if (!r.ok()) return r.error();
      return r->mask;
    }
#endif
    auto r = cvx::seg::thresholdLevelSet(*input, *mask, p, 0, pr);
    if (!r.ok()) return r.error();
    return r->mask;
  });
  sp::writeLabels(run, *out);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, levelSet); }

const CvxParamSpec kParams[] = {
    {"lower", "Lower", CVX_PARAM_FLOAT, 0, -100, 0, 0, "series", nullptr, 0,
     "Smallest value of the structure (HU for CT): the front stops where values leave [lower, upper]."},
    {"upper", "Upper", CVX_PARAM_FLOAT, 0, 200, 0, 0, "series", nullptr, 0,
     "Largest value of the structure (HU for CT)."},
    {"curvature", "Smoothing", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 0.5, 0, 10, "mm",
     nullptr, 0,
     "Curvature weight w_c: larger gives smoother boundaries (structures thinner than about 2 w_c mm "
     "vanish)."},
    {"propagation", "Propagation", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 1, 0, 10, "",
     nullptr, 0,
     "Propagation weight w_p (the speed in mm per unit time where the value is at the middle of the range)."},
    {"max_iterations", "Max iterations", CVX_PARAM_INT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 500, 0, 100000,
     "", nullptr, 0, "The run stops after this many time steps."},
    {"tolerance_mm", "Tolerance", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 0.002, 0, 10, "mm",
     nullptr, 0, "Converged when the RMS change of phi per iteration over the band falls below this."},
};

}  // namespace

CVX_SEG_PLUGIN("levelset", "Level set", "1.0.0", kParams, segment)
