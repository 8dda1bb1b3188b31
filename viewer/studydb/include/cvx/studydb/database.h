// SPDX-License-Identifier: MIT
// The study database: an SQLite file (Qt SQL's driver) in the user's data folder that indexes every
// imported folder (patients, studies, series, instance paths, thumbnails). Files stay where they
// are (import by reference); nothing is written outside the data folder. The database is a cache:
// when it is missing, corrupt, of another schema version or locked beyond a timeout, open() moves
// the bad file aside (kept, with a timestamped name), creates an empty one and lists the imported
// roots (from the side file roots.json) to import again, with a message carrying a code.
// docs/study-database.md has the schema and the rules.
//
// One StudyDatabase is one connection and belongs to the thread that opened it (Qt SQL's rule).
// The background importer opens its own connection to the same file (WAL mode: readers go on).
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include <QString>
#include <QStringList>

#include <cvx/core/error.h>
#include <cvx/studydb/records.h>

namespace cvx::studydb {

inline constexpr int kSchemaVersion = 1;

struct OpenOptions {
  QString dataDir;             // empty: QStandardPaths::AppDataLocation (the app sets its name)
  int lockTimeoutMs = 3000;    // a database locked longer than this is moved aside and rebuilt
};

class StudyDatabase {
 public:
  ~StudyDatabase();
  StudyDatabase(const StudyDatabase&) = delete;
  StudyDatabase& operator=(const StudyDatabase&) = delete;

  // Opens or creates <dataDir>/studies.db. Errors: studydb.no_driver (Qt's SQLite driver missing:
  // Debian package libqt6sql6-sqlite), studydb.open_failed (no data folder, or a fresh file cannot
  // be created either). A bad file is not an error: see messages() and rootsToReimport().
  static Result<std::unique_ptr<StudyDatabase>> open(const OpenOptions& options = {});
  // Another connection to a database that open() has checked, for a worker thread (the importer,
  // the background file check): no checks and no rebuild. Errors as from a query.
  static Result<std::unique_ptr<StudyDatabase>> attach(const QString& dataDir, int lockTimeoutMs = 3000);

  QString dataDir() const;
  QString filePath() const;    // <dataDir>/studies.db
  QString connectionName() const;

  // What open() had to do (studydb.corrupt, studydb.wrong_version, studydb.locked,
  // studydb.roots_unreadable), each with the path of the file moved aside; empty when all was well.
  const std::vector<Diagnostic>& messages() const;
  // The roots recorded in roots.json that the database lost (after a rebuild) and that should be
  // imported again; empty when the database was fine. Hand them to the importer.
  QStringList rootsToReimport() const;
  // Every root ever imported (roots.json), most recent first.
  QStringList importedRoots() const;

  // Browsing (lazy, one level at a time, each one indexed query). offset/limit page the patient list.
  std::vector<PatientRow> patients(const SearchQuery& q = {}, int offset = 0, int limit = -1) const;
  int patientCount(const SearchQuery& q = {}) const;
  std::optional<PatientRow> patient(qint64 id) const;
  std::vector<StudyRow> studies(qint64 patientRef, const SearchQuery& q = {}) const;
  std::vector<SeriesRow> series(qint64 studyRef, const SearchQuery& q = {}) const;
  std::optional<SeriesRow> seriesByKey(const QString& key) const;
  std::optional<StudyRow> studyOf(const QString& seriesKey) const;
  int seriesCount() const;
  QByteArray thumbnailPng(const QString& seriesKey) const;  // empty when none

  // The files of a series, checked now (stat of each file; for one series only). The missing
  // count and state of the series are updated. studydb.not_found when the key is unknown.
  Result<SeriesFiles> seriesFiles(const QString& seriesKey);

  // Cheap missing-file check of everything (run it off the UI thread, on its own connection): one
  // stat per folder; only a folder whose modification time changed since the last check (a file
  // was deleted, moved or added) has its files stat'ed. Returns the keys whose state changed.
  QStringList checkFiles(const std::atomic<bool>* cancel = nullptr);

  // Recent studies: markOpened() when a series is opened; recentStudies() newest first.
  void markOpened(const QString& seriesKey);
  std::vector<StudyRow> recentStudies(int limit = 10) const;

 private:
  struct Impl;
  explicit StudyDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> d_;
};

}  // namespace cvx::studydb
