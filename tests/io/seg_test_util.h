// Helpers of the seg_* tests: comparing a mask with a reference label map in patient space, and
// running a reference tool as a subprocess.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>

namespace cvx::test {

// Every voxel centre of `truth` must be a voxel centre of `grid` (within tolMm, checked at the 8
// corners: both maps are affine) and the two grids must hold the same number of voxels. Returns
// for each truth voxel (x fastest) the index of the same point in the grid, or empty on mismatch
// (with a gtest failure saying why).
inline std::vector<int64_t> mapInPatientSpace(const Volume& truth, const Geometry& grid,
                                              std::array<int64_t, 3> gridDims, double tolMm = 1e-3) {
  const auto& d = truth.dims();
  if (d[0] * d[1] * d[2] != gridDims[0] * gridDims[1] * gridDims[2]) {
    ADD_FAILURE() << "voxel counts differ: " << d[0] << "x" << d[1] << "x" << d[2] << " vs " << gridDims[0]
                  << "x" << gridDims[1] << "x" << gridDims[2];
    return {};
  }
  const Mat4 toGrid = grid.voxelFromWorld();
  auto gridIndex = [&](int64_t i, int64_t j, int64_t k, bool check) -> int64_t {
    const Vec3 w =
        truth.geometry.worldAt(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k));
    const Vec3 v = toGrid.applyPoint(w);
    const Vec3 r{std::round(v.x), std::round(v.y), std::round(v.z)};
    if (check && norm(grid.worldAt(r.x, r.y, r.z) - w) > tolMm) return -1;
    if (r.x < 0 || r.y < 0 || r.z < 0 || r.x >= gridDims[0] || r.y >= gridDims[1] || r.z >= gridDims[2])
      return -1;
    return (static_cast<int64_t>(r.z) * gridDims[1] + static_cast<int64_t>(r.y)) * gridDims[0] +
           static_cast<int64_t>(r.x);
  };
  for (int64_t c = 0; c < 8; ++c) {
    const int64_t i = (c & 1) ? d[0] - 1 : 0, j = (c & 2) ? d[1] - 1 : 0, k = (c & 4) ? d[2] - 1 : 0;
    if (gridIndex(i, j, k, true) < 0) {
      ADD_FAILURE() << "truth voxel (" << i << "," << j << "," << k
                    << ") is not a voxel centre of the grid within " << tolMm << " mm";
      return {};
    }
  }
  std::vector<int64_t> map(static_cast<size_t>(d[0] * d[1] * d[2]));
  size_t n = 0;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) map[n++] = gridIndex(i, j, k, false);
  return map;
}

// Voxels where (truth value satisfies `in`) differs from the mask, compared in patient space.
inline int64_t countDifferences(const Volume& truth, const std::function<bool(double)>& in,
                                const std::vector<uint8_t>& mask, const Geometry& grid,
                                std::array<int64_t, 3> gridDims, int64_t* truthCount = nullptr) {
  const auto map = mapInPatientSpace(truth, grid, gridDims);
  if (map.empty()) return -1;
  int64_t diff = 0, count = 0;
  const auto& d = truth.dims();
  size_t n = 0;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i, ++n) {
        const bool t = in(truth.valueAt(i, j, k));
        count += t;
        if (t != (mask[static_cast<size_t>(map[n])] != 0)) ++diff;
      }
  if (truthCount) *truthCount = count;
  return diff;
}

// Runs a shell command; its exit status and its stdout+stderr.
inline int runCommand(const std::string& cmd, std::string& output) {
  output.clear();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  const int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace cvx::test
