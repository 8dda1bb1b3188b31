// SPDX-License-Identifier: MIT
// Slabs of a voxelized sphere (MIP, MinIP, mean counted by the test voxel by voxel), and the CPU
// back end's fast paths against hd::reslicePixel itself on every pixel type and many planes.
#include <cvx/core/reslice.h>
#include <cvx/render/reslice.h>
#include <cvx/render/simd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "simd_level.h"

namespace {

using cvx::hd::SlabMode;

// A 1 mm grid with a sphere of radius kR mm at voxel (24, 24, 24): 1000 inside, 0 outside (or the
// reverse for MinIP).
constexpr int kN = 48;
constexpr int kR = 8;
constexpr int kC = 24;

std::shared_ptr<cvx::Volume> sphere(int16_t in, int16_t out) {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {kN, kN, kN, 1}).value();
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < kN; ++k)
    for (int j = 0; j < kN; ++j)
      for (int i = 0; i < kN; ++i) {
        const int r2 = (i - kC) * (i - kC) + (j - kC) * (j - kC) + (k - kC) * (k - kC);
        *p++ = r2 <= kR * kR ? in : out;
      }
  return v;
}

// An axial plane through voxel centres at slice kC + offset, one pixel per voxel.
cvx::WorldPlane axialAt(int offset) {
  return {{0, 0, static_cast<double>(kC + offset)}, {1, 0, 0}, {0, 1, 0}};
}

// Samples at slices kC + offset + t, |t| <= slabMm/2 (1 mm steps): the sphere voxels among them.
int sphereSamples(int x, int y, int offset, int slabMm) {
  int count = 0;
  for (int t = -slabMm / 2; t <= slabMm / 2; ++t) {
    const int z = kC + offset + t;
    const int r2 = (x - kC) * (x - kC) + (y - kC) * (y - kC) + (z - kC) * (z - kC);
    count += z >= 0 && z < kN && r2 <= kR * kR;
  }
  return count;
}

TEST(SlabPhantom, MipMinIpAndMeanOfASphere) {
  const auto bright = sphere(1000, 0), dark = sphere(0, 1000);
  const cvx::Geometry g;  // 1 mm, identity
  for (int offset : {0, 6, -7}) {
    for (int slab : {0, 10, 20}) {
      std::vector<float> mip(kN * kN), minip(kN * kN), mean(kN * kN);
      const auto plane = axialAt(offset);
      ASSERT_TRUE(cvx::render::resliceCpu(*bright, 0, cvx::resliceParams(g, plane, slab, SlabMode::Mip), kN,
                                          kN, mip.data())
                      .ok());
      ASSERT_TRUE(cvx::render::resliceCpu(*dark, 0, cvx::resliceParams(g, plane, slab, SlabMode::MinIp), kN,
                                          kN, minip.data())
                      .ok());
      ASSERT_TRUE(cvx::render::resliceCpu(*bright, 0, cvx::resliceParams(g, plane, slab, SlabMode::Mean), kN,
                                          kN, mean.data())
                      .ok());
      const int n = slab + 1;  // 1 mm steps: slab/2 samples either side
      for (int y = 0; y < kN; ++y)
        for (int x = 0; x < kN; ++x) {
          const int hits = sphereSamples(x, y, offset, slab);
          const int i = y * kN + x;
          ASSERT_EQ(mip[i], hits > 0 ? 1000 : 0) << x << "," << y << " offset " << offset << " slab " << slab;
          ASSERT_EQ(minip[i], hits > 0 ? 0 : 1000) << x << "," << y;
          ASSERT_FLOAT_EQ(mean[i], 1000.0f * hits / n) << x << "," << y;
        }
    }
  }
}

