// SPDX-License-Identifier: MIT
// Shared by the viewer-state tests.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include <cvx/core/geometry.h>
#include <cvx/core/mesh.h>
#include <cvx/viewstate/state.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::test {

inline void expectVec(Vec3 a, Vec3 b, double tol = 1e-9) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

// A preset that draws white, transparent up to 300 and fully opaque (per mm) from 600.
inline view::TransferPreset opaqueWhite() {
  view::TransferPreset t;
  t.name = "test-opaque";
  t.points = {{0, 1, 1, 1, 0}, {300, 1, 1, 1, 0}, {600, 1, 1, 1, 1}};
  return t;
}

// A green square of side 20 mm at y = 0 facing the front (-y): a segment surface in 3D tests.
inline std::shared_ptr<const Mesh> greenSquare() {
  auto m = std::make_shared<Mesh>();
  m->points = {{-10, 0, -10}, {10, 0, -10}, {10, 0, 10}, {-10, 0, 10}};
  m->triangles = {{0, 1, 2}, {0, 2, 3}};
  m->rgb = {0, 255, 0};
  return m;
}

// A free clip plane (state.h) through point with normal (flipped or not).
inline view::ClipPlane3D plane(Vec3 point, Vec3 normal, bool flip = false) {
  view::ClipPlane3D c;
  c.point = point;
  c.normal = normal;
  c.flip = flip;
  return c;
}

}  // namespace cvx::test
