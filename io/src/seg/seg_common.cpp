// SPDX-License-Identifier: MIT
#include "seg/seg_common.h"

#include <algorithm>
#include <cmath>

#include <cvx/io/seg.h>

namespace cvx::io::seg {

DcmItem* item(DcmItem* it, const DcmTagKey& seq, unsigned long i) {
  DcmItem* r = nullptr;
  if (it && it->findAndGetSequenceItem(seq, r, static_cast<signed long>(i)).good()) return r;
  return nullptr;
}

std::string text(DcmItem* it, const DcmTagKey& tag) {
  OFString v;
  if (!it || it->findAndGetOFStringArray(tag, v).bad()) return {};
  std::string s = v.c_str();
  const auto b = s.find_first_not_of(" \0", 0, 2);
  const auto e = s.find_last_not_of(" \0", std::string::npos, 2);
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<std::vector<double>> numbers(DcmItem* it, const DcmTagKey& tag, unsigned long n) {
  if (!it) return std::nullopt;
  std::vector<double> out(n);
  for (unsigned long i = 0; i < n; ++i) {
    Float64 v = 0;
    if (it->findAndGetFloat64(tag, v, i).bad() || !std::isfinite(v)) return std::nullopt;
    out[i] = v;
  }
  return out;
}

CodedTerm code(DcmItem* it, const DcmTagKey& seq) {
  DcmItem* c = item(it, seq);
  if (!c) return {};
  return {text(c, DCM_CodeValue), text(c, DCM_CodingSchemeDesignator), text(c, DCM_CodeMeaning)};
}

std::optional<int64_t> sliceAt(const Geometry& g, const std::array<int64_t, 3>& dims, Vec3 p) {
  const Vec3 v = g.voxelFromWorld().applyPoint(p);
  const double k = std::round(v.z);
  if (k < 0 || k >= static_cast<double>(dims[2])) return std::nullopt;
  const double minSpacing = std::min({g.spacingMm.x, g.spacingMm.y, g.spacingMm.z});
  const double tol = std::min(kSegPositionToleranceMm, 0.25 * minSpacing);
  if (norm(g.worldAt(0, 0, k) - p) > tol) return std::nullopt;
  return static_cast<int64_t>(k);
}

std::optional<Grid> gridFromPositions(Vec3 row, Vec3 col, double spacingX, double spacingY,
                                      const std::vector<Vec3>& positions, int64_t cols, int64_t rows,
                                      double spacingZ, double sliceThickness) {
  if (positions.empty() || !(spacingX > 0) || !(spacingY > 0)) return std::nullopt;
  const Vec3 normal = normalized(cross(row, col));
  if (norm(normal) < 0.5) return std::nullopt;
  std::vector<double> d;
  for (const Vec3& p : positions) d.push_back(dot(p, normal));
  std::sort(d.begin(), d.end());
  const double tol = std::min(kSegPositionToleranceMm, 0.25 * std::min(spacingX, spacingY));
  std::vector<double> distinct{d.front()};
  for (double x : d)
    if (x - distinct.back() > tol) distinct.push_back(x);
  double sz = spacingZ;
  if (!(sz > tol)) {
    sz = 0;
    for (size_t i = 1; i < distinct.size(); ++i) {
      const double gap = distinct[i] - distinct[i - 1];
      if (sz == 0 || gap < sz) sz = gap;
    }
    if (sz == 0) sz = sliceThickness > 0 ? sliceThickness : 1.0;
  }
  const double extent = distinct.back() - distinct.front();
  if (extent / sz > 65535) return std::nullopt;
  Grid grid;
  grid.dims = {cols, rows, static_cast<int64_t>(std::llround(extent / sz)) + 1};
  // The origin: the frame position with the lowest projection on the normal.
  Vec3 origin = positions.front();
  for (const Vec3& p : positions)
    if (dot(p, normal) < dot(origin, normal)) origin = p;
  grid.geometry.originMm = origin;
  grid.geometry.spacingMm = {spacingX, spacingY, sz};
  grid.geometry.direction = {normalized(row), normalized(col), normal};
  // A gantry-tilt stack: the step from slice to slice leans off the normal; keep it exact as a
  // sheared grid (direction[2] = the stack direction, spacing = the step's length).
  if (grid.dims[2] > 1) {
    Vec3 far = positions.front();
    for (const Vec3& p : positions)
      if (dot(p, normal) > dot(far, normal)) far = p;
    const Vec3 step = (far - origin) * (1.0 / static_cast<double>(grid.dims[2] - 1));
    if (norm(step - normal * dot(step, normal)) > tol / static_cast<double>(grid.dims[2])) {
      grid.geometry.direction[2] = normalized(step);
      grid.geometry.spacingMm.z = norm(step);
      grid.geometry.sheared = true;
    }
  }
  for (const Vec3& p : positions)
    if (!sliceAt(grid.geometry, grid.dims, p)) return std::nullopt;
  return grid;
}

}  // namespace cvx::io::seg
