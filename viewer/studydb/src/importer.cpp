// SPDX-License-Identifier: MIT
// The background importer: one worker thread runs importPath over a queue of paths; a timer on the
// owner's thread turns the shared Progress into progress() signals.
#include <cvx/studydb/importer.h>

#include <QMetaObject>

#include <chrono>

namespace cvx::studydb {

Importer::Importer(QString dataDir, QObject* parent) : QObject(parent), dataDir_(std::move(dataDir)) {
  timer_.setInterval(100);
  connect(&timer_, &QTimer::timeout, this, &Importer::poll);
}

Importer::~Importer() {
  cancel();
  if (worker_.joinable()) worker_.join();
}

void Importer::start(const QStringList& paths) {
  std::lock_guard lock(mutex_);
  queue_ << paths;
  if (running_.load()) return;
  if (worker_.joinable()) worker_.join();  // the last run has ended (running_ is false)
  cancelAll_ = false;
  running_ = true;
  timer_.start();
  worker_ = std::thread([this] { run(); });
}

void Importer::cancel() {
  std::lock_guard lock(mutex_);
  queue_.clear();
  cancelAll_ = true;
  if (progress_) progress_->cancel();
}

bool Importer::busy() const { return running_.load(); }

bool Importer::wait(int timeoutMs) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (running_.load()) {
    if (timeoutMs >= 0 && std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void Importer::poll() {
  std::shared_ptr<Progress> p;
  QString path;
  {
    std::lock_guard lock(mutex_);
    p = progress_;
    path = current_;
  }
  // Emitted unlocked: a receiver may call start() or cancel().
  if (p) emit progress(p->done(), p->total(), path);
  if (!running_.load()) timer_.stop();
}

void Importer::run() {
  bool cancelled = false;
  for (;;) {
    QString path;
    auto prog = std::make_shared<Progress>();
    {
      std::lock_guard lock(mutex_);
      if (queue_.isEmpty() || cancelAll_.load()) {
        cancelled = cancelAll_.load();
        progress_.reset();
        current_.clear();
        running_ = false;  // under the lock: a start() from now on starts a new worker
        break;
      }
      path = queue_.takeFirst();
      current_ = path;
      progress_ = prog;
    }
    ImportOptions opt;
    opt.thumbnailSize = thumbnailSize_;
    opt.progress = prog.get();
    opt.onBatch = [this](const QStringList& keys) { emit seriesImported(keys); };
    QString code, message;
    int count = 0;
    // Nothing escapes this thread (an exception here would end the application).
    try {
      auto r = importPath(dataDir_, path, opt);
      if (r) count = r->series;
      else code = QString::fromStdString(r.error().code), message = QString::fromStdString(r.error().message);
    } catch (const std::exception& e) {
      code = QStringLiteral("studydb.import_failed");
      message = QString::fromUtf8(e.what());
    }
    emit pathFinished(path, code, message, count);
  }
  emit finished(cancelled);
}

}  // namespace cvx::studydb
