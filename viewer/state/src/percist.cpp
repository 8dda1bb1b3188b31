// SPDX-License-Identifier: MIT
#include <cvx/viewstate/percist.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cvx::view {

bool isLiverReference(const Segment& s) { return s.type.scheme == "SCT" && s.type.value == "10200004"; }

std::optional<PercistReference> percistReference(const std::vector<SegmentReportRow>& rows, uint64_t petSerial) {
  if (petSerial == 0) return std::nullopt;
  for (const SegmentReportRow& r : rows) {
    if (r.petSerial != petSerial || !isLiverReference(r.meta) || !r.pet || !(r.sulPerSuv > 0)) continue;
    return PercistReference{r.segmentation, r.segment, r.pet->suvMean * r.sulPerSuv, r.pet->suvSd * r.sulPerSuv};
  }
  return std::nullopt;
}

namespace {
std::string fmt2(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}
}  // namespace

std::string percistText(const std::vector<SegmentReportRow>& rows, const SegmentReportRow& row) {
  if (!row.pet || !(row.sulPerSuv > 0)) return {};
  const auto ref = percistReference(rows, row.petSerial);
  if (!ref) return {};
  const std::string thr = fmt2(ref->threshold());
  if (ref->segmentation == row.segmentation && ref->segment == row.segment)
    return "liver reference: SULmean " + fmt2(ref->sulMean) + ", SD " + fmt2(ref->sulSd) + "; threshold " + thr;
  const double peak = row.pet->suvPeak * row.sulPerSuv;
  const bool measurable = peak >= ref->threshold();
  return std::string(measurable ? "measurable: SULpeak " : "not measurable: SULpeak ") + fmt2(peak) +
         (measurable ? " >= " : " < ") + thr + " (1.5 x liver SULmean " + fmt2(ref->sulMean) + " + 2 x SD " +
         fmt2(ref->sulSd) + ")";
}

Result<std::vector<uint8_t>> percistLiverBall(const Volume& grid, Vec3 centreMm) {
  const auto& d = grid.dims();
  std::vector<uint8_t> mask(static_cast<size_t>(d[0] * d[1] * d[2]), 0);
  // The voxel box that can hold the ball: its bounding box taken to voxel indices (any direction).
  const Mat4 toVoxel = grid.geometry.voxelFromWorld();
  double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
  const double r = kPercistLiverRadiusMm;
  for (int c = 0; c < 8; ++c) {
    const Vec3 q = toVoxel.applyPoint(centreMm + Vec3{c & 1 ? r : -r, c & 2 ? r : -r, c & 4 ? r : -r});
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], q[a]), hi[a] = std::max(hi[a], q[a]);
  }
  int64_t b0[3], b1[3];
  for (int a = 0; a < 3; ++a) {
    b0[a] = std::clamp<int64_t>(static_cast<int64_t>(std::floor(lo[a])), 0, d[a] - 1);
    b1[a] = std::clamp<int64_t>(static_cast<int64_t>(std::ceil(hi[a])), 0, d[a] - 1);
  }
  int64_t n = 0;
  if (std::isfinite(lo[0]) && hi[0] >= 0 && hi[1] >= 0 && hi[2] >= 0 && lo[0] <= double(d[0] - 1) &&
      lo[1] <= double(d[1] - 1) && lo[2] <= double(d[2] - 1))
    for (int64_t z = b0[2]; z <= b1[2]; ++z)
      for (int64_t y = b0[1]; y <= b1[1]; ++y)
        for (int64_t x = b0[0]; x <= b1[0]; ++x)
          if (norm(grid.geometry.worldAt(double(x), double(y), double(z)) - centreMm) <= r)
            mask[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1, ++n;
  if (n == 0)
    return makeError("seg.ball_outside", "the liver reference's 3 cm ball holds no voxel of the series: put the "
                                         "cursor in the liver");
  return mask;
}

}  // namespace cvx::view
