// SPDX-License-Identifier: MIT
// Reading the 3D view's pictures and the volume in the GUI tests: bone and background pixels, a
// patch of them near a point, and the CT value under a patient-space point.
#pragma once
#include <QImage>
#include <QPoint>

#include <algorithm>
#include <cmath>

#include <cvx/core/volume.h>

namespace cvx::test {

// Ivory (not the grey of the corner text).
inline bool isBone(QRgb p) {
  return qRed(p) > 120 && qRed(p) >= qGreen(p) && qGreen(p) >= qBlue(p) && qRed(p) > qBlue(p) + 15;
}
inline bool isBlack(QRgb p) { return qRed(p) < 4 && qGreen(p) < 4 && qBlue(p) < 4; }

// A pixel whose 11x11 neighbourhood is all `pred`, nearest the centre (x, y); (-1, -1) if none.
template <class F>
QPoint findPatch(const QImage& im, F pred, QPoint from) {
  QPoint best(-1, -1);
  double bestD = 1e30;
  for (int y = 40; y < im.height() - 40; y += 3)
    for (int x = 40; x < im.width() - 40; x += 3) {
      bool all = true;
      for (int dy = -5; dy <= 5 && all; ++dy)
        for (int dx = -5; dx <= 5 && all; ++dx) all = pred(im.pixel(x + dx, y + dy));
      const double d = std::hypot(x - from.x(), y - from.y());
      if (all && d < bestD) best = QPoint(x, y), bestD = d;
    }
  return best;
}

// The modality value (HU) of the voxel nearest a patient-space point, read from the volume itself.
inline double huAt(const Volume& v, Vec3 world) {
  const Vec3 i = v.geometry.voxelFromWorld().applyPoint(world);
  const auto& d = v.dims();
  auto idx = [&](int a) { return std::clamp<int64_t>(std::llround(i[a]), 0, d[static_cast<size_t>(a)] - 1); };
  const double stored = v.valueAt(idx(0), idx(1), idx(2));
  return v.info.rescaleApplied ? stored : stored * v.info.rescaleSlope + v.info.rescaleIntercept;
}

}  // namespace cvx::test
