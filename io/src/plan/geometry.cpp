// Slice geometry along the stack: sorting is done by the caller; here tilt, uneven spacing and
// missing slices are detected and the output grid is decided.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plan/internal.h"

namespace cvx::io::detail {
namespace {

std::string mm(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

// Regular-grid decision for steps along the stack (all > 0).
void decideSpacing(const std::vector<double>& s, SeriesPlan& plan) {
  const size_t n = s.size();
  std::vector<double> steps;
  for (size_t k = 1; k < n; ++k) steps.push_back(s[k] - s[k - 1]);
  const double minStep = *std::min_element(steps.begin(), steps.end());
  const double maxStep = *std::max_element(steps.begin(), steps.end());
  const double extent = s.back() - s.front();
  const double tol = std::max(0.01, 0.02 * minStep);
  plan.geometry.spacingMm.z = extent / static_cast<double>(n - 1);
  plan.dims[2] = static_cast<int64_t>(n);
  if (maxStep - minStep <= tol) return;
  // Steps that are whole multiples of the smallest one: slices are missing.
  bool multiples = true;
  int64_t missing = 0;
  for (double st : steps) {
    const double r = st / minStep;
    if (std::fabs(r - std::round(r)) > 0.05) multiples = false;
    missing += static_cast<int64_t>(std::round(r)) - 1;
  }
  double step = minStep;
  int64_t count = static_cast<int64_t>(std::llround(extent / step)) + 1;
  if (count > 4 * static_cast<int64_t>(n)) {
    count = 4 * static_cast<int64_t>(n);
    step = extent / static_cast<double>(count - 1);
  }
  step = extent / static_cast<double>(count - 1);
  std::string list;
  for (double st : steps) list += (list.empty() ? "" : "/") + mm(st);
  if (multiples) {
    plan.warnings.push_back({"geometry.missing_slice",
                             std::to_string(missing) + " slice position(s) missing (steps " + list +
                                 " mm); the gap is filled by linear interpolation on a " + mm(step) + " mm grid"});
  } else {
    plan.warnings.push_back({"geometry.uneven_spacing", "slice spacing varies (steps " + list +
                                                            " mm); resampled by linear interpolation to " +
                                                            mm(step) + " mm"});
  }
  plan.resampled = true;
  plan.geometry.spacingMm.z = step;
  plan.dims[2] = count;
}

}  // namespace

void planStackGeometry(const std::vector<Vec3>& positions, const Candidate& first, SeriesPlan& plan) {
  Geometry& g = plan.geometry;
  g.direction = {first.row, first.col, first.normal};
  const double thickness = first.fh->sliceThickness;
  g.spacingMm = {first.spacingX, first.spacingY, validSpacing(thickness) ? thickness : 1.0};
  g.originMm = positions.front();
  plan.dims[2] = static_cast<int64_t>(positions.size());
  if (positions.size() < 2) return;
  const Vec3 v = positions.back() - positions.front();
  const double len = norm(v);
  if (len <= 1e-6) return;
  const Vec3 u = v * (1.0 / len);
  const double angle = std::acos(std::clamp(std::fabs(dot(u, first.normal)), 0.0, 1.0)) * 180.0 / M_PI;
  if (angle > 0.05) {
    // Gantry tilt: the stack runs obliquely to the slice normal. A sheared grid keeps every voxel
    // at its true patient position (NIfTI sform and NRRD space directions can hold it).
    g.direction[2] = u;
    g.sheared = true;
    plan.warnings.push_back({"geometry.gantry_tilt", "slice stack is sheared by " + mm(angle) +
                                                         " degrees (gantry tilt); geometry kept exact with a "
                                                         "sheared grid"});
  } else {
    g.direction[2] = dot(u, first.normal) >= 0 ? first.normal : first.normal * -1.0;
  }
  std::vector<double> s;
  double worst = 0;
  for (const Vec3& p : positions) {
    const double along = dot(p - positions.front(), g.direction[2]);
    s.push_back(along);
    worst = std::max(worst, norm((p - positions.front()) - g.direction[2] * along));
  }
  if (worst > 0.5 * std::min(first.spacingX, first.spacingY))
    plan.warnings.push_back({"geometry.not_collinear", "slice positions deviate up to " + mm(worst) +
                                                           " mm from a straight stack"});
  plan.sourcePositionsMm = s;
  decideSpacing(s, plan);
}

}  // namespace cvx::io::detail
