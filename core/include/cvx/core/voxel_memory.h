// Voxel buffers: large ones come from mmap (page aligned, zero-filled and populated up front by
// the kernel, so that a first load does not fault page by page); the most
// recently freed buffer of each of two size classes (64 MiB up; 8 to 64 MiB, e.g. a CT's mask) is
// kept and handed to the next volume of a similar size, because a viewer loads series after series
// and tools segment again and again, and fresh pages cost a fault and a kernel zeroing each (the
// dominant cost of loading an uncompressed series and of a threshold on the CT, see
// docs/benchmarks.md).
#pragma once
#include <cstddef>

namespace cvx::detail {

struct VoxelBlock {
  std::byte* data = nullptr;
  size_t bytes = 0;     // size of the allocation (>= what was asked)
  bool mapped = false;  // from mmap (else aligned_alloc)
  bool recycled = false;  // contents are stale (not zero)
};

// bytes > 0. nullptr data on failure.
VoxelBlock acquireVoxels(size_t bytes);
void releaseVoxels(const VoxelBlock& block);
// Drops the kept buffers (tests, low-memory handlers).
void trimVoxelCache();

}  // namespace cvx::detail
