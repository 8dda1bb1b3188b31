// SPDX-License-Identifier: MIT
#include <cvx/viewstate/seg_curve.h>

#include <cmath>

#include "csv.h"
#include "measure_json.h"

namespace cvx::view {

Result<SegmentCurve> segmentCurve(const Segmentation& seg, size_t k, const Volume& image, std::string units,
                                  double scale) {
  if (k >= seg.segments().size()) return makeError("seg.edit_bad_segment", "no segment " + std::to_string(k));
  SegmentCurve c;
  c.name = seg.segments()[k].name;
  c.units = std::move(units);
  c.scale = scale;
  const int64_t nz = image.dims()[2];
  for (int64_t t = 0; t < image.dims()[3]; ++t) {
    CurvePoint p;
    p.phase = t;
    p.timeMs = static_cast<size_t>(t) < image.timesMs.size() ? image.timesMs[static_cast<size_t>(t)] : NAN;
    p.loaded = true;
    for (int64_t z = 0; z < nz && p.loaded; ++z) p.loaded = image.sliceReady(t * nz + z);
    if (p.loaded) {
      auto stats = segmentStats(seg, image, t);
      if (!stats) return stats.error();
      p.stats = (*stats)[k];
    }
    c.points.push_back(p);
  }
  return c;
}

std::string segmentCurveCsv(const SegmentCurve& c) {
  using detail::csvField;
  using detail::csvNumber;
  std::string out = "phase,time_ms,voxels,mean,sd,min,max,units\r\n";
  for (const CurvePoint& p : c.points) {
    const bool has = p.loaded && p.stats.voxels > 0;
    std::vector<std::string> f = {std::to_string(p.phase + 1), csvNumber(p.timeMs),
                                  p.loaded ? std::to_string(p.stats.voxels) : ""};
    for (double x : {p.stats.mean, p.stats.sd, p.stats.min, p.stats.max}) f.push_back(has ? csvNumber(x * c.scale) : "");
    f.push_back(has ? csvField(c.units) : "");
    out += detail::csvLine(f);
  }
  return out;
}

Status exportSegmentCurveCsv(const std::string& path, const SegmentCurve& c) {
  return detail::writeFileAtomic(path, segmentCurveCsv(c), "seg.export_failed");
}

}  // namespace cvx::view
