// loadSeries: decode a planned series straight into a new volume, in parallel, slice order first.
#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

#include <cvx/core/log.h>
#include <cvx/core/thread_pool.h>

#include "decode.h"
#include "load_internal.h"

namespace cvx::io {
namespace {

struct FileJob {
  uint32_t file = 0;
  std::vector<size_t> slices;  // indices into plan.slices
};

// One job per file, in the order of the first slice each file feeds (so slice 0 comes first).
std::vector<FileJob> jobsByFile(const SeriesPlan& plan) {
  std::map<uint32_t, size_t> index;
  std::vector<FileJob> jobs;
  for (size_t i = 0; i < plan.slices.size(); ++i) {
    const uint32_t f = plan.slices[i].file;
    auto [it, inserted] = index.emplace(f, jobs.size());
    if (inserted) jobs.push_back({f, {}});
    jobs[it->second].slices.push_back(i);
  }
  return jobs;
}

}  // namespace

Result<std::shared_ptr<Volume>> loadSeries(const ScanResult& scan, const SeriesPlan& plan, const LoadOptions& options,
                                           Progress* progress) {
  if (plan.slices.empty()) return makeError("series.empty", "series has no slices", plan.id);
  for (const auto& s : plan.slices)
    if (s.file >= scan.files.size()) return makeError("series.bad_plan", "plan refers to a missing file", plan.id);
  auto created = Volume::create(plan.type, plan.dims);
  if (!created) return created.error();
  std::shared_ptr<Volume> vol = std::move(created.value());
  vol->geometry = plan.geometry;
  vol->timesMs = plan.timesMs;
  vol->info = plan.info;
  detail::StagingPlan staging(plan, *vol);
  const auto jobs = jobsByFile(plan);
  if (progress) progress->setTotal(static_cast<int64_t>(plan.slices.size()));
  std::unique_ptr<ThreadPool> own;
  if (options.threads) own = std::make_unique<ThreadPool>(options.threads);
  ThreadPool& pool = own ? *own : ThreadPool::global();
  std::mutex errMutex;
  std::vector<Error> errors;
  pool.parallelFor(static_cast<int64_t>(jobs.size()), [&](int64_t j) {
    if (progress && progress->cancelled()) return;
    const FileJob& job = jobs[static_cast<size_t>(j)];
    const FileHeader& h = scan.files[job.file];
    Status st = staging.decodeFile(h, job.slices);
    if (!st) {
      std::lock_guard lock(errMutex);
      errors.push_back(st.error());
    }
    if (progress) progress->add(static_cast<int64_t>(job.slices.size()));
  });
  if (progress && progress->cancelled()) return makeError("io.cancelled", "load cancelled", plan.id);
  if (!errors.empty() && errors.size() == jobs.size()) return errors.front();
  for (const auto& e : errors) log::warn("slice left blank: " + e.str());
  staging.finish();
  return vol;
}

}  // namespace cvx::io
