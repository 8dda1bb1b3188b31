// SPDX-License-Identifier: MIT
// What a view needs to draw and pick measurements, without Qt: the outline in patient space (the
// view maps it with PixelFrame::pixelOf), which handle or measurement is under the mouse, and the
// text beside it. Pixel coordinates are the view's PixelFrame's (pixel (x, y) centred at (x, y)).
#pragma once
#include <array>
#include <string>
#include <vector>

#include <cvx/viewstate/measure.h>

namespace cvx::view {

// The polyline to draw, LPS mm: distance 2 points, angle 3 (arm, vertex, arm), rectangle its 4
// corners, ellipse `ellipseSegments` points on it, freehand its vertices. Closed (last joins
// first) for the ROIs: outlineClosed(kind).
std::vector<Vec3> outlineWorld(const Measurement& m, int ellipseSegments = 64);
bool outlineClosed(MeasureKind k);

// The point of the segment a-b nearest to pixel p, as its fraction t (0 at a, 1 at b; 0 when a = b), and
// the distance in pixels from p to it.
double segmentFractionPx(std::array<double, 2> p, std::array<double, 2> a, std::array<double, 2> b);
double segmentDistancePx(std::array<double, 2> p, std::array<double, 2> a, std::array<double, 2> b);

// The handle of m nearest to pixel (x, y) within radiusPx, or -1.
int handleAt(const Measurement& m, const PixelFrame& f, double x, double y, double radiusPx);
// Whether pixel (x, y) is within radiusPx of m's outline, or inside a closed one.
bool hitOutline(const Measurement& m, const PixelFrame& f, double x, double y, double radiusPx);

// The lines drawn beside a measurement (label first when it has one):
//   distance "12.3 mm" ("12.3 px" when the spacing is unknown); angle "45.0 deg";
//   ROI "area 314.2 mm2", "mean 40.1  SD 3.2 HU", "min -5.0  max 88.0  n 81", and for PET with a
//   factor "SUVbw mean 2.10  max 3.50", and with a lean body mass (suv.h) "SUL mean 1.56  SD 0.13"
//   (PERCIST's liver reference reads a SUL mean and SD).
std::vector<std::string> resultText(const Measurement& m, const MeasureResult& r);

}  // namespace cvx::view
