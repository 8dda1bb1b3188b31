// SPDX-License-Identifier: MIT
// Phantoms and mesh checks for the surface tests: a voxelised sphere (or shell) on an anisotropic,
// oblique grid whose voxels are decided here from the analytic shape, and the test's own
// divergence-theorem volume, edge counts and face normals (none of it from cvx::mesh).
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <cvx/core/geometry.h>
#include <cvx/core/mesh.h>

namespace cvx::test {

// A rotation by `deg` degrees about a (normalised) axis, as direction columns.
inline std::array<Vec3, 3> rotation(Vec3 axis, double deg) {
  const Vec3 u = normalized(axis);
  const double t = deg * M_PI / 180, c = std::cos(t), s = std::sin(t);
  auto col = [&](Vec3 e) {  // Rodrigues
    return e * c + cross(u, e) * s + u * (dot(u, e) * (1 - c));
  };
  return {col({1, 0, 0}), col({0, 1, 0}), col({0, 0, 1})};
}

// A ball (inner = 0) or shell of radii [inner, outer] mm around `centre`, voxelised on a grid with
// the given spacing and directions, centred on the shape with `marginMm` to spare.
struct Phantom {
  Geometry g;
  std::array<int64_t, 3> dims{};
  std::vector<uint8_t> mask;
  Vec3 centre;
  int64_t count = 0;
};

inline Phantom sphere(Vec3 centre, double outer, double inner, Vec3 spacing, std::array<Vec3, 3> dir,
                      double marginMm = 3) {
  Phantom p;
  p.centre = centre;
  p.g.spacingMm = spacing;
  p.g.direction = dir;
  for (int a = 0; a < 3; ++a)
    p.dims[a] = static_cast<int64_t>(std::ceil(2 * (outer + marginMm) / spacing[a])) + 1;
  Vec3 half{};
  for (int a = 0; a < 3; ++a) half = half + dir[a] * (spacing[a] * (p.dims[a] - 1) / 2.0);
  p.g.originMm = centre - half;
  p.mask.assign(static_cast<size_t>(p.dims[0] * p.dims[1] * p.dims[2]), 0);
  size_t n = 0;
  for (int64_t k = 0; k < p.dims[2]; ++k)
    for (int64_t j = 0; j < p.dims[1]; ++j)
      for (int64_t i = 0; i < p.dims[0]; ++i, ++n) {
        const double r = norm(p.g.worldAt(double(i), double(j), double(k)) - centre);
        if (r <= outer && r >= inner) {
          p.mask[n] = 1;
          ++p.count;
        }
      }
  return p;
}

inline double voxelVolume(const Geometry& g) {
  const Vec3 a = g.direction[0] * g.spacingMm.x, b = g.direction[1] * g.spacingMm.y,
             c = g.direction[2] * g.spacingMm.z;
  return std::abs(dot(a, cross(b, c)));
}

inline Vec3 v3(const std::array<float, 3>& p) { return {p[0], p[1], p[2]}; }

// Signed volume enclosed by the triangles (positive when they are counter-clockwise from outside).
inline double signedVolume(const Mesh& m) {
  double v = 0;
  for (const auto& t : m.triangles)
    v += dot(v3(m.points[t[0]]), cross(v3(m.points[t[1]]), v3(m.points[t[2]])));
  return v / 6;
}

// Unit right-hand normal of triangle t.
inline Vec3 faceNormal(const Mesh& m, const std::array<uint32_t, 3>& t) {
  const Vec3 a = v3(m.points[t[0]]), b = v3(m.points[t[1]]), c = v3(m.points[t[2]]);
  return normalized(cross(b - a, c - a));
}

// Edge use: closed = every undirected edge in exactly two triangles; oriented = every directed edge
// exactly once (neighbouring triangles wind the same way).
struct EdgeCheck {
  bool closed = true, oriented = true;
  size_t edges = 0;
};
inline EdgeCheck checkEdges(const Mesh& m) {
  std::map<std::pair<uint32_t, uint32_t>, int> directed;
  for (const auto& t : m.triangles)
    for (int e = 0; e < 3; ++e) ++directed[{t[e], t[(e + 1) % 3]}];
  EdgeCheck r;
  std::map<std::pair<uint32_t, uint32_t>, int> undirected;
  for (const auto& [e, n] : directed) {
    if (n != 1) r.oriented = false;
    undirected[{std::min(e.first, e.second), std::max(e.first, e.second)}] += n;
  }
  for (const auto& [e, n] : undirected)
    if (n != 2) r.closed = false;
  r.edges = undirected.size();
  return r;
}

}  // namespace cvx::test
