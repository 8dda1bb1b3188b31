// SPDX-License-Identifier: MIT
// Shared by the measurement tests: synthetic volumes whose voxel values and geometry the tests
// know in closed form, and measurements on a plane.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <cvx/core/volume.h>
#include <cvx/viewstate/measure.h>

namespace cvx::test {

// A float32 volume whose voxel (i, j, k) holds f(i, j, k), with the given grid.
inline std::shared_ptr<Volume> floatVolume(std::array<int64_t, 3> dims, Vec3 spacing, Vec3 origin,
                                           const std::function<double(int64_t, int64_t, int64_t)>& f,
                                           std::array<Vec3, 3> direction = {Vec3{1, 0, 0}, Vec3{0, 1, 0},
                                                                            Vec3{0, 0, 1}}) {
  auto v = Volume::create(PixelType::Float32, {dims[0], dims[1], dims[2], 1});
  EXPECT_TRUE(v.ok());
  Volume& vol = **v;
  vol.geometry.spacingMm = spacing;
  vol.geometry.originMm = origin;
  vol.geometry.direction = direction;
  vol.info.modality = "CT";
  vol.info.units = "HU";
  vol.info.rescaleApplied = true;
  float* p = vol.as<float>();
  for (int64_t k = 0; k < dims[2]; ++k)
    for (int64_t j = 0; j < dims[1]; ++j)
      for (int64_t i = 0; i < dims[0]; ++i) *p++ = static_cast<float>(f(i, j, k));
  return *v;
}

// A measurement of `kind` on `plane` through the given points.
inline view::Measurement shape(view::MeasureKind kind, const view::Plane& plane, std::vector<Vec3> points) {
  view::Measurement m;
  m.kind = kind;
  m.plane = plane;
  m.points = std::move(points);
  return m;
}

// The axial plane (right = +x, down = +y) through a point.
inline view::Plane axialAt(Vec3 p) {
  view::Plane pl;
  pl.center = p;
  return pl;
}

}  // namespace cvx::test
