// SPDX-License-Identifier: MIT
// Measurements with their results, for the views and for export as CSV or JSON to a file the user
// chooses (docs/measurements.md lists the columns).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/measure_model.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// The layer a measurement measures: the first layer whose series has its seriesUid; for a
// measurement without one (a volume without a SeriesInstanceUID, e.g. NIfTI) its layer index when
// that layer's series has no UID either; else -1.
int findLayer(const std::vector<Layer>& layers, const Measurement& m);

struct MeasuredRow {
  Measurement measurement;
  std::optional<MeasureResult> result;  // nullopt: see error
  Diagnostic error;                     // "measure.no_layer", or measure()'s error
};

// Every measurement of the set (by id) measured on its layer.
std::vector<MeasuredRow> measureAll(const MeasurementSet& set, const std::vector<Layer>& layers);

// CSV (RFC 4180: comma separated, text quoted when it holds a comma, quote or line break; a header
// line; numbers with up to 10 significant digits; empty where there is no value) and JSON
// ({"format": "cinevox.measurements.export", "version": 1, "measurements": [{measurement fields,
// "result": {...} or "error": {"code", "message"}}]}).
std::string measurementsCsv(const std::vector<MeasuredRow>& rows);
std::string measurementsJson(const std::vector<MeasuredRow>& rows);
// Written whole (temporary file, then renamed over path); "measure.export_failed".
Status exportCsv(const std::string& path, const std::vector<MeasuredRow>& rows);
Status exportJson(const std::string& path, const std::vector<MeasuredRow>& rows);

}  // namespace cvx::view
