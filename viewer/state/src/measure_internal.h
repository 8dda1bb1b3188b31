// SPDX-License-Identifier: MIT
// Private to the measurement units: the shape maths shared by measure.cpp and measure_stats.cpp.
#pragma once
#include <vector>

#include <cvx/viewstate/measure.h>

namespace cvx::view::detail {

// A vector in the space lengths and angles are measured in: patient mm, or voxel-index units when
// the spacing is unknown.
Vec3 measureSpace(const Geometry& g, Vec3 v);
double lengthOf(const Geometry& g, Vec3 a, Vec3 b);
double angleDegOf(const Geometry& g, Vec3 a, Vec3 vertex, Vec3 b);

// An ROI in its plane's coordinates (mm along right, down from plane.center).
struct RoiShape {
  MeasureKind kind = MeasureKind::Rectangle;
  std::vector<double> u, v;  // the handles
  double umin = 0, umax = 0, vmin = 0, vmax = 0;
  double areaMm2() const;
  // Inside, or within eps mm of the edge of a rectangle or ellipse (a freehand edge is even-odd).
  bool contains(double u, double v, double eps) const;
};
RoiShape roiShape(const Measurement& m);

// px^2 per mm^2 of a plane with this normal on grid g (1 / (sx sy) for an axial plane).
double pixelAreaPerMm2(const Geometry& g, Vec3 normal);

}  // namespace cvx::view::detail
