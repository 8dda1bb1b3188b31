// SPDX-License-Identifier: MIT
// Measurements in the 3D view (Qt-free): which of the session's measurements the 3D view draws, their
// outlines projected by its camera, and the Distance tool's measurement between two points picked on
// the rendering (docs/measurements.md, "In the 3D view").
#pragma once
#include <array>
#include <optional>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/raycast.h>
#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

// A distance between two points of the 3D scene (picked on the rendering: a bone's surface, a
// segment's, a slice), measured on the reference layer (layer 0) at the state's phase. Its plane holds
// both ends and faces the camera as much as it can: its normal is the line of sight less its component
// along the distance (when the ends are in line with the eye, any plane through them). The ends are
// kept exactly, so its length is |b - a|. measure.bad_shape when the ends coincide or are not finite,
// or the line of sight is zero; render.bad_request without a layer.
Result<Measurement> distanceIn3d(const ViewerState& s, Vec3 a, Vec3 b, Vec3 lineOfSight);

// An angle at `vertex` between the arms to a and b (three points picked on the rendering), as
// distanceIn3d: the reference layer, the state's phase, the points kept exactly, on the plane through
// the three (when they are in line, the plane through them that faces the camera most). Its value is
// the angle between the arms in space. measure.bad_shape when an arm has no length, a point is not
// finite or the line of sight is zero; render.bad_request without a layer.
Result<Measurement> angleIn3d(const ViewerState& s, Vec3 a, Vec3 vertex, Vec3 b, Vec3 lineOfSight);

// The handle of m under (x, y) in the 3D view's image (cam, width x height; pixel coordinates as
// projectToPixel's): the index of the nearest of its points projected within radiusPx, or -1. Only
// the kinds whose points are picked in 3D (Distance and Angle) have handles there: an ROI's points
// define a shape in its own plane, which a point picked on a surface would leave.
int handleIn3d(const Measurement& m, const Camera3D& cam, int width, int height, double x, double y, double radiusPx);

// m with point `handle` moved to `to` (a point picked in 3D) and measured again as distanceIn3d or
// angleIn3d measure (its plane through its points, facing the line of sight as they do); its id,
// label, layer, series and phase are kept. measure.bad_shape as they say, and for a kind without
// handles in 3D or a handle out of range.
Result<Measurement> moveHandleIn3d(const ViewerState& s, const Measurement& m, int handle, Vec3 to, Vec3 lineOfSight);

// The layer whose values m measures when the 3D view draws it, or -1 when it does not: the layer of
// m's series (findLayer, measure_export.h: by SeriesInstanceUID, so a measurement of a study opened
// again on another series is not taken for one of the new reference), drawn when it is the reference
// layer or shares its FrameOfReferenceUID, so that its points are where the rendering is. Every
// phase's and every plane's measurements are drawn.
int layerIn3d(const Measurement& m, const ViewerState& s);

// m's outline (outlineWorld; closed ROIs repeat their first point at the end) projected by cam onto a
// width x height image, in pixel coordinates; nullopt when a point lies behind a perspective eye.
std::optional<std::vector<std::array<double, 2>>> projectOutline(const Measurement& m, const Camera3D& cam,
                                                                 int width, int height);

}  // namespace cvx::view
