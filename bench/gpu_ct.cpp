// SPDX-License-Identifier: MIT
#include "gpu_ct.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

namespace cvx::bench {
namespace {

bool parseTriple(const char* s, double out[3]) { return std::sscanf(s, "%lf,%lf,%lf", &out[0], &out[1], &out[2]) == 3; }

std::shared_ptr<Volume> newVolume(const CtSource& s, int64_t nz) {
  auto v = Volume::create(PixelType::Int16, {s.dims[0], s.dims[1], nz, 1}).value();
  v->geometry.spacingMm = {s.spacing[0], s.spacing[1], s.spacing[2]};
  return v;
}

}  // namespace

bool parseCtOption(const std::string& k, const char* v, CtSource& s) {
  double t[3];
  if (k == "--ct") s.ct = v;
  else if (k == "--dims" && parseTriple(v, t)) for (int a = 0; a < 3; ++a) s.dims[a] = static_cast<int64_t>(t[a]);
  else if (k == "--spacing" && parseTriple(v, t)) for (int a = 0; a < 3; ++a) s.spacing[a] = t[a];
  else return false;
  return true;
}

// The committed crop is mirrored at its edges when tiled.
std::shared_ptr<Volume> loadCt(const CtSource& s, std::string& what) {
  auto v = newVolume(s, s.dims[2]);
  const size_t n = static_cast<size_t>(v->voxelsPerPhase());
  if (!s.ct.empty()) {
    std::ifstream f(s.ct, std::ios::binary);
    f.read(reinterpret_cast<char*>(v->as<int16_t>()), static_cast<std::streamsize>(n * 2));
    if (!f) return what = "cannot read " + std::to_string(n * 2) + " bytes of int16 from " + s.ct, nullptr;
    what = s.ct;
    return v;
  }
  const int cx = 176, cy = 160, cz = 32;
  std::vector<uint16_t> crop(static_cast<size_t>(cx) * cy * cz);
  std::ifstream f(std::string(CVX_SOURCE_DIR) + "/tests/cuda/data/ct_crop_176x160x32_u16.raw", std::ios::binary);
  f.read(reinterpret_cast<char*>(crop.data()), static_cast<std::streamsize>(crop.size() * 2));
  if (!f) return what = "no --ct and no tests/cuda/data crop", nullptr;
  auto mirror = [](int64_t i, int n) {
    const int64_t m = i % (2 * n);
    return static_cast<int>(m < n ? m : 2 * n - 1 - m);
  };
  int16_t* p = v->as<int16_t>();
  for (int64_t k = 0; k < s.dims[2]; ++k)
    for (int64_t j = 0; j < s.dims[1]; ++j)
      for (int64_t i = 0; i < s.dims[0]; ++i)
        *p++ = static_cast<int16_t>(
            int(crop[(static_cast<size_t>(mirror(k, cz)) * cy + mirror(j, cy)) * cx + mirror(i, cx)]) - 1024);
  what = "NO CT GIVEN: the committed 176x160x32 crop (stored + 1024) tiled to the CT's size";
  return v;
}

std::shared_ptr<Volume> cycledCt(const CtSource& s, const Volume& ct, int64_t nz) {
  auto v = newVolume(s, nz);
  const size_t slice = static_cast<size_t>(s.dims[0] * s.dims[1]);
  for (int64_t k = 0; k < nz; ++k)
    std::copy_n(ct.as<int16_t>() + static_cast<size_t>(k % s.dims[2]) * slice, slice, v->as<int16_t>() + k * slice);
  return v;
}

}  // namespace cvx::bench
