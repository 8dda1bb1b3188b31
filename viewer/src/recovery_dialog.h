// SPDX-License-Identifier: MIT
// Segmentation edits left by a crash on series that are not open (issue 12): after a kill -9 the
// next start lists them in one dialog, whatever series it opens (or none). Each row is one series:
// its patient, study date, description and modality (from the study database), its segments and
// when its journal was last written (SegJournal::peek: no layer decoded). "Open and recover" opens
// the series from the study database and recovers its journals; "Later" leaves them pending (the
// per-series question still comes when the series is opened); "Discard..." removes their files
// after a confirmation. A series the database does not know, or whose files are gone, says so and
// can only be discarded or left; so can an unreadable journal (its seg.journal_* code shown). A
// journal of another format version (seg.journal_version: a newer CineVox wrote it, and can recover
// it) can only be left: discarding it here would destroy edits that one could give back.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <QDialog>
#include <QString>
#include <QStringList>

#include <cvx/core/error.h>
#include <cvx/viewstate/seg_journal.h>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace cvx::studydb {
class StudyDatabase;
}

namespace cvx::viewer {

// The pending journals of one series (or one unreadable journal, alone in its row).
struct PendingSeries {
  std::string seriesUid;              // the journals' SeriesInstanceUID; empty when none or unreadable
  std::vector<std::string> journals;  // its files, oldest first
  bool readable = false;              // SegJournal::peek read them
  bool keepOnly = false;              // seg.journal_version: another CineVox's, never discarded here
  QStringList segments;               // the segments' names, every journal's
  QString dims;                       // the grid, "512 x 512 x 4"
  int64_t modifiedMs = 0;             // the newest journal's last write (ms since the Unix epoch)
  QString patient, patientId, studyDate, description, modality;  // from the study database
  QString seriesKey;                  // the database's key to open it; empty: it cannot be opened
  QString problem;                    // why not ("code: message"), else empty
};

// SegJournal::peek's answers, each kept while its file keeps its size and last write: a window
// lists the pending journals on every series load (MainWindow::offerRecovery), and peek reads a
// journal whole (every record's frame: megabytes after a long session), while a pending journal,
// one no live session holds, does not change. An answer is read again once its file has changed.
class JournalPeeks {
 public:
  const Result<view::JournalSummary>& peek(const std::string& path);
  // Forgets the files not in `paths` (discarded, recovered).
  void keepOnly(const std::vector<std::string>& paths);
  int reads() const { return reads_; }  // the files read so far (tests)

 private:
  struct Entry {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type written;
    Result<view::JournalSummary> summary;
  };
  std::map<std::string, Entry> entries_;
  int reads_ = 0;
};

// Groups journals (SegJournal::pending's, oldest first) by series, each read with SegJournal::peek
// (through `peeks` when given). A journal peek cannot read gets a row of its own with the error
// (keepOnly for seg.journal_version); one that names no series gets seg.journal_no_series.
std::vector<PendingSeries> pendingSeries(const std::vector<std::string>& journals, JournalPeeks* peeks = nullptr);
// Looks each row's series up in db (null: no database): patient, study, description and files
// (checked now); studydb.not_found or studydb.files_missing in `problem` when it cannot be opened.
void describeFromDatabase(std::vector<PendingSeries>& rows, studydb::StudyDatabase* db);

class RecoveryDialog : public QDialog {
  Q_OBJECT
 public:
  // hidePatient: the window's "Hide patient" is on (names and IDs are not shown).
  RecoveryDialog(std::vector<PendingSeries> rows, bool hidePatient, QWidget* parent = nullptr);
  // After "Open and recover" (exec() returns Accepted): the series chosen; null otherwise.
  const PendingSeries* chosen() const { return chosen_ < 0 ? nullptr : &rows_[static_cast<size_t>(chosen_)]; }
  const std::vector<PendingSeries>& rows() const { return rows_; }

 private:
  void fill();
  void sync();            // the buttons follow the selection
  void discardSelected();  // after a confirmation; never with a keepOnly row selected
  std::vector<int> selectedRows() const;
  bool keepOnlySelected() const;  // a selected row is keepOnly

  std::vector<PendingSeries> rows_;
  bool hidePatient_ = false;
  QTreeWidget* list_ = nullptr;
  QPushButton* open_ = nullptr;
  QPushButton* discard_ = nullptr;
  QLabel* message_ = nullptr;
  int chosen_ = -1;
};

}  // namespace cvx::viewer
