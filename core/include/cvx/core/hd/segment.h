// SPDX-License-Identifier: MIT
// The per-voxel rules of segmentation, for CPU and GPU alike (docs/segmentation.md, "Algorithms
// and rules"): the threshold test, the 6- and 26-neighbourhoods, how a radius in mm becomes a voxel
// ball, and histogram binning. The CPU implementation (plugins/segmentation/common, cvx::seg) is
// built on these functions; a CUDA implementation calls the same ones, so both give the same
// labels. No allocation, no containers, no exceptions.
#pragma once
#include <cvx/core/hd/config.h>

namespace cvx::hd {

// Double arithmetic without contraction into fused multiply-adds: nvcc contracts by default, and
// a fused a*b+c rounds once where the CPU rounds twice, which moves a voxel that sits exactly on a
// ball's surface or a bin edge. g++ does not contract in ISO C++ mode (-std=c++20).
CVX_HD_INLINE double mulRn(double a, double b) {
#if CVX_DEVICE_CODE
  return __dmul_rn(a, b);
#else
  return a * b;
#endif
}
CVX_HD_INLINE double addRn(double a, double b) {
#if CVX_DEVICE_CODE
  return __dadd_rn(a, b);
#else
  return a + b;
#endif
}

// ---- Threshold -----------------------------------------------------------------------------
// A voxel is inside when lo <= v <= hi (both ends inclusive), compared in the voxel's stored
// units. NaN is never inside; lo > hi selects nothing.
template <class T>
CVX_HD_INLINE bool inRange(T v, double lo, double hi) {
  const double d = static_cast<double>(v);
  return lo <= d && d <= hi;
}

// ---- Neighbourhoods ------------------------------------------------------------------------
struct Offset3i {
  int dx = 0, dy = 0, dz = 0;
};

// 6 (faces) or 26 (faces, edges and corners); 0 for anything else (not a connectivity).
CVX_HD_INLINE int neighbourCount(int connectivity) {
  return connectivity == 6 ? 6 : (connectivity == 26 ? 26 : 0);
}

// The n-th neighbour offset, 0 <= n < neighbourCount(connectivity).
//   6:  -x, +x, -y, +y, -z, +z.
//   26: the 3x3x3 block without its centre, x fastest then y then z (n = 0 is (-1,-1,-1)).
CVX_HD_INLINE Offset3i neighbourOffset(int connectivity, int n) {
  Offset3i o;
  if (connectivity == 6) {
    const int s = (n & 1) ? 1 : -1;
    if (n < 2)
      o.dx = s;
    else if (n < 4)
      o.dy = s;
    else
      o.dz = s;
    return o;
  }
  const int m = n < 13 ? n : n + 1;  // skip the centre (index 13 of the 27)
  o.dx = m % 3 - 1;
  o.dy = (m / 3) % 3 - 1;
  o.dz = m / 9 - 1;
  return o;
}

// Whether (dx,dy,dz) is a neighbour under the connectivity.
CVX_HD_INLINE bool isNeighbour(int connectivity, int dx, int dy, int dz) {
  const int ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy, az = dz < 0 ? -dz : dz;
  if (ax > 1 || ay > 1 || az > 1 || ax + ay + az == 0) return false;
  return connectivity == 26 || (connectivity == 6 && ax + ay + az == 1);
}

// ---- The ball (structuring element of the morphology) ----------------------------------------
// Voxel offset (i,j,k) is in the ball of radius r mm on a grid of spacing (sx,sy,sz) mm iff
//   ((i*sx)^2 + (j*sy)^2) + (k*sz)^2  <=  r^2 * (1 + kBallEpsilon)
// evaluated in double, in that order, without fused multiply-adds. The relative epsilon keeps a
// voxel whose centre lies exactly on the sphere (r = 2 mm at 1 mm spacing: offset (2,0,0)) inside
// although r and the spacing are not exact in binary. Consequences: the ball is an ellipsoid in
// voxels, symmetric, and its extent along an axis is floor(r / s) voxels (ballExtent); where r is
// smaller than the spacing of an axis the ball is flat along it (extent 0), and where r is smaller
// than every spacing it is the centre voxel alone, so dilation and erosion leave a mask unchanged.
constexpr double kBallEpsilon = 1e-6;

CVX_HD_INLINE double ballLimit(double radiusMm) {
  return mulRn(mulRn(radiusMm, radiusMm), 1.0 + kBallEpsilon);
}

// The squared distance of an offset in mm^2, in the rule's order of operations. The three terms
// are exposed so that a separable implementation can add them in the same order (and round
// identically): axisTerm(i, sx) = (i*sx)^2.
CVX_HD_INLINE double axisTerm(int i, double s) {
  const double d = mulRn(static_cast<double>(i), s);
  return mulRn(d, d);
}
CVX_HD_INLINE double ballDist2(int i, int j, int k, double sx, double sy, double sz) {
  return addRn(addRn(axisTerm(i, sx), axisTerm(j, sy)), axisTerm(k, sz));
}
CVX_HD_INLINE bool inBall(int i, int j, int k, double sx, double sy, double sz, double radiusMm) {
  return ballDist2(i, j, k, sx, sy, sz) <= ballLimit(radiusMm);
}

// The largest i >= 0 with (i,0,0) in the ball of spacing s along that axis; 0 for r < s; -1 for
// a negative or NaN radius or a spacing that is not positive. Capped at maxExtent.
CVX_HD_INLINE int ballExtent(double radiusMm, double s, int maxExtent = 1 << 20) {
  if (!(radiusMm >= 0.0) || !(s > 0.0)) return -1;
  const double lim = ballLimit(radiusMm);
  const double guess = radiusMm / s + 1.0;
  int n = guess > static_cast<double>(maxExtent) ? maxExtent : static_cast<int>(guess);
  while (n > 0 && axisTerm(n, s) > lim) --n;
  return n;
}

// ---- Histogram binning ---------------------------------------------------------------------
// `bins` bins of equal width over [min, max] of the data: width = (max - min) / bins. Bin b holds
// the values v with edge(b) <= v < edge(b + 1), edge(b) = min + b * width (double, no fused
// multiply-add); values below min go to bin 0, and values at or above edge(bins - 1), the maximum
// among them, go to the last bin. binOf starts from floor((v - min) / width) and corrects it by one
// where rounding put v on the wrong side of an edge, so it is exactly the edge comparison.
struct Bins {
  double min = 0;
  double width = 1;  // > 0
  int count = 1;     // >= 1
};

CVX_HD_INLINE double binEdge(const Bins& h, int b) {
  return addRn(h.min, mulRn(static_cast<double>(b), h.width));
}
// The value that stands for bin b in statistics (Otsu's class means): the centre of its edges.
CVX_HD_INLINE double binCentre(const Bins& h, int b) {
  return addRn(h.min, mulRn(static_cast<double>(b) + 0.5, h.width));
}
CVX_HD_INLINE int binOf(const Bins& h, double v) {
  const double q = (v - h.min) / h.width;
  if (!(q > 0.0)) return 0;  // below min, at min, or NaN
  if (q >= static_cast<double>(h.count)) return h.count - 1;
  int b = static_cast<int>(q);
  if (b > h.count - 1) b = h.count - 1;
  if (b > 0 && v < binEdge(h, b))
    --b;
  else if (b < h.count - 1 && v >= binEdge(h, b + 1))
    ++b;
  return b;
}

}  // namespace cvx::hd
