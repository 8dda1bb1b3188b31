// SPDX-License-Identifier: MIT
// Out of core: render::raycastCpuSlabs, holding a few slices of the volume at a time, against
// render::raycastCpu with the whole volume resident: the same image bit for bit (the rules of
// core/hd/raycast_slab.h), in every mode, for cameras outside, inside and parallel to the slabs,
// with skipping, jitter, shading, 2D tables off, on the scalar and AVX2 samplers; a budget too small
// for one slab is an error with a code.
#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/core/raycast_slabs.h>
#include <cvx/core/transfer.h>
#include <cvx/render/raycast.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "phantom.h"
#include "simd_level.h"

namespace {

using cvx::Vec3;
using cvx::hd::RenderMode;

struct Frame {
  std::vector<float> rgba, depth, value;
  Frame(int w, int h) : rgba(4 * w * h), depth(w * h), value(w * h) {}
};

// Bitwise: NaN values (composite's value) compare equal to themselves.
bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Case {
  const char* name;
  RenderMode mode;
  bool skip, jitter;
};

class RaycastSlabs : public cvx::test::AtSimdLevel {
 protected:
  // Renders v with cam in every case, in core and with a budget of `slices` slices, and compares.
  void expectSameImage(const cvx::Volume& v, const cvx::Camera3D& cam, size_t slices, int minSlabs) {
    const cvx::test::BlobScene scene = cvx::test::blobScene(v);
    const auto tf = scene.table.view();
    const cvx::BrickRanges& ranges = scene.ranges;
    const std::vector<uint8_t>& skip = scene.skip;
    const Case cases[] = {{"composite", RenderMode::Composite, false, false},
                          {"composite skip jitter", RenderMode::Composite, true, true},
                          {"mip", RenderMode::Mip, false, true},
                          {"minip", RenderMode::MinIp, false, false},
                          {"mip ranges jitter", RenderMode::Mip, true, true},
                          {"minip ranges", RenderMode::MinIp, true, false},
                          {"average", RenderMode::Average, false, true},
                          {"iso", RenderMode::Isosurface, false, true}};
    const int w = 67, h = 59;
    for (const Case& c : cases) {
      SCOPED_TRACE(c.name);
      auto p = cvx::raycastParams(v.geometry, v.dims(), cam, w, h);
      p.stepMm = 0.41f;
      p.shading.on = true;
      p.mode = c.mode;
      p.isoValue = 250;
      p.jitter = c.jitter;
      p.seed = 5;
      if (c.skip) p.bricks = cvx::brickMapView(ranges, skip);
      Frame in(w, h), out(w, h);
      ASSERT_TRUE(cvx::render::raycastCpu(v, 0, p, tf, w, h, in.rgba.data(), in.depth.data(), in.value.data()).ok());
      int slabs = 0;
      const auto st = cvx::render::raycastCpuSlabs(v, 0, p, tf, slices * v.sliceBytes(), w, h, out.rgba.data(),
                                                   out.depth.data(), out.value.data(), nullptr, &slabs);
      ASSERT_TRUE(st.ok()) << st.error().message;
      EXPECT_GE(slabs, minSlabs);
      int lit = 0;
      for (int i = 0; i < w * h; ++i) lit += in.rgba[4 * i + 3] > 0.05f;
      EXPECT_GT(lit, w * h / 50) << "the camera sees the blobs";
      EXPECT_TRUE(sameBits(in.rgba, out.rgba));
      EXPECT_TRUE(sameBits(in.depth, out.depth));
      EXPECT_TRUE(sameBits(in.value, out.value));
    }
  }
};

TEST_P(RaycastSlabs, PerspectiveFromOutsideEqualsInCore) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0);
  cvx::Camera3D cam;
  cam.center = v->geometry.worldAt(35, 30, 18);
  cam.eye = cam.center + Vec3{-160, -220, 90};
  cam.fovYDeg = 30;
  // 9 slices: an apron of 2 + 1 each side leaves 3 owned slices a slab: 13 slabs of 37 slices.
  expectSameImage(*v, cam, 9, 10);
}

