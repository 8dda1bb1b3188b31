// SPDX-License-Identifier: MIT
#include <cvx/viewstate/tf_edit.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/suv.h>

namespace cvx::view {

bool TfEdit::movePoint(int i, double value, double alpha) {
  auto& pts = preset_.points;
  if (i < 0 || i >= size() || !std::isfinite(value) || !std::isfinite(alpha)) return false;
  const size_t k = static_cast<size_t>(i);
  if (k > 0) value = std::max(value, pts[k - 1].value);
  if (k + 1 < pts.size()) value = std::min(value, pts[k + 1].value);
  pts[k].value = value;
  pts[k].alpha = static_cast<float>(std::clamp(alpha, 0.0, 1.0));
  return true;
}

int TfEdit::addPoint(double value) {
  auto& pts = preset_.points;
  if (!std::isfinite(value)) return -1;
  // After every point of this value: buildTransferTable gives a step's value to its last point.
  const auto at = std::upper_bound(pts.begin(), pts.end(), value,
                                   [](double v, const TfPoint& p) { return v < p.value; });
  const size_t k = static_cast<size_t>(at - pts.begin());
  TfPoint p;
  if (pts.empty()) {
    p = TfPoint{};
  } else if (k == 0 || k == pts.size()) {
    p = k == 0 ? pts.front() : pts.back();  // the function holds the end point's beyond the ends
  } else {
    const TfPoint &a = pts[k - 1], &b = pts[k];  // a.value <= value < b.value
    const double t = (value - a.value) / (b.value - a.value);
    auto lerp = [t](float x, float y) { return static_cast<float>(x + t * (static_cast<double>(y) - x)); };
    p = TfPoint{0, lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b), lerp(a.alpha, b.alpha)};
  }
  p.value = value;
  pts.insert(at, p);
  return static_cast<int>(k);
}

bool TfEdit::removePoint(int i) {
  if (i < 0 || i >= size() || size() <= 2) return false;
  preset_.points.erase(preset_.points.begin() + i);
  return true;
}

bool TfEdit::setColor(int i, float r, float g, float b) {
  if (i < 0 || i >= size() || !std::isfinite(r) || !std::isfinite(g) || !std::isfinite(b)) return false;
  TfPoint& p = preset_.points[static_cast<size_t>(i)];
  p.r = std::clamp(r, 0.0f, 1.0f);
  p.g = std::clamp(g, 0.0f, 1.0f);
  p.b = std::clamp(b, 0.0f, 1.0f);
  return true;
}

int TfEdit::hitTest(const TfPlot& plot, double x, double y, double radiusPx) const {
  int best = -1;
  double bestD2 = radiusPx * radiusPx;
  for (int i = 0; i < size(); ++i) {
    const TfPoint& p = preset_.points[static_cast<size_t>(i)];
    const double dx = plot.xOf(p.value) - x, dy = plot.yOf(p.alpha) - y;
    const double d2 = dx * dx + dy * dy;
    if (d2 <= bestD2) {  // on a tie the later point: the one drawn on top
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}

TransferPreset markedEdited(TransferPreset p) {
  if (p.title.find("(edited)") == std::string::npos) p.title = (p.title.empty() ? p.name : p.title) + " (edited)";
  return p;
}

std::pair<double, double> windowSpan(const std::vector<TfPoint>& points) {
  if (points.empty()) return {0, 0};
  size_t a = 0, b = points.size() - 1;
  while (a + 1 < points.size() && points[a + 1].alpha == points[0].alpha) ++a;
  while (b > 0 && points[b - 1].alpha == points.back().alpha) --b;
  if (points[a].value < points[b].value) return {points[a].value, points[b].value};
  return {points.front().value, points.back().value};
}

TransferPreset windowedPreset(const TransferPreset& p, double dxPixels, double dyPixels) {
  if (p.points.empty() || !std::isfinite(dxPixels) || !std::isfinite(dyPixels)) return p;
  // dragWindow on the span counted as 256 units (its floor of width 1 is then 1/256 of the span, not
  // one modality unit, which is the whole range of an ADC or a 0..1 map), then scaled back.
  const auto [first, last] = windowSpan(p.points);
  const double span = last > first ? last - first : 1.0, unit = span / 256;
  DisplayMapping window;
  window.center = 0;
  window.width = 256;
  const DisplayMapping to = dragWindow(window, dxPixels, dyPixels);
  const double centre = (first + last) / 2, stretch = to.width / 256;
  TransferPreset r = p;
  for (TfPoint& q : r.points) q.value = centre + to.center * unit + (q.value - centre) * stretch;
  return r;
}

Result<TransferPreset> editablePreset(const TransferPreset& preset, const Volume& v) {
  if (preset.units == "SUVbw") {
    const auto suv = suvBodyWeight(v.info);
    if (!suv)
      return makeError("tf.no_suv", "transfer preset \"" + preset.name + "\" is in SUVbw; this series has no SUVbw factor: " +
                                        suv.error().str());
    TransferPreset out = preset;
    out.units.clear();
    for (TfPoint& pt : out.points) pt.value /= suv->factor;
    for (GradientPoint& g : out.gradientOpacity) g.magnitude /= suv->factor;
    return out;
  }
  if (!preset.relative) return preset;
  const auto [p1, p99] = valuePercentiles(v, 0.01, 0.99);
  return resolveRelative(preset, p1, p99);
}

namespace {

// f(modality value) for every voxel of a phase, NaN included (the callers skip it).
template <class F>
void forEachValue(const Volume& v, int phase, F&& f) {
  const int64_t n = v.voxelsPerPhase();
  const int64_t first = static_cast<int64_t>(phase) * n;
  auto run = [&](const auto* p) {
    for (int64_t i = 0; i < n; ++i) f(modalityValue(v, static_cast<double>(p[first + i])));
  };
  switch (v.type()) {
    case PixelType::UInt8: return run(v.as<uint8_t>());
    case PixelType::Int16: return run(v.as<int16_t>());
    case PixelType::UInt16: return run(v.as<uint16_t>());
    case PixelType::Float32: return run(v.as<float>());
    default: {  // colour: the luminance valueAt gives
      const auto& d = v.dims();
      for (int64_t z = 0; z < d[2]; ++z)
        for (int64_t y = 0; y < d[1]; ++y)
          for (int64_t x = 0; x < d[0]; ++x) f(modalityValue(v, v.valueAt(x, y, z, phase)));
    }
  }
}

bool goodPhase(const Volume& v, int phase) {
  return phase >= 0 && phase < v.dims()[3] && v.voxelsPerPhase() > 0 && v.data() != nullptr;
}

}  // namespace

ValueHistogram valueHistogram(const Volume& v, int phase, double lo, double hi, int bins) {
  ValueHistogram h;
  h.lo = lo;
  h.hi = hi;
  if (bins < 1 || !std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi) || !goodPhase(v, phase)) return h;
  h.counts.assign(static_cast<size_t>(bins), 0);
  const double width = hi - lo;
  forEachValue(v, phase, [&](double x) {
    if (x < lo) {
      ++h.below;
    } else if (x > hi) {
      ++h.above;
    } else if (x == x) {
      const auto b = static_cast<int64_t>((x - lo) * bins / width);
      ++h.counts[static_cast<size_t>(std::min<int64_t>(b, bins - 1))];
    }
  });
  return h;
}

std::pair<double, double> valueExtent(const Volume& v, int phase) {
  if (!goodPhase(v, phase)) return {0, 0};
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  forEachValue(v, phase, [&](double x) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  });
  return lo <= hi ? std::pair{lo, hi} : std::pair{0.0, 0.0};
}

}  // namespace cvx::view
