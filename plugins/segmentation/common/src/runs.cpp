// SPDX-License-Identifier: MIT
#include "runs.h"

namespace cvx::seg::detail {
namespace {

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
  if (a < b)
    parent[b] = a;
  else
    parent[a] = b;
}

}  // namespace

Status uniteAndLabel(RunLabels& rl, const Dims& d, int connectivity, Progress* progress) {
  // Rows before (y, z) in raster order that can touch it: 6 = the faces (y-1, z) and (y, z-1);
  // 26 = also the edges and corners (y-1, z-1) and (y+1, z-1), with runs widened by one voxel.
  int prev[4][2] = {{-1, 0}, {0, -1}, {-1, -1}, {1, -1}};
  const int nPrev = connectivity == 26 ? 4 : 2;
  const int32_t widen = connectivity == 26 ? 1 : 0;
  const int64_t nRuns = static_cast<int64_t>(rl.runs.size());
  std::vector<uint32_t> parent(static_cast<size_t>(nRuns));
  for (int64_t i = 0; i < nRuns; ++i) parent[i] = static_cast<uint32_t>(i);
  for (int64_t z = 0; z < d.nz; ++z) {
    if (cancelled(progress)) return cancelledError();
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      const int64_t a0 = rl.rowStart[r], a1 = rl.rowStart[r + 1];
      if (a0 == a1) continue;
      for (int n = 0; n < nPrev; ++n) {
        const int64_t py = y + prev[n][0], pz = z + prev[n][1];
        if (py < 0 || py >= d.ny || pz < 0) continue;
        const int64_t pr = pz * d.ny + py;
        int64_t b = rl.rowStart[pr];
        const int64_t b1 = rl.rowStart[pr + 1];
        // Both run lists are sorted by x: one sweep finds every touching pair.
        for (int64_t a = a0; a < a1 && b < b1;) {
          const Run& ra = rl.runs[a];
          const Run& rb = rl.runs[b];
          if (rb.x1 + widen < ra.x0) {
            ++b;
          } else if (ra.x1 + widen < rb.x0) {
            ++a;
          } else {
            unite(parent, static_cast<uint32_t>(a), static_cast<uint32_t>(b));
            if (ra.x1 < rb.x1)
              ++a;
            else
              ++b;
          }
        }
      }
    }
  }
  addProgress(progress);
  rl.label.resize(static_cast<size_t>(nRuns));
  rl.voxels.assign(1, 0);
  int64_t inRuns = 0;
  for (int64_t i = 0; i < nRuns; ++i) {
    const uint32_t root = findRoot(parent, static_cast<uint32_t>(i));
    if (static_cast<int64_t>(root) == i) {
      rl.voxels.push_back(0);
      rl.label[i] = static_cast<uint32_t>(rl.voxels.size() - 1);
    } else {
      rl.label[i] = rl.label[root];  // the root comes first, so it is labelled already
    }
    const int64_t len = rl.runs[i].x1 - rl.runs[i].x0 + 1;
    rl.voxels[rl.label[i]] += len;
    inRuns += len;
  }
  rl.voxels[0] = d.count() - inRuns;
  return {};
}

Result<VolumePtr> maskOfRuns(const Volume& like, const RunLabels& rl, const std::vector<uint8_t>& keep,
                             bool reverse, Progress* progress) {
  auto out = makeMask(like);
  if (!out.ok()) return out.error();
  const Dims d = dimsOf(like);
  uint8_t* o = (*out)->as<uint8_t>();
  const uint8_t on = reverse ? 0 : 1;
  addTotal(progress, d.nz);
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    uint8_t* s = o + z * d.slice();
    std::memset(s, 1 - on, static_cast<size_t>(d.slice()));
    for (int64_t y = 0; y < d.ny; ++y) {
      const int64_t r = z * d.ny + y;
      for (int64_t i = rl.rowStart[r]; i < rl.rowStart[r + 1]; ++i)
        if (keep[rl.label[i]])
          std::memset(s + y * d.nx + rl.runs[i].x0, on,
                      static_cast<size_t>(rl.runs[i].x1 - rl.runs[i].x0 + 1));
    }
    addProgress(progress);
  }));
  return out;
}

}  // namespace cvx::seg::detail
