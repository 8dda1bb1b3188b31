#include <cvx/io/dicom.h>

namespace cvx::io {

const SeriesPlan* findSeries(const GroupResult& groups, const std::string& id) {
  for (const auto& p : groups.series)
    if (id.empty() || p.id == id || p.info.seriesInstanceUid == id) return &p;
  return nullptr;
}

Result<std::shared_ptr<Volume>> loadPath(const std::string& path, const std::string& seriesId) {
  auto scanned = scan(path);
  if (!scanned) return scanned.error();
  const GroupResult groups = planSeries(*scanned);
  if (groups.series.empty()) return makeError("series.none", "no image series found", path);
  const SeriesPlan* plan = findSeries(groups, seriesId);
  if (!plan) return makeError("series.not_found", "no series with this UID", seriesId);
  return loadSeries(*scanned, *plan);
}

}  // namespace cvx::io
