// SPDX-License-Identifier: MIT
// Helpers for the image-format tests: synthetic volumes, temp folders, geometry comparison.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <cvx/core/volume.h>
#include <cvx/io/formats.h>

#include "temp_dir.h"
#include "test_data.h"

namespace cvx::test {

// The error code of reading path ("ok" when it reads).
inline std::string codeOf(const std::string& path) {
  auto r = io::readImage(path);
  return r.ok() ? std::string("ok") : r.error().code;
}

inline std::vector<uint8_t> text(const std::string& s) { return {s.begin(), s.end()}; }

inline std::vector<uint8_t> fileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

inline void writeBytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
}

// An oblique, anisotropic geometry: a rotation of 20 deg about (1,2,3)/|.| and a left-handed flip
// of the slice axis is not used (direction stays a proper rotation).
inline Geometry obliqueGeometry() {
  Geometry g;
  const double th = 20.0 * M_PI / 180.0, c = std::cos(th), s = std::sin(th);
  Vec3 k = normalized(Vec3{1, 2, 3});
  for (int a = 0; a < 3; ++a) {
    Vec3 e{};
    e[a] = 1;
    // Rodrigues: e*c + (k x e)*s + k (k.e)(1-c)
    g.direction[a] = e * c + cross(k, e) * s + k * (dot(k, e) * (1 - c));
  }
  g.spacingMm = {0.7, 1.3, 2.5};
  g.originMm = {-112.25, 87.5, -40.125};
  return g;
}

// A volume with a deterministic pattern that uses the type's range (negative, > 32767, fractions).
inline std::shared_ptr<Volume> patternVolume(PixelType t, std::array<int64_t, 4> dims) {
  auto r = Volume::create(t, dims);
  EXPECT_TRUE(r.ok());
  auto v = *r;
  const int64_t n = v->voxelCount();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t h = (i * 2654435761LL) % 100003;
    switch (t) {
      case PixelType::UInt8: v->as<uint8_t>()[i] = static_cast<uint8_t>(h & 0xff); break;
      case PixelType::Int16: v->as<int16_t>()[i] = static_cast<int16_t>(h - 50000 > 32767 ? 32767 : h - 50000 < -32768 ? -32768 : h - 50000); break;
      case PixelType::UInt16: v->as<uint16_t>()[i] = static_cast<uint16_t>(h % 65536); break;
      case PixelType::Float32: v->as<float>()[i] = static_cast<float>(h) * 0.37f - 1234.5f; break;
      case PixelType::RGB8:
        for (int c = 0; c < 3; ++c) v->as<uint8_t>()[3 * i + c] = static_cast<uint8_t>((h >> (3 * c)) & 0xff);
        break;
      case PixelType::RGB16:
        for (int c = 0; c < 3; ++c) v->as<uint16_t>()[3 * i + c] = static_cast<uint16_t>((h * (c + 1)) & 0xffff);
        break;
      case PixelType::RGB32:
        for (int c = 0; c < 3; ++c)
          v->as<uint32_t>()[3 * i + c] = static_cast<uint32_t>(h * 42949u * (c + 1)) ^ (0x80000000u >> c);
        break;
    }
  }
  v->geometry = obliqueGeometry();
  if (dims[3] > 1)
    for (int64_t p = 0; p < dims[3]; ++p) v->timesMs.push_back(250.0 * static_cast<double>(p));
  return v;
}

inline void expectAffineNear(const Mat4& a, const Mat4& b, double tol) {
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(a.m[r][c], b.m[r][c], tol) << "row " << r << " col " << c;
}

// The data root; false (a skip) when it is absent, and a failure too under CVX_REQUIRE_DATA=1.
inline bool dataDirPresent(std::string& dir) {
  dir = dataPath();
  if (std::filesystem::exists(dir + "/MANIFEST.md")) return true;
  if (dataRequired()) ADD_FAILURE() << "CVX_REQUIRE_DATA=1 but no data at " << dir;
  return false;
}

}  // namespace cvx::test
