// SPDX-License-Identifier: MIT
// The brush and scissors geometry of the segmentation editor (cvx/viewstate/seg_edit.h): which
// voxels a sphere, a disk or a scissors polygon covers, in patient space.
#include <cvx/viewstate/seg_edit.h>
#include <cvx/core/backend.h>
#include <cvx/core/reslice.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/seg_stats.h>
#include <algorithm>
#include <cmath>

#include "index_box.h"

namespace cvx::view {
namespace {

using detail::IndexBox;
using detail::indexBox;
using detail::row;

// A polygon's edges (i - 1, i) sorted into bands of a key k given per vertex: band(key) holds
// every edge whose [min k, max k] can contain key. A crossing test counts an edge only when key
// lies in [min k, max k), so testing one band's edges gives the same answer as testing them all.
class EdgeBands {
 public:
  explicit EdgeBands(const std::vector<double>& k) {
    const size_t n = k.size();
    kmin_ = *std::min_element(k.begin(), k.end());
    const double kmax = *std::max_element(k.begin(), k.end());
    bands_ = std::clamp<size_t>(n * 2, 1, 4096);
    step_ = (kmax - kmin_) / static_cast<double>(bands_);
    edges_.resize(bands_);
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      if (k[i] == k[j]) continue;  // an edge along the key's level lines never counts
      const size_t b0 = band(std::min(k[i], k[j])), b1 = band(std::max(k[i], k[j]));
      for (size_t b = b0; b <= b1; ++b) edges_[b].push_back(static_cast<uint32_t>(i));
    }
  }
  const std::vector<uint32_t>& at(double key) const { return edges_[band(key)]; }

 private:
  size_t band(double key) const {
    if (!(step_ > 0)) return 0;
    const double b = std::floor((key - kmin_) / step_);
    return b <= 0 ? 0 : std::min(bands_ - 1, static_cast<size_t>(b));
  }
  double kmin_, step_;
  size_t bands_;
  std::vector<std::vector<uint32_t>> edges_;
};

// Even-odd rule (crossing number, a ray towards +u) on a 2D polygon.
class EvenOdd {
 public:
  EvenOdd(std::vector<double> u, std::vector<double> v) : u_(std::move(u)), v_(std::move(v)), bands_(v_) {
    umin_ = *std::min_element(u_.begin(), u_.end()), umax_ = *std::max_element(u_.begin(), u_.end());
    vmin_ = *std::min_element(v_.begin(), v_.end()), vmax_ = *std::max_element(v_.begin(), v_.end());
  }
  bool inside(double x, double y) const {
    if (!(x >= umin_ && x <= umax_ && y >= vmin_ && y <= vmax_)) return false;
    bool in = false;
    const size_t n = u_.size();
    for (uint32_t i : bands_.at(y)) {
      const size_t j = i == 0 ? n - 1 : i - 1;
      if ((v_[i] > y) != (v_[j] > y) && x < (u_[j] - u_[i]) * (y - v_[i]) / (v_[j] - v_[i]) + u_[i]) in = !in;
    }
    return in;
  }
  const std::vector<double>& u() const { return u_; }
  const std::vector<double>& v() const { return v_; }

 private:
  std::vector<double> u_, v_;
  EdgeBands bands_;
  double umin_, umax_, vmin_, vmax_;
};

// Parallel rows: every grid row projects onto the 2D line (u0 + du x, v0 + dv x). The rows share
// the direction r = (du, dv), so a row is one level of s = r x (u, v); the edges it crosses are
// those whose s-range holds the row's s (banded), and the even-odd rule along the line says that
// x is inside when an odd number of crossings lie before it.
class RowCrossings {
 public:
  RowCrossings(const EvenOdd& poly, double du, double dv)
      : poly_(poly), du_(du), dv_(dv), bands_(keys(poly, du, dv)) {}
  // The row's crossings, sorted, as x positions (fractional voxel indices).
  void row(double u0, double v0, std::vector<double>& xs) const {
    xs.clear();
    const std::vector<double>&u = poly_.u(), &v = poly_.v();
    const size_t n = u.size();
    const double s = du_ * v0 - dv_ * u0, len2 = du_ * du_ + dv_ * dv_;
    for (uint32_t i : bands_.at(s)) {
      const size_t j = i == 0 ? n - 1 : i - 1;
      const double si = du_ * v[i] - dv_ * u[i], sj = du_ * v[j] - dv_ * u[j];
      if ((si > s) == (sj > s)) continue;
      const double t = (s - si) / (sj - si);
      const double pu = u[i] + t * (u[j] - u[i]), pv = v[i] + t * (v[j] - v[i]);
      xs.push_back(((pu - u0) * du_ + (pv - v0) * dv_) / len2);
    }
    std::sort(xs.begin(), xs.end());
  }

