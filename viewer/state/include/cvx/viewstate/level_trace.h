// SPDX-License-Identifier: MIT
// Level tracing (3D Slicer's effect of that name, ITK's LevelTracingImageFilter in a slice): the
// region of one slice of a segmentation's grid that the level curve through the voxel under the
// mouse encloses, to preview and fill into a segment. docs/segmentation.md, "Level tracing".
//
// The rule, on the slice of the grid through the seed voxel across `axis`:
//  - the level L is the source's value at the seed voxel (series' units: HU, Bq/ml), read as the
//    brush's range reads it (sourceValues: the voxel itself on the same grid, else the source
//    interpolated trilinearly at the voxel's centre; outside the source no value);
//  - when one of the seed's four neighbours in the slice has a value below L, the region is every
//    voxel of the slice connected to the seed through edges (4-connected) whose value is >= L (the
//    bright side of the level curve); else, when one has a value above L, the voxels <= L (the dark
//    side); else the image is flat there: seg.edit_flat;
//  - a voxel without a value (outside the source) is never in the region.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>

namespace cvx::view {

// The source's value at voxel (x, y, z) of sg's grid in the source's units, NaN outside the source
// (the brush range's reading, seg_edit.h); seg.edit_bad_range for a colour source or a phase it does
// not have.
Result<std::function<double(int64_t, int64_t, int64_t)>> sourceValues(const Segmentation& sg,
                                                                      const Volume& source, int64_t phase);

struct LevelTrace {
  Geometry grid;                  // the segmentation's grid it was traced on
  std::array<int64_t, 3> dims{};  // and its size
  int axis = 2;       // the slice is across this grid axis (0: i, 1: j, 2: k)
  int64_t slice = 0;  // its index along the axis
  double level = 0;   // the seed's value
  bool above = true;  // the region holds the values >= level (else <= level)
  // The slice's voxels, row by row: u the lower of the other two axes, v the higher (axis 2: u = i,
  // v = j); 1 in the region.
  int64_t nu = 0, nv = 0;
  std::vector<uint8_t> mask;
  size_t count = 0;  // voxels in the region
  // The slice's other two grid axes: u the lower, v the higher.
  int uAxis() const { return axis == 0 ? 1 : 0; }
  int vAxis() const { return axis == 2 ? 1 : 2; }
  // Voxel (x, y, z) of the grid for slice pixel (u, v) (mask's entry v * nu + u).
  std::array<int64_t, 3> voxel(int64_t u, int64_t v) const;
};

// The grid axis a view with this normal (LPS) slices across: the one whose slices' plane is within
// about 0.6 degrees of the view's; seg.edit_oblique when none is (level tracing works on the grid's own
// slices, so a series acquired obliquely, whose slices no axial, coronal or sagittal view shows, cannot
// be traced), seg.edit_bad_brush for a zero normal.
Result<int> sliceAxis(const Geometry& g, Vec3 normal);

// The region at `seed` (a voxel of sg's grid) on its slice across `axis`. seg.edit_no_island for a
// seed outside the grid or without a value, seg.edit_flat where no neighbour differs,
// seg.edit_bad_range for a colour source or a phase it does not have, seg.edit_oblique for an axis
// not 0, 1 or 2.
Result<LevelTrace> levelTrace(const Segmentation& sg, const Volume& source, int64_t phase,
                              std::array<int64_t, 3> seed, int axis);

// The region's outline on its slice: the edges between a voxel in the region and a neighbour that is
// not (or the slice's rim), each a segment between two corners of the voxel's square (the centre plus
// or minus half a voxel along the slice's two axes), in patient space (LPS mm) through g.
std::vector<std::array<Vec3, 2>> traceOutline(const LevelTrace& t, const Geometry& g);

}  // namespace cvx::view
