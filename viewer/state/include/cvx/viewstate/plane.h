// SPDX-License-Identifier: MIT
// View planes in patient space (LPS, mm): a view's worldFromView is its centre and two unit
// in-plane axes, screen right and screen down. The normal (right x down) points away from the
// viewer's eye, into the screen.
#pragma once
#include <array>
#include <optional>
#include <string>

#include <cvx/core/geometry.h>
#include <cvx/core/volume.h>

namespace cvx::view {

enum class Orientation { Axial, Coronal, Sagittal, Oblique };
// Radiological: the patient's right on the screen's left (as if facing the patient); the default.
// Neurological: the patient's right on the screen's right (axial and coronal mirrored).
enum class Convention { Radiological, Neurological };

const char* toString(Orientation o);

// The grid step (mm) along a unit direction: the distance over which a grid's voxel index changes
// by at most 1 along any axis (its spacing for an axis-aligned direction). A view scrolls by it and
// an ROI samples by it.
double gridStepMm(const Geometry& g, Vec3 direction);
std::optional<Orientation> orientationFromString(const std::string& s);

struct Plane {
  Vec3 center;                 // a point of the plane (LPS mm)
  Vec3 right{1, 0, 0};         // unit, screen right
  Vec3 down{0, 1, 0};          // unit, screen down
  Vec3 normal() const { return cross(right, down); }
};

// The standard axes of a view: axial looks from the feet (right = L, down = P), coronal from the
// front (right = L, down = I), sagittal from the patient's left (right = P, down = I); the
// neurological convention mirrors axial and coronal (right = R).
Plane standardPlane(Orientation o, Convention c, Vec3 center);

// Rotates a vector about a unit axis by an angle (radians, right-handed).
Vec3 rotateAbout(Vec3 v, Vec3 axis, double radians);

// The patient direction a screen direction points to, as the letters a viewer writes at the edges
// (L/R, A/P, S/I; "LA" for an oblique direction whose second component is at least half the first).
std::string directionLabel(Vec3 d);

// The extent of a volume's grid along a direction (LPS mm, dot products with `direction`): over the
// voxel centres, or over the voxel edges (half a voxel further, what an image of it covers).
struct Extent {
  double lo = 0, hi = 0;
};
enum class GridPoints { Centres, Edges };
Extent gridExtent(const Volume& v, Vec3 direction, GridPoints points);

// How view pixels map to patient space: pixel (x, y) has its centre at origin + du*x + dv*y.
struct PixelFrame {
  Vec3 origin;   // LPS mm of pixel (0, 0)'s centre
  Vec3 du, dv;   // LPS mm per pixel, right and down
  int width = 0, height = 0;
  double mmPerPixel = 1;
  Vec3 worldAt(double x, double y) const { return origin + du * x + dv * y; }
  // The pixel (continuous) where a world point projects, and its distance from the plane (mm).
  std::array<double, 3> pixelOf(Vec3 world) const;
};

}  // namespace cvx::view
