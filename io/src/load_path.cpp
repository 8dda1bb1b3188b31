#include <cvx/io/dicom.h>

namespace cvx::io {

Result<std::shared_ptr<Volume>> loadPath(const std::string& path, const std::string& seriesId) {
  auto scanned = scan(path);
  if (!scanned) return scanned.error();
  const GroupResult groups = planSeries(*scanned);
  if (groups.series.empty()) return makeError("series.none", "no image series found", path);
  for (const auto& p : groups.series)
    if (seriesId.empty() || p.id == seriesId || p.info.seriesInstanceUid == seriesId)
      return loadSeries(*scanned, p);
  return makeError("series.not_found", "no series with this UID", seriesId);
}

}  // namespace cvx::io
