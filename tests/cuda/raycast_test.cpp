// SPDX-License-Identifier: MIT
// cuda::raycast against the CPU back end (render::raycastCpu), the oracle, on procedural phantoms:
// composite (shaded, pre-integrated, jittered, with empty-space skipping), MIP, isosurface, a 2D
// table, a fused second volume, and out of core (a few slices resident at a time). Both
// run hd::shadePixel; the device may contract a*b+c into one FMA and its expf/powf differ in the
// last bits, and by default samples through the texture unit (8-bit interpolation weights,
// raycast_texture.h), so colours agree within kMaxAbs per pixel and on average within kMeanAbs.
// tools/gpu_run.sh runs these once more with CVX_CUDA_SAMPLER=exact. Skips without a device;
// fails when CVX_REQUIRE_CUDA=1.
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/core/transfer2d.h>
#include <cvx/cuda/backend.h>
#include <cvx/cuda/raycast.h>
#include <cvx/render/backend.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "need_gpu.h"

namespace {

constexpr float kMaxAbs = 0.02f;    // a sample that crosses a brick or iso decision differently
constexpr float kMeanAbs = 1e-3f;

// Two smooth blobs in int16 with a CT rescale, on an anisotropic grid, wide enough that the views
// below draw a quarter to all of their pixels (checked on an H200, 2026-12-04).
std::shared_ptr<cvx::Volume> blobs() {
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
void expectClose(const std::vector<float>& cpu, const std::vector<float>& gpu, int w, int h) {
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

// second: a volume fused into the composite (p.fusion), or null. budgetSlices > 0: the GPU casts
// out of core with that many slices resident (cuda::raycastSlabs), against the CPU in core.
void compare(const cvx::Volume& v, const cvx::hd::RaycastParams& p, const cvx::hd::TransferFunction1D& tf,
             const cvx::Volume* second = nullptr, int budgetSlices = 0) {
  const int w = 96, h = 80;
  std::vector<float> cpu(4 * w * h), gpu(4 * w * h, -1), cd(w * h), gd(w * h);
  if (second)
    ASSERT_TRUE(cvx::render::raycastCpuFused(v, 0, *second, 0, p, tf, w, h, cpu.data(), cd.data()).ok());
  else
    ASSERT_TRUE(cvx::render::raycastCpu(v, 0, p, tf, w, h, cpu.data(), cd.data()).ok());
  int slabs = 0;
  auto s = second         ? cvx::cuda::raycastFused(v, 0, *second, 0, p, tf, w, h, gpu.data(), gd.data())
           : budgetSlices ? cvx::cuda::raycastSlabs(v, 0, p, tf, budgetSlices * v.sliceBytes(), w, h, gpu.data(),
                                                    gd.data(), nullptr, &slabs)
                          : cvx::cuda::raycast(v, 0, p, tf, w, h, gpu.data(), gd.data());
  if (budgetSlices) {
    EXPECT_GE(slabs, 4);
  }
  ASSERT_TRUE(s.ok()) << s.error().str();
  expectClose(cpu, gpu, w, h);
}

// The blobs' transfer function, and the parameters of a shaded, jittered view of them.
cvx::TransferTable blobTable() {
  auto table = cvx::buildTransferTable(
      {{-1000, 0, 0, 0, 0}, {100, 0.8f, 0.3f, 0.2f, 0}, {400, 1, 0.9f, 0.7f, 0.3f}, {900, 1, 1, 1, 0.8f}}, 1.0);
  EXPECT_TRUE(table.ok());
  return table.ok() ? std::move(*table) : cvx::TransferTable{};
}
cvx::hd::RaycastParams blobView(const cvx::Volume& v) {
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

TEST(CudaRaycast, MatchesTheCpuBackEnd) {
  CVX_NEED_GPU();
  auto v = blobs();
  const cvx::TransferTable table = blobTable();
  const auto tf = table.view();
  auto p = blobView(*v);
  compare(*v, p, tf);  // composite, shaded, pre-integrated, jittered
  const cvx::BrickRanges r = cvx::brickRanges(*v, 0);
  const std::vector<uint8_t> skip = cvx::brickSkipMap(r, table);
  p.bricks = cvx::brickMapView(r, skip);
  compare(*v, p, tf);  // with empty-space skipping
  p.bricks = {};
  p.mode = cvx::hd::RenderMode::Mip;
  compare(*v, p, tf);
  p.bricks = cvx::brickMapView(r, {});  // MIP and MinIP pass over bricks by their ranges
  compare(*v, p, tf);
  p.mode = cvx::hd::RenderMode::MinIp;
  compare(*v, p, tf);
  p.bricks = {};
  p.mode = cvx::hd::RenderMode::Isosurface;
  p.isoValue = 300;
  compare(*v, p, tf);
  // A 2D table (gradient opacity), with skipping on its envelope.
  auto t2 = cvx::buildGradientTable(
      {{-1000, 0, 0, 0, 0}, {100, 0.8f, 0.3f, 0.2f, 0}, {400, 1, 0.9f, 0.7f, 0.3f}, {900, 1, 1, 1, 0.8f}}, 1.0,
      {{0, 0.2f}, {40, 1}});
  ASSERT_TRUE(t2.ok());
  p.mode = cvx::hd::RenderMode::Composite;
  p.tf2 = t2->view();
  const std::vector<uint8_t> skip2 = cvx::brickSkipMap(r, t2->envelope());
  p.bricks = cvx::brickMapView(r, skip2);
  compare(*v, p, t2->envelope().view());
  // Fusion: the blobs again on a coarser, shifted grid, in a hot colour.
  p.tf2 = {};
  p.bricks = {};
  auto second = blobs();
  second->geometry.spacingMm = {1.2, 1.1, 2.0};
  second->geometry.originMm = {-10, 5, 3};
  auto hot = cvx::buildTransferTable({{-1000, 1, 0, 0, 0}, {300, 1, 0.2f, 0, 0}, {900, 1, 0.8f, 0, 0.4f}}, 1.0);
  ASSERT_TRUE(hot.ok());
  p.fusion = cvx::fusionParams(v->geometry, second->geometry, second->dims(), hot->view());
  compare(*v, p, tf, second.get());
}

TEST(CudaRaycast, OutOfCoreMatchesTheCpuBackEndInCore) {
  CVX_NEED_GPU();
  auto v = blobs();
  const cvx::TransferTable table = blobTable();
  auto p = blobView(*v);
  const cvx::BrickRanges r = cvx::brickRanges(*v, 0);
  const std::vector<uint8_t> skip = cvx::brickSkipMap(r, table);
  p.bricks = cvx::brickMapView(r, skip);
  compare(*v, p, table.view(), nullptr, 10);  // 10 of 48 slices resident: at least 4 slabs
  p.mode = cvx::hd::RenderMode::Mip;  // the ranges' leaps carried from slab to slab
  compare(*v, p, table.view(), nullptr, 10);
  p.mode = cvx::hd::RenderMode::Isosurface;
  p.isoValue = 300;
  compare(*v, p, table.view(), nullptr, 10);
}

// The registry's CUDA back end keeps the viewed phase on the device: frames of the same phase and
// revision copy nothing, another phase or revision is copied, and every frame matches the CPU.
TEST(CudaRaycast, BackendKeepsThePhaseOnTheDeviceBetweenFrames) {
  CVX_NEED_GPU();
  cvx::BackendRegistry registry;
  cvx::render::registerBackend(registry);
  ASSERT_TRUE(cvx::cuda::registerBackend(registry));
  auto chosen = registry.select("");
  ASSERT_TRUE(chosen.ok()) << chosen.error().str();
  ASSERT_EQ((*chosen)->name(), "cuda");
  auto* gpu = static_cast<cvx::cuda::CudaBackend*>(chosen->get());
  // Two phases: the blobs, and the blobs brighter.
  auto one = blobs();
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {80, 72, 48, 2}).value();
  v->geometry = one->geometry;
  v->info = one->info;
  const size_t n = static_cast<size_t>(one->voxelsPerPhase());
  std::copy_n(one->as<int16_t>(), n, v->as<int16_t>());
  for (size_t i = 0; i < n; ++i) v->as<int16_t>()[n + i] = static_cast<int16_t>(one->as<int16_t>()[i] * 5 / 4);
  const cvx::TransferTable table = blobTable();
  const int w = 96, h = 80;
  std::vector<float> cpu(4 * w * h), out(4 * w * h);
  cvx::RaycastJob job;
  job.volume = v.get(), job.params = blobView(*v), job.tf = table.view();
  job.width = w, job.height = h, job.rgba = out.data();
  auto frame = [&](int64_t phase, uint64_t revision, uint64_t uploads) {
    job.phase = phase, job.revision = revision;
    std::fill(out.begin(), out.end(), -1.0f);
    const cvx::Status st = gpu->raycast(job);
    ASSERT_TRUE(st.ok()) << st.error().str();
    EXPECT_EQ(gpu->raycastUploads(), uploads) << "phase " << phase << " revision " << revision;
    ASSERT_TRUE(cvx::render::raycastCpu(*v, phase, job.params, job.tf, w, h, cpu.data()).ok());
    expectClose(cpu, out, w, h);
  };
  frame(0, 1, 1);
  job.params.seed = 9;  // another frame of the same phase
  frame(0, 1, 1);
  frame(1, 1, 2);
  for (size_t i = 0; i < n; ++i) v->as<int16_t>()[n + i] = one->as<int16_t>()[i];  // phase 1 edited in place
  frame(1, 2, 3);
  frame(0, 2, 4);
  // A fused job through the same back end equals the CPU's fused image.
  auto hot = cvx::buildTransferTable({{-1000, 1, 0, 0, 0}, {300, 1, 0.2f, 0, 0}, {900, 1, 0.8f, 0, 0.4f}}, 1.0);
  ASSERT_TRUE(hot.ok());
  job.second = one.get();
  job.params.fusion = cvx::fusionParams(v->geometry, one->geometry, one->dims(), hot->view());
  ASSERT_TRUE(gpu->raycast(job).ok());
  ASSERT_TRUE(cvx::render::raycastCpuFused(*v, 0, *one, 0, job.params, job.tf, w, h, cpu.data()).ok());
  expectClose(cpu, out, w, h);
  // Skipping: the device keeps a brick map while its stamp stays and copies another stamp's. Two
  // tables' maps in turn (A, B, A, B): a stale copy of B's map under A's table would skip bricks A
  // draws.
  job.second = nullptr;
  job.params = blobView(*v);
  const cvx::BrickRanges r = cvx::brickRanges(*v, 0);
  auto denser = cvx::buildTransferTable({{-1000, 0, 0, 0, 0}, {300, 1, 0.5f, 0.2f, 0}, {900, 1, 1, 1, 0.8f}}, 1.0);
  ASSERT_TRUE(denser.ok());
  const cvx::TransferTable* tables[2] = {&table, &*denser};
  const std::vector<uint8_t> skips[2] = {cvx::brickSkipMap(r, table), cvx::brickSkipMap(r, *denser)};
  const uint64_t stamps[2] = {cvx::newBrickMapStamp(), cvx::newBrickMapStamp()};
  for (int k = 0; k < 4; ++k) {
    job.tf = tables[k % 2]->view();
    job.params.bricks = cvx::brickMapView(r, skips[k % 2]);
    job.params.bricks.stamp = stamps[k % 2];
    ASSERT_TRUE(gpu->raycast(job).ok());
    ASSERT_TRUE(cvx::render::raycastCpu(*v, 0, job.params, job.tf, w, h, cpu.data()).ok());
    expectClose(cpu, out, w, h);
  }
}

}  // namespace
