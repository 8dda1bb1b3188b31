// SPDX-License-Identifier: MIT
// The study being viewed: scans and plans a path (or a list of files the study database knows) on
// a worker thread, then loads series in the background (io::startLoad), as many as the layout
// shows (CT and PET side by side), and reports progress and newly ready slices on the GUI thread.
// One copy of each volume: the viewer state's layers share it.
#pragma once
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <cvx/io/dicom.h>

namespace cvx::viewer {

class StudyModel : public QObject {
  Q_OBJECT
 public:
  explicit StudyModel(QObject* parent = nullptr);
  ~StudyModel() override;

  // Scans a folder, file or DICOMDIR in the background; emits opened() when the series are known.
  void open(const QString& path);
  // The same for a list of files (a series from the study database: its instance paths).
  void openFiles(const QStringList& files);
  const std::vector<io::SeriesPlan>& series() const { return plans_; }
  // The series a viewer shows first: the first CT, else the one with the most slices.
  int preferredSeries() const;
  // The first series of `modality`, preferring one in the frame of reference `frame`; -1 if none.
  int seriesOf(const std::string& modality, const std::string& frame = {}) const;
  // Starts loading series `index` unless it is loading or loaded; its volume exists at once and
  // fills in (nullptr when the load cannot start: loadFinished says why).
  std::shared_ptr<Volume> load(int index);
  std::shared_ptr<Volume> volume(int index) const;
  // Cancels and forgets every load not in `keep` (their memory goes once no layer holds them).
  void keepOnly(const std::vector<int>& keep);
  // The memory budget of a load (0: io's default rule) and a series' reduction (the reader asked for
  // a reduced-resolution load after io.over_budget refused it).
  void setMemoryBudget(uint64_t bytes) { budget_ = bytes; }
  uint64_t memoryBudget() const { return budget_; }
  void setReduction(int index, io::Reduction r) { reductions_[index] = r; }
  io::Reduction reduction(int index) const;
  bool loading() const;

 signals:
  void opened(const QString& error);                 // empty on success
  void progressChanged(double fraction);             // over the loads in progress
  void slicesReady(int index, qint64 count);         // more slices of volume(index) are in place
  void loadFinished(int index, const QString& error);  // empty on success

 private:
  struct Load {
    std::shared_ptr<io::LoadJob> job;  // null once finished
    std::shared_ptr<Volume> volume;
    int64_t lastReady = 0;
  };
  void startScan(std::function<Result<io::ScanResult>()> scanner);
  void onScanned(std::shared_ptr<io::ScanResult> scan, std::vector<io::SeriesPlan> plans, QString error);
  void poll();
  void stopAll();

  std::thread scanThread_;
  std::shared_ptr<io::ScanResult> scan_;
  std::vector<io::SeriesPlan> plans_;
  std::map<int, Load> loads_;
  std::map<int, io::Reduction> reductions_;
  uint64_t budget_ = 0;
  QTimer timer_;
};

}  // namespace cvx::viewer
