// Host geometry in double precision: DICOM patient space (LPS, millimetres).
#pragma once
#include <array>
#include <cmath>
#include <cvx/core/hd/math.h>

namespace cvx {

struct Vec3 {
  double x = 0, y = 0, z = 0;
  constexpr double operator[](int i) const { return i == 0 ? x : (i == 1 ? y : z); }
  constexpr double& operator[](int i) { return i == 0 ? x : (i == 1 ? y : z); }
};
constexpr Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
constexpr Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
constexpr Vec3 operator*(Vec3 a, double s) { return {a.x * s, a.y * s, a.z * s}; }
constexpr Vec3 operator*(double s, Vec3 a) { return a * s; }
constexpr double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
constexpr Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double norm(Vec3 a) { return std::sqrt(dot(a, a)); }
inline bool isFinite(Vec3 a) { return std::isfinite(a.x) && std::isfinite(a.y) && std::isfinite(a.z); }
inline Vec3 normalized(Vec3 a) {
  const double n = norm(a);
  return n > 0 ? a * (1.0 / n) : a;
}

// Row-major 4x4 affine; m[r][c]. Transforms are named aFromB and compose right to left.
struct Mat4 {
  std::array<std::array<double, 4>, 4> m{{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}};
  Vec3 applyPoint(Vec3 p) const {
    return {m[0][0] * p.x + m[0][1] * p.y + m[0][2] * p.z + m[0][3],
            m[1][0] * p.x + m[1][1] * p.y + m[1][2] * p.z + m[1][3],
            m[2][0] * p.x + m[2][1] * p.y + m[2][2] * p.z + m[2][3]};
  }
  Vec3 applyVector(Vec3 v) const {
    return {m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z,
            m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
            m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z};
  }
  hd::Mat4f toFloat() const {
    hd::Mat4f r;
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) r.m[i][j] = static_cast<float>(m[i][j]);
    return r;
  }
};
Mat4 operator*(const Mat4& a, const Mat4& b);
// Inverse of an affine matrix (last row 0 0 0 1); returns false if singular.
bool invertAffine(const Mat4& a, Mat4& out);

// Grid geometry of a volume: voxel (i,j,k) -> patient LPS mm.
// direction columns: [0] = row cosine (x, along a row), [1] = column cosine (y), [2] = slice normal.
struct Geometry {
  Vec3 spacingMm{1, 1, 1};
  Vec3 originMm{0, 0, 0};  // centre of the first voxel
  std::array<Vec3, 3> direction{Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}};
  // False when the in-plane spacing was missing or invalid and 1 mm was put in its place: lengths
  // and areas are then in pixels, not millimetres.
  bool spacingKnown = true;
  // True for a gantry-tilt stack kept as a sheared grid: direction[2] is the stack direction, not
  // the slice normal (not orthogonal to direction[0] and direction[1]).
  bool sheared = false;

  Mat4 worldFromVoxel() const;
  Mat4 voxelFromWorld() const;
  Vec3 worldAt(double i, double j, double k) const {
    return originMm + direction[0] * (i * spacingMm.x) + direction[1] * (j * spacingMm.y) +
           direction[2] * (k * spacingMm.z);
  }
};

}  // namespace cvx
