// SPDX-License-Identifier: MIT
// Connected components on runs, the engine of labelling, keep-largest, island removal, region
// growing and hole filling. The voxels of interest of every row are cut into runs (slices in
// parallel); runs that touch in the rows before them in raster order are united (union-find, the
// smaller run index is the root, so a component's root is its first run in raster order); then
// components are numbered in root order, which is the raster order of their first voxels.
#pragma once
#include <cstdint>
#include <vector>

#include "common.h"

namespace cvx::seg::detail {

struct Run {
  int32_t x0, x1;  // inclusive
};

struct RunLabels {
  std::vector<int64_t> rowStart;  // nz*ny + 1 entries: row r's runs are [rowStart[r], rowStart[r+1])
  std::vector<Run> runs;
  std::vector<uint32_t> label;  // per run, 1..count
  std::vector<int64_t> voxels;  // per label; [0]: the voxels in no run
};

// Appends the runs of the row's voxels that satisfy inside(x) to out.
template <class Inside>
void appendRuns(int64_t nx, Inside&& inside, std::vector<Run>& out) {
  for (int64_t x = 0; x < nx;) {
    if (!inside(x)) {
      ++x;
      continue;
    }
    const int64_t x0 = x;
    while (x < nx && inside(x)) ++x;
    out.push_back({static_cast<int32_t>(x0), static_cast<int32_t>(x - 1)});
  }
}

// Unites the runs of rl (rowStart and runs filled) and labels them.
Status uniteAndLabel(RunLabels& rl, const Dims& d, int connectivity, Progress* progress);

// rowRuns(z, y, std::vector<Run>& out) appends the runs of row (y, z), x increasing.
template <class RowRuns>
Result<RunLabels> labelRuns(const Dims& d, int connectivity, Progress* progress, RowRuns&& rowRuns) {
  CVX_TRY(seginputs::connectivity(connectivity));
  if (d.nx > INT32_MAX) return makeError("seg.too_many_labels", "rows longer than 2^31 voxels");
  addTotal(progress, 2 * d.nz + 1);
  RunLabels rl;
  const int64_t rows = d.ny * d.nz;
  rl.rowStart.assign(static_cast<size_t>(rows + 1), 0);
  std::vector<std::vector<Run>> slices(static_cast<size_t>(d.nz));
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    std::vector<Run>& out = slices[z];
    for (int64_t y = 0; y < d.ny; ++y) {
      const size_t before = out.size();
      rowRuns(z, y, out);
      rl.rowStart[z * d.ny + y + 1] = static_cast<int64_t>(out.size() - before);
    }
    addProgress(progress);
  }));
  for (int64_t r = 0; r < rows; ++r) rl.rowStart[r + 1] += rl.rowStart[r];
  if (rl.rowStart[rows] >= int64_t{UINT32_MAX})
    return makeError("seg.too_many_labels", "more than 2^32 - 1 runs");
  rl.runs.resize(static_cast<size_t>(rl.rowStart[rows]));
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    std::copy(slices[z].begin(), slices[z].end(), rl.runs.begin() + rl.rowStart[z * d.ny]);
    std::vector<Run>().swap(slices[z]);
    addProgress(progress);
  }));
  CVX_TRY(uniteAndLabel(rl, d, connectivity, progress));
  return rl;
}

// The runs of a byte row's non-zero voxels (or, with flip, its zero voxels). Stretches of zero
// bytes are skipped eight at a time: masks are mostly empty rows or long runs.
inline void appendMaskRuns(const uint8_t* p, int64_t nx, bool flip, std::vector<Run>& out) {
  auto zeroWord = [&](int64_t x) {
    uint64_t w;
    std::memcpy(&w, p + x, 8);
    return w == 0;
  };
  int64_t x = 0;
  while (x < nx) {
    if (!flip)
      while (x + 8 <= nx && zeroWord(x)) x += 8;
    while (x < nx && (p[x] != 0) == flip) ++x;
    if (x >= nx) break;
    const int64_t x0 = x;
    if (flip)
      while (x + 8 <= nx && zeroWord(x)) x += 8;
    while (x < nx && (p[x] != 0) != flip) ++x;
    out.push_back({static_cast<int32_t>(x0), static_cast<int32_t>(x - 1)});
  }
}

// The runs of a mask's foreground (or, with flip, its background).
inline Result<RunLabels> labelMaskRuns(const Volume& mask, int connectivity, bool flip, Progress* progress) {
  CVX_TRY(seginputs::mask(mask));
  const Dims d = dimsOf(mask);
  const uint8_t* in = mask.as<uint8_t>();
  const bool f = flip;
  return labelRuns(d, connectivity, progress, [&](int64_t z, int64_t y, std::vector<Run>& out) {
    appendMaskRuns(in + (z * d.ny + y) * d.nx, d.nx, f, out);
  });
}

// A new mask: 1 on the runs whose label has keep[label] set (0 elsewhere), or the reverse.
Result<VolumePtr> maskOfRuns(const Volume& like, const RunLabels& rl, const std::vector<uint8_t>& keep,
                             bool reverse, Progress* progress);

}  // namespace cvx::seg::detail
