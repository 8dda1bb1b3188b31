// SPDX-License-Identifier: MIT
#include <cvx/viewstate/crop_3d.h>

#include <algorithm>
#include <cmath>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/render_3d.h>

namespace cvx::view {
namespace {

double extent(const Volume& v, int axis) { return static_cast<double>(std::max<int64_t>(1, v.dims()[axis])); }

// The voxel index of fraction f on axis a.
double indexOf(const Volume& v, int a, double f) { return -0.5 + f * extent(v, a); }

}  // namespace

std::array<Vec3, 2> cropVoxelBox(const Volume& v, const CropBox3D& c) {
  std::array<Vec3, 2> r;
  for (int a = 0; a < 3; ++a) {
    r[0][a] = indexOf(v, a, c.lo[static_cast<size_t>(a)]);
    r[1][a] = indexOf(v, a, c.hi[static_cast<size_t>(a)]);
  }
  return r;
}

std::vector<ClipPlane3D> cropCuts(const Volume& v, const CropBox3D& c) {
  std::vector<ClipPlane3D> cuts;
  auto add = [&](Vec3 point, Vec3 normal) {
    ClipPlane3D plane;
    plane.point = point, plane.normal = normal;
    cuts.push_back(plane);
  };
  const Mat4 w = v.geometry.worldFromVoxel();
  const Vec3 o = w.applyPoint({0, 0, 0});
  std::array<Vec3, 3> axis;  // one voxel step along each index axis, in patient space
  for (int a = 0; a < 3; ++a) {
    Vec3 u{0, 0, 0};
    u[a] = 1;
    axis[static_cast<size_t>(a)] = w.applyPoint(u) - o;
  }
  const auto centres = cropFaceCentres(v, c);  // face 2a on axis a's lo side, 2a + 1 on its hi side
  for (size_t a = 0; a < 3; ++a) {
    // The face's normal: across the other two axes, turned towards increasing index a.
    Vec3 n = cross(axis[(a + 1) % 3], axis[(a + 2) % 3]);
    if (dot(n, axis[a]) < 0) n = n * -1.0;
    if (c.lo[a] > 0) add(centres[2 * a], n);
    if (c.hi[a] < 1) add(centres[2 * a + 1], n * -1.0);
  }
  return cuts;
}

std::array<Vec3, 8> cropCorners(const Volume& v, const CropBox3D& c) {
  const auto box = cropVoxelBox(v, c);
  const Mat4 w = v.geometry.worldFromVoxel();
  std::array<Vec3, 8> r;
  for (int k = 0; k < 8; ++k) {
    Vec3 p;
    for (int a = 0; a < 3; ++a) p[a] = (k >> a & 1) ? box[1][a] : box[0][a];
    r[static_cast<size_t>(k)] = w.applyPoint(p);
  }
  return r;
}

const std::array<std::pair<int, int>, 12>& cropEdges() {
  static const std::array<std::pair<int, int>, 12> edges{{{0, 1},
                                                          {2, 3},
                                                          {4, 5},
                                                          {6, 7},  // along x
                                                          {0, 2},
                                                          {1, 3},
                                                          {4, 6},
                                                          {5, 7},  // along y
                                                          {0, 4},
                                                          {1, 5},
                                                          {2, 6},
                                                          {3, 7}}};  // along z
  return edges;
}

std::array<Vec3, 6> cropFaceCentres(const Volume& v, const CropBox3D& c) {
  const auto box = cropVoxelBox(v, c);
  const Mat4 w = v.geometry.worldFromVoxel();
  const Vec3 mid = (box[0] + box[1]) * 0.5;
  std::array<Vec3, 6> r;
  for (int f = 0; f < 6; ++f) {
    Vec3 p = mid;
    p[f / 2] = box[static_cast<size_t>(f % 2)][f / 2];
    r[static_cast<size_t>(f)] = w.applyPoint(p);
  }
  return r;
}

int cropHandleAt(const Volume& v, const Camera3D& cam, int width, int height, const CropBox3D& c, double x,
                 double y, double radiusPx) {
  const auto centres = cropFaceCentres(v, c);
  return nearestProjected(cam, width, height, std::vector<Vec3>(centres.begin(), centres.end()), x, y, radiusPx);
}

CropBox3D dragCropFace(const Volume& v, const Camera3D& cam, int width, int height, const CropBox3D& c,
                       int face, double dx, double dy) {
  if (face < 0 || face > 5) return c;
  const int a = face / 2;
  const size_t ua = static_cast<size_t>(a);
  // The screen motion of one voxel along the axis, at the face's centre.
  const auto box = cropVoxelBox(v, c);
  Vec3 p = (box[0] + box[1]) * 0.5;
  p[a] = box[static_cast<size_t>(face % 2)][a];
  Vec3 q = p;
  q[a] += 1;
  const Mat4 w = v.geometry.worldFromVoxel();
  const auto steps = dragSteps(cam, width, height, w.applyPoint(p), w.applyPoint(q), dx, dy);
  if (!steps) return c;  // the axis is along the view: no screen direction
  const double voxels = *steps;
  const double gap = 1.0 / extent(v, a);
  CropBox3D r = c;
  if (face % 2 == 0)
    r.lo[ua] = std::clamp(c.lo[ua] + voxels * gap, 0.0, std::max(0.0, c.hi[ua] - gap));
  else
    r.hi[ua] = std::clamp(c.hi[ua] + voxels * gap, std::min(1.0, c.lo[ua] + gap), 1.0);
  return r;
}

}  // namespace cvx::view
