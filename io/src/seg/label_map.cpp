// SPDX-License-Identifier: MIT
// Label layers as label map files and back, through io's image readers and writers (NIfTI, NRRD,
// MetaImage).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

namespace cvx::io {

namespace {

constexpr int kMaxLabel = 65535;

Error bad(const std::string& why, const std::string& path) { return makeError("seg.bad_label_map", why, path); }

// A colour per label: hues 137.5 degrees apart (the golden angle), saturated and bright enough
// for an overlay on grey.
std::array<uint8_t, 3> labelColour(int label) {
  const double h = std::fmod(label * 137.508, 360.0) / 60.0;
  const double x = 1 - std::abs(std::fmod(h, 2.0) - 1);
  double r = 0, g = 0, b = 0;
  switch (static_cast<int>(h)) {
    case 0: r = 1, g = x; break;
    case 1: r = x, g = 1; break;
    case 2: g = 1, b = x; break;
    case 3: g = x, b = 1; break;
    case 4: r = x, b = 1; break;
    default: r = 1, b = x; break;
  }
  auto c = [](double v) { return static_cast<uint8_t>(std::lround(60 + 195 * v)); };
  return {c(r), c(g), c(b)};
}

}  // namespace

bool sameGrid(const Volume& a, const Volume& b) {
  for (int i = 0; i < 3; ++i)
    if (a.dims()[i] != b.dims()[i]) return false;
  const auto& d = a.dims();
  for (const Vec3 v : {Vec3{0, 0, 0}, Vec3{double(d[0] - 1), double(d[1] - 1), double(d[2] - 1)}})
    if (norm(a.geometry.worldAt(v.x, v.y, v.z) - b.geometry.worldAt(v.x, v.y, v.z)) > 0.01) return false;
  return true;
}

Status writeLabelMap(const Segmentation& seg, size_t layer, const std::string& path) {
  if (layer >= seg.layers().size())
    return makeError("seg.no_layer",
                     "layer " + std::to_string(layer) + " of " + std::to_string(seg.layers().size()), path);
  Volume& v = *seg.layers()[layer];
  v.geometry = seg.geometry();  // the layer's grid is the segmentation's
  return writeImage(v, path);
}

Result<Segmentation> readLabelMap(const std::string& path, const Volume& reference, std::vector<Diagnostic>* warnings) {
  auto read = readImage(path);
  if (!read.ok()) return read.error();
  const Volume& map = **read;
  const auto& md = map.dims();
  if (md[3] != 1) return bad("a label map has one phase, not " + std::to_string(md[3]), path);
  if (map.type() == PixelType::RGB8 || map.type() == PixelType::RGB16 || map.type() == PixelType::RGB32)
    return bad(std::string("a label map holds scalar labels, not ") + toString(map.type()), path);

  // The map's labels on the reference's grid: a copy, or nearest neighbour in patient space.
  const auto& rd = reference.dims();
  const int64_t n = rd[0] * rd[1] * rd[2];
  std::vector<uint16_t> labels(static_cast<size_t>(n), 0);
  const bool same = sameGrid(map, reference);
  const Mat4 toMap = map.geometry.voxelFromWorld() * reference.geometry.worldFromVoxel();
  std::vector<bool> present(kMaxLabel + 1, false);
  int64_t k = 0;
  for (int64_t z = 0; z < rd[2]; ++z)
    for (int64_t y = 0; y < rd[1]; ++y)
      for (int64_t x = 0; x < rd[0]; ++x, ++k) {
        int64_t i = x, j = y, l = z;
        if (!same) {
          const Vec3 v = toMap.applyPoint({double(x), double(y), double(z)});
          i = std::llround(v.x), j = std::llround(v.y), l = std::llround(v.z);
          if (i < 0 || j < 0 || l < 0 || i >= md[0] || j >= md[1] || l >= md[2]) continue;
        }
        const double v = map.valueAt(i, j, l);
        if (v == 0) continue;
        if (!(v >= 0 && v <= kMaxLabel) || v != std::floor(v))
          return bad("a label must be a whole number 0.." + std::to_string(kMaxLabel) + ", not " + std::to_string(v),
                     path);
        labels[static_cast<size_t>(k)] = static_cast<uint16_t>(v);
        present[static_cast<size_t>(v)] = true;
      }
  std::vector<int> used;
  for (int v = 1; v <= kMaxLabel; ++v)
    if (present[static_cast<size_t>(v)]) used.push_back(v);
  if (used.empty())
    return bad(same ? "the label map holds no label" : "no label of the map falls on the series' grid", path);
  if (!same && warnings)
    warnings->emplace_back("seg.label_map_resampled",
                           "the label map is on another grid than the series: resampled by nearest neighbour", path);

  // Labels in order, 255 to a layer: label used[i] -> layer i / 255, value i % 255 + 1.
  Segmentation seg = Segmentation::onGridOf(reference);
  std::vector<uint16_t> slot(kMaxLabel + 1, 0);
  for (size_t i = 0; i < used.size(); ++i) {
    if (i % 255 == 0) {
      auto layer = seg.addLayer();
      if (!layer.ok()) return layer.error();
    }
    slot[static_cast<size_t>(used[i])] = static_cast<uint16_t>(i);
    Segment s;
    s.name = "Label " + std::to_string(used[i]);
    s.number = static_cast<uint16_t>(used[i]);
    s.rgb = labelColour(used[i]);
    s.layer = static_cast<uint32_t>(i / 255);
    s.label = static_cast<uint8_t>(i % 255 + 1);
    seg.segments().push_back(s);
  }
  for (int64_t v = 0; v < n; ++v) {
    if (!labels[static_cast<size_t>(v)]) continue;
    const uint16_t i = slot[labels[static_cast<size_t>(v)]];
    seg.layers()[i / 255]->as<uint8_t>()[v] = static_cast<uint8_t>(i % 255 + 1);
  }
  return seg;
}

}  // namespace cvx::io
