// SPDX-License-Identifier: MIT
// The rows of the study database as the browser and the viewer see them, and the search query.
#pragma once
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace cvx::studydb {

struct PatientRow {
  qint64 id = 0;               // database row id (stable while the database lives, not across a rebuild)
  QString name, patientId, birthDate;  // as in the files (PatientName with its ^ separators)
  int studyCount = 0;
};

struct StudyRow {
  qint64 id = 0;
  qint64 patientRef = 0;
  QString studyUid, date, time, description, accession;  // date: YYYYMMDD as in the file
  int seriesCount = 0;
  QString patientName;         // the patient's, for lists outside the tree (recent studies)
  QString modalities;          // the distinct modalities of its series, space-separated, sorted
  int imageCount = 0;          // images of all its series
  QString openedSeries;        // the series key last opened in it (recent studies), else empty
};

// A series is missing when files it was imported from are gone (moved or deleted since import).
enum class FilesState { Unknown, Present, Partial, Missing };

struct SeriesRow {
  qint64 id = 0;
  qint64 studyRef = 0;
  QString key;                 // io::SeriesPlan::id: SeriesInstanceUID (".<n>" when split); the stable key
  QString seriesUid, modality, description, root;  // root: the imported path it came from
  int number = 0;
  int imageCount = 0;          // slices x phases of the planned volume
  int fileCount = 0;           // distinct instance files
  int missingCount = 0;        // files found missing at the last check
  FilesState state = FilesState::Unknown;
  QString studyDate;           // the study's date (YYYYMMDD), for display
};

// What the viewer needs to open a series: its instance files (slice order, each once), to scan and
// plan, and which of them are gone.
struct SeriesFiles {
  QString key;
  QStringList files;           // every file the series was imported from
  QStringList missing;         // those that no longer exist (checked now, on this call)
};

// A browser search. Every non-empty field must match; a study/patient is shown when one of its
// series matches.
struct SearchQuery {
  QString text;                // words, each a substring of the patient's name or ID (case-insensitive)
  QString modality;            // exact, e.g. "CT" (case-insensitive)
  QString dateFrom, dateTo;    // YYYYMMDD, inclusive; either may be empty
  bool empty() const { return text.isEmpty() && modality.isEmpty() && dateFrom.isEmpty() && dateTo.isEmpty(); }
};

// Parses the search line: whitespace-separated terms; a DICOM modality code (CT, MR, PT, ...) is
// the modality, a date (YYYYMMDD or YYYY-MM-DD) or a range (A-B, A.., ..B with either form) is the
// date, everything else is text matched against the name or ID. Prefixes force a field:
// "mod:", "date:", "name:" / "id:" (text).
SearchQuery parseSearch(const QString& line);

}  // namespace cvx::studydb