 private:
  static std::vector<double> keys(const EvenOdd& p, double du, double dv) {
    std::vector<double> k;
    for (size_t i = 0; i < p.u().size(); ++i) k.push_back(du * p.v()[i] - dv * p.u()[i]);
    return k;
  }
  const EvenOdd& poly_;
  double du_, dv_;
  EdgeBands bands_;
};

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
        if (!inside(q)) continue;
        uint8_t& v = p[(z * d[1] + y) * d[0] + x];
        if (paint ? v == seg.label : v != seg.label) continue;
        if (inRange && !inRange(x, y, z)) continue;
        touch(seg.layer, x, y, z);
        v = paint ? seg.label : 0;
      }
}

}  // namespace

Result<std::function<bool(int64_t, int64_t, int64_t)>> rangeTest(const Segmentation& sg, const BrushRange& r) {
  const Volume& v = *r.source;
  const double lo = r.lo, hi = r.hi;
  const int64_t phase = r.phase;
  if (onSameGrid(sg, v))
    return std::function<bool(int64_t, int64_t, int64_t)>([&v, lo, hi, phase](int64_t x, int64_t y, int64_t z) {
      const double value = modalityValue(v, v.valueAt(x, y, z, phase));
      return value >= lo && value <= hi;  // NaN never
    });
  // Another grid: the source at the voxel's centre, through the segmentation's index to the source's.
  const Mat4 m = v.geometry.voxelFromWorld() * sg.geometry().worldFromVoxel();
  const std::array<double, 3> edge{double(v.dims()[0]) - 0.5, double(v.dims()[1]) - 0.5, double(v.dims()[2]) - 0.5};
  std::function<bool(int64_t, int64_t, int64_t)> test;
  const Status typed = withVoxelType(v.type(), [&](auto* tag) -> Status {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(tag)>>;
    if constexpr (!std::is_arithmetic_v<T>) {
      return makeError("seg.edit_bad_range", "a value range cannot read a colour series");
    } else {
      const auto s = gridSampler<T>(v, v.as<T>() + phase * v.voxelsPerPhase());
      test = [s, m, edge, lo, hi](int64_t x, int64_t y, int64_t z) {
        const Vec3 q = m.applyPoint(Vec3{double(x), double(y), double(z)});
        for (int a = 0; a < 3; ++a)
          if (!(q[a] >= -0.5 && q[a] <= edge[static_cast<size_t>(a)])) return false;
        const double value = s.sample(hd::Vec3f{float(q.x), float(q.y), float(q.z)});
        return value >= lo && value <= hi;
      };
      return {};
    }
  });
  if (!typed.ok()) return typed.error();
  return test;
}

