// SPDX-License-Identifier: MIT
// TfEdit's gradient-opacity curve and the gradient magnitudes' histogram (tf_edit.h).
#include <cvx/viewstate/tf_edit.h>

#include <algorithm>
#include <cmath>

#include <cvx/viewstate/mapping.h>

namespace cvx::view {

bool TfEdit::moveGradientPoint(int i, double magnitude, double factor) {
  auto& pts = preset_.gradientOpacity;
  if (i < 0 || i >= gradientSize() || !std::isfinite(magnitude) || !std::isfinite(factor)) return false;
  const size_t k = static_cast<size_t>(i);
  magnitude = std::max(magnitude, k > 0 ? pts[k - 1].magnitude : 0.0);
  if (k + 1 < pts.size()) magnitude = std::min(magnitude, pts[k + 1].magnitude);
  pts[k].magnitude = magnitude;
  pts[k].factor = static_cast<float>(std::clamp(factor, 0.0, 1.0));
  return true;
}

int TfEdit::addGradientPoint(double magnitude) {
  auto& pts = preset_.gradientOpacity;
  if (!std::isfinite(magnitude)) return -1;
  magnitude = std::max(magnitude, 0.0);
  const auto at = std::upper_bound(pts.begin(), pts.end(), magnitude,
                                   [](double m, const GradientPoint& p) { return m < p.magnitude; });
  const size_t k = static_cast<size_t>(at - pts.begin());
  float factor = 1;
  if (!pts.empty() && (k == 0 || k == pts.size())) {
    factor = k == 0 ? pts.front().factor : pts.back().factor;
  } else if (!pts.empty()) {
    const GradientPoint &a = pts[k - 1], &b = pts[k];  // a.magnitude <= magnitude < b.magnitude
    const double t = (magnitude - a.magnitude) / (b.magnitude - a.magnitude);
    factor = static_cast<float>(a.factor + t * (static_cast<double>(b.factor) - a.factor));
  }
  pts.insert(at, GradientPoint{magnitude, factor});
  return static_cast<int>(k);
}

bool TfEdit::removeGradientPoint(int i) {
  if (i < 0 || i >= gradientSize()) return false;
  preset_.gradientOpacity.erase(preset_.gradientOpacity.begin() + i);
  return true;
}

int TfEdit::hitTestGradient(const TfPlot& plot, double x, double y, double radiusPx) const {
  int best = -1;
  double bestD2 = radiusPx * radiusPx;
  for (int i = 0; i < gradientSize(); ++i) {
    const GradientPoint& p = preset_.gradientOpacity[static_cast<size_t>(i)];
    const double dx = plot.xOf(p.magnitude) - x, dy = plot.yOf(p.factor) - y;
    if (dx * dx + dy * dy <= bestD2) {  // on a tie the later point: the one drawn on top
      bestD2 = dx * dx + dy * dy;
      best = i;
    }
  }
  return best;
}

ValueHistogram gradientHistogram(const Volume& v, int phase, int bins) {
  ValueHistogram h;
  const auto& d = v.dims();
  if (bins < 1 || phase < 0 || phase >= d[3] || v.data() == nullptr || d[0] < 3 || d[1] < 3 || d[2] < 3) return h;
  const Vec3 s = v.geometry.spacingMm;
  const double inv[3] = {0.5 / s.x, 0.5 / s.y, 0.5 / s.z};
  const int64_t interior = (d[0] - 2) * (d[1] - 2) * (d[2] - 2);
  int64_t k = 1;
  while (interior / (k * k * k) > 2'000'000) ++k;
  std::vector<double> mags;
  mags.reserve(static_cast<size_t>(interior / (k * k * k) + 1));
  auto at = [&](int64_t x, int64_t y, int64_t z) { return modalityValue(v, v.valueAt(x, y, z, phase)); };
  for (int64_t z = 1; z + 1 < d[2]; z += k)
    for (int64_t y = 1; y + 1 < d[1]; y += k)
      for (int64_t x = 1; x + 1 < d[0]; x += k) {
        const double gx = (at(x + 1, y, z) - at(x - 1, y, z)) * inv[0], gy = (at(x, y + 1, z) - at(x, y - 1, z)) * inv[1],
                     gz = (at(x, y, z + 1) - at(x, y, z - 1)) * inv[2];
        const double m = std::sqrt(gx * gx + gy * gy + gz * gz);
        if (m == m) mags.push_back(m);
      }
  if (mags.empty()) return h;
  const size_t q = std::min(mags.size() - 1, static_cast<size_t>(0.995 * static_cast<double>(mags.size())));
  std::nth_element(mags.begin(), mags.begin() + static_cast<std::ptrdiff_t>(q), mags.end());
  h.lo = 0;
  h.hi = mags[q] > 0 ? mags[q] : 1;
  h.counts.assign(static_cast<size_t>(bins), 0);
  for (double m : mags) {
    if (m > h.hi) {
      ++h.above;
      continue;
    }
    const auto b = static_cast<int64_t>(m * bins / h.hi);
    ++h.counts[static_cast<size_t>(std::min<int64_t>(b, bins - 1))];
  }
  return h;
}

}  // namespace cvx::view
