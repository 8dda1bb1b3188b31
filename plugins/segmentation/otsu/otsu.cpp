// SPDX-License-Identifier: MIT
// The Otsu plugin: (multi-)Otsu classes of the series (cvx::seg::multiOtsu on the host's buffer,
// without a copy; histogram rule hd::binOf), classes numbered 0 (darkest, in the series' units)
// to classes - 1 (brightest); label 1 where a voxel's class >= from_class (0: the brightest class
// alone, classes - 1). With a negative rescale slope the stored order is the reverse of the
// series' order, and the classes are renumbered so that "brightest" keeps its meaning.
#include <string>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/segment.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

void otsu(cvx::plugin::SegmentRun& run) {
  const int classes = static_cast<int>(run.number("classes"));
  int from = static_cast<int>(run.number("from_class"));
  if (from == 0) from = classes - 1;
  if (from >= classes)
    throw sp::Failure(CVX_STATUS_BAD_PARAM, "from_class " + std::to_string(from) + " is not below classes (" +
                                                std::to_string(classes) + ")");
  const int bins = static_cast<int>(run.number("bins"));
  sp::storedRange(run, 0, 0);  // checks the slope
  const bool reversed = run.input().valueSlope < 0;
  const auto input = sp::borrowInput(run);
  const auto onCpu = [&] {
    return sp::bridged(run, [&](cvx::Progress* p) { return cvx::seg::multiOtsu(*input, classes, bins, 0, p); })
        .labels;
  };
#if CVX_SEG_WITH_CUDA
  const auto labels = run.onCuda()
                          ? sp::onDevice(run, [&] { return cvx::cuda::seg::multiOtsu(*input, classes, bins); }).labels
                          : onCpu();
#else
  const auto labels = onCpu();
#endif
  const uint8_t* c = labels->as<uint8_t>();
  uint8_t* out = run.labels();
  const int64_t n = run.voxelCount();
  for (int64_t i = 0; i < n; ++i) {
    const int k = reversed ? classes - 1 - c[i] : c[i];
    out[i] = k >= from ? 1 : 0;
  }
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, otsu); }

const CvxParamSpec kParams[] = {
    {"classes", "Classes", CVX_PARAM_INT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 2, 2, 8, "", nullptr, 0,
     "Number of classes (2: Otsu; 3 to 8: multi-Otsu)."},
    {"from_class", "Inside from class", CVX_PARAM_INT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 0, 0, 7, "",
     nullptr, 0,
     "Voxels of this class and brighter ones are inside (classes 0 = darkest .. classes-1); 0: the brightest "
     "class."},
    {"bins", "Histogram bins", CVX_PARAM_INT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 0, 0, 65536, "", nullptr,
     0, "0: one bin per stored value for integer types, 256 for float."},
};

}  // namespace

CVX_SEG_PLUGIN("otsu", "Otsu", "1.0.0", kParams, segment)
