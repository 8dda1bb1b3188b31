// SPDX-License-Identifier: MIT
// A viewing session's measurements on disk, in the user's data folder only (docs/measurements.md):
//
//   <folder>/<key>.measurements.json     the snapshot: {"format": "cinevox.measurements",
//                                        "version": 1, "key", "nextId", "measurements": [...]}
//   <folder>/<key>.measurements.journal  one JSON line per change since the snapshot, written and
//                                        flushed to disk (fdatasync) before the change is applied
//
// open() loads the snapshot, replays the journal onto it (a crash loses no edit that returned) and
// compacts when the journal held anything; save() writes the snapshot (temporary file, fsync,
// rename) and empties the journal. Journal entries carry the measurement's state after the change,
// so replaying one that the snapshot already holds (a crash between the rename and the truncation)
// changes nothing.
//
// Damage: journal lines that do not parse (a line cut by a crash, garbage) are skipped, the rest
// kept, with warning "measure.journal_corrupt"; a snapshot that does not parse is kept beside as
// "<snapshot>.corrupt" and the session starts from the journal alone, with warning
// "measure.snapshot_corrupt" (one unreadable measurement in it: that one is skipped, same code).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/measure_model.h>

namespace cvx::view {

inline constexpr int kMeasurementsVersion = 1;

class MeasureSession {
 public:
  // folder: the user's data folder for measurements (created if missing; nothing is written
  // outside it). key: the series' SeriesInstanceUID (or the study's): 1 to 128 characters of
  // [A-Za-z0-9._-], else "measure.bad_key". Errors: "measure.unsupported_version" (a snapshot or a
  // journal line from a newer CineVox; both files left untouched), "measure.in_use" (another session holds the journal),
  // "measure.write_failed" (the folder or a file cannot be created, read or written).
  static Result<std::unique_ptr<MeasureSession>> open(const std::string& folder, const std::string& key);
  ~MeasureSession();  // closes the journal without saving: what it holds is replayed next time
  MeasureSession(const MeasureSession&) = delete;
  MeasureSession& operator=(const MeasureSession&) = delete;

  MeasurementSet& measurements() { return set_; }
  const MeasurementSet& measurements() const { return set_; }
  // What open() found damaged (codes above).
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

  // Snapshot and compaction; "measure.write_failed". Edits after a failed save stay journaled.
  Status save();

  const std::string& snapshotPath() const { return snapshot_; }
  const std::string& journalPath() const { return journal_; }

 private:
  MeasureSession() = default;
  Status loadSnapshot();
  Status replayJournal(bool& hadEntries);
  Status append(const MeasureJournalEntry& e);

  MeasurementSet set_;
  std::vector<Diagnostic> warnings_;
  std::string key_, snapshot_, journal_;
  int fd_ = -1;  // the journal, open for appending (and locked) while the session lives
};

}  // namespace cvx::view
