// SPDX-License-Identifier: MIT
#include <cvx/viewstate/percist.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "fixed.h"
#include "index_box.h"

namespace cvx::view {

namespace {
// A coded term is `sct` in SNOMED CT, or its legacy SNOMED-RT code `srt` (older SEGs keep those).
bool codeIs(const CodedTerm& t, const char* sct, const char* srt) {
  return (t.scheme == "SCT" && t.value == sct) || (t.scheme == "SRT" && t.value == srt);
}
bool isLiver(const Segment& s) { return codeIs(s.type, "10200004", "T-62000"); }
}  // namespace

bool percistJudges(const Segment& s) {
  // An organ (Anatomical Structure) is no lesion, but a lymph node is what nodal disease is drawn as.
  const bool organ = codeIs(s.category, "123037004", "T-D000A") && !codeIs(s.type, "59441001", "T-C4000");
  return !organ && !isLiver(s) && !isBloodPoolReference(s);  // (a reference typed without its category)
}

bool isLiverReference(const Segment& s) { return isLiver(s) && s.name == kPercistReferenceName; }
bool isBloodPoolReference(const Segment& s) {
  return s.type.scheme == "SCT" && s.type.value == "15825003" && s.name == kPercistBloodPoolName;
}
bool isPercistReference(const Segment& s) { return isLiverReference(s) || isBloodPoolReference(s); }

std::optional<PercistReference> percistReference(const std::vector<SegmentReportRow>& rows, uint64_t petSerial) {
  if (petSerial == 0) return std::nullopt;
  for (const bool bloodPool : {false, true})  // the liver's first
    for (const SegmentReportRow& r : rows) {
      if (r.petSerial != petSerial || !r.pet || !(r.sulPerSuv > 0)) continue;
      if (!(bloodPool ? isBloodPoolReference(r.meta) : isLiverReference(r.meta))) continue;
      return PercistReference{r.segmentation, r.segment, r.pet->suvMean * r.sulPerSuv, r.pet->suvSd * r.sulPerSuv,
                              bloodPool};
    }
  return std::nullopt;
}

using detail::fixed;

std::string percistText(const std::vector<SegmentReportRow>& rows, const SegmentReportRow& row) {
  if (!row.pet || !(row.sulPerSuv > 0)) return {};
  const auto ref = percistReference(rows, row.petSerial);
  if (!ref) return {};
  if (ref->segmentation == row.segmentation && ref->segment == row.segment)
    return std::string(ref->organ()) + " reference: SULmean " + fixed(ref->sulMean, 2) + ", SD " + fixed(ref->sulSd, 2) + "; threshold " +
           fixed(ref->threshold(), 2);
  bool measurable = false;
  if (!percistMeasurable(rows, row, measurable)) return {};  // an organ is no lesion
  const double peak = row.pet->suvPeak * row.sulPerSuv;
  int digits = 2;  // more where two would read the same: never "2.32 < 2.32"
  while (digits < 6 && fixed(peak, digits) == fixed(ref->threshold(), digits)) ++digits;
  return std::string(measurable ? "measurable: SULpeak " : "not measurable: SULpeak ") + fixed(peak, digits) +
         (measurable ? " >= " : " < ") + fixed(ref->threshold(), digits) +
         (ref->bloodPool ? " (2.0 x blood pool SULmean " : " (1.5 x liver SULmean ") +
         fixed(ref->sulMean, 2) + " + 2 x SD " + fixed(ref->sulSd, 2) + ")";
}

bool percistMeasurable(const std::vector<SegmentReportRow>& rows, const SegmentReportRow& row, bool& measurable) {
  if (!row.pet || !(row.sulPerSuv > 0) || !percistJudges(row.meta)) return false;
  const auto ref = percistReference(rows, row.petSerial);
  if (!ref) return false;
  measurable = row.pet->suvPeak * row.sulPerSuv >= ref->threshold();
  return true;
}

namespace {

// The voxels of grid whose centres p satisfy inside(p - centreMm), searched over the index box of a ball
// of radius r about centreMm (as the brush's sphere: |row a of voxelFromWorld| x r per axis).
template <class Inside>
Result<std::vector<uint8_t>> voxelsAbout(const Volume& grid, Vec3 centreMm, double r, const Inside& inside,
                                         const char* what, int64_t* whole) {
  const auto& d = grid.dims();
  if (whole) {  // the grid's lattice extended past its edges: what an uncut shape holds here
    const Vec3 c = grid.geometry.voxelFromWorld().applyPoint(centreMm);
    const Mat4 m = grid.geometry.voxelFromWorld();
    const double e[3] = {r * norm(detail::row(m, 0)) + 1, r * norm(detail::row(m, 1)) + 1, r * norm(detail::row(m, 2)) + 1};
    *whole = 0;
    for (double z = std::floor(c.z - e[2]); z <= c.z + e[2]; ++z)
      for (double y = std::floor(c.y - e[1]); y <= c.y + e[1]; ++y)
        for (double x = std::floor(c.x - e[0]); x <= c.x + e[0]; ++x) *whole += inside(grid.geometry.worldAt(x, y, z) - centreMm);
  }
  const std::array<int64_t, 3> dims{d[0], d[1], d[2]};
  std::vector<uint8_t> mask(static_cast<size_t>(d[0] * d[1] * d[2]), 0);
  const Mat4 vfw = grid.geometry.voxelFromWorld();
  const double ext[3] = {r * norm(detail::row(vfw, 0)), r * norm(detail::row(vfw, 1)), r * norm(detail::row(vfw, 2))};
  const detail::IndexBox box = detail::indexBox(dims, vfw.applyPoint(centreMm), ext);
  int64_t n = 0;
  if (!box.empty())
    for (int64_t z = box.lo[2]; z <= box.hi[2]; ++z)
      for (int64_t y = box.lo[1]; y <= box.hi[1]; ++y)
        for (int64_t x = box.lo[0]; x <= box.hi[0]; ++x)
          if (inside(grid.geometry.worldAt(double(x), double(y), double(z)) - centreMm))
            mask[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1, ++n;
  if (n == 0) return makeError("seg.ball_outside", std::string(what) + " holds no voxel of the PET: put the cursor there");
  return mask;
}

}  // namespace

Result<std::vector<uint8_t>> percistLiverBall(const Volume& grid, Vec3 centreMm, int64_t* whole) {
  const double r = kPercistLiverRadiusMm;
  return voxelsAbout(grid, centreMm, r, [r](Vec3 q) { return norm(q) <= r; },
                     "the liver reference's 3 cm ball (in the liver)", whole);
}

Result<std::vector<uint8_t>> percistBloodPoolCylinder(const Volume& grid, Vec3 centreMm, int64_t* whole) {
  const double r = kPercistBloodPoolRadiusMm, h = kPercistBloodPoolLengthMm / 2;
  // The cylinder lies within the ball about its centre through its rims: sqrt(r^2 + h^2).
  return voxelsAbout(grid, centreMm, std::sqrt(r * r + h * h),
                     [r, h](Vec3 q) { return q.x * q.x + q.y * q.y <= r * r && std::abs(q.z) <= h; },
                     "the blood pool reference's cylinder (in the descending aorta)", whole);
}

}  // namespace cvx::view
