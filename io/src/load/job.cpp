// Loading a planned series: decode straight into a new volume, in parallel, slice order first,
// in the background with progress and cancel.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include <cvx/core/log.h>
#include <cvx/core/thread_pool.h>

#include "load/internal.h"

namespace cvx::io {
namespace {

struct FileJob {
  uint32_t file = 0;
  std::vector<size_t> slices;  // indices into plan.slices
};

// One job per file, in the order of the first slice each file feeds (so slice 0 comes first), or,
// with a first slice, nearest that slice first (its file, then outwards; ties: the lower slice).
std::vector<FileJob> jobsByFile(const SeriesPlan& plan, int64_t firstSlice) {
  std::map<uint32_t, size_t> index;
  std::vector<FileJob> jobs;
  for (size_t i = 0; i < plan.slices.size(); ++i) {
    const uint32_t f = plan.slices[i].file;
    auto [it, inserted] = index.emplace(f, jobs.size());
    if (inserted) jobs.push_back({f, {}});
    jobs[it->second].slices.push_back(i);
  }
  if (firstSlice >= 0) {
    auto distance = [firstSlice](const FileJob& j) {
      int64_t d = INT64_MAX;
      for (size_t s : j.slices) d = std::min(d, std::abs(static_cast<int64_t>(s) - firstSlice));
      return d;
    };
    std::stable_sort(jobs.begin(), jobs.end(), [&](const FileJob& a, const FileJob& b) { return distance(a) < distance(b); });
  }
  return jobs;
}

class Job final : public LoadJob {
 public:
  // progress: the caller's (loadSeries), else the job's own.
  Job(std::shared_ptr<const ScanResult> scan, SeriesPlan plan, LoadOptions options, std::shared_ptr<Volume> vol,
      Progress* progress)
      : scan_(std::move(scan)), plan_(std::move(plan)), options_(std::move(options)), vol_(std::move(vol)),
        progress_(progress ? progress : &ownProgress_) {}
  void setSourceSize(int64_t cols, int64_t rows) {
    srcCols_ = cols;
    srcRows_ = rows;
  }
  ~Job() override {
    cancel();
    if (thread_.joinable()) thread_.join();
  }
  void start() { thread_ = std::thread([this] { runSafely(); }); }
  std::shared_ptr<Volume> volume() const override { return vol_; }
  Progress& progress() override { return *progress_; }
  void cancel() override { progress_->cancel(); }
  bool done() const override { return done_.load(); }
  Status wait() override {
    std::call_once(joined_, [this] { thread_.join(); });
    return result_;
  }
  const LoadReport& report() override {
    (void)wait();
    return report_;
  }

