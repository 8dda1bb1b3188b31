// SPDX-License-Identifier: MIT
// A segment's time-intensity curve over a 4D series (cine MR, dynamic contrast, dynamic PET): its
// statistics (seg_stats.h: mean, SD, min, max of the series' values over its voxels) at every phase,
// with the phase's time. What a reader of a perfusion or a time-activity study plots; the Segments
// dock draws it and exports it as CSV (docs/segmentation.md, "Time-intensity curve"). Qt-free.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/seg_stats.h>

namespace cvx::view {

struct CurvePoint {
  int64_t phase = 0;
  double timeMs = 0;    // Volume::timesMs of the phase; NaN when the series has none
  bool loaded = false;  // every slice of the phase is loaded (else `stats` is not computed)
  SegmentStats stats;   // in the series' modality values (times SegmentCurve::scale: the units shown)
};

struct SegmentCurve {
  std::string name, units;  // the segment's name; the units shown (HU, SUVbw, ...)
  double scale = 1;         // shown value per modality value (DisplayMapping::shownPerValue)
  std::vector<CurvePoint> points;
};

// Segment k of seg over every phase of `image` (seg on image's grid, as segmentStats). Errors: those
// of segmentStats, seg.edit_bad_segment (no segment k).
Result<SegmentCurve> segmentCurve(const Segmentation& seg, size_t k, const Volume& image, std::string units = {},
                                  double scale = 1);

// CSV (RFC 4180, as the other exports): phase (1-based), time_ms, voxels, mean, sd, min, max, units;
// a phase not loaded has its figures empty.
std::string segmentCurveCsv(const SegmentCurve& c);
// Written whole (a temporary file renamed over path); "seg.export_failed".
Status exportSegmentCurveCsv(const std::string& path, const SegmentCurve& c);

}  // namespace cvx::view
