// SPDX-License-Identifier: MIT
#include <cvx/viewstate/seg_overlay.h>

#include <algorithm>
#include <array>
#include <cmath>

#include <cvx/core/thread_pool.h>
#include <cvx/viewstate/render_view.h>

namespace cvx::view {
namespace {

// Rows [0, height) in bands on the pool.
template <class Fn>
void forRows(int height, const Fn& fn) {
  const int64_t bands = std::min<int64_t>(height, int64_t{ThreadPool::global().size() + 1} * 4);
  const int64_t rows = (height + bands - 1) / bands;
  (void)ThreadPool::global().parallelFor((height + rows - 1) / rows, [&](int64_t b) {
    fn(static_cast<int>(b * rows), static_cast<int>(std::min<int64_t>(height, (b + 1) * rows)));
  });
}

uint32_t blend(uint32_t under, const std::array<uint8_t, 3>& rgb, double a) {
  auto ch = [&](int shift, uint8_t c) {
    const double u = (under >> shift) & 0xFFu;
    return static_cast<uint32_t>(std::lround(u + (c - u) * a)) << shift;
  };
  return 0xFF000000u | ch(0, rgb[0]) | ch(8, rgb[1]) | ch(16, rgb[2]);
}

}  // namespace

void sliceLabels(const Segmentation& s, size_t layer, const PixelFrame& frame, std::vector<uint8_t>& labels) {
  const int w = frame.width, h = frame.height;
  labels.assign(static_cast<size_t>(w) * static_cast<size_t>(h), 0);
  if (layer >= s.layers().size() || !s.layers()[layer]) return;
  const Mat4 m = s.geometry().voxelFromWorld();
  const Vec3 c0 = m.applyPoint(frame.origin), cu = m.applyVector(frame.du), cv = m.applyVector(frame.dv);
  const auto& d = s.dims();
  const uint8_t* vox = s.layers()[layer]->as<uint8_t>();
  forRows(h, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      uint8_t* row = labels.data() + static_cast<size_t>(y) * w;
      for (int x = 0; x < w; ++x) {
        const Vec3 c = c0 + cu * double(x) + cv * double(y);
        const double i = std::floor(c.x + 0.5), j = std::floor(c.y + 0.5), k = std::floor(c.z + 0.5);
        if (!(i >= 0 && j >= 0 && k >= 0 && i < double(d[0]) && j < double(d[1]) && k < double(d[2]))) continue;
        row[x] = vox[(static_cast<int64_t>(k) * d[1] + static_cast<int64_t>(j)) * d[0] + static_cast<int64_t>(i)];
      }
    }
  });
}

namespace {

// Whether a view of image layers `layers` draws a segmentation over layer `own`: one of them is
// `own`, or shares its frame of reference (a PET lesion drawn on the PET shows on the CT).
bool drawnOver(const ViewerState& state, int own, const std::vector<int>& layers) {
  if (std::find(layers.begin(), layers.end(), own) != layers.end()) return true;
  const std::string frame = state.frameOf(own);
  return !frame.empty() && std::any_of(layers.begin(), layers.end(), [&](int l) { return state.frameOf(l) == frame; });
}

}  // namespace

void drawSegmentations(const ViewerState& state, const std::vector<int>& layers, const PixelFrame& frame,
                       RgbaImage& image) {
  const int w = frame.width, h = frame.height;
  if (w != image.width || h != image.height) return;
  std::vector<uint8_t> labels;
  for (const SegmentationLayer& sl : state.segmentations()) {
    if (!sl.visible || !sl.segmentation || !drawnOver(state, sl.layer, layers)) continue;
    const Segmentation& s = *sl.segmentation;
    for (size_t layer = 0; layer < s.layers().size(); ++layer) {
      std::array<int, 256> segOf;  // label -> segment shown, or -1
      segOf.fill(-1);
      bool any = false;
      for (size_t i = 0; i < s.segments().size() && i < sl.segments.size(); ++i) {
        const Segment& g = s.segments()[i];
        if (g.layer == layer && g.label != 0 && sl.segments[i].visible) segOf[g.label] = static_cast<int>(i), any = true;
      }
      if (!any) continue;
      sliceLabels(s, layer, frame, labels);
      uint32_t* px = image.pixels.data();
      forRows(h, [&](int y0, int y1) {
        for (int y = y0; y < y1; ++y)
          for (int x = 0; x < w; ++x) {
            const size_t p = static_cast<size_t>(y) * w + x;
            const uint8_t l = labels[p];
            const int i = segOf[l];
            if (i < 0) continue;
            const Segment& g = s.segments()[static_cast<size_t>(i)];
            if (!sl.outline) {
              px[p] = blend(px[p], g.rgb, sl.segments[static_cast<size_t>(i)].opacity);
              continue;
            }
            const bool edge = (x > 0 && labels[p - 1] != l) || (x + 1 < w && labels[p + 1] != l) ||
                              (y > 0 && labels[p - w] != l) || (y + 1 < h && labels[p + w] != l);
            if (edge) px[p] = blend(px[p], g.rgb, 1.0);
          }
      });
    }
  }
}

void drawThresholdPreview(const ThresholdPreview& t, const std::vector<float>& values, RgbaImage& image) {
  if (!t.on || values.size() != image.pixels.size()) return;
  const float lo = static_cast<float>(t.lo), hi = static_cast<float>(t.hi);
  uint32_t* px = image.pixels.data();
  forRows(image.height, [&](int y0, int y1) {
    for (size_t p = static_cast<size_t>(y0) * image.width, e = static_cast<size_t>(y1) * image.width; p < e; ++p)
      if (values[p] >= lo && values[p] <= hi) px[p] = blend(px[p], t.rgb, t.opacity);
  });
}

TransferPreset thresholdPreset(const ThresholdPreview& t) {
  TransferPreset p;
  p.name = "threshold";
  p.title = "threshold preview";
  const float r = t.rgb[0] / 255.0f, g = t.rgb[1] / 255.0f, b = t.rgb[2] / 255.0f;
  // Clear below lo (the first point holds below the table), a step up at lo (equal values make a
  // step: checkTransferPoints), down just past hi, clear beyond.
  const double d = std::max(1e-3, 1e-6 * std::max(std::abs(t.lo), std::abs(t.hi)));
  p.points = {{t.lo - d, r, g, b, 0}, {t.lo, r, g, b, 0}, {t.lo, r, g, b, 0.9f}, {t.hi, r, g, b, 0.9f},
              {t.hi + d, r, g, b, 0}};
  return p;
}

}  // namespace cvx::view
