// The study being viewed: scans and plans a path on a worker thread, then loads one series in the
// background (io::startLoad) and reports progress and newly ready slices on the GUI thread.
#pragma once
#include <memory>
#include <thread>
#include <vector>

#include <QObject>
#include <QString>
#include <QTimer>

#include <cvx/io/dicom.h>

namespace cvx::viewer {

class StudyModel : public QObject {
  Q_OBJECT
 public:
  explicit StudyModel(QObject* parent = nullptr);
  ~StudyModel() override;

  // Scans path in the background; emits opened() when the series list is known.
  void open(const QString& path);
  const std::vector<io::SeriesPlan>& series() const { return plans_; }
  // The series a viewer shows first: the first CT, else the one with the most slices.
  int preferredSeries() const;
  // Starts loading series `index` (cancelling a load in progress).
  void load(int index);
  std::shared_ptr<Volume> volume() const { return volume_; }
  int loadedIndex() const { return loading_; }

 signals:
  void opened(const QString& error);           // empty on success
  void progressChanged(double fraction);
  void slicesReady(qint64 count);              // more slices of volume() are in place
  void loadFinished(const QString& error);     // empty on success

 private:
  void onScanned(std::shared_ptr<io::ScanResult> scan, std::vector<io::SeriesPlan> plans, QString error);
  void poll();
  void stopLoad();

  std::thread scanThread_;
  std::shared_ptr<io::ScanResult> scan_;
  std::vector<io::SeriesPlan> plans_;
  std::shared_ptr<io::LoadJob> job_;
  std::shared_ptr<Volume> volume_;
  int loading_ = -1;
  int64_t lastReady_ = 0;
  QTimer timer_;
};

}  // namespace cvx::viewer
