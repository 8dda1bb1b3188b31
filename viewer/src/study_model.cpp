#include "study_model.h"

#include <QMetaObject>

namespace cvx::viewer {

StudyModel::StudyModel(QObject* parent) : QObject(parent) {
  timer_.setInterval(30);
  connect(&timer_, &QTimer::timeout, this, &StudyModel::poll);
}

StudyModel::~StudyModel() {
  stopLoad();
  if (scanThread_.joinable()) scanThread_.join();
}

void StudyModel::open(const QString& path) {
  stopLoad();
  if (scanThread_.joinable()) scanThread_.join();
  const std::string p = path.toStdString();
  scanThread_ = std::thread([this, p] {
    std::shared_ptr<io::ScanResult> scan;
    std::vector<io::SeriesPlan> plans;
    QString error;
    // Nothing escapes this thread (an exception here would end the application): e.g. bad_alloc.
    try {
      auto scanned = io::scan(p);
      if (scanned.ok()) {
        scan = std::make_shared<io::ScanResult>(std::move(scanned.value()));
        plans = io::planSeries(*scan).series;
        if (plans.empty()) error = "series.none: no image series found in " + QString::fromStdString(p);
      } else {
        error = QString::fromStdString(scanned.error().str());
      }
    } catch (const std::exception& e) {
      scan.reset();
      plans.clear();
      error = QString("io.scan_failed: ") + e.what();
    }
    QMetaObject::invokeMethod(
        this, [this, scan, plans = std::move(plans), error]() mutable { onScanned(scan, std::move(plans), error); },
        Qt::QueuedConnection);
  });
}

void StudyModel::onScanned(std::shared_ptr<io::ScanResult> scan, std::vector<io::SeriesPlan> plans, QString error) {
  scan_ = std::move(scan);
  plans_ = std::move(plans);
  emit opened(error);
}

int StudyModel::preferredSeries() const {
  int best = -1;
  for (int i = 0; i < static_cast<int>(plans_.size()); ++i)
    if (plans_[i].info.modality == "CT") return i;
  int64_t most = -1;
  for (int i = 0; i < static_cast<int>(plans_.size()); ++i) {
    const auto& d = plans_[i].dims;
    if (d[2] * d[3] > most) most = d[2] * d[3], best = i;
  }
  return best;
}

void StudyModel::stopLoad() {
  timer_.stop();
  if (job_) {
    job_->cancel();
    (void)job_->wait();
    job_.reset();
  }
}

void StudyModel::load(int index) {
  stopLoad();
  if (!scan_ || index < 0 || index >= static_cast<int>(plans_.size())) return;
  loading_ = index;
  lastReady_ = 0;
  auto job = io::startLoad(scan_, plans_[index]);
  if (!job.ok()) {
    volume_.reset();
    emit loadFinished(QString::fromStdString(job.error().str()));
    return;
  }
  job_ = job.value();
  volume_ = job_->volume();
  timer_.start();
}

void StudyModel::poll() {
  if (!job_) return;
  emit progressChanged(job_->progress().fraction());
  const int64_t ready = volume_ ? volume_->slicesReady() : 0;
  if (ready != lastReady_) {
    lastReady_ = ready;
    emit slicesReady(ready);
  }
  if (!job_->done()) return;
  timer_.stop();
  const Status status = job_->wait();
  job_.reset();
  emit progressChanged(1.0);
  emit slicesReady(volume_ ? volume_->slicesReady() : 0);
  emit loadFinished(status.ok() ? QString() : QString::fromStdString(status.error().str()));
}

}  // namespace cvx::viewer
