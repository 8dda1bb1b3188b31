#include <cvx/core/voxel_memory.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include <sys/mman.h>
#include <unistd.h>

namespace cvx::detail {
namespace {

constexpr size_t kMapThreshold = size_t{1} << 20;   // below: aligned_alloc
// Buffers worth keeping, in two size classes with one kept buffer each: volumes (64 MiB up) and
// masks and small series (8 to 64 MiB: a CT's 1-byte segmentation mask is 33.5 MiB, and a tool
// that segments again and again, the threshold slider, would otherwise get fresh pages each time).
constexpr size_t kKeepThreshold = size_t{64} << 20;
constexpr size_t kKeepSmall = size_t{8} << 20;

struct Cache {
  std::mutex mutex;
  VoxelBlock kept[2];  // [0]: >= kKeepThreshold, [1]: kKeepSmall .. kKeepThreshold
};

int slotOf(size_t bytes) { return bytes >= kKeepThreshold ? 0 : (bytes >= kKeepSmall ? 1 : -1); }

Cache& cache() {
  static Cache c;
  return c;
}

size_t keepLimit() {
  // Never keep more than a quarter of physical memory idle.
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(page) / 4 : size_t{1} << 30;
}

void unmap(const VoxelBlock& b) {
  if (b.data) munmap(b.data, b.bytes);
}

}  // namespace

VoxelBlock acquireVoxels(size_t bytes) {
  VoxelBlock b;
  if (bytes < kMapThreshold) {
    const size_t alloc = (bytes + 63) / 64 * 64;
    b.data = static_cast<std::byte*>(std::aligned_alloc(64, alloc));
    if (b.data) std::memset(b.data, 0, alloc);
    b.bytes = alloc;
    return b;
  }
  const size_t alloc = (bytes + 4095) / 4096 * 4096;
  {
    std::lock_guard lock(cache().mutex);
    // Reuse a kept buffer when it fits and wastes at most half of itself.
    for (VoxelBlock& k : cache().kept)
      if (k.data && k.bytes >= alloc && k.bytes / 2 <= alloc) {
        b = k;
        b.recycled = true;
        k = VoxelBlock{};
        return b;
      }
  }
  // Fresh pages are populated by the mmap call itself (MAP_POPULATE, any Linux): one kernel pass
  // instead of a fault per 4 KiB page when the loader first writes them (docs/benchmarks.md).
  const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
  void* m = mmap(nullptr, alloc, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (m == MAP_FAILED) {
    trimVoxelCache();  // the kept buffer may be what stands in the way
    m = mmap(nullptr, alloc, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (m == MAP_FAILED) return b;
  }
  b.data = static_cast<std::byte*>(m);
  b.bytes = alloc;
  b.mapped = true;
  return b;
}

void releaseVoxels(const VoxelBlock& block) {
  if (!block.data) return;
  if (!block.mapped) {
    std::free(block.data);
    return;
  }
  const int slot = slotOf(block.bytes);
  if (slot >= 0 && block.bytes <= keepLimit()) {
    VoxelBlock old;
    {
      std::lock_guard lock(cache().mutex);
      old = cache().kept[slot];
      cache().kept[slot] = block;
      cache().kept[slot].recycled = false;
    }
    unmap(old);
    return;
  }
  unmap(block);
}

void trimVoxelCache() {
  VoxelBlock old[2];
  {
    std::lock_guard lock(cache().mutex);
    for (int i = 0; i < 2; ++i) old[i] = cache().kept[i], cache().kept[i] = VoxelBlock{};
  }
  for (const VoxelBlock& b : old) unmap(b);
}

}  // namespace cvx::detail
