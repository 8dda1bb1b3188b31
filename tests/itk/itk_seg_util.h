// Shared by the ITK segmentation comparisons: cvx volumes as ITK images, masks compared voxel for
// voxel, label volumes compared as partitions, and the real CT loaded once.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <random>

#include <itkImage.h>

#include <cvx/core/volume.h>
#include <cvx/io/dicom.h>
#include <cvx/seg/segment.h>

#include "itk_seg_common.h"  // Img, toItk, seFromOffsets, storedOf (shared with bench_segment)
#include "test_data.h"

namespace cvx::test {

struct MaskCompare {
  int64_t ours = 0, theirs = 0, both = 0, differ = 0;
  double dice() const {
    return ours + theirs == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(ours + theirs);
  }
};

// Foreground is != 0 on both sides (or == theirFg when given).
template <class T>
MaskCompare compareMasks(const Volume& ours, const Img<T>* theirs, int theirFg = -1) {
  MaskCompare c;
  const uint8_t* a = ours.as<uint8_t>();
  const T* b = theirs->GetBufferPointer();
  for (int64_t i = 0; i < ours.voxelsPerPhase(); ++i) {
    const bool x = a[i] != 0, y = theirFg < 0 ? b[i] != 0 : b[i] == static_cast<T>(theirFg);
    c.ours += x, c.theirs += y, c.both += x && y, c.differ += x != y;
  }
  return c;
}

// Whether two label arrays (0 = background) are the same partition: a one-to-one map between
// their labels that holds for every voxel.
template <class A, class B>
bool samePartition(const A* a, const B* b, int64_t n, int64_t* components = nullptr) {
  std::map<uint64_t, uint64_t> ab, ba;
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t x = a[i], y = b[i];
    if ((x == 0) != (y == 0)) return false;
    if (x == 0) continue;
    auto [it, fresh] = ab.emplace(x, y);
    if (!fresh && it->second != y) return false;
    auto [jt, fresh2] = ba.emplace(y, x);
    if (!fresh2 && jt->second != x) return false;
  }
  if (components) *components = static_cast<int64_t>(ab.size());
  return true;
}

inline int64_t countNonZeroOf(const Volume& m) {
  int64_t n = 0;
  for (int64_t i = 0; i < m.voxelsPerPhase(); ++i) n += m.as<uint8_t>()[i] != 0;
  return n;
}

inline double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// ../shared/data/ct (512 x 512 x 134, UInt16 stored values, HU = stored - 1024), loaded once.
inline std::shared_ptr<Volume> ct() {
  static std::shared_ptr<Volume> v = [] {
    auto r = io::loadPath(dataPath("ct"));
    return r.ok() ? *r : nullptr;
  }();
  return v;
}

// Slices z0 .. z1 - 1 of phase 0 of v, as a new volume with v's geometry (a slab of the CT keeps
// the tests that run ITK's slower filters within a few seconds).
inline std::shared_ptr<Volume> slab(const Volume& v, int64_t z0, int64_t z1) {
  auto r = Volume::create(v.type(), {v.dims()[0], v.dims()[1], z1 - z0, 1});
  std::shared_ptr<Volume> s = *r;
  std::memcpy(s->data(), v.slice(z0), static_cast<size_t>(z1 - z0) * v.sliceBytes());
  s->geometry = v.geometry;
  s->info = v.info;
  return s;
}

// A random int16 volume of values 0..99: in-range voxels form a maze of clusters.
inline std::shared_ptr<Volume> randomValues(int64_t nx, int64_t ny, int64_t nz, unsigned seed) {
  auto r = Volume::create(PixelType::Int16, {nx, ny, nz, 1});
  std::shared_ptr<Volume> v = *r;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> u(0, 99);
  for (int64_t i = 0; i < v->voxelCount(); ++i) v->as<int16_t>()[i] = static_cast<int16_t>(u(rng));
  v->geometry.spacingMm = {0.8, 0.6, 1.5};
  return v;
}

}  // namespace cvx::test

#define CVX_REQUIRE_CT()                                            \
  do {                                                              \
    CVX_REQUIRE_FOLDER("ct");                                       \
    ASSERT_NE(::cvx::test::ct(), nullptr) << "the CT did not load"; \
  } while (0)
