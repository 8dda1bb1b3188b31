// SPDX-License-Identifier: MIT
// The CPU back end's run path (a MIP / MinIP slab along i, e.g. a sagittal slab of an axial stack:
// render/src/reslice_runs.h, four samples at a time) and its thin-slice shortcut (one sample, no
// reduction): the same bits as hd::reslicePixel on every pixel (-0 included), and at voxel centres
// the maximum / minimum the test takes itself over the voxels.
#include <cvx/core/reslice.h>
#include <cvx/render/reslice.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace {

using cvx::hd::SlabMode;

constexpr int kNx = 29, kNy = 21, kNz = 13;

// Noise with a zero-filled block (ties of equal samples), in stored units.
template <class T>
std::shared_ptr<cvx::Volume> noise(cvx::PixelType type, uint32_t seed, double slope, double intercept) {
  auto v = cvx::Volume::create(type, {kNx, kNy, kNz, 1}).value();
  std::mt19937 rng(seed);
  T* p = v->as<T>();
  for (int64_t i = 0; i < v->voxelCount(); ++i) {
    const int64_t x = i % kNx, y = (i / kNx) % kNy;
    p[i] = (x > 9 && y < 8) ? T(0) : static_cast<T>(rng() >> 20);
  }
  v->info.rescaleSlope = slope;
  v->info.rescaleIntercept = intercept;
  return v;
}

template <class T>
cvx::hd::GridSampler<T> samplerOf(const cvx::Volume& v) {
  return cvx::gridSampler(v, v.as<T>());
}

// Sagittal-like planes: du along j, dv along k (tilted a little for some), the slab along +i or -i
// through a voxel centre, 4 to 41 samples (past the grid's edge for the thick ones).
std::vector<cvx::hd::ResliceParams> runPlanes() {
  std::vector<cvx::hd::ResliceParams> r;
  for (float dir : {1.0f, -1.0f})
    for (int n : {4, 5, 7, 9, 15, 23, 41})
      for (float x0 : {3.0f, 14.0f, 25.0f}) {
        cvx::hd::ResliceParams p;
        p.origin = {x0, -1.3f, 12.4f};
        p.du = {0, 0.37f, 0};
        p.dv = {0, 0, n % 2 ? -0.3f : -0.5f};
        p.dn = {dir, 0, 0};
        p.slabSamples = n;
        r.push_back(p);
      }
  return r;
}

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

// Thin slices: axial through and between slices (the row path) and oblique (the general path).
std::vector<cvx::hd::ResliceParams> thinPlanes() {
  std::vector<cvx::hd::ResliceParams> r;
  cvx::hd::ResliceParams a;
  a.origin = {-2.2f, -1.4f, 6};
  a.du = {0.37f, 0, 0};
  a.dv = {0, 0.41f, 0};
  a.dn = {0, 0, 1};
  for (float z : {6.0f, 6.3f}) {
    a.origin.z = z;
    r.push_back(a);
  }
  a.du = {0.3f, 0.2f, 0.05f};
  a.dv = {-0.1f, 0.3f, 0.12f};
  a.dn = {0.2f, -0.3f, 1};
  r.push_back(a);
  return r;
}

template <class T>
void expectBitsOfReference(const cvx::Volume& v, const std::vector<cvx::hd::ResliceParams>& planes,
                           std::vector<SlabMode> modes) {
  const auto s = samplerOf<T>(v);
  cvx::ThreadPool pool(3);
  const int w = 83, h = 57;
  std::vector<float> out(w * h);
  int index = 0;
  for (const auto& plane : planes) {
    for (SlabMode mode : modes) {
      auto p = plane;
      p.mode = mode;
      ASSERT_TRUE(cvx::render::resliceCpu(v, 0, p, w, h, out.data(), &pool).ok());
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const float want = cvx::hd::reslicePixel(p, s, x, y), got = out[y * w + x];
          ASSERT_EQ(std::isnan(got), std::isnan(want)) << "plane " << index << " at " << x << "," << y;
          if (!std::isnan(want)) {
            ASSERT_EQ(bits(got), bits(want)) << "plane " << index << " at " << x << "," << y;
          }
        }
    }
    ++index;
  }
}

TEST(ResliceRuns, EqualsTheReferenceBitForBit) {
  const std::vector<SlabMode> extremes = {SlabMode::Mip, SlabMode::MinIp};
  expectBitsOfReference<int16_t>(*noise<int16_t>(cvx::PixelType::Int16, 1, 1.5, -100), runPlanes(), extremes);
  expectBitsOfReference<uint16_t>(*noise<uint16_t>(cvx::PixelType::UInt16, 2, 1, -1024), runPlanes(), extremes);
  expectBitsOfReference<uint8_t>(*noise<uint8_t>(cvx::PixelType::UInt8, 3, 1, 0), runPlanes(), extremes);
  // A negative slope and an intercept of -0: zero samples are -0, the reference's sign is kept.
  expectBitsOfReference<uint16_t>(*noise<uint16_t>(cvx::PixelType::UInt16, 4, -1, -0.0), runPlanes(), extremes);
}

TEST(ResliceRuns, ThinSlicesEqualTheReferenceBitForBit) {
  const std::vector<SlabMode> all = {SlabMode::Mip, SlabMode::MinIp, SlabMode::Mean};
  expectBitsOfReference<int16_t>(*noise<int16_t>(cvx::PixelType::Int16, 5, 1.5, -100), thinPlanes(), all);
  // The mean of one -0 sample is +0 in the reference (0 + -0): the shortcut keeps that.
  expectBitsOfReference<uint16_t>(*noise<uint16_t>(cvx::PixelType::UInt16, 6, -1, -0.0), thinPlanes(), all);
}

TEST(ResliceRuns, MipAndMinIpAtVoxelCentresAreTheVoxelsExtremes) {
  auto v = noise<int16_t>(cvx::PixelType::Int16, 7, 2, -1000);
  const int16_t* p = v->as<int16_t>();
  // Pixel (x, y) at voxel (i0, x, y): du one voxel along j, dv one along k, 9 samples along i.
  cvx::hd::ResliceParams q;
  q.origin = {12, 0, 0};
  q.du = {0, 1, 0};
  q.dv = {0, 0, 1};
  q.dn = {1, 0, 0};
  q.slabSamples = 9;
  std::vector<float> mip(kNy * kNz), minip(kNy * kNz);
  ASSERT_TRUE(cvx::render::resliceCpu(*v, 0, q, kNy, kNz, mip.data()).ok());
  q.mode = SlabMode::MinIp;
  ASSERT_TRUE(cvx::render::resliceCpu(*v, 0, q, kNy, kNz, minip.data()).ok());
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j) {
      int hi = -100000, lo = 100000;
      for (int i = 12 - 4; i <= 12 + 4; ++i) {
        const int s = p[(k * kNy + j) * kNx + i];
        hi = std::max(hi, s), lo = std::min(lo, s);
      }
      EXPECT_EQ(mip[k * kNy + j], float(hi * 2 - 1000)) << j << "," << k;
      EXPECT_EQ(minip[k * kNy + j], float(lo * 2 - 1000)) << j << "," << k;
    }
}

}  // namespace
