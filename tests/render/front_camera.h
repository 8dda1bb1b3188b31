// SPDX-License-Identifier: MIT
// The camera the mesh tests look through: from the front (along +y, up +z), parallel, 64 x 64 pixels
// of 1 mm, rays starting on the plane y = -500. Pixel (x, y)'s centre is at patient x = x - 31.5 and
// z = 31.5 - y (the camera's definition, core/raycast.h).
#pragma once
#include <cvx/core/raycast.h>

namespace cvx::test {

inline constexpr int kFrontPixels = 64;

inline Camera3D frontCamera() {
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = kFrontPixels / 2.0;
  return cam;
}

}  // namespace cvx::test
