// SPDX-License-Identifier: MIT
// How the VTK peers see a CineVox volume (bench only). VTK 9.1's reslice and volume mappers ignore
// an image's direction matrix, so the volume is given to VTK in its own frame (origin + spacing *
// voxel index, axes along the grid) and every plane and camera is expressed in that frame: an
// isometry of patient space for a grid that is not sheared (a reflection when the direction
// matrix has determinant -1).
#pragma once
#include <string>

#include <cvx/core/geometry.h>
#include <cvx/core/volume.h>

namespace cvx::bench {

struct VtkFrame {
  Mat4 voxelFromWorld;
  Vec3 spacing, origin;

  explicit VtkFrame(const Geometry& g = {})
      : voxelFromWorld(g.voxelFromWorld()), spacing(g.spacingMm), origin(g.originMm) {}
  Vec3 toVtkPoint(Vec3 world) const {
    const Vec3 i = voxelFromWorld.applyPoint(world);
    return {origin.x + spacing.x * i.x, origin.y + spacing.y * i.y, origin.z + spacing.z * i.z};
  }
  Vec3 toVtkVector(Vec3 world) const {
    const Vec3 i = voxelFromWorld.applyVector(world);
    return {spacing.x * i.x, spacing.y * i.y, spacing.z * i.z};
  }
};

// Why a volume cannot go to the VTK peers (empty: it can): a sheared grid, or voxels other than the
// CT's int16/uint16. `what` names the peer in the message.
inline std::string vtkUnsupported(const Volume& v, const std::string& what) {
  if (v.geometry.sheared) return "a sheared grid (" + what + " has no shear)";
  if (v.type() != PixelType::Int16 && v.type() != PixelType::UInt16)
    return std::string("pixel type ") + toString(v.type()) + " (the peer takes int16/uint16 CT)";
  return {};
}

}  // namespace cvx::bench
