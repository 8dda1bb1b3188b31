// SPDX-License-Identifier: MIT
#include "study_model.h"

#include <algorithm>
#include <cmath>

#include <QMetaObject>

#include <cvx/studydb/series_load.h>

namespace cvx::viewer {

StudyModel::StudyModel(QObject* parent) : QObject(parent) {
  timer_.setInterval(30);
  connect(&timer_, &QTimer::timeout, this, &StudyModel::poll);
}

StudyModel::~StudyModel() {
  stopAll();
  if (scanThread_.joinable()) scanThread_.join();
}

void StudyModel::open(const QString& path) {
  const std::string p = path.toStdString();
  startScan([p] { return io::scan(p); });
}

void StudyModel::openFiles(const QStringList& files) {
  startScan([files] {
    // The study database's reader: the headers of the listed files, in parallel (the one reader
    // of database series; a file gone since import is skipped). Every series among them is planned.
    studydb::SeriesFiles list;
    list.files = files;
    auto read = studydb::planSeriesFiles(list);
    if (!read.ok()) return Result<io::ScanResult>(read.error());
    return Result<io::ScanResult>(*read.value().scan);
  });
}

void StudyModel::startScan(std::function<Result<io::ScanResult>()> scanner) {
  stopAll();
  if (scanThread_.joinable()) scanThread_.join();
  scanThread_ = std::thread([this, scanner = std::move(scanner)] {
    std::shared_ptr<io::ScanResult> scan;
    std::vector<io::SeriesPlan> plans;
    QString error;
    // Nothing escapes this thread (an exception here would end the application): e.g. bad_alloc.
    try {
      auto scanned = scanner();
      if (scanned.ok()) {
        scan = std::make_shared<io::ScanResult>(std::move(scanned.value()));
        plans = io::planSeries(*scan).series;
        if (plans.empty()) error = "series.none: no image series found";
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
  reductions_.clear();
  scan_ = std::move(scan);
  plans_ = std::move(plans);
  emit opened(error);
}

int StudyModel::preferredSeries() const {
  if (const int ct = seriesOf("CT"); ct >= 0) return ct;
  int best = -1;
  int64_t most = -1;
  for (int i = 0; i < static_cast<int>(plans_.size()); ++i) {
    const auto& d = plans_[static_cast<size_t>(i)].dims;
    if (d[2] * d[3] > most) most = d[2] * d[3], best = i;
  }
  return best;
}

int StudyModel::seriesOf(const std::string& modality, const std::string& frame) const {
  int first = -1;
  for (int i = 0; i < static_cast<int>(plans_.size()); ++i) {
    const auto& info = plans_[static_cast<size_t>(i)].info;
    if (info.modality != modality) continue;
    if (frame.empty() || info.frameOfReferenceUid == frame) return i;
    if (first < 0) first = i;
  }
  return first;
}

void StudyModel::stopAll() {
  timer_.stop();
  for (auto& [index, l] : loads_)
    if (l.job) {
      l.job->cancel();
      (void)l.job->wait();
    }
  loads_.clear();
}

void StudyModel::keepOnly(const std::vector<int>& keep) {
  for (auto it = loads_.begin(); it != loads_.end();) {
    if (std::find(keep.begin(), keep.end(), it->first) != keep.end()) {
      ++it;
      continue;
    }
    if (it->second.job) {
      it->second.job->cancel();
      (void)it->second.job->wait();
    }
    it = loads_.erase(it);
  }
}

bool StudyModel::loading() const {
  for (const auto& [index, l] : loads_)
    if (l.job) return true;
  return false;
}

io::Reduction StudyModel::reduction(int index) const {
  const auto it = reductions_.find(index);
  return it == reductions_.end() ? io::Reduction{} : it->second;
}

std::shared_ptr<Volume> StudyModel::volume(int index) const {
  const auto it = loads_.find(index);
  return it == loads_.end() ? nullptr : it->second.volume;
}

std::shared_ptr<Volume> StudyModel::load(int index) {
  if (!scan_ || index < 0 || index >= static_cast<int>(plans_.size())) return nullptr;
  if (const auto it = loads_.find(index); it != loads_.end()) return it->second.volume;
  io::LoadOptions options;
  options.memoryBudgetBytes = budget_;
  options.reduce = reduction(index);
  // The axial view opens on the voxel nearest the middle (ViewerState::addLayer): decode from there.
  const auto loaded = io::reducedPlan(plans_[static_cast<size_t>(index)], options.reduce);
  if (loaded.ok()) options.firstSlice = std::llround((loaded.value().dims[2] - 1) / 2.0);
  auto job = io::startLoad(scan_, plans_[static_cast<size_t>(index)], options);
  if (!job.ok()) {
    const QString error = QString::fromStdString(job.error().str());
    QMetaObject::invokeMethod(this, [this, index, error] { emit loadFinished(index, error); }, Qt::QueuedConnection);
    return nullptr;
  }
  Load l;
  l.job = job.value();
  l.volume = l.job->volume();
  loads_[index] = l;
  timer_.start();
  return l.volume;
}

void StudyModel::poll() {
  double done = 0;
  int running = 0;
  // Signals go out after the walk: a slot may start or drop loads.
  std::vector<std::pair<int, int64_t>> ready;
  std::vector<std::pair<int, QString>> finished;
  for (auto& [index, l] : loads_) {
    if (!l.job) continue;
    ++running;
    done += l.job->progress().fraction();
    const bool ended = l.job->done();
    const int64_t now = l.volume ? l.volume->slicesReady() : 0;
    if (now != l.lastReady || ended) ready.emplace_back(index, now);
    l.lastReady = now;
    if (!ended) continue;
    const Status status = l.job->wait();
    l.job.reset();
    finished.emplace_back(index, status.ok() ? QString() : QString::fromStdString(status.error().str()));
  }
  emit progressChanged(running ? done / running : 1.0);
  if (!loading()) timer_.stop();
  for (const auto& [index, count] : ready) emit slicesReady(index, count);
  for (const auto& [index, error] : finished) emit loadFinished(index, error);
}

}  // namespace cvx::viewer
