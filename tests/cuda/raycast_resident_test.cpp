// SPDX-License-Identifier: MIT
// The CUDA back end's phases kept on the device between frames (cuda/src/raycast_resident.h): what
// is copied and when, counted by CudaBackend::raycastUploads, every frame against the CPU back end.
// Skips without a device; fails when CVX_REQUIRE_CUDA=1.
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/cuda/backend.h>
#include <cvx/render/backend.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "need_gpu.h"
#include "raycast_phantom.h"

namespace {

using namespace cvx_test_raycast;

// The registry's choice with the CPU and CUDA registered: CUDA (where a device is).
std::unique_ptr<cvx::cuda::CudaBackend> registryCuda(cvx::BackendRegistry& registry) {
  cvx::render::registerBackend(registry);
  EXPECT_TRUE(cvx::cuda::registerBackend(registry));
  auto chosen = registry.select("");
  if (!chosen.ok() || (*chosen)->name() != "cuda") {
    ADD_FAILURE() << "the registry did not choose CUDA: " << (chosen.ok() ? (*chosen)->name() : chosen.error().str());
    return nullptr;
  }
  return std::unique_ptr<cvx::cuda::CudaBackend>(static_cast<cvx::cuda::CudaBackend*>(chosen->release()));
}

// The registry's CUDA back end keeps the phases it draws on the device: frames of a kept phase and
// revision copy nothing, another phase or revision is copied once, a new revision drops the old
// copies, and every frame matches the CPU.
TEST(CudaRaycast, BackendKeepsThePhaseOnTheDeviceBetweenFrames) {
  CVX_NEED_GPU();
  cvx::BackendRegistry registry;
  const auto owned = registryCuda(registry);
  ASSERT_NE(owned, nullptr);
  cvx::cuda::CudaBackend* gpu = owned.get();
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
  frame(1, 2, 3);  // revision 1's copies are dropped: phase 0 is copied again
  frame(0, 2, 4);
  frame(1, 2, 4);  // both phases of revision 2 are kept: a cine loop copies nothing more
  frame(0, 2, 4);
  frame(1, 2, 4);
  // A budget too small for two phases (CVX_CUDA_RESIDENT_MB=1, a phase and its texture 1.1 MB): only
  // the phase drawn stays, so every change of phase copies (a new revision: nothing kept to hit).
  setenv("CVX_CUDA_RESIDENT_MB", "1", 1);
  frame(0, 3, 5);
  frame(1, 3, 6);
  frame(1, 3, 6);
  frame(0, 3, 7);
  unsetenv("CVX_CUDA_RESIDENT_MB");
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


// A volume made after another was freed may take its address (and a renderer's revisions restart
// at 1): the back end tells them apart by Volume::serial, copies the new one and draws its voxels,
// not the kept copy of the old one's.
TEST(CudaRaycast, ANewVolumeAtAFreedOnesAddressIsCopiedAgain) {
  CVX_NEED_GPU();
  cvx::BackendRegistry registry;
  const auto owned = registryCuda(registry);
  ASSERT_NE(owned, nullptr);
  cvx::cuda::CudaBackend* gpu = owned.get();
  const cvx::TransferTable table = blobTable();
  const int w = 96, h = 80;
  std::vector<float> cpu(4 * w * h), out(4 * w * h);
  auto first = blobs();
  cvx::RaycastJob job;
  job.volume = first.get(), job.phase = 0, job.revision = 1, job.params = blobView(*first), job.tf = table.view();
  job.width = w, job.height = h, job.rgba = out.data();
  ASSERT_TRUE(gpu->raycast(job).ok());
  EXPECT_EQ(gpu->raycastUploads(), 1u);
  const uint64_t firstSerial = first->serial();
  first.reset();
  auto second = blobs();  // the same size: often the same address
  EXPECT_NE(second->serial(), firstSerial);
  const size_t n = static_cast<size_t>(second->voxelsPerPhase());
  for (size_t i = 0; i < n; ++i) second->as<int16_t>()[i] = static_cast<int16_t>(second->as<int16_t>()[i] * 5 / 4);
  job.volume = second.get();
  std::fill(out.begin(), out.end(), -1.0f);
  ASSERT_TRUE(gpu->raycast(job).ok());
  EXPECT_EQ(gpu->raycastUploads(), 2u);
  ASSERT_TRUE(cvx::render::raycastCpu(*second, 0, job.params, job.tf, w, h, cpu.data()).ok());
  expectClose(cpu, out, w, h);
}

}  // namespace