TEST(SlabPhantom, MipFootprintWidensWithTheSlab) {
  // The analytic disc: a slab of thickness T whose centre plane is d mm from the sphere's centre
  // shows a disc of radius sqrt(R^2 - max(0, |d| - T/2)^2); the thin slice sqrt(R^2 - d^2).
  const auto bright = sphere(1000, 0);
  const cvx::Geometry g;
  const int d = 6;
  for (int slab : {0, 4, 10}) {
    std::vector<float> mip(kN * kN);
    ASSERT_TRUE(cvx::render::resliceCpu(*bright, 0, cvx::resliceParams(g, axialAt(d), slab, SlabMode::Mip),
                                        kN, kN, mip.data())
                    .ok());
    const double gap = std::max(0.0, d - slab / 2.0);
    const double radius = std::sqrt(kR * kR - gap * gap);
    for (int y = 0; y < kN; ++y)
      for (int x = 0; x < kN; ++x) {
        const double r = std::hypot(x - kC, y - kC);
        if (r < radius - 1e-9) {
          EXPECT_EQ(mip[y * kN + x], 1000) << x << "," << y << " slab " << slab;
        } else if (r > radius + 1e-9) {
          EXPECT_EQ(mip[y * kN + x], 0) << x << "," << y << " slab " << slab;
        }
      }
  }
}

// ---- every fast path equals the reference, hd::reslicePixel with hd::GridSampler ----

template <class T>
cvx::hd::GridSampler<T> samplerOf(const cvx::Volume& v) {
  cvx::hd::GridSampler<T> s;
  s.data = reinterpret_cast<const T*>(v.data());
  s.dims = {static_cast<int>(v.dims()[0]), static_cast<int>(v.dims()[1]), static_cast<int>(v.dims()[2])};
  s.sy = v.dims()[0];
  s.sz = v.dims()[0] * v.dims()[1];
  s.slope = static_cast<float>(v.info.rescaleSlope);
  s.intercept = static_cast<float>(v.info.rescaleIntercept);
  return s;
}

std::shared_ptr<cvx::Volume> noise(cvx::PixelType type, uint32_t seed) {
  auto v = cvx::Volume::create(type, {23, 19, 17, 1}).value();
  std::mt19937 rng(seed);
  auto* b = reinterpret_cast<unsigned char*>(v->data());
  for (size_t i = 0; i < v->byteSize(); ++i) b[i] = static_cast<unsigned char>(rng() >> 24);
  if (type == cvx::PixelType::Float32) {  // random bytes make NaNs: use finite values instead
    float* f = v->as<float>();
    for (int64_t i = 0; i < v->voxelCount(); ++i) f[i] = static_cast<float>(rng() % 20000) / 7.0f - 1000;
  }
  v->info.rescaleSlope = 1.5;
  v->info.rescaleIntercept = -100;
  return v;
}

// Planes that take each path: axial with du along i (Rows) or rotated (Slices): thin, on a slice,
// between slices, slab along k, slab sticking out of the grid; thin with an oblique dn; tilted
// about i with an oblique slab (Rows); and random obliques (General).
std::vector<cvx::hd::ResliceParams> planes() {
  std::vector<cvx::hd::ResliceParams> r;
  cvx::hd::ResliceParams a;
  a.origin = {-3.3f, -2.1f, 8};
  a.dv = {0.05f, 0.41f, 0};
  for (cvx::hd::Vec3f du :
       {cvx::hd::Vec3f{0.37f, 0, 0}, cvx::hd::Vec3f{0.37f, 0.11f, 0}, cvx::hd::Vec3f{1, 0, 0}}) {
    a.du = du;
    a.dn = {0, 0, 1};
    for (float z : {8.0f, 8.4f, 0.0f, 16.2f, -0.5f})
      for (int n : {1, 4, 7, 41}) {
        a.origin.z = z;
        a.slabSamples = n;
        r.push_back(a);
      }
    a.slabSamples = 1;
    a.dn = {0.3f, 1, 0.2f};
    r.push_back(a);
  }
  // Sagittal-like (du along j, slab along i) and du along k, thin and thick (Rows on j and k).
  cvx::hd::ResliceParams sag;
  sag.origin = {8, -2.5f, 18.2f};
  sag.dv = {0.02f, 0, -0.4f};
  for (cvx::hd::Vec3f du : {cvx::hd::Vec3f{0, 0.37f, 0}, cvx::hd::Vec3f{0, 0, 0.45f}})
    for (float x0 : {8.0f, 8.3f, 22.4f})
      for (int n : {1, 4, 9}) {
        sag.du = du;
        sag.origin.x = x0;
        sag.dn = du.y != 0 ? cvx::hd::Vec3f{1, 0, 0.3f} : cvx::hd::Vec3f{1, 0.25f, 0};
        sag.slabSamples = n;
        r.push_back(sag);
      }
  cvx::hd::ResliceParams tilted;
  tilted.origin = {-2.5f, -1, 2};
  tilted.du = {0.5f, 0, 0};
  tilted.dv = {0, 0.3f, 0.2f};
  for (int n : {1, 5, 30}) {
    tilted.dn = {0, -0.5f, 1};
    tilted.slabSamples = n;
    r.push_back(tilted);
  }
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1, 1);
  for (int i = 0; i < 40; ++i) {
    cvx::hd::ResliceParams p;
    p.origin = {11 + 14 * u(rng), 9 + 12 * u(rng), 8 + 10 * u(rng)};
    p.du = {0.6f * u(rng), 0.6f * u(rng), 0.6f * u(rng)};
    p.dv = {0.6f * u(rng), 0.6f * u(rng), 0.6f * u(rng)};
    p.dn = {u(rng), u(rng), 1};
    p.slabSamples = 1 + static_cast<int>(rng() % 12);
    p.mode = static_cast<SlabMode>(rng() % 3);
    r.push_back(p);
  }
  return r;
}

