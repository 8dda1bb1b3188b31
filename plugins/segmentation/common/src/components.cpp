// SPDX-License-Identifier: MIT
// Connected components, keep-largest and island removal over the run engine (runs.h).
#include <limits>
#include <new>

#include <sys/mman.h>

#include "runs.h"

namespace cvx::seg {

using namespace detail;

Result<Components> labelComponents(const Volume& mask, int connectivity, Progress* progress) try {
  auto rl = labelMaskRuns(mask, connectivity, false, progress);
  if (!rl.ok()) return rl.error();
  const Dims d = dimsOf(mask);
  Components c;
  c.dims = {d.nx, d.ny, d.nz};
  c.geometry = mask.geometry;
  try {
    c.labels.resize(static_cast<size_t>(d.count()));  // not zeroed: every voxel is written below
  } catch (const std::bad_alloc&) {
    return makeError("seg.out_of_memory", "no memory for " + std::to_string(d.count()) + " labels");
  }
  addTotal(progress, d.nz);
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    uint32_t* s = c.labels.data() + z * d.slice();
    std::fill(s, s + d.slice(), 0u);
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      for (int64_t i = rl->rowStart[r]; i < rl->rowStart[r + 1]; ++i)
        std::fill(s + y * d.nx + rl->runs[i].x0, s + y * d.nx + rl->runs[i].x1 + 1, rl->label[i]);
    }
    addProgress(progress);
  }));
  c.voxels = std::move(rl->voxels);
  return c;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

Result<VolumePtr> Components::toVolume() const {
  if (count() > 65535)
    return makeError("seg.too_many_labels",
                     std::to_string(count()) + " components do not fit a UInt16 volume");
  auto v = Volume::create(PixelType::UInt16, {dims[0], dims[1], dims[2], 1}, VoxelInit::Uninitialized);
  if (!v.ok()) return v.error();
  (*v)->geometry = geometry;
  uint16_t* o = (*v)->as<uint16_t>();
  for (size_t i = 0; i < labels.size(); ++i) o[i] = static_cast<uint16_t>(labels[i]);
  return v;
}

Result<VolumePtr> keepLargest(const Volume& mask, int connectivity, Progress* progress) try {
  auto rl = labelMaskRuns(mask, connectivity, false, progress);
  if (!rl.ok()) return rl.error();
  std::vector<uint8_t> keep(rl->voxels.size(), 0);
  size_t best = 0;
  for (size_t l = 1; l < rl->voxels.size(); ++l)
    if (best == 0 || rl->voxels[l] > rl->voxels[best]) best = l;
  if (best) keep[best] = 1;
  return maskOfRuns(mask, *rl, keep, false, progress);
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

Result<VolumePtr> removeSmallIslands(const Volume& mask, int64_t minVoxels, int connectivity,
                                     Progress* progress) try {
  if (minVoxels < 0)
    return makeError("seg.bad_parameter",
                     "the smallest island to keep is negative: " + std::to_string(minVoxels));
  auto rl = labelMaskRuns(mask, connectivity, false, progress);
  if (!rl.ok()) return rl.error();
  std::vector<uint8_t> keep(rl->voxels.size(), 0);
  for (size_t l = 1; l < rl->voxels.size(); ++l) keep[l] = rl->voxels[l] >= minVoxels;
  return maskOfRuns(mask, *rl, keep, false, progress);
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

Result<int64_t> minVoxelsForMl(const Volume& mask, double minMl) {
  if (!(minMl >= 0) || std::isinf(minMl))
    return makeError("seg.bad_parameter", "the smallest island to keep must be a volume >= 0 mL");
  const Vec3& s = mask.geometry.spacingMm;
  const double voxelMl = s.x * s.y * s.z / 1000.0;
  if (!(voxelMl > 0)) return makeError("seg.bad_parameter", "the mask's spacing is not positive");
  // Kept iff voxels * voxelMl >= minMl: the smallest such voxel count, checked in the same product.
  double need = std::ceil(minMl / voxelMl);
  while (need > 0 && (need - 1) * voxelMl >= minMl) need -= 1;
  while (need * voxelMl < minMl) need += 1;
  if (need > 9e18) need = 9e18;
  return static_cast<int64_t>(need);
}

Result<VolumePtr> removeSmallIslandsMl(const Volume& mask, double minMl, int connectivity, Progress* progress) {
  const auto need = minVoxelsForMl(mask, minMl);
  if (!need.ok()) return need.error();
  return removeSmallIslands(mask, *need, connectivity, progress);
}

}  // namespace cvx::seg

namespace cvx::seg::detail {

namespace {
constexpr size_t kMapBytes = size_t{1} << 20;
size_t pageRound(size_t bytes) { return (bytes + 4095) / 4096 * 4096; }
}  // namespace

void* allocateLabels(size_t bytes) {
  if (bytes < kMapBytes) return ::operator new(bytes);
  void* p = mmap(nullptr, pageRound(bytes), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void freeLabels(void* p, size_t bytes) noexcept {
  if (!p) return;
  if (bytes < kMapBytes)
    ::operator delete(p);
  else
    munmap(p, pageRound(bytes));
}

}  // namespace cvx::seg::detail
