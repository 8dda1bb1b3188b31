// SPDX-License-Identifier: MIT
// cuda::reslice against the CPU back end (render::resliceCpu), the oracle. Both run
// hd::reslicePixel; the device may contract a*b+c into one FMA, which moves a sample point by
// about 1e-5 voxel, so values agree within kMaxAbsDiff and the inside/outside decision may differ
// only on pixels that sit on the grid's edge. Skips without a device; fails when CVX_REQUIRE_CUDA=1.
#include <cvx/core/reslice.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/reslice.h>
#include <cvx/render/reslice.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "need_gpu.h"

namespace {

// Values span about -1000..3000 and change by at most ~60 per voxel: 1e-5 voxel of position and
// float round-off of values near 3000 (2.4e-4 per ulp) stay well under this.
constexpr float kMaxAbsDiff = 0.05f;
// Pixels whose inside/outside decision may flip (sample points within round-off of the edge).
constexpr double kMaxEdgeFlipFraction = 0.002;

// A smooth CT-like int16 volume with rescale (HU = stored - 1024) on an anisotropic sheared grid.
std::shared_ptr<cvx::Volume> smoothCt() {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {96, 80, 40, 2}).value();
  int16_t* p = v->as<int16_t>();
  for (int t = 0; t < 2; ++t)
    for (int k = 0; k < 40; ++k)
      for (int j = 0; j < 80; ++j)
        for (int i = 0; i < 96; ++i)
          *p++ = static_cast<int16_t>(1024 + 1500 * std::sin(i * 0.07 + t) * std::cos(j * 0.05) + 20 * k);
  v->info.rescaleSlope = 1;
  v->info.rescaleIntercept = -1024;
  v->geometry.spacingMm = {0.7, 0.7, 2.5};
  v->geometry.direction[2] = cvx::normalized({0, 0.27, 1});  // ~15 degree gantry tilt
  v->geometry.sheared = true;
  return v;
}

void compare(const cvx::Volume& v, int phase, const cvx::WorldPlane& plane, double slabMm, cvx::hd::SlabMode mode) {
  const int w = 333, h = 250;
  const auto p = cvx::resliceParams(v.geometry, plane, slabMm, mode);
  std::vector<float> cpu(w * h), gpu(w * h, -1.0f);
  ASSERT_TRUE(cvx::render::resliceCpu(v, phase, p, w, h, cpu.data()).ok());
  auto s = cvx::cuda::reslice(v, phase, p, w, h, gpu.data());
  ASSERT_TRUE(s.ok()) << s.error().str();
  int flips = 0, inside = 0;
  float worst = 0;
  for (int i = 0; i < w * h; ++i) {
    if (std::isnan(cpu[i]) != std::isnan(gpu[i])) {
      ++flips;
      continue;
    }
    if (std::isnan(cpu[i])) continue;
    ++inside;
    worst = std::max(worst, std::fabs(cpu[i] - gpu[i]));
  }
  EXPECT_LE(worst, kMaxAbsDiff) << "slab " << slabMm << " mode " << static_cast<int>(mode);
  EXPECT_LE(flips, kMaxEdgeFlipFraction * w * h);
  EXPECT_GT(inside, w * h / 4);
}

TEST(CudaReslice, MatchesTheCpuBackEnd) {
  CVX_NEED_GPU();
  const auto v = smoothCt();
  const cvx::Vec3 centre = v->geometry.worldAt(47.5, 39.5, 19.5);
  const cvx::WorldPlane axial{centre - cvx::Vec3{0.3 * 166, 0.3 * 125, 0}, {0.3, 0, 0}, {0, 0.3, 0}};
  const double c = std::cos(0.5), s = std::sin(0.5);
  const cvx::Vec3 du{0.3 * c, 0, 0.3 * s}, dv{0, 0.3, 0};
  const cvx::WorldPlane oblique{centre - du * 166 - dv * 125, du, dv};
  for (int phase : {0, 1}) {
    compare(*v, phase, axial, 0, cvx::hd::SlabMode::Mip);
    compare(*v, phase, oblique, 0, cvx::hd::SlabMode::Mip);
  }
  for (auto mode : {cvx::hd::SlabMode::Mip, cvx::hd::SlabMode::MinIp, cvx::hd::SlabMode::Mean}) {
    compare(*v, 0, axial, 10, mode);
    compare(*v, 0, oblique, 10, mode);
  }
}

TEST(CudaReslice, BadRequestsAndNoDevice) {
  const auto v = smoothCt();
  std::vector<float> out(16);
  const cvx::hd::ResliceParams p;
  EXPECT_EQ(cvx::cuda::reslice(*v, 2, p, 4, 4, out.data()).error().code, "render.bad_request");
  EXPECT_EQ(cvx::cuda::reslice(*v, 0, p, 4, 4, nullptr).error().code, "render.bad_request");
  EXPECT_EQ(cvx::cuda::reslice(*v, 0, p, 0, 4, out.data()).error().code, "render.bad_request");
  auto s = cvx::cuda::reslice(*v, 0, p, 4, 4, out.data());
  if (cvx::cuda::probeDevice().ok()) {
    EXPECT_TRUE(s.ok()) << s.error().str();
  } else {
    EXPECT_EQ(s.error().code, "cuda.no_device");
  }
}

}  // namespace
