// SPDX-License-Identifier: MIT
// The CUDA back end's phases copied ahead (cuda/src/raycast_prefetch.h: CudaBackend::prefetch, on a
// stream of its own) and its transfer functions read through textures (hd::tfNodeAt). Every frame
// is compared bit for bit with a frame of a back end that copied the phase in the frame (the same
// kernel, the same voxels: any difference is a copy gone wrong or a stream not waited on), and
// every phase is copied exactly once, by the prefetch or by its frame. Skips without a device;
// fails when CVX_REQUIRE_CUDA=1.
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/cuda/backend.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "need_gpu.h"
#include "raycast_phantom.h"

namespace {

using namespace cvx_test_raycast;

std::unique_ptr<cvx::cuda::CudaBackend> makeCuda() {
  auto made = cvx::cuda::CudaBackend::create();
  if (!made.ok()) {
    ADD_FAILURE() << made.error().str();
    return nullptr;
  }
  return std::unique_ptr<cvx::cuda::CudaBackend>(static_cast<cvx::cuda::CudaBackend*>(made->release()));
}

// `phases` phases of the blobs, phase t brighter by 40 t (each image differs from the others').
std::shared_ptr<cvx::Volume> blobPhases(int phases) {
  auto one = blobs();
  const auto d = one->dims();
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {d[0], d[1], d[2], phases}).value();
  v->geometry = one->geometry;
  v->info = one->info;
  const size_t n = static_cast<size_t>(one->voxelsPerPhase());
  for (int t = 0; t < phases; ++t)
    for (size_t i = 0; i < n; ++i)
      v->as<int16_t>()[static_cast<size_t>(t) * n + i] = static_cast<int16_t>(one->as<int16_t>()[i] + 40 * t);
  return v;
}

struct Frames {
  cvx::TransferTable table = blobTable();
  int w = 96, h = 80;
  // Phase t of v on b into a new image.
  std::vector<float> draw(cvx::Backend& b, const cvx::Volume& v, int64_t t, uint64_t revision = 1) {
    std::vector<float> out(4 * static_cast<size_t>(w) * h, -1.0f);
    cvx::RaycastJob job;
    job.volume = &v, job.phase = t, job.revision = revision, job.params = blobView(v), job.tf = table.view();
    job.width = w, job.height = h, job.rgba = out.data();
    const cvx::Status st = b.raycast(job);
    EXPECT_TRUE(st.ok()) << st.error().str();
    return out;
  }
};

// An environment variable set for a scope (unset at its end, an ASSERT's early return included).
struct ScopedEnv {
  const char* name;
  ScopedEnv(const char* n, const char* value) : name(n) { setenv(n, value, 1); }
  ~ScopedEnv() { unsetenv(name); }
};

bool same(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// A phase copied ahead and waited for: its frame copies nothing and draws what a frame that copied
// it draws.
TEST(CudaPrefetch, APhaseCopiedAheadIsDrawnWithoutACopy) {
  CVX_NEED_GPU();
  auto v = blobPhases(3);
  auto gpu = makeCuda(), reference = makeCuda();
  ASSERT_TRUE(gpu && reference);
  Frames f;
  gpu->prefetch(v, 2, 1);
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->prefetchedPhases(), 1u);
  EXPECT_EQ(gpu->raycastUploads(), 0u);
  const auto ahead = f.draw(*gpu, *v, 2);
  EXPECT_EQ(gpu->raycastUploads(), 0u) << "the frame copied the phase copied ahead";
  EXPECT_TRUE(same(ahead, f.draw(*reference, *v, 2)));
  EXPECT_EQ(reference->raycastUploads(), 1u);
  // Asked again: held, not copied twice.
  gpu->prefetch(v, 2, 1);
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->prefetchedPhases(), 1u);
  EXPECT_EQ(gpu->prefetchesSkipped(), 1u);
  // Another revision is another copy: drawn as it is now.
  const size_t n = static_cast<size_t>(v->voxelsPerPhase());
  for (size_t i = 0; i < n; ++i) v->as<int16_t>()[2 * n + i] = v->as<int16_t>()[i];
  gpu->prefetch(v, 2, 2);
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->prefetchedPhases(), 2u);
  EXPECT_TRUE(same(f.draw(*gpu, *v, 2, 2), f.draw(*reference, *v, 0)));
  EXPECT_EQ(gpu->raycastUploads(), 0u);
  // Asked for revision 1 after revision 2 was drawn (a request made before the voxels changed): not
  // copied.
  gpu->prefetch(v, 1, 1);
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->prefetchedPhases(), 2u);
  EXPECT_EQ(gpu->prefetchesSkipped(), 2u);
}

