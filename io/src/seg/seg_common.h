// SPDX-License-Identifier: MIT
// Private to io/src/seg: placing SEG frames and RTSTRUCT contours on a grid.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <cvx/core/geometry.h>
#include <cvx/core/segmentation.h>

namespace cvx::io::seg {

// Item i of sequence seq inside it, or nullptr.
DcmItem* item(DcmItem* it, const DcmTagKey& seq, unsigned long i = 0);
// Trimmed string value or "".
std::string text(DcmItem* it, const DcmTagKey& tag);
// n numbers of a multi-valued attribute, or nullopt when any is missing.
std::optional<std::vector<double>> numbers(DcmItem* it, const DcmTagKey& tag, unsigned long n);
// The first item of a code sequence as a CodedTerm (empty when absent).
CodedTerm code(DcmItem* it, const DcmTagKey& seq);

// The slice k of a grid (dims x/y/z) whose voxel (0, 0, k) centre lies within tolerance of p:
// |p - world(0, 0, k)| <= min(kSegPositionToleranceMm, a quarter of the smallest spacing).
std::optional<int64_t> sliceAt(const Geometry& g, const std::array<int64_t, 3>& dims, Vec3 p);

// The 3D grid that holds frames of one orientation at the given positions: origin at the lowest
// position along the normal, spacing between slices `spacingZ` when > 0, else the smallest gap
// between distinct positions (else sliceThickness, else 1 mm). nullopt when the positions do not
// fall on one regular grid or it would exceed 65536 slices.
struct Grid {
  Geometry geometry;
  std::array<int64_t, 3> dims{0, 0, 0};
};
std::optional<Grid> gridFromPositions(Vec3 row, Vec3 col, double spacingX, double spacingY,
                                      const std::vector<Vec3>& positions, int64_t cols, int64_t rows,
                                      double spacingZ, double sliceThickness);

}  // namespace cvx::io::seg
