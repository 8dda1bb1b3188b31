// SPDX-License-Identifier: MIT
// The 3D scissors' geometry, Qt-free: a closed polygon drawn on a view's image plane that cuts
// through the whole volume along the line of sight (a prism for a parallel view, a cone from the
// eye for a perspective one), and which voxel centres of a grid it holds. The segment editor's
// scissors (seg_edit.h) and the 3D view's punches (punch_3d.h) test voxels with the same region.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/raycast.h>

namespace cvx::view {

struct ScissorsCut {
  std::vector<Vec3> polygon;    // LPS mm, on one plane (at least 3 points; closed implicitly)
  Vec3 viewDirection{0, 0, 1};  // where the view looks (parallel projection)
  bool perspective = false;
  Vec3 eye;  // perspective: the eye point; voxels at or behind it never match
  bool operator==(const ScissorsCut& o) const;  // every field the same
};
enum class ScissorsMode : uint8_t { EraseInside, KeepInside };

// A lasso drawn on a width x height image of camera c (pixel coordinates, x right, y down, as
// projectToPixel gives them) as a cut: each point is put where its ray (core's worldRays) meets
// the plane through c.center facing the camera; the view direction, projection and eye are c's.
// The cut then takes exactly the voxels whose centres project inside the lasso on that image.
ScissorsCut scissorsCutOnImage(const Camera3D& c, const std::vector<std::array<double, 2>>& lasso, int width,
                               int height);

// A cut made ready to test the voxel centres of grid g: a centre is inside when its projection
// onto the polygon's plane (along viewDirection, or through the eye: then only centres beyond the
// eye) lies inside the polygon by the even-odd rule.
class ScissorsRegion {
 public:
  // seg.edit_bad_polygon: under 3 points, a degenerate polygon (no area), a view direction in its
  // plane, or an eye on its plane.
  static Result<ScissorsRegion> make(const ScissorsCut& cut, const Geometry& g);
  // in[x] = 1 where voxel (x, y, z)'s centre is inside, else 0, for x in [0, nx). With `only`, only
  // the x where only[x] == value are tested (the rest of `in` is left as it is): a perspective
  // cut projects each centre, so a caller that needs a few voxels of a row says which.
  void row(int64_t y, int64_t z, int64_t nx, uint8_t* in, const uint8_t* only = nullptr,
           uint8_t value = 0) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace cvx::view
