// SPDX-License-Identifier: MIT
// The study browser: a patient > study > series tree over the study database (cvx::studydb) with
// thumbnails, modality, date, image count and missing-file state; a search line (name, ID, date,
// modality: studydb::parseSearch); "Open folder / file / DICOMDIR" buttons that emit a request (the
// window shows the dialog and calls importPaths); drag and drop of folders and files imports them;
// recent studies. Imports run in the background (progress, cancel) and the tree fills as series
// are committed. A thin widget: the data and the rules are cvx::studydb's.
//
// Child objectNames for tests: browserSearch (QLineEdit), browserTree (QTreeView), browserRecent
// (QListWidget), browserOpenFolder / browserOpenFile / browserOpenDicomdir (QToolButton),
// browserProgress (QProgressBar), browserCancel (QToolButton), browserMessage (QLabel).
#pragma once
#include <atomic>
#include <memory>
#include <thread>

#include <QStringList>
#include <QWidget>

#include <cvx/core/error.h>
#include <cvx/studydb/database.h>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QTimer;
class QToolButton;
class QTreeView;

namespace cvx::studydb {
class Importer;
class StudyTreeModel;
}  // namespace cvx::studydb

namespace cvx::viewer {

class StudyBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit StudyBrowser(QWidget* parent = nullptr);
  ~StudyBrowser() override;  // cancels imports and the file check, and waits for them

  // Opens (creates, or rebuilds) the database; default: the user's data folder. What open() had to
  // do is shown in browserMessage and emitted as message(); roots a rebuild needs are imported
  // again in the background, and a cheap missing-file check runs in the background.
  Status openDatabase(const studydb::OpenOptions& options = {});
  studydb::StudyDatabase* database() const { return db_.get(); }
  studydb::StudyTreeModel* model() const { return model_; }

  // What the viewer needs to open a series (its files, checked now; which are missing), and the
  // study is remembered as recent. studydb.not_found for an unknown key. Then
  // studydb::planSeriesFiles (cvx/studydb/series_load.h) reads and plans them for io::startLoad.
  Result<studydb::SeriesFiles> filesOf(const QString& seriesKey);

  bool importing() const;

 public slots:
  // Imports folders, files or DICOMDIRs by reference, in the background (queued after any running).
  void importPaths(const QStringList& paths);
  void cancelImport();
  void setSearchText(const QString& text);  // as if typed into browserSearch (applied at once)
  void checkFiles();                        // the cheap missing-file check, in the background
  void refreshRecent();

 signals:
  void seriesActivated(const QString& seriesKey);  // double-click / Enter on a series, or a recent study
  void openFolderRequested();
  void openFileRequested();
  void openDicomdirRequested();
  void importProgress(qint64 done, qint64 total);
  void importFinished(bool cancelled);
  void seriesImported(const QStringList& keys);
  void message(const QString& code, const QString& text);  // open/rebuild/import problems

 protected:
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void buildUi();
  void showMessage(const QString& code, const QString& text);
  void onActivated(const QModelIndex& index);
  void onRecentActivated(QListWidgetItem* item);
  void stopCheck();

  std::unique_ptr<studydb::StudyDatabase> db_;
  studydb::StudyTreeModel* model_ = nullptr;
  studydb::Importer* importer_ = nullptr;
  QLineEdit* search_ = nullptr;
  QTreeView* tree_ = nullptr;
  QListWidget* recent_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QToolButton* cancel_ = nullptr;
  QLabel* message_ = nullptr;
  QTimer* searchTimer_ = nullptr;
  std::thread check_;
  std::atomic<bool> checkCancel_{false};
};

}  // namespace cvx::viewer
