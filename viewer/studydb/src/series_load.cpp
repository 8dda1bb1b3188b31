// SPDX-License-Identifier: MIT
#include <cvx/studydb/series_load.h>

#include <cvx/core/thread_pool.h>

#include <filesystem>

namespace cvx::studydb {

Result<SeriesToLoad> planSeriesFiles(const SeriesFiles& files, Progress* progress) {
  SeriesToLoad out;
  std::vector<std::string> present;
  for (const QString& f : files.files) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(f.toStdString(), ec)) present.push_back(f.toStdString());
    else out.missing << f;
  }
  if (present.empty())
    return makeError("studydb.files_missing", "none of the series' " + std::to_string(files.files.size()) +
                                                  " files exists any more", files.key.toStdString());
  if (progress) progress->setTotal(static_cast<int64_t>(present.size()));
  std::vector<std::optional<Result<io::FileHeader>>> headers(present.size());
  CVX_TRY(ThreadPool::global().parallelFor(static_cast<int64_t>(present.size()), [&](int64_t i) {
    if (progress && progress->cancelled()) return;
    headers[static_cast<size_t>(i)].emplace(io::readHeader(present[static_cast<size_t>(i)]));
    if (progress) progress->add();
  }));
  if (progress && progress->cancelled()) return makeError("io.cancelled", "cancelled", files.key.toStdString());
  auto scan = std::make_shared<io::ScanResult>();
  for (auto& h : headers) {
    if (!h) continue;
    if (h->ok()) scan->files.push_back(std::move(h->value()));
    else scan->skipped.push_back(h->error());
  }
  io::GroupResult groups = io::planSeries(*scan);
  const std::string key = files.key.toStdString();
  const io::SeriesPlan* pick = io::findSeries(groups, key);
  if (!pick)  // "<uid>.<n>": a split series planned alone is no longer split
    for (const auto& p : groups.series)
      if (key.rfind(p.info.seriesInstanceUid + ".", 0) == 0) {
        pick = &p;
        break;
      }
  if (!pick)
    for (const auto& p : groups.series)
      if (!pick || p.slices.size() > pick->slices.size()) pick = &p;
  if (!pick) return makeError("series.none", "no image series among the series' files", key);
  out.plan = *pick;
  out.scan = std::move(scan);
  return out;
}

}  // namespace cvx::studydb
