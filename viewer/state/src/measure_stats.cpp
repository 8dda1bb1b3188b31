// SPDX-License-Identifier: MIT
// What a measurement measures: its length, angle or area, and for an ROI the statistics of the
// layer's modality values on a source-resolution grid on its plane (rules in measure.h).
#include <cmath>
#include <limits>

#include <cvx/core/reslice.h>
#include <cvx/render/reslice.h>
#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/suv.h>

#include "measure_internal.h"

namespace cvx::view {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A grid point this close to an ROI's edge (in grid steps) is inside: a rectangle drawn from voxel
// centre to voxel centre keeps its corner voxels despite rounding in the plane coordinates.
constexpr double kEdgeSteps = 1e-6;

// Mean and sample SD by Welford's update (no cancellation for values far from zero, e.g. Bq/ml).
struct Accumulator {
  int64_t n = 0;
  double mean = 0, m2 = 0, lo = 0, hi = 0;
  void add(double x) {
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
    lo = n == 1 ? x : std::min(lo, x);
    hi = n == 1 ? x : std::max(hi, x);
  }
  RoiStats stats() const {
    RoiStats s;
    s.count = n;
    s.mean = n > 0 ? mean : kNaN;
    s.sd = n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1)) : kNaN;
    s.min = n > 0 ? lo : kNaN;
    s.max = n > 0 ? hi : kNaN;
    return s;
  }
};

// The grid of an ROI: first point's index (i0, j0) from the anchor and the count along each axis.
struct RoiGrid {
  double su = 1, sv = 1;  // steps along right and down (mm)
  double ua = 0, va = 0;  // the anchor in plane coordinates
  int64_t i0 = 0, j0 = 0, width = 0, height = 0;
};

RoiGrid roiGrid(const Measurement& m, const detail::RoiShape& s, const Geometry& g) {
  RoiGrid r;
  r.su = gridStepMm(g, m.plane.right);
  r.sv = gridStepMm(g, m.plane.down);
  // Anchored at the voxel centre nearest the ROI's centre, so that a plane through voxel centres
  // samples exactly them.
  const Vec3 centre = m.plane.center + m.plane.right * ((s.umin + s.umax) / 2) + m.plane.down * ((s.vmin + s.vmax) / 2);
  const Vec3 ijk = g.voxelFromWorld().applyPoint(centre);
  const Vec3 anchor = g.worldAt(std::round(ijk.x), std::round(ijk.y), std::round(ijk.z));
  const auto a = planeCoords(m.plane, anchor);
  r.ua = a[0];
  r.va = a[1];
  r.i0 = static_cast<int64_t>(std::ceil((s.umin - r.ua) / r.su - kEdgeSteps));
  r.j0 = static_cast<int64_t>(std::ceil((s.vmin - r.va) / r.sv - kEdgeSteps));
  r.width = std::max<int64_t>(0, static_cast<int64_t>(std::floor((s.umax - r.ua) / r.su + kEdgeSteps)) - r.i0 + 1);
  r.height = std::max<int64_t>(0, static_cast<int64_t>(std::floor((s.vmax - r.va) / r.sv + kEdgeSteps)) - r.j0 + 1);
  return r;
}

Result<RoiStats> roiStats(const Measurement& m, const Volume& v) {
  const detail::RoiShape shape = detail::roiShape(m);
  const RoiGrid grid = roiGrid(m, shape, v.geometry);
  Accumulator acc;
  if (grid.width == 0 || grid.height == 0) return acc.stats();
  if (grid.width > kMaxRoiSamples / grid.height)
    return makeError("measure.roi_too_large", "the ROI covers " + std::to_string(grid.width) + " x " +
                                                  std::to_string(grid.height) + " voxel steps");
  const Plane& pl = m.plane;
  const double u0 = grid.ua + static_cast<double>(grid.i0) * grid.su;
  const double v0 = grid.va + static_cast<double>(grid.j0) * grid.sv;
  const WorldPlane wp{pl.center + pl.right * u0 + pl.down * v0, pl.right * grid.su, pl.down * grid.sv};
  const hd::ResliceParams p = resliceParams(v.geometry, wp, 0, hd::SlabMode::Mip);
  const int w = static_cast<int>(grid.width), h = static_cast<int>(grid.height);
  std::vector<float> values(static_cast<size_t>(w) * static_cast<size_t>(h));
  CVX_TRY(render::resliceCpu(v, m.phase, p, w, h, values.data()));
  const double eps = kEdgeSteps * std::min(grid.su, grid.sv);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float value = values[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
      if (std::isnan(value)) continue;  // outside the volume
      if (shape.contains(u0 + x * grid.su, v0 + y * grid.sv, eps)) acc.add(value);
    }
  return acc.stats();
}

RoiStats scaled(RoiStats s, double factor) {  // factor > 0 keeps min below max
  s.mean *= factor;
  s.sd *= factor;
  s.min *= factor;
  s.max *= factor;
  return s;
}

}  // namespace

Result<MeasureResult> measure(const Measurement& m, const Volume& v) {
  CVX_TRY(validate(m));
  if (m.phase < 0 || m.phase >= v.dims()[3])
    return makeError("measure.bad_phase", "phase " + std::to_string(m.phase) + " of " + std::to_string(v.dims()[3]));
  const Geometry& g = v.geometry;
  MeasureResult r;
  r.inPixels = !g.spacingKnown;
  const std::string len = r.inPixels ? "px" : "mm";
  switch (m.kind) {
    case MeasureKind::Distance:
      r.value = detail::lengthOf(g, m.points[0], m.points[1]);
      r.unit = len;
      return r;
    case MeasureKind::Angle:
      r.value = detail::angleDegOf(g, m.points[0], m.points[1], m.points[2]);
      r.unit = "deg";
      return r;
    default: break;
  }
  r.value = detail::roiShape(m).areaMm2();
  if (r.inPixels) r.value *= detail::pixelAreaPerMm2(g, m.plane.normal());
  r.unit = len + "2";
  auto stats = roiStats(m, v);
  if (!stats) return stats.error();
  r.stats = *stats;
  r.statsUnit = !v.info.units.empty() ? v.info.units : v.info.rescaleType;
  if (v.info.modality == "PT") {
    const auto suv = suvBodyWeight(v.info);
    if (suv) r.suv = scaled(*stats, suv->factor);
    else r.suvError = r.sulError = suv.error().code;  // SUL scales SUVbw: the same reason
    if (suv) {
      const auto sul = suvLeanBodyMass(v.info, *suv);
      if (sul) r.sul = scaled(*stats, sul->factor);
      else r.sulError = sul.error().code;
    }
  }
  return r;
}

}  // namespace cvx::view
