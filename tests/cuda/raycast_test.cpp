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
#include "raycast_phantom.h"

namespace {

using namespace cvx_test_raycast;

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
  // The fused layer's table in 2D (its gradient opacity, hd::Fusion::tf2): copied to the device too.
  auto hot2 = cvx::buildGradientTable({{-1000, 1, 0, 0, 0}, {300, 1, 0.2f, 0, 0}, {900, 1, 0.8f, 0, 0.4f}}, 1.0,
                                      {{0, 0.1f}, {40, 1}});
  ASSERT_TRUE(hot2.ok());
  p.fusion = cvx::fusionParams(v->geometry, second->geometry, second->dims(), hot2->envelope().view());
  p.fusion.tf2 = hot2->view();
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
  compare(*v, p, table.view(), nullptr, 10);  // 10 of 48 slices resident: at least 4 slabs, one buffer
  // 24: two buffers of 12 slices (8 slabs; one buffer of 24 would make 3), each slab's copy on the
  // copy stream overlapping the kernel of the slab before on the cast stream.
  compare(*v, p, table.view(), nullptr, 24);
  p.mode = cvx::hd::RenderMode::Mip;
  compare(*v, p, table.view(), nullptr, 24);  // the ranges' leaps carried from slab to slab
  compare(*v, p, table.view(), nullptr, 10);
  p.mode = cvx::hd::RenderMode::Isosurface;
  p.isoValue = 300;
  compare(*v, p, table.view(), nullptr, 10);
}

}  // namespace
