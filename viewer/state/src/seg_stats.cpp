// SPDX-License-Identifier: MIT
// Statistics per segment (cvx/viewstate/seg_stats.h): one pass per layer, accumulating per label
// (256 accumulators) with sums shifted by the label's first value, so that the variance keeps its
// precision on values far from zero.
#include <cvx/viewstate/seg_stats.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cvx::view {
namespace {

struct Acc {
  int64_t n = 0;
  double shift = 0, sum = 0, sum2 = 0;
  double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
};

template <class T>
void accumulate(const uint8_t* labels, const T* values, int64_t n, double slope, double intercept,
                std::array<Acc, 256>& acc) {
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t l = labels[i];
    if (!l) continue;
    const double v = static_cast<double>(values[i]) * slope + intercept;
    Acc& a = acc[l];
    if (a.n == 0) a.shift = v;
    const double dv = v - a.shift;
    ++a.n;
    a.sum += dv;
    a.sum2 += dv * dv;
    a.min = std::min(a.min, v);
    a.max = std::max(a.max, v);
  }
}

}  // namespace

bool onSameGrid(const Geometry& a, const std::array<int64_t, 3>& da, const Geometry& b,
                const std::array<int64_t, 3>& db) {
  if (da != db) return false;
  for (int c = 0; c < 8; ++c) {  // the corners of the grid agree within 1e-3 mm
    const double i = (c & 1) ? double(da[0] - 1) : 0, j = (c & 2) ? double(da[1] - 1) : 0,
                 k = (c & 4) ? double(da[2] - 1) : 0;
    if (!(norm(a.worldAt(i, j, k) - b.worldAt(i, j, k)) <= 1e-3)) return false;
  }
  return true;
}

bool onSameGrid(const Segmentation& s, const Volume& v) {
  const auto& d = v.dims();
  return onSameGrid(s.geometry(), s.dims(), v.geometry, {d[0], d[1], d[2]});
}

Result<std::vector<SegmentStats>> segmentStats(const Segmentation& seg, const Volume& source, int64_t phase) {
  const auto& sd = source.dims();
  const auto& d = seg.dims();
  if (sd[0] != d[0] || sd[1] != d[1] || sd[2] != d[2] || phase < 0 || phase >= sd[3])
    return makeError("seg.stats_grid_mismatch", "the source volume is not on the segmentation's grid");
  double slope = 1, intercept = 0;
  if (!source.info.rescaleApplied) slope = source.info.rescaleSlope, intercept = source.info.rescaleIntercept;
  const int64_t n = seg.voxelsPerLayer();
  const std::byte* base = source.data() + static_cast<size_t>(phase * n) * bytesPerVoxel(source.type());
  std::vector<SegmentStats> out(seg.segments().size());
  const double voxelMm3 = voxelVolumeMm3(seg.geometry());
  for (size_t l = 0; l < seg.layers().size(); ++l) {
    bool used = false;
    for (const Segment& s : seg.segments()) used = used || s.layer == l;
    if (!used) continue;
    std::array<Acc, 256> acc{};
    const uint8_t* lab = seg.layers()[l]->as<uint8_t>();
    switch (source.type()) {
      case PixelType::UInt8:
        accumulate(lab, reinterpret_cast<const uint8_t*>(base), n, slope, intercept, acc);
        break;
      case PixelType::Int16:
        accumulate(lab, reinterpret_cast<const int16_t*>(base), n, slope, intercept, acc);
        break;
      case PixelType::UInt16:
        accumulate(lab, reinterpret_cast<const uint16_t*>(base), n, slope, intercept, acc);
        break;
      case PixelType::Float32:
        accumulate(lab, reinterpret_cast<const float*>(base), n, slope, intercept, acc);
        break;
      default:
        return makeError("seg.bad_pixel_type", "statistics need a grey-level source volume");
    }
    for (size_t i = 0; i < seg.segments().size(); ++i) {
      const Segment& s = seg.segments()[i];
      if (s.layer != l || s.label == 0) continue;
      const Acc& a = acc[s.label];
      SegmentStats& st = out[i];
      st.voxels = a.n;
      st.volumeMl = static_cast<double>(a.n) * voxelMm3 / 1000.0;  // Segmentation::volumeMl's rule
      if (a.n == 0) continue;
      const double m = a.sum / static_cast<double>(a.n);
      st.mean = a.shift + m;
      st.sd = std::sqrt(std::max(0.0, a.sum2 / static_cast<double>(a.n) - m * m));
      st.min = a.min, st.max = a.max;
    }
  }
  return out;
}

}  // namespace cvx::view
