// SPDX-License-Identifier: MIT
// Shared by the punching tests (punch_3d_test.cpp, punch_3d_render_test.cpp): a centred grid, a
// square lasso, balls in air, a segment where a predicate holds, the front camera.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include <cvx/core/segmentation.h>
#include <cvx/viewstate/punch_3d.h>
#include <cvx/viewstate/render_3d.h>

namespace cvx::test::punch {

using namespace cvx::view;

inline constexpr int kN = 41;  // a 41^3 grid of 1 mm voxels centred on the origin

inline Geometry centred(double spacing = 1, int n = kN) {
  Geometry g;
  g.spacingMm = {spacing, spacing, spacing};
  const double h = spacing * (n - 1) / 2;
  g.originMm = {-h, -h, -h};
  return g;
}

// The square |x|, |z| <= half on the plane y = at, seen along +y (from the front).
inline ScissorsCut square(double half, double at, bool perspective = false, Vec3 eye = {0, -100, 0}) {
  ScissorsCut c;
  c.polygon = {{-half, at, -half}, {half, at, -half}, {half, at, half}, {-half, at, half}};
  c.viewDirection = {0, 1, 0};
  c.perspective = perspective;
  c.eye = eye;
  return c;
}

inline int64_t count(const std::vector<uint8_t>& m) {
  int64_t n = 0;
  for (uint8_t b : m) n += b;
  return n;
}

// Balls of radius r at the given centres (value 1000) in air (0), on the centred grid.
inline std::shared_ptr<Volume> balls(const std::vector<Vec3>& centres, double r = 5, int phases = 1) {
  auto v = Volume::create(PixelType::Int16, {kN, kN, kN, phases}).value();
  v->geometry = centred();
  int16_t* p = v->as<int16_t>();
  for (int t = 0; t < phases; ++t)
    for (int k = 0; k < kN; ++k)
      for (int j = 0; j < kN; ++j)
        for (int i = 0; i < kN; ++i) {
          int16_t value = 0;
          for (const Vec3& c : centres)
            if (norm(v->geometry.worldAt(i, j, k) - c) <= r) value = static_cast<int16_t>(1000 + t);
          *p++ = value;
        }
  return v;
}

// Segment 0 of a segmentation on v's grid: the voxels where in(world) holds.
inline std::shared_ptr<Segmentation> segmentWhere(const Volume& v, const std::function<bool(Vec3)>& in) {
  std::vector<uint8_t> mask(static_cast<size_t>(v.voxelsPerPhase()));
  const auto& d = v.dims();
  for (int64_t k = 0, i = 0; k < d[2]; ++k)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) mask[static_cast<size_t>(i)] = in(v.geometry.worldAt(x, y, k));
  auto s = std::make_shared<Segmentation>(Segmentation::onGridOf(v));
  Segment seg;
  seg.name = "ball";
  EXPECT_TRUE(s->addSegment(seg, mask.data()).ok());
  return s;
}

inline Camera3DView front(bool perspective = false) {
  Camera3DView c;
  c.perspective = perspective;
  return c;
}

}  // namespace cvx::test::punch
