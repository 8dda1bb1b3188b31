// SPDX-License-Identifier: MIT
// Connected components on runs: the foreground of every row is cut into runs (slices in
// parallel), runs that touch in the rows before them in raster order are united (union-find, the
// smaller run index is the root, so a component's root is its first run in raster order), then
// components are numbered in root order.
#include <limits>

#include "common.h"

namespace cvx::seg {

using namespace detail;

namespace {

struct Run {
  int32_t x0, x1;
};

struct RunLabels {
  std::vector<int64_t> rowStart;  // nz*ny + 1 entries: the runs of row r are [rowStart[r], rowStart[r+1])
  std::vector<Run> runs;
  std::vector<uint32_t> label;    // per run, 1..count
  std::vector<int64_t> voxels;    // per label; [0] is the background
};

uint32_t findRoot(std::vector<uint32_t>& parent, uint32_t a) {
  uint32_t r = a;
  while (parent[r] != r) r = parent[r];
  while (parent[a] != r) {
    const uint32_t next = parent[a];
    parent[a] = r;
    a = next;
  }
  return r;
}

void unite(std::vector<uint32_t>& parent, uint32_t a, uint32_t b) {
  a = findRoot(parent, a);
  b = findRoot(parent, b);
  if (a == b) return;
  if (a < b) parent[b] = a;
  else parent[a] = b;
}

Result<RunLabels> labelRuns(const Volume& mask, int connectivity, Progress* progress) {
  CVX_TRY(checkMask(mask));
  CVX_TRY(checkConnectivity(connectivity));
  const Dims d = dimsOf(mask);
  const uint8_t* in = mask.as<uint8_t>();
  const int64_t rowsTotal = d.ny * d.nz;
  addTotal(progress, 2 * d.nz + 1);
  RunLabels rl;
  rl.rowStart.assign(static_cast<size_t>(rowsTotal + 1), 0);
  auto countRow = [&](const uint8_t* p) {
    int64_t c = 0;
    uint8_t prev = 0;
    for (int64_t x = 0; x < d.nx; ++x) {
      const uint8_t f = p[x] != 0;
      c += f & !prev;
      prev = f;
    }
    return c;
  };
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    for (int64_t y = 0; y < d.ny; ++y) rl.rowStart[z * d.ny + y + 1] = countRow(in + (z * d.ny + y) * d.nx);
    addProgress(progress);
  }));
  for (int64_t r = 0; r < rowsTotal; ++r) rl.rowStart[r + 1] += rl.rowStart[r];
  const int64_t nRuns = rl.rowStart[rowsTotal];
  if (nRuns >= std::numeric_limits<uint32_t>::max())
    return makeError("seg.too_many_labels", "more than 2^32 - 1 runs of foreground");
  rl.runs.resize(static_cast<size_t>(nRuns));
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    for (int64_t y = 0; y < d.ny; ++y) {
      const uint8_t* p = in + (z * d.ny + y) * d.nx;
      Run* out = rl.runs.data() + rl.rowStart[z * d.ny + y];
      for (int64_t x = 0; x < d.nx;) {
        if (!p[x]) {
          ++x;
          continue;
        }
        const int64_t x0 = x;
        while (x < d.nx && p[x]) ++x;
        *out++ = {static_cast<int32_t>(x0), static_cast<int32_t>(x - 1)};
      }
    }
    addProgress(progress);
  }));
  // Rows before (y, z) in raster order that can touch it: 6 = the faces (y-1, z) and (y, z-1);
  // 26 = also the edges and corners (y-1, z-1) and (y+1, z-1), with runs widened by one voxel.
  int prevRows[4][2];
  int nPrev = 0;
  prevRows[nPrev][0] = -1, prevRows[nPrev++][1] = 0;
  prevRows[nPrev][0] = 0, prevRows[nPrev++][1] = -1;
  if (connectivity == 26) {
    prevRows[nPrev][0] = -1, prevRows[nPrev++][1] = -1;
    prevRows[nPrev][0] = 1, prevRows[nPrev++][1] = -1;
  }
  const int32_t widen = connectivity == 26 ? 1 : 0;
  std::vector<uint32_t> parent(static_cast<size_t>(nRuns));
  for (int64_t i = 0; i < nRuns; ++i) parent[i] = static_cast<uint32_t>(i);
  for (int64_t z = 0; z < d.nz; ++z) {
    if (cancelled(progress)) return cancelledError();
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      const int64_t a0 = rl.rowStart[r], a1 = rl.rowStart[r + 1];
      if (a0 == a1) continue;
      for (int n = 0; n < nPrev; ++n) {
        const int64_t py = y + prevRows[n][0], pz = z + prevRows[n][1];
        if (py < 0 || py >= d.ny || pz < 0) continue;
        const int64_t pr = pz * d.ny + py;
        int64_t b = rl.rowStart[pr];
        const int64_t b1 = rl.rowStart[pr + 1];
        // Both run lists are sorted by x: a sweep finds every overlapping pair.
        for (int64_t a = a0; a < a1 && b < b1;) {
          const Run& ra = rl.runs[a];
          const Run& rb = rl.runs[b];
          if (rb.x1 + widen < ra.x0) {
            ++b;
          } else if (ra.x1 + widen < rb.x0) {
            ++a;
          } else {
            unite(parent, static_cast<uint32_t>(a), static_cast<uint32_t>(b));
            if (ra.x1 < rb.x1) ++a;
            else ++b;
          }
        }
      }
    }
  }
  addProgress(progress);
  rl.label.resize(static_cast<size_t>(nRuns));
  rl.voxels.assign(1, 0);
  for (int64_t i = 0; i < nRuns; ++i) {
    const uint32_t root = findRoot(parent, static_cast<uint32_t>(i));
    if (root == i) {
      rl.voxels.push_back(0);
      rl.label[i] = static_cast<uint32_t>(rl.voxels.size() - 1);
    } else {
      rl.label[i] = rl.label[root];  // the root comes first, so it is labelled already
    }
    rl.voxels[rl.label[i]] += rl.runs[i].x1 - rl.runs[i].x0 + 1;
  }
  int64_t fg = 0;
  for (size_t l = 1; l < rl.voxels.size(); ++l) fg += rl.voxels[l];
  rl.voxels[0] = d.count() - fg;
  return rl;
}

