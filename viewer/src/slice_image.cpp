// Qt-free native slice drawing: layout, modality values, window/level (hd::applyWindow).
#include <algorithm>
#include <cmath>
#include <limits>

#include <cvx/core/hd/window.h>
#include <cvx/viewer/slice_image.h>

namespace cvx::viewer {

SliceLayout layoutFor(const Geometry& g, const std::array<int64_t, 4>& dims) {
  SliceLayout l;
  // The in-plane axis closest to patient x runs horizontally (sagittal: the one closest to y).
  auto score = [](Vec3 d) { return 2.0 * std::abs(d.x) + std::abs(d.y); };
  l.horizontal = score(g.direction[0]) >= score(g.direction[1]) ? 0 : 1;
  const int vertical = 1 - l.horizontal;
  const Vec3 h = g.direction[l.horizontal], v = g.direction[vertical];
  l.flipH = std::abs(h.x) >= std::abs(h.y) ? h.x < 0 : h.y < 0;   // right = +x (L), else +y (P)
  l.flipV = std::abs(v.y) >= std::abs(v.z) ? v.y < 0 : v.z > 0;   // down = +y (P), else -z (F)
  l.width = static_cast<int>(dims[l.horizontal]);
  l.height = static_cast<int>(dims[vertical]);
  l.pixelWidthMm = g.spacingMm[l.horizontal];
  l.pixelHeightMm = g.spacingMm[vertical];
  l.screenRight = l.flipH ? h * -1.0 : h;
  l.screenDown = l.flipV ? v * -1.0 : v;
  return l;
}

char orientationLetter(Vec3 d) {
  const double ax = std::abs(d.x), ay = std::abs(d.y), az = std::abs(d.z);
  if (ax >= ay && ax >= az) return d.x > 0 ? 'L' : 'R';
  if (ay >= az) return d.y > 0 ? 'P' : 'A';
  return d.z > 0 ? 'H' : 'F';
}

double modalityValue(const Volume& v, int64_t i, int64_t j, int64_t k, int64_t t) {
  const double stored = v.valueAt(i, j, k, t);
  if (v.info.rescaleApplied) return stored;
  return stored * v.info.rescaleSlope + v.info.rescaleIntercept;
}

WindowPreset defaultWindow(const Volume& v, int64_t z) {
  if (!v.info.windows.empty() && v.info.windows.front().width > 0) return v.info.windows.front();
  double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
  const auto& d = v.dims();
  for (int64_t j = 0; j < d[1]; ++j)
    for (int64_t i = 0; i < d[0]; ++i) {
      const double m = modalityValue(v, i, j, z, 0);
      lo = std::min(lo, m);
      hi = std::max(hi, m);
    }
  if (lo > hi) return {0, 1, "range"};
  return {(lo + hi) / 2.0, std::max(1.0, hi - lo), "range"};
}

std::vector<uint8_t> renderSlice(const Volume& v, const SliceLayout& l, int64_t z, int64_t t,
                                 const WindowPreset& w) {
  std::vector<uint8_t> out(static_cast<size_t>(l.width) * l.height, 0);
  const auto& d = v.dims();
  if (z < 0 || z >= d[2] || t < 0 || t >= d[3]) return out;
  const bool invert = v.info.photometric == "MONOCHROME1";
  for (int sy = 0; sy < l.height; ++sy) {
    const int64_t b = l.flipV ? l.height - 1 - sy : sy;
    for (int sx = 0; sx < l.width; ++sx) {
      const int64_t a = l.flipH ? l.width - 1 - sx : sx;
      const int64_t i = l.horizontal == 0 ? a : b, j = l.horizontal == 0 ? b : a;
      float g = hd::applyWindow(static_cast<float>(modalityValue(v, i, j, z, t)), static_cast<float>(w.center),
                                static_cast<float>(w.width));
      if (invert) g = 1.0f - g;
      out[static_cast<size_t>(sy) * l.width + sx] = static_cast<uint8_t>(std::lround(g * 255.0f));
    }
  }
  return out;
}

}  // namespace cvx::viewer
