// SPDX-License-Identifier: MIT
// Segment surfaces with VTK (issue 12): flying edges in VOXEL space, smoothed, decimated, placed by
// the grid's worldFromVoxel, so that a cvx::Mesh is in patient space (LPS, mm) with outward normals
// and counter-clockwise triangles seen from outside. The pipeline and its defaults are in
// docs/segmentation.md ("Surfaces and meshes"). cvx::mesh links VTK (CommonCore, CommonDataModel,
// CommonExecutionModel, FiltersCore) and is built only where VTK is found, never in gpu-core.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/mesh.h>
#include <cvx/core/progress.h>
#include <cvx/core/segmentation.h>

namespace cvx::mesh {

struct SurfaceOptions {
  // vtkWindowedSincPolyDataFilter: iterations (0 = no smoothing) and pass band (0 < band <= 2;
  // smaller smooths more). Non-manifold and boundary smoothing off, normalized coordinates on.
  int smoothingIterations = 15;
  double passBand = 0.1;
  // vtkDecimatePro with topology preserved: the fraction of triangles to remove (0 = none, < 1).
  double targetReduction = 0.5;
  // At most this many triangles (0 = no cap): the reduction is raised to reach it. Best effort:
  // decimation that preserves topology may stop above the cap (the mesh then stays closed).
  int64_t maxTriangles = 0;
};

// The surface of the voxels where mask != 0 (x fastest, dims[0] * dims[1] * dims[2] bytes) on the
// grid g. The mask is cropped to its bounding box and padded by one empty voxel, so surfaces close
// at the volume's border; the iso-surface is at 0.5 between an inside (1) and an outside (0)
// voxel. An empty mask gives an empty Mesh (no error). progress (optional): 5 steps; cancel is
// honoured between the steps. Errors: mesh.bad_dims (a dimension < 1, or too many voxels),
// mesh.bad_input (null mask, a singular grid), mesh.too_large (more than 2^32 - 1 points),
// mesh.cancelled, mesh.vtk_failed (VTK ran out of memory or threw), mesh.bad_options.
Result<Mesh> segmentSurface(const uint8_t* mask, std::array<int64_t, 3> dims, const Geometry& g,
                            const SurfaceOptions& options = {}, Progress* progress = nullptr);

// The surface of segment `index` of s (its mask on s's grid), named and coloured as the segment.
// Errors: mesh.bad_input (no such segment), and those of the mask form.
Result<Mesh> segmentSurface(const Segmentation& s, size_t index, const SurfaceOptions& options = {},
                            Progress* progress = nullptr);

// Every segment's surface, in the order of s.segments() (empty segments give empty meshes).
Result<std::vector<Mesh>> segmentSurfaces(const Segmentation& s, const SurfaceOptions& options = {},
                                          Progress* progress = nullptr);

}  // namespace cvx::mesh
