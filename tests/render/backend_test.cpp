// SPDX-License-Identifier: MIT
// The CPU back end in the registry (render/backend.h): registered once, always usable, chosen when
// nothing of higher priority is, and its raycast is render::raycastCpu's (raycastCpuFused's) image
// bit for bit, with the same errors.
#include <cvx/core/raycast.h>
#include <cvx/render/backend.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <vector>

#include "phantom.h"

namespace {

cvx::hd::RaycastParams view(const cvx::Volume& v, int w, int h) {
  cvx::Camera3D cam;
  cam.center = v.geometry.worldAt(35, 30, 18);
  cam.eye = cam.center + cvx::Vec3{-90, -160, 60};
  cam.fovYDeg = 30;
  auto p = cvx::raycastParams(v.geometry, v.dims(), cam, w, h);
  p.stepMm = 0.5f;
  p.shading.on = true;
  p.jitter = true;
  return p;
}

TEST(CpuBackend, RegisteredOnceAndChosenWithoutAGpu) {
  cvx::BackendRegistry registry;
  cvx::render::registerBackend(registry);
  cvx::render::registerBackend(registry);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"cpu"});
  EXPECT_TRUE(registry.usable("cpu"));
  auto b = registry.select("");
  ASSERT_TRUE(b.ok()) << b.error().str();
  EXPECT_EQ((*b)->name(), "cpu");
  EXPECT_FALSE((*b)->capabilities().gpu);
}

TEST(CpuBackend, RaycastIsTheCpuRayCastersImage) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 300);
  const auto scene = cvx::test::blobScene(*v);
  const int w = 64, h = 48;
  cvx::render::CpuBackend backend;
  cvx::RaycastJob job;
  job.volume = v.get(), job.params = view(*v, w, h), job.tf = scene.table.view();
  job.params.bricks = cvx::brickMapView(scene.ranges, scene.skip);
  job.width = w, job.height = h;
  std::vector<float> a(4 * w * h, -1), b(4 * w * h, -2), da(w * h), db(w * h);
  job.rgba = a.data(), job.depth = da.data();
  ASSERT_TRUE(backend.raycast(job).ok());
  ASSERT_TRUE(cvx::render::raycastCpu(*v, 0, job.params, job.tf, w, h, b.data(), db.data()).ok());
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(da == db);
  size_t drawn = 0;
  for (size_t i = 3; i < a.size(); i += 4) drawn += a[i] > 0.05f;
  EXPECT_GT(drawn, static_cast<size_t>(w * h / 20)) << "the blobs are in view";
  // Fused: a second volume on its own grid.
  auto second = cvx::test::blobs<uint16_t>(cvx::PixelType::UInt16, 1000);
  job.second = second.get();
  job.params.fusion = cvx::fusionParams(v->geometry, second->geometry, second->dims(), scene.table.view());
  ASSERT_TRUE(backend.raycast(job).ok());
  ASSERT_TRUE(cvx::render::raycastCpuFused(*v, 0, *second, 0, job.params, job.tf, w, h, b.data(), db.data()).ok());
  EXPECT_TRUE(a == b);
  // The request's errors are the CPU ray caster's.
  job.phase = 1;
  auto st = backend.raycast(job);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "render.bad_request");
  job.volume = nullptr;
  st = backend.raycast(job);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "render.bad_request");
}

TEST(CpuBackend, HandlesNameTheCallersVolumes) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 300);
  cvx::render::CpuBackend backend;
  auto h = backend.uploadVolume(*v);
  ASSERT_TRUE(h.ok());
  EXPECT_NE(h->id, 0u);
  EXPECT_TRUE(backend.release(*h).ok());
  auto again = backend.release(*h);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "backend.bad_handle");
}

}  // namespace