void SegEditor::applySphere(const BrushSphere& s) {
  const Mat4 vfw = seg_.geometry().voxelFromWorld();
  const double r = s.radiusMm;
  const double ext[3] = {r * norm(row(vfw, 0)), r * norm(row(vfw, 1)), r * norm(row(vfw, 2))};
  const IndexBox box = indexBox(seg_.dims(), vfw.applyPoint(s.centre), ext);
  if (box.empty()) return;
  const double r2 = r * r;
  brushVoxels(seg_, seg_.segments()[stroke_.segment], stroke_.mode == BrushMode::Paint, stroke_.inRange, box, s.centre,
              [&](Vec3 q) { return dot(q, q) <= r2; },
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
  brushVoxels(seg_, seg_.segments()[stroke_.segment], stroke_.mode == BrushMode::Paint, stroke_.inRange, box, disk.centre,
              [&](Vec3 q) {
                const double along = dot(q, n);
                if (along < -h || along >= h) return false;
                const Vec3 inPlane = q - n * along;
                return dot(inPlane, inPlane) <= r2;
              },
              [&](uint32_t l, int64_t x, int64_t y, int64_t z) { touch(l, x, y, z); });
}

ScissorsCut scissorsCutOnImage(const Camera3D& c, const std::vector<std::array<double, 2>>& lasso, int width,
                               int height) {
  ScissorsCut cut;
  const Vec3 f = normalized(c.center - c.eye);
  cut.viewDirection = f;
  cut.perspective = c.perspective;
  cut.eye = c.eye;
  const WorldRays r = worldRays(c, width, height);
  if (!r.valid) return cut;  // no polygon: scissors() refuses it (seg.edit_bad_polygon)
  for (const auto& p : lasso) {
    // worldRays' (x, y) is pixel x's ray, through its centre (x + 0.5, y + 0.5) in image coordinates.
    const double x = p[0] - 0.5, y = p[1] - 0.5;
    const Vec3 o = r.origin(x, y);
    const Vec3 d = r.direction(x, y);
    const double along = dot(d, f);
    if (!(std::abs(along) > 1e-12)) continue;
    cut.polygon.push_back(o + d * (dot(c.center - o, f) / along));
  }
  return cut;
}

Status SegEditor::scissors(size_t segment, const ScissorsCut& cut, ScissorsMode mode) {
  if (stroke_.active) return makeError("seg.edit_no_stroke", "a stroke is open");
  CVX_TRY(checkSegment(segment));
  const auto bad = [](const std::string& why) { return makeError("seg.edit_bad_polygon", why); };
  const std::vector<Vec3>& poly = cut.polygon;
  if (poly.size() < 3) return bad("a scissors polygon needs at least 3 points");
  Vec3 n{};  // Newell's normal
  for (size_t i = 0; i < poly.size(); ++i) n = n + cross(poly[i], poly[(i + 1) % poly.size()]);
  if (!(norm(n) > 1e-12)) return bad("a degenerate scissors polygon (no area)");
  n = normalized(n);
  const Vec3 o = poly[0];
  Vec3 e1{};
  for (size_t i = 1; i < poly.size() && !(norm(e1) > 1e-9); ++i) {
    const Vec3 t = poly[i] - o;
    e1 = t - n * dot(t, n);
  }
  e1 = normalized(e1);
  const Vec3 e2 = cross(n, e1);
  std::vector<double> pu, pv;
  for (const Vec3& q : poly) pu.push_back(dot(q - o, e1)), pv.push_back(dot(q - o, e2));
  const EvenOdd polygon(std::move(pu), std::move(pv));
  const Vec3 dir = normalized(cut.viewDirection);
  const double nd = dot(n, dir), ne = dot(n, o - cut.eye);
  if (!cut.perspective && !(std::fabs(nd) > 1e-9))
    return bad("the view direction lies in the polygon's plane");
  if (cut.perspective && !(std::fabs(ne) > 1e-9)) return bad("the eye lies on the polygon's plane");

  const Segment& s = seg_.segments()[segment];
  uint8_t* p = seg_.layers()[s.layer]->as<uint8_t>();
  const Geometry& g = seg_.geometry();
  const auto& d = seg_.dims();
  const bool eraseInside = mode == ScissorsMode::EraseInside;
  // Parallel: the projection is affine, u = (w - o) . A1, v = (w - o) . A2, so along a row of
  // the grid u and v change by constant steps. Perspective: per voxel, through the eye.
  const Vec3 a1 = e1 - n * (dot(dir, e1) / nd), a2 = e2 - n * (dot(dir, e2) / nd);
  const Vec3 stepX = g.direction[0] * g.spacingMm.x;
  const double du = dot(stepX, a1), dv = dot(stepX, a2);
  // When the grid's rows project to points (a view along the rows), one test per row.
  const bool rowsArePoints = !cut.perspective && !(du * du + dv * dv > 1e-18);
  const RowCrossings crossings(polygon, du, dv);
  std::vector<double> xs;
  openStep();
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y) {
      const Vec3 w0 = g.worldAt(0, static_cast<double>(y), static_cast<double>(z)) - o;
      const double u0 = dot(w0, a1), v0 = dot(w0, a2);
      const bool rowIn = rowsArePoints && polygon.inside(u0, v0);
      if (!cut.perspective && !rowsArePoints) crossings.row(u0, v0, xs);
      size_t before = 0;  // crossings at x' < x
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        const double fx = static_cast<double>(x);
        while (before < xs.size() && xs[before] < fx) ++before;
        if (p[i] != s.label) continue;
        bool in;
        if (cut.perspective) {
          const Vec3 w = g.worldAt(fx, static_cast<double>(y), static_cast<double>(z));
          const double den = dot(n, w - cut.eye), t = den != 0 ? ne / den : -1;
          const Vec3 q = cut.eye + (w - cut.eye) * t;  // the centre projected onto the plane
          in = t > 0 && polygon.inside(dot(q - o, e1), dot(q - o, e2));
        } else {
          in = rowsArePoints ? rowIn : (before & 1) != 0;
        }
        if (in != eraseInside) continue;
        touch(s.layer, x, y, z);
        p[i] = 0;
      }
    }
  return closeStep(false, {});
}

}  // namespace cvx::view
