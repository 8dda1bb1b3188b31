// SPDX-License-Identifier: MIT
#include <cvx/viewstate/mapping.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include <cvx/viewstate/suv.h>

namespace cvx::view {

const std::vector<NamedWindow>& ctWindowPresets() {
  // Common CT windows (centre/width in HU), as in radiology teaching tables and peers' presets.
  static const std::vector<NamedWindow> presets = {
      {"brain", 40, 80},        {"subdural", 75, 215},  {"stroke", 40, 40},   {"lung", -600, 1500},
      {"mediastinum", 50, 350}, {"abdomen", 40, 400},   {"liver", 60, 160},   {"bone", 400, 1800},
  };
  return presets;
}

namespace {

// The qlo and qhi quantiles of values (reordered), or {0, 0} when empty.
std::pair<double, double> quantiles(std::vector<double>& values, double qlo, double qhi) {
  if (values.empty()) return {0, 0};
  auto at = [&](double q) {
    const size_t k = std::min(values.size() - 1, static_cast<size_t>(q * static_cast<double>(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
  };
  const double lo = at(qlo);
  return {lo, at(qhi)};
}

// Modality values of voxels [0, n) of phase 0 from `first` on, every `stride`-th, finite only.
std::vector<double> sampleValues(const Volume& v, int64_t first, int64_t n, int64_t stride) {
  const auto& d = v.dims();
  std::vector<double> values;
  values.reserve(static_cast<size_t>(n / stride + 1));
  for (int64_t i = first; i < first + n; i += stride) {
    const double s = v.valueAt(i % d[0], (i / d[0]) % d[1], i / (d[0] * d[1]), 0);
    if (std::isfinite(s)) values.push_back(modalityValue(v, s));
  }
  return values;
}

DisplayMapping percentileWindow(const Volume& v) {
  DisplayMapping m;
  const int64_t n = v.voxelsPerSlice();
  if (n <= 0) return m;
  // At most 65536 samples of the middle slice, evenly strided.
  std::vector<double> values = sampleValues(v, v.dims()[2] / 2 * n, n, std::max<int64_t>(1, n / 65536));
  if (values.empty()) return m;
  const auto [lo, hi] = quantiles(values, 0.005, 0.995);
  m.center = (lo + hi) / 2;
  m.width = std::max(1.0, hi - lo);
  m.source = "range";
  return m;
}

}  // namespace

const NamedWindow* findCtPreset(std::string_view name) {
  for (const auto& p : ctWindowPresets()) {
    if (p.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(name[i])) == p.name[i];
    if (same) return &p;
  }
  return nullptr;
}

DisplayMapping initialMapping(const Volume& v, std::string_view protocolPreset) {
  DisplayMapping m;
  m.units = v.info.units;
  const auto& w = v.info.windows;
  const bool ct = v.info.modality == "CT" || v.info.units == "HU";
  const NamedWindow* preset = ct && !protocolPreset.empty() ? findCtPreset(protocolPreset) : nullptr;
  double suvFactor = 0;
  if (v.info.modality == "PT")
    if (const auto suv = suvBodyWeight(v.info); suv.ok()) suvFactor = suv.value().factor;
  if (preset) {
    m.center = preset->center;
    m.width = preset->width;
    m.source = "protocol:" + preset->name;
  } else if (!w.empty() && w.front().width > 0 && std::isfinite(w.front().center) && std::isfinite(w.front().width)) {
    m.center = w.front().center;
    m.width = w.front().width;
    m.source = "file";
  } else if (ct) {
    const NamedWindow* p = findCtPreset("abdomen");
    m.center = p->center;
    m.width = p->width;
    m.source = "preset:" + p->name;
  } else if (suvFactor > 0) {
    constexpr double kSuvTop = 6;  // SUVbw 0..6: liver (~2) mid-grey, lesions (> 3) dark to black
    m.center = kSuvTop / 2 / suvFactor;
    m.width = kSuvTop / suvFactor;
    m.unitScale = suvFactor;
    m.units = "SUVbw";
    m.invert = true;
    m.source = "suv";
    return m;
  } else {
    m = percentileWindow(v);
    m.units = v.info.units;
  }
  m.invert = v.info.photometric == "MONOCHROME1";
  if (suvFactor > 0) {  // the file's window on a PET with SUV inputs: still read in SUVbw, hot dark
    m.unitScale = suvFactor;
    m.units = "SUVbw";
    m.invert = true;
  }
  return m;
}

std::pair<double, double> valuePercentiles(const Volume& v, double qlo, double qhi) {
  const int64_t n = v.voxelsPerPhase();
  if (n <= 0) return {0, 0};
  std::vector<double> values = sampleValues(v, 0, n, std::max<int64_t>(1, n / 262144));
  return quantiles(values, qlo, qhi);
}

DisplayMapping dragWindow(const DisplayMapping& m, double dx, double dy) {
  DisplayMapping r = m;
  const double scale = std::max(1.0, m.width) / 256.0;
  r.width = std::max(1.0, m.width + dx * scale);
  r.center = m.center - dy * scale;
  r.source = "user";
  return r;
}

const std::array<uint32_t, 256>& colorMapLut(ColorMap c) {
  static const auto make = [](ColorMap cm) {
    std::array<uint32_t, 256> lut{};
    for (int i = 0; i < 256; ++i) {
      const double t = i / 255.0;
      double r = t, g = t, b = t;
      if (cm == ColorMap::Hot) {  // black - red - yellow - white
        r = std::clamp(3 * t, 0.0, 1.0), g = std::clamp(3 * t - 1, 0.0, 1.0), b = std::clamp(3 * t - 2, 0.0, 1.0);
      } else if (cm == ColorMap::Rainbow) {  // blue - cyan - green - yellow - red
        r = std::clamp(4 * t - 2, 0.0, 1.0);
        g = t < 0.25 ? 4 * t : (t < 0.75 ? 1.0 : 4 - 4 * t);
        b = std::clamp(2 - 4 * t, 0.0, 1.0);
      }
      auto u8 = [](double x) { return static_cast<uint32_t>(std::lround(std::clamp(x, 0.0, 1.0) * 255)); };
      lut[static_cast<size_t>(i)] = u8(r) | u8(g) << 8 | u8(b) << 16 | 0xFFu << 24;
    }
    return lut;
  };
  static const std::array<std::array<uint32_t, 256>, 3> luts = {make(ColorMap::Grey), make(ColorMap::Hot),
                                                                 make(ColorMap::Rainbow)};
  return luts[static_cast<size_t>(c)];
}

}  // namespace cvx::view
