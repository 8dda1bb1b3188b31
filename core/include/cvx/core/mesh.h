// SPDX-License-Identifier: MIT
// A triangle mesh in patient space (LPS, mm): a segment's surface, as the mesh pipeline makes it
// (render/mesh: flying edges, smoothing, decimation, placed by worldFromVoxel), the 3D view draws
// it into the depth the ray caster respects, and STL/OBJ export writes it.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cvx {

struct Mesh {
  // Vertices in LPS mm, and one unit normal per vertex pointing out of the segment.
  std::vector<std::array<float, 3>> points;
  std::vector<std::array<float, 3>> normals;  // empty, or one per point
  // Triangles as indices into points, counter-clockwise when seen from outside the segment
  // (their right-handed normal points outward).
  std::vector<std::array<uint32_t, 3>> triangles;
  std::array<uint8_t, 3> rgb{255, 255, 255};  // the segment's display colour
  std::string name;                           // the segment's name

  bool empty() const { return triangles.empty(); }
};

}  // namespace cvx