// A mask of the components whose keep[label] is set.
Result<VolumePtr> maskOf(const Volume& mask, const RunLabels& rl, const std::vector<uint8_t>& keep,
                         Progress* progress) {
  auto out = makeMask(mask);
  if (!out.ok()) return out.error();
  const Dims d = dimsOf(mask);
  uint8_t* o = (*out)->as<uint8_t>();
  addTotal(progress, d.nz);
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    uint8_t* s = o + z * d.slice();
    std::memset(s, 0, static_cast<size_t>(d.slice()));
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      for (int64_t i = rl.rowStart[r]; i < rl.rowStart[r + 1]; ++i)
        if (keep[rl.label[i]])
          std::memset(s + y * d.nx + rl.runs[i].x0, 1, static_cast<size_t>(rl.runs[i].x1 - rl.runs[i].x0 + 1));
    }
    addProgress(progress);
  }));
  return out;
}

}  // namespace

Result<Components> labelComponents(const Volume& mask, int connectivity, Progress* progress) {
  auto rl = labelRuns(mask, connectivity, progress);
  if (!rl.ok()) return rl.error();
  const Dims d = dimsOf(mask);
  Components c;
  c.dims = {d.nx, d.ny, d.nz};
  c.geometry = mask.geometry;
  c.labels.assign(static_cast<size_t>(d.count()), 0);
  addTotal(progress, d.nz);
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    uint32_t* s = c.labels.data() + z * d.slice();
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      for (int64_t i = rl->rowStart[r]; i < rl->rowStart[r + 1]; ++i)
        for (int32_t x = rl->runs[i].x0; x <= rl->runs[i].x1; ++x) s[y * d.nx + x] = rl->label[i];
    }
    addProgress(progress);
  }));
  c.voxels = std::move(rl->voxels);
  return c;
}

Result<VolumePtr> Components::toVolume() const {
  if (count() > 65535)
    return makeError("seg.too_many_labels", std::to_string(count()) + " components do not fit a UInt16 volume");
  auto v = Volume::create(PixelType::UInt16, {dims[0], dims[1], dims[2], 1}, VoxelInit::Uninitialized);
  if (!v.ok()) return v.error();
  (*v)->geometry = geometry;
  uint16_t* o = (*v)->as<uint16_t>();
  for (size_t i = 0; i < labels.size(); ++i) o[i] = static_cast<uint16_t>(labels[i]);
  return v;
}

Result<VolumePtr> keepLargest(const Volume& mask, int connectivity, Progress* progress) {
  auto rl = labelRuns(mask, connectivity, progress);
  if (!rl.ok()) return rl.error();
  std::vector<uint8_t> keep(rl->voxels.size(), 0);
  size_t best = 0;
  for (size_t l = 1; l < rl->voxels.size(); ++l)
    if (best == 0 || rl->voxels[l] > rl->voxels[best]) best = l;
  if (best) keep[best] = 1;
  return maskOf(mask, *rl, keep, progress);
}

Result<VolumePtr> removeSmallIslands(const Volume& mask, int64_t minVoxels, int connectivity,
                                     Progress* progress) {
  if (minVoxels < 0)
    return makeError("seg.bad_parameter", "the smallest island to keep is negative: " + std::to_string(minVoxels));
  auto rl = labelRuns(mask, connectivity, progress);
  if (!rl.ok()) return rl.error();
  std::vector<uint8_t> keep(rl->voxels.size(), 0);
  for (size_t l = 1; l < rl->voxels.size(); ++l) keep[l] = rl->voxels[l] >= minVoxels;
  return maskOf(mask, *rl, keep, progress);
}

Result<VolumePtr> removeSmallIslandsMl(const Volume& mask, double minMl, int connectivity,
                                       Progress* progress) {
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
  return removeSmallIslands(mask, static_cast<int64_t>(need), connectivity, progress);
}

}  // namespace cvx::seg
