// SPDX-License-Identifier: MIT
// The brush and scissors geometry of the segmentation editor (cvx/viewstate/seg_edit.h): which
// voxels a sphere, a disk or a scissors polygon covers, in patient space.
#include <cvx/viewstate/level_trace.h>
#include <cvx/viewstate/seg_stats.h>
#include <cvx/viewstate/seg_edit.h>
#include <algorithm>
#include <cmath>

#include "index_box.h"

namespace cvx::view {
namespace {

using detail::IndexBox;
using detail::indexBox;
using detail::row;

}  // namespace

double diskHalfThicknessMm(const Geometry& g, Vec3 n) {
  n = normalized(n);
  const double s[3] = {g.spacingMm.x, g.spacingMm.y, g.spacingMm.z};
  double h = 0;
  for (int a = 0; a < 3; ++a) h = std::max(h, std::fabs(dot(n, g.direction[a] * s[a])));
  return h / 2;
}

namespace {

// Paints (or erases: only the segment's own label) every voxel of box whose centre q, relative to
// `centre`, passes inside(q) and whose source value lies in the range, if any; touch(layer, x, y,
// z) first records each voxel that changes.
// inside(q, x, y, z): q is the centre of voxel (x, y, z) less `centre`.
template <class Inside, class Touch>
void brushVoxels(Segmentation& sg, const Segment& seg, bool paint,
                 const std::function<bool(int64_t, int64_t, int64_t)>& inRange, const IndexBox& box, Vec3 centre,
                 const Inside& inside, const Touch& touch) {
  const Geometry& g = sg.geometry();
  uint8_t* p = sg.layers()[seg.layer]->as<uint8_t>();
  const auto& d = sg.dims();
  for (int64_t z = box.lo[2]; z <= box.hi[2]; ++z)
    for (int64_t y = box.lo[1]; y <= box.hi[1]; ++y)
      for (int64_t x = box.lo[0]; x <= box.hi[0]; ++x) {
        const Vec3 q = g.worldAt(static_cast<double>(x), static_cast<double>(y), static_cast<double>(z)) - centre;
        if (!inside(q, x, y, z)) continue;
        uint8_t& v = p[(z * d[1] + y) * d[0] + x];
        if (paint ? v == seg.label : v != seg.label) continue;
        if (inRange && !inRange(x, y, z)) continue;
        touch(seg.layer, x, y, z);
        v = paint ? seg.label : 0;
      }
}

}  // namespace

Result<std::function<bool(int64_t, int64_t, int64_t)>> rangeTest(const Segmentation& sg, const BrushRange& r) {
  auto value = sourceValues(sg, *r.source, r.phase);
  if (!value) return value.error();
  const double lo = r.lo, hi = r.hi;
  return std::function<bool(int64_t, int64_t, int64_t)>(
      [value = std::move(*value), lo, hi](int64_t x, int64_t y, int64_t z) {
        const double v = value(x, y, z);
        return v >= lo && v <= hi;  // NaN (outside the source) never
      });
}

void SegEditor::applySphere(const BrushSphere& s) {
  const Mat4 vfw = seg_.geometry().voxelFromWorld();
  const double r = s.radiusMm;
  const double ext[3] = {r * norm(row(vfw, 0)), r * norm(row(vfw, 1)), r * norm(row(vfw, 2))};
  const IndexBox box = indexBox(seg_.dims(), vfw.applyPoint(s.centre), ext);
  if (box.empty()) return;
  const double r2 = r * r;
  brushVoxels(
      seg_, seg_.segments()[stroke_.segment], stroke_.mode == BrushMode::Paint, stroke_.inRange, box,
      s.centre, [&](Vec3 q, int64_t, int64_t, int64_t) { return dot(q, q) <= r2; },
      [&](uint32_t l, int64_t x, int64_t y, int64_t z) { touch(l, x, y, z); });
}

void SegEditor::applyDisk(const BrushDisk& disk) {
  const Geometry& g = seg_.geometry();
  const Mat4 vfw = g.voxelFromWorld();
  const Vec3 n = disk.normal;
  const double r = disk.radiusMm, h = diskHalfThicknessMm(g, n);
  double ext[3];
  for (int a = 0; a < 3; ++a) {
    const Vec3 m = row(vfw, a);
    const double mn = dot(m, n);
    ext[a] = r * std::sqrt(std::max(0.0, dot(m, m) - mn * mn)) + h * std::fabs(mn);
  }
  const IndexBox box = indexBox(seg_.dims(), vfw.applyPoint(disk.centre), ext);
  if (box.empty()) return;
  const double r2 = r * r;
  brushVoxels(
      seg_, seg_.segments()[stroke_.segment], stroke_.mode == BrushMode::Paint, stroke_.inRange, box,
      disk.centre,
      [&](Vec3 q, int64_t, int64_t, int64_t) {
        const double along = dot(q, n);
        if (along < -h || along >= h) return false;
        const Vec3 inPlane = q - n * along;
        return dot(inPlane, inPlane) <= r2;
      },
      [&](uint32_t l, int64_t x, int64_t y, int64_t z) { touch(l, x, y, z); });
}

Status SegEditor::dab(const BrushPolygon& p) {
  if (!stroke_.active) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  if (!(norm(p.normal) > 1e-12) || !std::isfinite(norm(p.normal)))
    return makeError("seg.edit_bad_brush", "an outline needs a finite, non-zero normal");
  for (const Vec3& q : p.points)
    if (!std::isfinite(q.x) || !std::isfinite(q.y) || !std::isfinite(q.z))
      return makeError("seg.edit_bad_brush", "an outline's points must be finite");
  const Geometry& g = seg_.geometry();
  const Vec3 n = normalized(p.normal);
  ScissorsCut cut;  // the outline's prism along the normal: the voxels it holds, row by row
  cut.viewDirection = n;
  for (const Vec3& q : p.points) cut.polygon.push_back(q - n * dot(q - p.points.front(), n));
  if (cut.polygon.empty()) return makeError("seg.edit_bad_polygon", "an outline needs at least 3 points");
  auto region = ScissorsRegion::make(cut, g);
  if (!region) return region.error();
  // The box: the outline's corners in index space, and the slab's thickness along each axis.
  const Mat4 vfw = g.voxelFromWorld();
  const double h = diskHalfThicknessMm(g, n);
  Vec3 lo = vfw.applyPoint(cut.polygon[0]), hi = lo;
  for (const Vec3& q : cut.polygon) {
    const Vec3 i = vfw.applyPoint(q);
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], i[a]), hi[a] = std::max(hi[a], i[a]);
  }
  double ext[3];
  for (int a = 0; a < 3; ++a) ext[a] = (hi[a] - lo[a]) / 2 + h * std::fabs(dot(row(vfw, a), n));
  const IndexBox box = indexBox(seg_.dims(), (lo + hi) * 0.5, ext);
  stroke_.hasLast = false;  // the next dab starts afresh: nothing is drawn between an outline and it
  if (box.empty()) return {};
  const Vec3 origin = cut.polygon[0];
  std::vector<uint8_t> in(static_cast<size_t>(seg_.dims()[0]));
  int64_t rowY = -1, rowZ = -1;  // the row `in` holds
  brushVoxels(
      seg_, seg_.segments()[stroke_.segment], stroke_.mode == BrushMode::Paint, stroke_.inRange, box, origin,
      [&](Vec3 q, int64_t x, int64_t y, int64_t z) {
        const double along = dot(q, n);
        if (along < -h || along >= h) return false;
        if (y != rowY || z != rowZ) region->row(y, z, seg_.dims()[0], in.data()), rowY = y, rowZ = z;
        return in[static_cast<size_t>(x)] != 0;
      },
      [&](uint32_t l, int64_t x, int64_t y, int64_t z) { touch(l, x, y, z); });
  return {};
}

