// SPDX-License-Identifier: MIT
// The CUDA ray-casting tests' phantom (two smooth blobs), its transfer function and view, and the
// comparison of a GPU image with the CPU's (raycast_test.cpp, raycast_resident_test.cpp). The
// tolerances: raycast_test.cpp's header.
#pragma once
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/core/volume.h>

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

namespace cvx_test_raycast {

inline constexpr float kMaxAbs = 0.02f;    // a sample that crosses a brick or iso decision differently
inline constexpr float kMeanAbs = 1e-3f;

// Two smooth blobs in int16 with a CT rescale, on an anisotropic grid, wide enough that the views
// below draw a quarter to all of their pixels (checked on an H200, 2026-12-04).
inline std::shared_ptr<cvx::Volume> blobs() {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {80, 72, 48, 1}).value();
  v->geometry.spacingMm = {0.8, 0.8, 1.5};
  v->info.rescaleIntercept = -1024;
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 48; ++k)
    for (int j = 0; j < 72; ++j)
      for (int i = 0; i < 80; ++i) {
        const double a = (i - 30) * (i - 30) + (j - 30) * (j - 30) + 2.0 * (k - 20) * (k - 20);
        const double b = (i - 55) * (i - 55) + (j - 45) * (j - 45) + 2.0 * (k - 28) * (k - 28);
        *p++ = static_cast<int16_t>(1024 - 1000 + 1800 * std::exp(-a / 600) + 1300 * std::exp(-b / 320));
      }
  return v;
}

// The GPU's image against the CPU's, both w x h premultiplied RGBA.
inline void expectClose(const std::vector<float>& cpu, const std::vector<float>& gpu, int w, int h) {
  ASSERT_EQ(cpu.size(), gpu.size());
  double sum = 0, drawn = 0;
  for (size_t i = 0; i < cpu.size(); ++i) {
    ASSERT_NEAR(gpu[i], cpu[i], kMaxAbs) << "channel " << i;
    sum += std::abs(gpu[i] - cpu[i]);
    drawn += i % 4 == 3 && cpu[i] > 0.05f;
  }
  EXPECT_LT(sum / cpu.size(), kMeanAbs);
  EXPECT_GT(drawn, w * h / 20);  // the phantom is in view: a real comparison
}

// The blobs' transfer function, and the parameters of a shaded, jittered view of them.
inline cvx::TransferTable blobTable() {
  auto table = cvx::buildTransferTable(
      {{-1000, 0, 0, 0, 0}, {100, 0.8f, 0.3f, 0.2f, 0}, {400, 1, 0.9f, 0.7f, 0.3f}, {900, 1, 1, 1, 0.8f}}, 1.0);
  EXPECT_TRUE(table.ok());
  return table.ok() ? std::move(*table) : cvx::TransferTable{};
}
inline cvx::hd::RaycastParams blobView(const cvx::Volume& v) {
  cvx::Camera3D cam;
  cam.center = v.geometry.worldAt(40, 36, 24);
  cam.eye = cam.center + cvx::Vec3{-60, -100, 40};
  cam.fovYDeg = 25;
  auto p = cvx::raycastParams(v.geometry, v.dims(), cam, 96, 80);
  p.stepMm = 0.4f;
  p.shading.on = true;
  p.jitter = true;
  p.seed = 3;
  return p;
}

}  // namespace cvx_test_raycast
