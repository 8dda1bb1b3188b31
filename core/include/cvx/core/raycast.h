// SPDX-License-Identifier: MIT
// A 3D camera in patient space (LPS, mm) and its conversion to the voxel-index parameters that
// hd::shadePixel runs on (docs/rendering.md, "Volume rendering"); the brick map of empty space is in
// bricks.h.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <cvx/core/bricks.h>
#include <cvx/core/geometry.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/volume.h>

namespace cvx {

struct Camera3D {
  Vec3 eye{0, -500, 0}, center{0, 0, 0}, up{0, 0, 1};  // LPS mm; up need not be orthogonal
  bool perspective = true;
  double fovYDeg = 30;                  // perspective: the image's vertical field of view
  double parallelHalfHeightMm = 150;    // parallel: half the image height in mm
};

// Pixel (x, y)'s centre is at image coordinates (x + 0.5, y + 0.5), y down; the image's right is
// forward x up (forward = center - eye), so a camera in front of the patient (eye at -y, up +z)
// shows the patient's right on the image's left, as radiology's 3D views do. Perspective rays start
// at the eye, parallel rays on the plane through the eye; t is in mm from there. A degenerate
// camera (eye at center, up along the view) or grid gives rays that hit nothing.
hd::RayCamera rayCamera(const Geometry& g, const Camera3D& c, int width, int height);

// The same rays in patient space: pixel (x, y)'s ray starts at o + ou x + ov y and runs along
// w + wu x + wv y (any length; t is mm along its unit vector, the ray caster's depth). Perspective:
// o is the eye and ou = ov = 0; parallel: w is the view direction and wu = wv = 0. valid is false
// for a degenerate camera or size.
struct WorldRays {
  Vec3 o, ou, ov, w, wu, wv;
  bool perspective = true;
  bool valid = false;
  Vec3 origin(double x, double y) const { return o + ou * x + ov * y; }  // x, y may be fractions
  Vec3 direction(double x, double y) const { return w + wu * x + wv * y; }  // not normalised
  // The point at depth t (mm) along pixel (x, y)'s ray.
  Vec3 at(double x, double y, double t) const { return origin(x, y) + normalized(direction(x, y)) * t; }
};
WorldRays worldRays(const Camera3D& c, int width, int height);

// Where a patient-space point falls in a width x height image of camera c: pixel coordinates (x
// right, y down; pixel (i, j)'s centre at (i + 0.5, j + 0.5)), the inverse of the rays above.
// Nothing for a point behind a perspective eye or a degenerate camera.
std::optional<std::array<double, 2>> projectToPixel(const Camera3D& c, Vec3 world, int width, int height);

// Parameters for a volume of `dims` on grid g seen by c: the camera, the voxel box, gradWorld
// (voxelFromWorld's linear part, transposed). Everything else keeps hd's defaults.
hd::RaycastParams raycastParams(const Geometry& g, const std::array<int64_t, 4>& dims, const Camera3D& c,
                                int width, int height);

// hd::Fusion for a second volume (grid g2 of dims2, drawn with tf2) fused into a rendering of the
// first (grid g): the map from the first volume's voxel index to the second's, the second's box and
// gradient transform. Both grids in the same frame of reference (patient space, LPS mm).
hd::Fusion fusionParams(const Geometry& g, const Geometry& g2, const std::array<int64_t, 4>& dims2,
                        const hd::TransferFunction1D& tf2);

}  // namespace cvx
