// Phantoms for the segmentation tests: volumes filled from a function of the voxel index, and
// plain loops (independent of cvx::seg) that count and compare voxels.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <type_traits>

#include <cvx/core/volume.h>

namespace cvx::test {

template <class T>
constexpr PixelType pixelTypeOf() {
  if constexpr (std::is_same_v<T, uint8_t>)
    return PixelType::UInt8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return PixelType::Int16;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return PixelType::UInt16;
  else
    return PixelType::Float32;
}

// A volume of type T whose voxel (x, y, z) is f(x, y, z).
template <class T>
std::shared_ptr<Volume> phantom(int64_t nx, int64_t ny, int64_t nz, Vec3 spacing,
                                const std::function<double(int64_t, int64_t, int64_t)>& f) {
  auto r = Volume::create(pixelTypeOf<T>(), {nx, ny, nz, 1});
  EXPECT_TRUE(r.ok());
  std::shared_ptr<Volume> v = *r;
  v->geometry.spacingMm = spacing;
  v->geometry.originMm = {-12.5, 40, 7};
  T* p = reinterpret_cast<T*>(v->data());
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) p[(z * ny + y) * nx + x] = static_cast<T>(f(x, y, z));
  return v;
}

inline std::shared_ptr<Volume> maskPhantom(int64_t nx, int64_t ny, int64_t nz, Vec3 spacing,
                                           const std::function<bool(int64_t, int64_t, int64_t)>& f) {
  return phantom<uint8_t>(nx, ny, nz, spacing,
                          [&](int64_t x, int64_t y, int64_t z) { return f(x, y, z) ? 1.0 : 0.0; });
}

// A random mask with the given fraction of foreground (seeded: the same every run).
inline std::shared_ptr<Volume> randomMask(int64_t nx, int64_t ny, int64_t nz, Vec3 spacing, double fraction,
                                          unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  return maskPhantom(nx, ny, nz, spacing, [&](int64_t, int64_t, int64_t) { return u(rng) < fraction; });
}

inline uint8_t at(const Volume& v, int64_t x, int64_t y, int64_t z) {
  return v.as<uint8_t>()[(z * v.dims()[1] + y) * v.dims()[0] + x];
}

inline int64_t countNonZero(const Volume& v) {
  int64_t n = 0;
  const uint8_t* p = v.as<uint8_t>();
  for (int64_t i = 0; i < v.voxelCount(); ++i) n += p[i] != 0;
  return n;
}

// The number of voxels where a and b (UInt8) differ.
inline int64_t countDiff(const Volume& a, const Volume& b) {
  EXPECT_EQ(a.dims(), b.dims());
  int64_t n = 0;
  for (int64_t i = 0; i < a.voxelCount(); ++i) n += (a.as<uint8_t>()[i] != 0) != (b.as<uint8_t>()[i] != 0);
  return n;
}

// Checks the output convention: UInt8, x/y/z dims of the input, t = 1, values 0/1, geometry copied.
inline void expectMaskOf(const Volume& out, const Volume& in) {
  EXPECT_EQ(out.type(), PixelType::UInt8);
  EXPECT_EQ(out.dims()[0], in.dims()[0]);
  EXPECT_EQ(out.dims()[1], in.dims()[1]);
  EXPECT_EQ(out.dims()[2], in.dims()[2]);
  EXPECT_EQ(out.dims()[3], 1);
  EXPECT_EQ(out.geometry.spacingMm.x, in.geometry.spacingMm.x);
  EXPECT_EQ(out.geometry.spacingMm.z, in.geometry.spacingMm.z);
  EXPECT_EQ(out.geometry.originMm.y, in.geometry.originMm.y);
  for (int64_t i = 0; i < out.voxelCount(); ++i) ASSERT_LE(out.as<uint8_t>()[i], 1) << "voxel " << i;
}

}  // namespace cvx::test
