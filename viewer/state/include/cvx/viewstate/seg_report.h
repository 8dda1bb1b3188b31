// SPDX-License-Identifier: MIT
// The segments as a table, for a tumour board or a trial's case form: one row per segment of every
// segmentation of the state, with its series, terms, volume and statistics in the units the window
// shows, and on a PET/CT the PET uptake (pet_stats.h). The Segments dock exports it as CSV
// (docs/segmentation.md, "Segment report"). Qt-free.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>
#include <cvx/viewstate/pet_stats.h>
#include <cvx/viewstate/seg_stats.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// The PET a segment over image layer `own` is read against: the first layer of its frame of
// reference (own first: layersOfFrame) shown in SUVbw with a positive SUV factor; -1 for none.
int petLayerFor(const ViewerState& state, int own);

struct SegmentReportRow {
  int segmentation = -1;  // index into state.segmentations()
  size_t segment = 0;
  std::string segmentationName;  // the file it came from, or "edits"
  Segment meta;
  std::string seriesUid, modality;  // of the series it lies on
  // Over the segment's voxels at the phase the views show, in `units` (stats' series values times
  // `scale`: SUVbw on a PET with SUV inputs).
  std::optional<SegmentStats> stats;
  std::string units;
  double scale = 1;
  std::optional<PetStats> pet;  // on a PET/CT (petLayerFor), when the segment holds uptake
  Diagnostic error;             // what kept stats or pet away (a code), else empty
};

// Every segment of every segmentation, in the dock's order.
std::vector<SegmentReportRow> segmentReport(const ViewerState& state);

// CSV (RFC 4180, as measurementsCsv: a header line, text quoted where needed, numbers with up to 10
// significant digits, empty where there is no value); the columns are in docs/segmentation.md.
std::string segmentReportCsv(const std::vector<SegmentReportRow>& rows);
// Written whole (a temporary file renamed over path); "seg.export_failed".
Status exportSegmentReportCsv(const std::string& path, const std::vector<SegmentReportRow>& rows);

}  // namespace cvx::view
