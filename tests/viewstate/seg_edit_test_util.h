// SPDX-License-Identifier: MIT
// Shared by the segmentation editing tests (seg_edit, seg_journal, seg_stats): grids, deep
// snapshots of a segmentation and the patient position of a voxel centre written out from the
// definition (origin + sum direction[a] * spacing[a] * index[a]).
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>

namespace cvx::test {

// A rotation by angles (radians) about z, then y, then x, as direction columns.
inline Geometry obliqueGeometry(Vec3 spacing, Vec3 origin, double az, double ay, double ax,
                                bool shear = false) {
  auto rz = [&](Vec3 v) {
    return Vec3{std::cos(az) * v.x - std::sin(az) * v.y, std::sin(az) * v.x + std::cos(az) * v.y, v.z};
  };
  auto ry = [&](Vec3 v) {
    return Vec3{std::cos(ay) * v.x + std::sin(ay) * v.z, v.y, -std::sin(ay) * v.x + std::cos(ay) * v.z};
  };
  auto rx = [&](Vec3 v) {
    return Vec3{v.x, std::cos(ax) * v.y - std::sin(ax) * v.z, std::sin(ax) * v.y + std::cos(ax) * v.z};
  };
  Geometry g;
  g.spacingMm = spacing;
  g.originMm = origin;
  g.direction = {rx(ry(rz({1, 0, 0}))), rx(ry(rz({0, 1, 0}))), rx(ry(rz({0, 0, 1})))};
  if (shear) {  // a gantry tilt: the stack direction leans along the column direction
    g.direction[2] = normalized(g.direction[2] + g.direction[1] * 0.3);
    g.sheared = true;
  }
  return g;
}

// The rule's voxel centre, written out independently of Geometry::worldAt.
inline Vec3 centreOf(const Geometry& g, int64_t i, int64_t j, int64_t k) {
  Vec3 p = g.originMm;
  p = p + g.direction[0] * (static_cast<double>(i) * g.spacingMm.x);
  p = p + g.direction[1] * (static_cast<double>(j) * g.spacingMm.y);
  p = p + g.direction[2] * (static_cast<double>(k) * g.spacingMm.z);
  return p;
}

// A deep copy of the layers' bytes and the segment table (Segmentation copies share layers).
struct SegSnapshot {
  std::vector<std::vector<uint8_t>> layers;
  std::vector<Segment> segments;
};
inline SegSnapshot snapshot(const Segmentation& s) {
  SegSnapshot out;
  for (const auto& l : s.layers()) {
    const uint8_t* p = l->as<uint8_t>();
    out.layers.emplace_back(p, p + s.voxelsPerLayer());
  }
  out.segments = s.segments();
  return out;
}
inline bool sameSegment(const Segment& a, const Segment& b) {
  return a.name == b.name && a.rgb == b.rgb && a.category == b.category && a.type == b.type &&
         a.algorithm == b.algorithm && a.algorithmName == b.algorithmName &&
         a.algorithmVersion == b.algorithmVersion && a.algorithmFamily == b.algorithmFamily &&
         a.number == b.number && a.layer == b.layer && a.label == b.label;
}
// Layers compare byte for byte; a layer present in only one side must be all zero (an undone add
// leaves its new layer empty behind).
inline ::testing::AssertionResult sameContent(const SegSnapshot& a, const SegSnapshot& b) {
  const size_t n = std::max(a.layers.size(), b.layers.size());
  for (size_t l = 0; l < n; ++l) {
    const bool inA = l < a.layers.size(), inB = l < b.layers.size();
    const std::vector<uint8_t>& x = inA ? a.layers[l] : b.layers[l];
    if (inA && inB) {
      if (a.layers[l] != b.layers[l]) return ::testing::AssertionFailure() << "layer " << l << " differs";
    } else {
      for (uint8_t v : x)
        if (v) return ::testing::AssertionFailure() << "extra layer " << l << " is not empty";
    }
  }
  if (a.segments.size() != b.segments.size())
    return ::testing::AssertionFailure() << a.segments.size() << " vs " << b.segments.size() << " segments";
  for (size_t i = 0; i < a.segments.size(); ++i)
    if (!sameSegment(a.segments[i], b.segments[i]))
      return ::testing::AssertionFailure() << "segment " << i << " differs";
  return ::testing::AssertionSuccess();
}

inline Segment named(const std::string& name) {
  Segment s;
  s.name = name;
  return s;
}

// A segmentation on g with one empty segment (layer 0, label 1).
inline Segmentation withOneSegment(std::array<int64_t, 3> dims, const Geometry& g) {
  Segmentation s(dims, g);
  std::vector<uint8_t> zero(static_cast<size_t>(dims[0] * dims[1] * dims[2]), 0);
  Segment m;
  m.name = "a";
  EXPECT_TRUE(s.addSegment(m, zero.data()).ok());
  return s;
}

// A mask of dims' voxels (x fastest) holding the block [x0, x1] x [y0, y1] x [z0, z1] (inclusive).
inline std::vector<uint8_t> blockMask(std::array<int64_t, 3> dims, int64_t x0, int64_t x1, int64_t y0,
                                      int64_t y1, int64_t z0, int64_t z1) {
  std::vector<uint8_t> m(static_cast<size_t>(dims[0] * dims[1] * dims[2]), 0);
  for (int64_t z = z0; z <= z1; ++z)
    for (int64_t y = y0; y <= y1; ++y)
      for (int64_t x = x0; x <= x1; ++x) m[static_cast<size_t>((z * dims[1] + y) * dims[0] + x)] = 1;
  return m;
}

}  // namespace cvx::test
