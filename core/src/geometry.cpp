#include <cvx/core/geometry.h>

namespace cvx {

Mat4 operator*(const Mat4& a, const Mat4& b) {
  Mat4 r;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      double s = 0;
      for (int k = 0; k < 4; ++k) s += a.m[i][k] * b.m[k][j];
      r.m[i][j] = s;
    }
  return r;
}

bool invertAffine(const Mat4& a, Mat4& out) {
  const auto& m = a.m;
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (det == 0.0) return false;
  const double id = 1.0 / det;
  Mat4 r;
  r.m[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) * id;
  r.m[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) * id;
  r.m[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) * id;
  r.m[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) * id;
  r.m[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) * id;
  r.m[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) * id;
  r.m[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) * id;
  r.m[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) * id;
  r.m[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) * id;
  for (int i = 0; i < 3; ++i)
    r.m[i][3] = -(r.m[i][0] * m[0][3] + r.m[i][1] * m[1][3] + r.m[i][2] * m[2][3]);
  out = r;
  return true;
}

Mat4 Geometry::worldFromVoxel() const {
  Mat4 r;
  const double s[3] = {spacingMm.x, spacingMm.y, spacingMm.z};
  for (int c = 0; c < 3; ++c)
    for (int row = 0; row < 3; ++row) r.m[row][c] = direction[c][row] * s[c];
  r.m[0][3] = originMm.x;
  r.m[1][3] = originMm.y;
  r.m[2][3] = originMm.z;
  return r;
}

Mat4 Geometry::voxelFromWorld() const {
  Mat4 r;
  invertAffine(worldFromVoxel(), r);
  return r;
}

}  // namespace cvx
