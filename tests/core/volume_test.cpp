#include <cvx/core/volume.h>
#include <gtest/gtest.h>

#include <vector>

#include <cstdint>

TEST(Volume, LayoutIsXFastestThenYZT) {
  auto r = cvx::Volume::create(cvx::PixelType::Int16, {4, 3, 2, 2});
  ASSERT_TRUE(r.ok());
  auto& v = **r;
  EXPECT_EQ(v.voxelCount(), 48);
  EXPECT_EQ(v.byteSize(), 96u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % 64, 0u);
  auto* s = reinterpret_cast<int16_t*>(v.slice(1, 1));
  s[2 * 4 + 3] = 77;  // x=3, y=2, z=1, t=1
  EXPECT_EQ(v.valueAt(3, 2, 1, 1), 77);
  EXPECT_EQ(v.as<int16_t>()[((1 * 2 + 1) * 3 + 2) * 4 + 3], 77);
  EXPECT_EQ(v.sources.size(), 4u);
}

TEST(Volume, LargeBufferIsZeroAndAligned) {
  auto r = cvx::Volume::create(cvx::PixelType::Float32, {512, 512, 4, 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*r)->data()) % 64, 0u);
  EXPECT_EQ((*r)->valueAt(511, 511, 3), 0.0);
}

TEST(Volume, RejectsAbsurdDims) {
  EXPECT_EQ(cvx::Volume::create(cvx::PixelType::UInt8, {0, 1, 1, 1}).error().code, "volume.bad_dims");
  EXPECT_FALSE(cvx::Volume::create(cvx::PixelType::UInt8, {1 << 20, 1 << 20, 1 << 20, 1}).ok());
}

TEST(Volume, SliceReadinessCountsOnce) {
  auto v = *cvx::Volume::create(cvx::PixelType::UInt8, {2, 2, 3, 1});
  EXPECT_FALSE(v->sliceReady(1));
  v->markSliceReady(1);
  v->markSliceReady(1);
  v->markSliceReady(99);
  EXPECT_TRUE(v->sliceReady(1));
  EXPECT_EQ(v->slicesReady(), 1);
}

// Serials are never shared: not by two live volumes, nor by a volume and one made after it was
// freed (the next often takes its address), created or borrowed.
TEST(Volume, SerialsAreNeverReused) {
  std::vector<uint64_t> seen;
  const void* lastAddress = nullptr;
  bool addressReused = false;
  for (int i = 0; i < 8; ++i) {
    auto v = *cvx::Volume::create(cvx::PixelType::Int16, {4, 4, 2, 1});
    addressReused = addressReused || v.get() == lastAddress;
    lastAddress = v.get();
    seen.push_back(v->serial());
  }
  int16_t buffer[8] = {};
  seen.push_back((*cvx::Volume::borrow(cvx::PixelType::Int16, {2, 2, 2, 1}, buffer))->serial());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_NE(seen[i], 0u);
    for (size_t k = 0; k < i; ++k) EXPECT_NE(seen[i], seen[k]) << "volumes " << k << " and " << i;
  }
  RecordProperty("address_reused", addressReused ? "yes" : "no");
}