Status SegEditor::dab(const LevelTrace& t) {
  if (!stroke_.active) return makeError("seg.edit_no_stroke", "a dab outside a stroke");
  const auto& d = seg_.dims();
  const int ua = t.uAxis(), va = t.vAxis();
  if (t.axis < 0 || t.axis > 2 || t.slice < 0 || t.slice >= d[static_cast<size_t>(t.axis)] ||
      t.nu != d[static_cast<size_t>(ua)] || t.nv != d[static_cast<size_t>(va)] ||
      t.mask.size() != static_cast<size_t>(t.nu * t.nv) || !onSameGrid(t.grid, t.dims, seg_.geometry(), d))
    return makeError("seg.edit_bad_brush", "a level trace of another grid");
  IndexBox box{{0, 0, 0}, {d[0] - 1, d[1] - 1, d[2] - 1}};
  box.lo[t.axis] = box.hi[t.axis] = t.slice;
  stroke_.hasLast = false;  // nothing is drawn between a trace and the next dab
  brushVoxels(
      seg_, seg_.segments()[stroke_.segment], stroke_.mode == BrushMode::Paint, stroke_.inRange, box, Vec3{},
      [&](Vec3, int64_t x, int64_t y, int64_t z) {
        const int64_t p[3] = {x, y, z};
        return t.mask[static_cast<size_t>(p[va] * t.nu + p[ua])] != 0;
      },
      [&](uint32_t l, int64_t x, int64_t y, int64_t z) { touch(l, x, y, z); });
  return {};
}

Status SegEditor::scissors(size_t segment, const ScissorsCut& cut, ScissorsMode mode) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  CVX_TRY(checkSegment(segment));
  auto region = ScissorsRegion::make(cut, seg_.geometry());
  if (!region) return region.error();
  const Segment& s = seg_.segments()[segment];
  uint8_t* p = seg_.layers()[s.layer]->as<uint8_t>();
  const auto& d = seg_.dims();
  const uint8_t erase = mode == ScissorsMode::EraseInside ? 1 : 0;  // the voxels whose `in` is this go
  std::vector<uint8_t> in(static_cast<size_t>(d[0]));
  openStep();
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y, i += d[0]) {
      region->row(y, z, d[0], in.data(), p + i, s.label);
      for (int64_t x = 0; x < d[0]; ++x) {
        if (p[i + x] != s.label || in[static_cast<size_t>(x)] != erase) continue;
        touch(s.layer, x, y, z);
        p[i + x] = 0;
      }
    }
  return closeStep(false, {});
}

}  // namespace cvx::view