 private:
  void runSafely();
  void run();
  void blankTheRest();
  std::shared_ptr<const ScanResult> scan_;
  SeriesPlan plan_;
  LoadOptions options_;
  std::shared_ptr<Volume> vol_;
  int64_t srcCols_ = 0, srcRows_ = 0;  // the slice size before an in-plane reduction
  Progress ownProgress_;
  Progress* progress_;
  std::atomic<bool> done_{false};
  Status result_;
  LoadReport report_;
  std::once_flag joined_;
  std::thread thread_;
};

// No exception leaves the job thread: it becomes the load's error.
void Job::runSafely() {
  try {
    run();
  } catch (const std::exception& e) {
    result_ = makeError("io.load_failed", std::string("load raised: ") + e.what(), plan_.id);
  } catch (...) {
    result_ = makeError("io.load_failed", "load raised an unknown exception", plan_.id);
  }
  blankTheRest();
  done_.store(true);
}

// Every slice not in place (cancelled, failed, never reached) is zeroed and listed, so that a
// recycled buffer never shows another volume's voxels.
void Job::blankTheRest() {
  const int64_t n = vol_->dims()[2] * vol_->dims()[3];
  for (int64_t i = 0; i < n; ++i) {
    if (vol_->sliceReady(i)) continue;
    std::memset(vol_->slice(i % vol_->dims()[2], i / vol_->dims()[2]), 0, vol_->sliceBytes());
    report_.blankSlices.push_back(i);
  }
}

void Job::run() {
  detail::StagingPlan staging(plan_, *vol_, options_.onSliceReady, options_.reduce.inPlane, srcCols_, srcRows_);
  const auto jobs = jobsByFile(plan_, options_.firstSlice);
  progress_->setTotal(static_cast<int64_t>(plan_.slices.size()));
  std::unique_ptr<ThreadPool> own;
  if (options_.threads) own = std::make_unique<ThreadPool>(options_.threads);
  ThreadPool& pool = own ? *own : ThreadPool::global();
  std::mutex errMutex;
  std::vector<std::pair<size_t, Error>> errors;  // job index, its error
  const Status ran = pool.parallelFor(static_cast<int64_t>(jobs.size()), [&](int64_t j) {
    if (progress_->cancelled()) return;
    const FileJob& job = jobs[static_cast<size_t>(j)];
    Status st = staging.decodeFile(scan_->files[job.file], job.slices);
    if (!st) {
      std::lock_guard lock(errMutex);
      errors.emplace_back(static_cast<size_t>(j), st.error());
    }
    progress_->add(static_cast<int64_t>(job.slices.size()));
  });
  // A file that fails to decode leaves its slices blank (zero) and is reported; the rest loads.
  std::sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [j, e] : errors) {
    const std::string& path = scan_->files[jobs[j].file].path;
    report_.warnings.push_back({e.code, e.message + "; " + std::to_string(jobs[j].slices.size()) +
                                            " slice(s) left blank", path});
    log::warn("slice left blank: " + e.str());
  }
  if (!ran) {
    result_ = ran.error();  // a worker raised: the files it skipped stay blank
  } else if (progress_->cancelled()) {
    result_ = makeError("io.cancelled", "load cancelled", plan_.id);
  } else if (!errors.empty() && errors.size() == jobs.size()) {
    result_ = errors.front().second;
  } else {
    staging.finish();
  }
}

Result<std::shared_ptr<Job>> startJob(std::shared_ptr<const ScanResult> scan, const SeriesPlan& plan,
                                      const LoadOptions& options, Progress* progress) {
  if (!scan) return makeError("series.bad_plan", "no scan to load from", plan.id);
  if (plan.slices.empty()) return makeError("series.empty", "series has no slices", plan.id);
  for (const auto& s : plan.slices)
    if (s.file >= scan->files.size()) return makeError("series.bad_plan", "plan refers to a missing file", plan.id);
  // Over the memory budget: refused here, before the volume is allocated (budget.cpp).
  auto reduced = reducedPlan(plan, options.reduce);
  if (!reduced) return reduced.error();
  if (Status st = detail::checkBudget(plan, options); !st) return st.error();
  // The decoder writes every slice it loads; the job zeroes the rest when it ends, so a recycled
  // buffer need not be cleared first.
  auto created = Volume::create(reduced->type, reduced->dims, VoxelInit::Uninitialized);
  if (!created) return created.error();
  std::shared_ptr<Volume> vol = std::move(created.value());
  vol->geometry = reduced->geometry;
  vol->timesMs = reduced->timesMs;
  vol->info = reduced->info;
  auto job = std::make_shared<Job>(std::move(scan), std::move(reduced.value()), options, vol, progress);
  job->setSourceSize(plan.dims[0], plan.dims[1]);
  job->start();
  return job;
}

}  // namespace

Result<std::shared_ptr<LoadJob>> startLoad(std::shared_ptr<const ScanResult> scan, const SeriesPlan& plan,
                                           const LoadOptions& options) {
  auto job = startJob(std::move(scan), plan, options, nullptr);
  if (!job) return job.error();
  return std::shared_ptr<LoadJob>(job.value());
}

Result<std::shared_ptr<Volume>> loadSeries(const ScanResult& scan, const SeriesPlan& plan, const LoadOptions& options,
                                           Progress* progress, LoadReport* report) {
  // Synchronous: the scan outlives the job here, so the job borrows it (no copy, no owner).
  std::shared_ptr<const ScanResult> borrowed(std::shared_ptr<const ScanResult>{}, &scan);
  // The job reports into the caller's Progress directly (and honours its cancel).
  auto job = startJob(std::move(borrowed), plan, options, progress);
  if (!job) return job.error();
  Status st = (*job)->wait();
  if (report) *report = (*job)->report();
  if (!st) return st.error();
  return (*job)->volume();
}

}  // namespace cvx::io