template <class T>
void expectSameAsReference(const cvx::Volume& v, cvx::ThreadPool& pool) {
  const auto s = samplerOf<T>(v);
  const int w = 61, h = 47;
  std::vector<float> out(w * h);
  int planeIndex = 0;
  for (const auto& p : planes()) {
    for (SlabMode mode : {SlabMode::Mip, SlabMode::MinIp, SlabMode::Mean}) {
      auto q = p;
      q.mode = mode;
      ASSERT_TRUE(cvx::render::resliceCpu(v, 0, q, w, h, out.data(), &pool).ok());
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const float want = cvx::hd::reslicePixel(q, s, x, y);
          const float got = out[y * w + x];
          ASSERT_EQ(std::isnan(got), std::isnan(want)) << "plane " << planeIndex << " at " << x << "," << y;
          // Same samples, same order, same float operations: equal.
          if (!std::isnan(want)) {
            ASSERT_EQ(got, want) << "plane " << planeIndex << " at " << x << "," << y;
          }
        }
    }
    ++planeIndex;
  }
}

using ResliceCpuPaths = cvx::test::AtSimdLevel;

TEST_P(ResliceCpuPaths, EveryPixelTypeEqualsTheReference) {
  cvx::ThreadPool pool(3);
  expectSameAsReference<int16_t>(*noise(cvx::PixelType::Int16, 1), pool);
  expectSameAsReference<uint16_t>(*noise(cvx::PixelType::UInt16, 2), pool);
  expectSameAsReference<uint8_t>(*noise(cvx::PixelType::UInt8, 3), pool);
  expectSameAsReference<float>(*noise(cvx::PixelType::Float32, 4), pool);
  expectSameAsReference<cvx::hd::Rgb<uint8_t>>(*noise(cvx::PixelType::RGB8, 5), pool);
  expectSameAsReference<cvx::hd::Rgb<uint16_t>>(*noise(cvx::PixelType::RGB16, 6), pool);
}

TEST_P(ResliceCpuPaths, OneThreadOrManyGiveTheSameImage) {
  auto v = noise(cvx::PixelType::Int16, 9);
  cvx::ThreadPool one(1), many(4);
  const int w = 300, h = 211;
  std::vector<float> a(w * h), b(w * h);
  for (const auto& p : planes()) {
    ASSERT_TRUE(cvx::render::resliceCpu(*v, 0, p, w, h, a.data(), &one).ok());
    ASSERT_TRUE(cvx::render::resliceCpu(*v, 0, p, w, h, b.data(), &many).ok());
    ASSERT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
  }
  ASSERT_TRUE(cvx::render::resliceCpu(*v, 0, planes()[0], w, h, a.data()).ok());  // the global pool
}

INSTANTIATE_TEST_SUITE_P(Simd, ResliceCpuPaths,
                         ::testing::Values(cvx::render::Simd::Sse2, cvx::render::Simd::Avx2),
                         [](const auto& info) { return std::string(toString(info.param)); });

}  // namespace
