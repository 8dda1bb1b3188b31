// SPDX-License-Identifier: MIT
// Importing a folder, file or DICOMDIR into the study database by reference: headers are scanned
// (io::scan), planned into series (io::planSeries), each series gets a thumbnail and its rows;
// files stay where they are. Re-importing updates (patients, studies and series are keyed by their
// IDs and UIDs; a series' instance list is replaced), never duplicates.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <cvx/core/error.h>
#include <cvx/core/progress.h>
#include <cvx/io/dicom.h>

namespace cvx::studydb {

struct ImportOptions {
  int thumbnailSize = 96;   // 0: no thumbnails
  int batchSeries = 4;      // series per transaction and per onBatch call
  Progress* progress = nullptr;  // files scanned, then series written (total = files + series); cancel
  // Called on the importing thread after each committed batch with the keys written.
  std::function<void(const QStringList& keys)> onBatch;
};

struct ImportSummary {
  QString root;             // the absolute path imported (recorded in roots.json)
  int series = 0, files = 0;
  std::vector<Diagnostic> skipped;   // files that are not images, as io reports them
  std::vector<Diagnostic> warnings;  // thumbnails that failed, DICOMDIR entries missing, ...
};

// Imports `path` into the database of `dataDir` on the calling thread (its own connection; open()
// must have checked the database before). Errors: io.not_found and the scan's errors,
// studydb.cancelled (the batches committed before stay), studydb.query_failed / studydb.locked.
Result<ImportSummary> importPath(const QString& dataDir, const QString& path, const ImportOptions& options = {});

// Writes the records of planned series (and their thumbnails, PNG, one per plan or none) as an
// import does, in one transaction, without scanning or drawing: for tools and benchmarks that make
// records. `root` is what the series say they came from.
Status writeSeries(const QString& dataDir, const io::ScanResult& scan, const std::vector<io::SeriesPlan>& plans,
                   const QString& root, const std::vector<QByteArray>& thumbnails = {});

// Imports in the background, one path after another, on a worker thread. Signals arrive on the
// thread that owns the Importer (queued).
class Importer : public QObject {
  Q_OBJECT
 public:
  explicit Importer(QString dataDir, QObject* parent = nullptr);
  ~Importer() override;  // cancels and waits

  // Queues paths (each a folder, a file or a DICOMDIR); starts the worker if idle.
  void start(const QStringList& paths);
  void cancel();            // the current path and the queued ones
  bool busy() const;
  // Blocks until idle (tests, shutdown); false on timeout. Delivers no signals itself.
  bool wait(int timeoutMs = -1);
  void setThumbnailSize(int size) { thumbnailSize_ = size; }

 signals:
  void progress(qint64 done, qint64 total, const QString& path);
  void seriesImported(const QStringList& keys);  // per committed batch: the browser adds them
  // Per path: code empty on success, else the error's code and message.
  void pathFinished(const QString& path, const QString& code, const QString& message, int seriesCount);
  void finished(bool cancelled);  // the queue is empty

 private:
  void run();
  void poll();

  QString dataDir_;
  int thumbnailSize_ = 96;
  std::thread worker_;
  mutable std::mutex mutex_;
  QStringList queue_;
  QString current_;
  std::shared_ptr<Progress> progress_;
  std::atomic<bool> cancelAll_{false};
  std::atomic<bool> running_{false};
  QTimer timer_;
};

}  // namespace cvx::studydb
