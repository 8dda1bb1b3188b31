// SPDX-License-Identifier: MIT
// The lesion plugin (a PET lesion's volume by a fraction of its peak, EANM's 41 % of SUVmax): about
// each seed, the hottest voxel within search_mm (cvx::seg::peakNear); the threshold
// T = background + fraction% x (peak - background) in series units, the background a value or the
// lesion's surroundings (the median of the shell from shell_mm to shell_mm + kShellMm about the
// peak, cvx::seg::shellMedian); the voxels >= T connected to that peak voxel through such voxels
// (6 or 26). Several seeds: each its own peak and threshold, the union of their regions. The CUDA
// back end grows the same regions on the device, from the same thresholds (peak and background
// taken on the host) (docs/segmentation.md, "Lesion").
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/segment.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

constexpr double kShellMm = 10;  // the background shell's thickness

void lesion(cvx::plugin::SegmentRun& run) {
  const double fraction = run.number("fraction") / 100.0, searchMm = run.number("search_mm");
  const bool surroundings = sp::enumText(run, "background_from") == "surroundings";
  const double shellMm = run.number("shell_mm");
  const int connectivity = sp::enumInt(run, "connectivity");
  const double slope = run.input().valueSlope, intercept = run.input().valueIntercept;
  if (!(slope > 0.0) || !std::isfinite(slope) || !std::isfinite(intercept))
    throw sp::Failure(CVX_STATUS_BAD_INPUT, "a lesion's peak needs a positive, finite rescale slope");
  const CvxParamValue& s = run.param("seeds");
  if (s.pointCount == 0 || !s.points) throw sp::Failure(CVX_STATUS_BAD_PARAM, "at least one seed is needed");
  const auto input = sp::borrowInput(run);
  std::shared_ptr<cvx::Volume> labels;
  for (uint32_t i = 0; i < s.pointCount; ++i) {
    const cvx::seg::Index3 seed{std::llround(s.points[3 * i]), std::llround(s.points[3 * i + 1]),
                                std::llround(s.points[3 * i + 2])};
    const auto peak = cvx::seg::peakNear(*input, seed, searchMm);
    if (!peak.ok()) sp::fail(peak.error());
    const double top = slope * peak->value + intercept;
    if (!std::isfinite(top)) throw sp::Failure(CVX_STATUS_BAD_INPUT, "the peak near the seed is not a finite value");
    double background = run.number("background");
    if (surroundings) {  // about the peak, not the seed
      const auto around = cvx::seg::shellMedian(*input, peak->at, shellMm, shellMm + kShellMm);
      if (!around.ok()) sp::fail(around.error());
      background = slope * *around + intercept;
      if (!std::isfinite(background))
        throw sp::Failure(CVX_STATUS_BAD_INPUT, "the lesion's surroundings hold no finite uptake");
    }
    if (!(top > background))
      throw sp::Failure(CVX_STATUS_BAD_PARAM, "the peak near the seed (" + std::to_string(top) +
                                                  ") is not above the background (" + std::to_string(background) + ")");
    // At 100 % the threshold is the peak; rounding must not lift it above the peak's stored value.
    const double lo = std::min((background + fraction * (top - background) - intercept) / slope, peak->value);
    const double hi = std::numeric_limits<double>::infinity();
    std::shared_ptr<cvx::Volume> one;
#if CVX_SEG_WITH_CUDA
    if (run.onCuda()) {
      const std::vector<cvx::cuda::seg::Seed> at = {{peak->at.x, peak->at.y, peak->at.z}};
      one = sp::onDevice(run, [&] { return cvx::cuda::seg::connectedThreshold(*input, at, lo, hi, connectivity); });
    }
#endif
    if (!one)
      one = sp::bridged(run, [&](cvx::Progress* p) {
        return cvx::seg::connectedThreshold(*input, {peak->at}, lo, hi, connectivity, 0, p);
      });
    if (!labels) {
      labels = one;
      continue;
    }
    uint8_t* a = labels->as<uint8_t>();
    const uint8_t* b = one->as<uint8_t>();
    for (int64_t k = 0, n = labels->voxelCount(); k < n; ++k) a[k] |= b[k];
  }
  sp::writeLabels(run, *labels);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, lesion); }

constexpr const char* kBackgroundFrom[] = {"value", "surroundings"};
const CvxParamSpec kParams[] = {
    {"seeds", "Seeds", CVX_PARAM_SEEDS, CVX_PARAM_REQUIRED, 0, 0, 0, "", nullptr, 0,
     "Voxels (i, j, k) on or near the lesion; its peak is the hottest voxel within search_mm."},
    {"fraction", "Fraction", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 41, 1, 100, "%", nullptr, 0,
     "The threshold as a percentage of the peak above the background (EANM: 41 % of SUVmax)."},
    {"search_mm", "Search radius", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 10, 0, 50, "mm", nullptr,
     0, "The peak is the hottest voxel within this distance of the seed (0: the seed itself)."},
    {"background_from", "Background from", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kBackgroundFrom, 2,
     "value: the Background field; surroundings: the median uptake of the shell 10 mm thick from shell_mm about "
     "the peak."},
    {"background", "Background", CVX_PARAM_FLOAT, 0, 0, 0, 0, "series", nullptr, 0,
     "With background from value: the uptake subtracted before taking the percentage (0: a fixed fraction of the "
     "peak)."},
    {"shell_mm", "Shell radius", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 20, 0, 100, "mm", nullptr, 0,
     "With background from the surroundings: the shell's inner radius about the peak (it ends 10 mm further)."},
    sp::connectivityParam(1),
};

}  // namespace

CVX_SEG_PLUGIN("lesion", "Lesion (% of peak)", "1.0.0", kParams, segment)
