// SPDX-License-Identifier: MIT
// The fill-between-slices plugin: the active segment (manifest "input": "segment") drawn on some
// slices gets the empty slices between them by shape-based interpolation (cvx::seg::
// fillBetweenSlices: signed distance maps of the drawn slices, weighted by place). CPU only: an
// editing step over a few slices' 2D distance maps, milliseconds a slice.
#include <string>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>

namespace {

namespace sp = cvx::seg::plugin;

void fill(cvx::plugin::SegmentRun& run) {
  const std::string across = sp::enumText(run, "axis");
  const int axis = across == "i" ? 0 : across == "j" ? 1 : across == "k" ? 2 : -1;
  const auto mask = sp::borrowMask(run);
  const auto out = sp::bridged(run, [&](cvx::Progress* p) { return cvx::seg::fillBetweenSlices(*mask, axis, p); });
  sp::writeLabels(run, *out);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, fill); }

const char* const kAxes[] = {"auto", "k", "j", "i"};
const CvxParamSpec kParams[] = {
    {"axis", "Across", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kAxes, 4,
     "auto: the grid axis whose drawn slices have gaps; k: the series' slices; j: its rows; i: its columns."},
};

}  // namespace

CVX_SEG_PLUGIN("fill_between_slices", "Fill between slices", "1.0.0", kParams, segment)
