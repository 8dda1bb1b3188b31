#include <cvx/core/volume.h>
#include <cvx/core/voxel_memory.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using cvx::PixelType;
using cvx::Volume;
using cvx::VoxelInit;

TEST(VoxelMemory, FreedLargeBufferIsRecycledAndZeroedOnRequest) {
  cvx::detail::trimVoxelCache();
  const std::array<int64_t, 4> dims{512, 512, 140, 1};  // 70 MiB of int16: worth keeping
  std::byte* first = nullptr;
  {
    auto v = *Volume::create(PixelType::Int16, dims, VoxelInit::Uninitialized);
    first = v->data();
    std::memset(v->data(), 0x5A, v->byteSize());
  }
  // Same size again, zero-init requested: the same pages come back, cleared.
  auto z = *Volume::create(PixelType::Int16, dims);
  EXPECT_EQ(z->data(), first);
  for (int64_t i = 0; i < z->voxelCount(); i += 4099) ASSERT_EQ(z->as<int16_t>()[i], 0);
  // While z is alive there is nothing to recycle: a second volume gets fresh (zero) pages.
  auto w = *Volume::create(PixelType::Int16, dims, VoxelInit::Uninitialized);
  EXPECT_NE(w->data(), z->data());
  EXPECT_EQ(w->as<int16_t>()[12345], 0);
}

TEST(VoxelMemory, MuchSmallerVolumeDoesNotTakeAHugeBuffer) {
  cvx::detail::trimVoxelCache();
  std::byte* big = nullptr;
  { big = (*Volume::create(PixelType::Float32, {512, 512, 200, 1}))->data(); }
  auto small = *Volume::create(PixelType::Int16, {512, 512, 130, 1});  // 65 MiB < half of 200 MiB
  EXPECT_NE(small->data(), big);
  cvx::detail::trimVoxelCache();
}

// A fresh large buffer is populated when it is allocated (no fault per page when the loader first
// writes it): mincore(2), the kernel's own account, finds every page resident before any touch.
TEST(VoxelMemory, FreshLargeBufferIsResidentBeforeItIsTouched) {
  cvx::detail::trimVoxelCache();
  const size_t bytes = size_t{96} << 20;
  const cvx::detail::VoxelBlock b = cvx::detail::acquireVoxels(bytes);
  ASSERT_NE(b.data, nullptr);
  ASSERT_TRUE(b.mapped);
  ASSERT_FALSE(b.recycled);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((b.bytes + page - 1) / page);
  ASSERT_EQ(mincore(b.data, b.bytes, resident.data()), 0);
  size_t missing = 0;
  for (unsigned char r : resident) missing += (r & 1) ? 0 : 1;
  EXPECT_EQ(missing, 0u) << "of " << resident.size() << " pages";
  // Still zero, as the kernel hands it out.
  for (size_t i = 0; i < b.bytes; i += 4093) ASSERT_EQ(b.data[i], std::byte{0});
  cvx::detail::releaseVoxels(b);
  cvx::detail::trimVoxelCache();
}

// A mask-sized buffer (a CT's 1-byte mask, 33.5 MiB) is kept in its own slot beside a volume-sized
// one: segmenting again reuses it while the big buffer stays kept too.
TEST(VoxelMemory, MaskSizedBufferIsKeptBesideABigOne) {
  cvx::detail::trimVoxelCache();
  std::byte *big = nullptr, *mask = nullptr;
  {
    auto v = *Volume::create(PixelType::Int16, {512, 512, 140, 1}, VoxelInit::Uninitialized);  // 70 MiB
    auto m = *Volume::create(PixelType::UInt8, {512, 512, 134, 1}, VoxelInit::Uninitialized);  // 33.5 MiB
    big = v->data(), mask = m->data();
    std::memset(m->data(), 1, m->byteSize());
  }
  auto m2 = *Volume::create(PixelType::UInt8, {512, 512, 134, 1});
  EXPECT_EQ(m2->data(), mask);
  for (int64_t i = 0; i < m2->voxelCount(); i += 4099) ASSERT_EQ(m2->as<uint8_t>()[i], 0);  // cleared
  auto v2 = *Volume::create(PixelType::Int16, {512, 512, 140, 1}, VoxelInit::Uninitialized);
  EXPECT_EQ(v2->data(), big);
  // A 2 MiB buffer is not kept (below the small class): the next one is fresh.
  cvx::detail::trimVoxelCache();
  cvx::detail::releaseVoxels(cvx::detail::acquireVoxels(size_t{2} << 20));
  const cvx::detail::VoxelBlock again = cvx::detail::acquireVoxels(size_t{2} << 20);
  EXPECT_FALSE(again.recycled);
  cvx::detail::releaseVoxels(again);
  cvx::detail::trimVoxelCache();
}
