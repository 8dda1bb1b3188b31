// SPDX-License-Identifier: MIT
// Measurements in patient space (LPS, mm), Qt-free: distance, angle, ellipse, rectangle and
// freehand ROIs drawn on a view plane, and what they measure on their layer (docs/measurements.md).
//
// - Every handle is a world point on the measurement's plane (the view plane it was drawn on):
//   Distance 2 (the ends), Angle 3 (first arm end, vertex, second arm end), Ellipse and Rectangle 2
//   (opposite corners of the box, whose sides run along plane.right and plane.down; the ellipse is
//   inscribed in it), Freehand 3 or more (a closed polygon, the last vertex joins the first).
// - Lengths in mm, angles in degrees, areas in mm^2. When the layer's in-plane spacing is unknown
//   (Geometry::spacingKnown false) lengths and areas are in voxel-index units, "px" and "px2", and
//   angles are measured there too: what the image shows when nothing says how large a pixel is.
// - ROI values: the layer resliced through the one reslice function on a grid on the ROI's plane
//   whose steps are the layer's own voxel steps along plane.right and plane.down (its spacing for
//   an axis-aligned plane), anchored at the voxel centre nearest the ROI's centre; every grid point
//   inside the ROI (its edge included) and inside the volume counts. On a plane through voxel
//   centres (the viewer snaps the cursor to them) the points are exactly the voxel centres: each
//   voxel of the slice whose centre lies in the ROI counts once, with its own value, as on the
//   scanner console. On an oblique plane the values are trilinear, one per voxel step.
//   count, mean, SD (the sample SD, n - 1; NaN below 2 points), min and max of modality values.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/plane.h>

namespace cvx::view {

enum class MeasureKind { Distance, Angle, Ellipse, Rectangle, Freehand };
const char* toString(MeasureKind k);  // "distance", "angle", "ellipse", "rectangle", "freehand"
std::optional<MeasureKind> measureKindFromString(const std::string& s);
bool isRoi(MeasureKind k);  // Ellipse, Rectangle, Freehand

struct Measurement {
  int64_t id = 0;             // unique in its set, never reused (0: not yet added)
  MeasureKind kind = MeasureKind::Distance;
  int layer = 0;              // the viewer state's layer index it measures
  std::string seriesUid;      // that layer's SeriesInstanceUID: finds the layer again in a later session
  int phase = 0;              // the phase it measures (4D)
  Plane plane;                // the view plane it was drawn on (center, right, down)
  std::vector<Vec3> points;   // handles (see above), LPS mm, on the plane
  std::string label;
};

// "measure.bad_shape" for a wrong handle count, a point or plane that is not finite, or a plane
// whose right and down are not unit and perpendicular (within 1e-6).
Status validate(const Measurement& m);

// p moved along the plane's normal onto the plane.
Vec3 projectOnPlane(const Plane& plane, Vec3 p);
// p in the plane's own coordinates: mm along right and along down from plane.center.
std::array<double, 2> planeCoords(const Plane& plane, Vec3 p);

// The grid step (mm) along a unit direction: the distance over which the layer's voxel index
// changes by at most 1 along any axis (its spacing for an axis-aligned direction).


// Whether a view showing `viewPlane` draws the measurement: its plane is parallel to the view's
// (normals within kShownAngleDeg, either sign: the neurological convention flips the normal) and
// every handle lies within half a slice step (ViewerState::sliceStepMm) of the view plane, so that
// scrolling shows it on exactly the slice it was drawn on.
inline constexpr double kShownAngleDeg = 0.5;
bool shownOn(const Measurement& m, const Plane& viewPlane, double sliceStepMm);

struct RoiStats {
  int64_t count = 0;  // grid points inside the ROI and the volume
  double mean = 0, sd = 0, min = 0, max = 0;  // NaN when count is 0 (sd: below 2)
};

struct MeasureResult {
  double value = 0;             // length, angle or area
  std::string unit;             // "mm", "px", "deg", "mm2", "px2"
  bool inPixels = false;        // the spacing is unknown: lengths and areas in voxel-index units
  std::optional<RoiStats> stats;   // ROIs: the layer's modality values
  std::string statsUnit;           // their units (SeriesInfo::units, else rescaleType; may be empty)
  std::optional<RoiStats> suv;     // PET (modality PT) with a SUVbw factor: the same points as SUVbw
  std::string suvError;            // PET without one: the suv.* code (suv.h)
  std::optional<RoiStats> sul;     // PET with a SUL factor (suvLeanBodyMass): the same points as SUL
  std::string sulError;            // PET without one: the suv.* code (suv.h; SUVbw's own errors first)
};

// What a measurement measures on v (the volume of its layer): "measure.bad_shape" (validate),
// "measure.bad_phase", "measure.roi_too_large" (more than kMaxRoiSamples grid points), or the
// reslice's error.
inline constexpr int64_t kMaxRoiSamples = int64_t{1} << 26;
Result<MeasureResult> measure(const Measurement& m, const Volume& v);

}  // namespace cvx::view
