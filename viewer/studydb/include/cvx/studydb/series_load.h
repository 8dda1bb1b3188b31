// SPDX-License-Identifier: MIT
// From a database series to what io loads: the headers of its files (those still there) read again
// and planned, so that the viewer opens a series from the database without scanning its folder.
#pragma once
#include <memory>

#include <QStringList>

#include <cvx/core/error.h>
#include <cvx/io/dicom.h>
#include <cvx/studydb/records.h>

namespace cvx::studydb {

struct SeriesToLoad {
  std::shared_ptr<const io::ScanResult> scan;  // the headers read (hand it to io::startLoad)
  io::SeriesPlan plan;                         // the plan of the series
  QStringList missing;                         // files of the series that are gone (not read)
};

// Reads the headers of files.files (in parallel on the global pool; the missing ones skipped) and
// plans them: the plan whose id is files.key, else the one whose SeriesInstanceUID is the key's
// (a split series planned alone may lose its ".<n>"), else the one with the most slices.
// Errors: studydb.files_missing (none of the files exists), series.none (no image series among
// them), io.cancelled (progress cancelled).
Result<SeriesToLoad> planSeriesFiles(const SeriesFiles& files, Progress* progress = nullptr);

}  // namespace cvx::studydb
