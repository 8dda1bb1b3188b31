// SPDX-License-Identifier: MIT
// Private to the measurement units: JSON of measurements, edits and results (the session file, the
// journal and the export share it), and the one atomic file write they use.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include <cvx/core/error.h>
#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/measure_model.h>

namespace cvx::view::detail {

using Json = nlohmann::json;

Json toJson(const Measurement& m);
// "measure.bad_json" naming the field that is missing or of the wrong type; the shape is validated.
Result<Measurement> measurementFromJson(const Json& j);

Json toJson(const MeasureJournalEntry& e);  // one journal line: {"v":1,"op":...,"id":...,"before":...,"after":...}
Result<MeasureJournalEntry> journalEntryFromJson(const Json& j);

Json toJson(const RoiStats& s);  // NaN as null
Json toJson(const MeasureResult& r);

// Writes data to "<path>.tmp-<pid>", flushes it to disk and renames it over path (no partial file
// is ever seen at path); `code` with the path and the reason on failure.
Status writeFileAtomic(const std::string& path, const std::string& data, const std::string& code);

}  // namespace cvx::view::detail