TEST_P(RaycastSlabs, EyeInsideTheVolumeCastsOutwardFromItsSlab) {
  auto v = cvx::test::blobs<uint16_t>(cvx::PixelType::UInt16, 2000);
  cvx::Camera3D cam;
  cam.eye = v->geometry.worldAt(34, 30, 19);  // between the blobs: rays go up and down the slabs
  cam.center = v->geometry.worldAt(34, 30, 35);
  cam.up = v->geometry.direction[0];
  cam.fovYDeg = 120;
  expectSameImage(*v, cam, 12, 4);
}

TEST_P(RaycastSlabs, ParallelCamerasAlongAndAcrossTheSlabs) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0);
  const Vec3 c = v->geometry.worldAt(35, 30, 18);
  const Vec3 zAxis = v->geometry.direction[2], xAxis = v->geometry.direction[0];
  cvx::Camera3D cam;
  cam.perspective = false;
  cam.parallelHalfHeightMm = 45;
  cam.center = c;
  for (int i = 0; i < 3; ++i) {  // down and up the slabs, then across them (d.z = 0)
    cam.eye = c + (i == 0 ? zAxis * 300.0 : (i == 1 ? zAxis * -300.0 : xAxis * 300.0));
    cam.up = i == 2 ? v->geometry.direction[1] : xAxis;
    expectSameImage(*v, cam, 10, 4);
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, RaycastSlabs, ::testing::Values(cvx::render::Simd::Sse2, cvx::render::Simd::Avx2),
                         [](const auto& info) { return std::string(cvx::render::toString(info.param)); });

TEST(RaycastSlabsPlan, SlabsOwnEverySliceOnceAndHoldTheirApronWithinTheBudget) {
  cvx::hd::RaycastParams p;
  p.stepMm = 0.5f;  // unit gradWorld: half a slice a step, an apron of 3
  const int64_t apron = cvx::slabApron(p);
  EXPECT_EQ(apron, 3);
  auto slabs = cvx::planSlabs({10, 10, 50, 1}, 200, p, 11 * 200 + 199);
  ASSERT_TRUE(slabs.ok());
  int64_t next = 0;
  for (const cvx::RaySlab& s : *slabs) {
    EXPECT_EQ(s.zBegin, next);
    next = s.zEnd;
    EXPECT_LE((s.bufEnd - s.bufBegin) * 200, 11 * 200 + 199);
    EXPECT_EQ(s.bufBegin, std::max<int64_t>(0, s.zBegin - apron));
    EXPECT_EQ(s.bufEnd, std::min<int64_t>(50, s.zEnd + apron));
  }
  EXPECT_EQ(next, 50);
  EXPECT_EQ(slabs->size(), 10u);  // 11 slices minus 2 aprons of 3: 5 owned a slab
  EXPECT_EQ(slabs->front().zLo, -__builtin_inff());
  EXPECT_EQ(slabs->back().zHi, __builtin_inff());
  auto one = cvx::planSlabs({10, 10, 50, 1}, 200, p, 50 * 200);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto tooSmall = cvx::planSlabs({10, 10, 50, 1}, 200, p, 6 * 200);
  ASSERT_FALSE(tooSmall.ok());
  EXPECT_EQ(tooSmall.error().code, "render.budget_too_small");
}

TEST(RaycastSlabsPlan, ABudgetTooSmallIsAnErrorNotACrash) {
  auto v = cvx::test::blobs<int16_t>(cvx::PixelType::Int16, 0);
  auto table = cvx::buildTransferTable({{-1000, 0, 0, 0, 0}, {900, 1, 1, 1, 0.8f}}, 1.0);
  ASSERT_TRUE(table.ok());
  cvx::Camera3D cam;
  cam.center = v->geometry.worldAt(35, 30, 18);
  cam.eye = cam.center + Vec3{0, -300, 0};
  const auto p = cvx::raycastParams(v->geometry, v->dims(), cam, 8, 8);
  std::vector<float> rgba(4 * 64);
  const auto st = cvx::render::raycastCpuSlabs(*v, 0, p, table->view(), v->sliceBytes() * 3, 8, 8, rgba.data());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "render.budget_too_small");
}

}  // namespace