// A loop played as the 3D view plays it: the next phase asked for before each frame, the frame
// drawn at once (the copy in flight, most of the time). Every frame is the reference's; each phase
// is copied once in all, by the prefetch or by its frame.
TEST(CudaPrefetch, ALoopWithTheNextPhaseInFlightDrawsEveryPhaseExactly) {
  CVX_NEED_GPU();
  const int phases = 6;
  auto v = blobPhases(phases);
  auto gpu = makeCuda(), reference = makeCuda();
  ASSERT_TRUE(gpu && reference);
  Frames f;
  for (int pass = 0; pass < 2; ++pass)
    for (int t = 0; t < phases; ++t) {
      gpu->prefetch(v, (t + 1) % phases, 1);
      EXPECT_TRUE(same(f.draw(*gpu, *v, t), f.draw(*reference, *v, t))) << "pass " << pass << " phase " << t;
      if (pass == 0 && t == 0) gpu->waitForPrefetch();  // phase 1 surely copied ahead, the rest as it goes
    }
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->raycastUploads() + gpu->prefetchedPhases(), static_cast<uint64_t>(phases));
  EXPECT_GE(gpu->prefetchedPhases(), 1u);
}

// A phase copied ahead and never drawn (the loop went the other way) is the first to go when a
// frame needs room, before the phases drawn: 3 MiB hold two phases with their textures (1.1 MB
// each), not three.
TEST(CudaPrefetch, APhaseCopiedAheadAndNotDrawnGoesFirstForRoom) {
  CVX_NEED_GPU();
  auto v = blobPhases(3);
  auto gpu = makeCuda();
  ASSERT_TRUE(gpu);
  Frames f;
  const ScopedEnv three("CVX_CUDA_RESIDENT_MB", "3");
  const auto first = f.draw(*gpu, *v, 0);
  gpu->prefetch(v, 1, 1);
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->prefetchedPhases(), 1u);
  f.draw(*gpu, *v, 2);  // no room for a third: phase 1 (never drawn) goes, not phase 0
  EXPECT_EQ(gpu->raycastUploads(), 2u);
  EXPECT_TRUE(same(f.draw(*gpu, *v, 0), first));
  EXPECT_EQ(gpu->raycastUploads(), 2u) << "phase 0 was dropped before the phase copied ahead";
}

// The caller's volume may go while its copy is queued or in flight: the prefetch keeps it alive.
// And a phase with no room beside the kept ones is not copied ahead (a prefetch drops nothing).
TEST(CudaPrefetch, KeepsItsVolumeAliveAndDropsNothingForRoom) {
  CVX_NEED_GPU();
  auto gpu = makeCuda();
  ASSERT_TRUE(gpu);
  {
    auto gone = blobPhases(2);
    gpu->prefetch(gone, 1, 1);
  }
  gpu->waitForPrefetch();
  EXPECT_EQ(gpu->prefetchedPhases(), 1u);
  auto v = blobPhases(2);
  Frames f;
  // 1 MiB: a phase with its texture (2 x 0.55 MB) fills it.
  std::optional<ScopedEnv> small(std::in_place, "CVX_CUDA_RESIDENT_MB", "1");
  gpu->releaseAll();
  const auto first = f.draw(*gpu, *v, 0);
  gpu->prefetch(v, 1, 1);
  gpu->waitForPrefetch();
  small.reset();
  EXPECT_EQ(gpu->prefetchedPhases(), 0u);
  EXPECT_EQ(gpu->prefetchesSkipped(), 1u);
  EXPECT_TRUE(same(f.draw(*gpu, *v, 0), first));
  EXPECT_EQ(gpu->raycastUploads(), 1u) << "phase 0 was dropped to make room for a prefetch";
}

// The transfer functions read through texture objects fetch the very nodes a load reads: the images
// are equal bit for bit (1D with pre-integration, and the fused pair).
TEST(CudaPrefetch, TransferFunctionTexturesGiveTheLoadsImage) {
  CVX_NEED_GPU();
  auto v = blobPhases(1);
  auto gpu = makeCuda();
  ASSERT_TRUE(gpu);
  Frames f;
  unsetenv("CVX_CUDA_TF");
  const auto textured = f.draw(*gpu, *v, 0);
  EXPECT_GE(gpu->tableTexturesMade(), 2u) << "the nodes and the integrals read through textures";
  setenv("CVX_CUDA_TF", "global", 1);
  const auto loads = f.draw(*gpu, *v, 0);
  EXPECT_TRUE(same(textured, loads));
  // Fused: the second table through its own textures.
  auto one = blobs();
  auto hot = cvx::buildTransferTable({{-1000, 1, 0, 0, 0}, {300, 1, 0.2f, 0, 0}, {900, 1, 0.8f, 0, 0.4f}}, 1.0);
  ASSERT_TRUE(hot.ok());
  std::vector<float> fused[2];
  for (int k = 0; k < 2; ++k) {
    if (k == 1) unsetenv("CVX_CUDA_TF");
    fused[k].assign(4 * static_cast<size_t>(f.w) * f.h, -1.0f);
    cvx::RaycastJob job;
    job.volume = v.get(), job.second = one.get(), job.tf = f.table.view();
    job.params = blobView(*v);
    job.params.fusion = cvx::fusionParams(v->geometry, one->geometry, one->dims(), hot->view());
    job.width = f.w, job.height = f.h, job.rgba = fused[k].data();
    const cvx::Status st = gpu->raycast(job);
    ASSERT_TRUE(st.ok()) << st.error().str();
  }
  EXPECT_TRUE(same(fused[0], fused[1]));
  EXPECT_GE(gpu->tableTexturesMade(), 6u) << "the fused layer's tables through textures too";
  unsetenv("CVX_CUDA_TF");
}

}  // namespace
