// SPDX-License-Identifier: MIT
#include <cvx/viewstate/render_view.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/hd/window.h>
#include <cvx/core/reslice.h>
#include <cvx/core/thread_pool.h>
#include <cvx/render/reslice.h>
#include <cvx/viewstate/seg_overlay.h>

#include "window_map.h"

namespace cvx::view {
namespace {

bool sameFrame(const PixelFrame& a, const PixelFrame& b) {
  auto eq = [](Vec3 x, Vec3 y) { return x.x == y.x && x.y == y.y && x.z == y.z; };
  return a.width == b.width && a.height == b.height && eq(a.origin, b.origin) && eq(a.du, b.du) && eq(a.dv, b.dv);
}

}  // namespace

int displayLevel(float value, const DisplayMapping& m) {
  if (std::isnan(value)) return -1;
  float g = hd::applyWindow(value, static_cast<float>(m.center), static_cast<float>(m.width));
  if (m.invert) g = 1.0f - g;
  return static_cast<int>(std::lround(g * 255.0f));
}

const std::vector<float>& ViewRenderer::values(int layer) const {
  static const std::vector<float> none;
  return layer >= 0 && layer < static_cast<int>(slices_.size()) ? slices_[static_cast<size_t>(layer)].values : none;
}

void ViewRenderer::invalidate() {
  for (Slice& s : slices_) s.volume = nullptr;
}

void ViewRenderer::reserve(int width, int height, int layers) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384 || layers < 0) return;
  const size_t n = static_cast<size_t>(width) * static_cast<size_t>(height);
  if (slices_.size() < static_cast<size_t>(layers)) slices_.resize(static_cast<size_t>(layers));
  for (Slice& s : slices_) {
    s.volume = nullptr;
    s.values.assign(n, 0.0f);
  }
  image_.pixels.assign(n, 0u);
}

Result<const RgbaImage*> ViewRenderer::draw(const ViewerState& state, int view, int width, int height) {
  if (view < 0 || view >= state.viewCount() || width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return makeError("render.bad_request", "no such view or a size outside 1..16384");
  return draw(state, view, state.pixelFrame(view, width, height));
}

Result<const RgbaImage*> ViewRenderer::draw(const ViewerState& state, int view, const PixelFrame& frame) {
  const int width = frame.width, height = frame.height;
  if (view < 0 || view >= state.viewCount() || width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return makeError("render.bad_request", "no such view or a size outside 1..16384");
  const View& v = state.view(view);
  std::vector<int> order = v.layers;
  if (order.empty())
    for (int l = 0; l < static_cast<int>(state.layers().size()); ++l) order.push_back(l);
  slices_.resize(state.layers().size());
  image_.width = width;
  image_.height = height;
  lastReslices_ = 0;
  std::vector<int> drawn;  // layers to map, bottom first
  struct Stale {
    int layer, phase;
    hd::ResliceParams params;
  };
  std::vector<Stale> stale;  // layers whose cached values are not of this frame
  for (int l : order) {
    if (l < 0 || l >= static_cast<int>(state.layers().size())) continue;
    const Layer& layer = state.layers()[static_cast<size_t>(l)];
    if (!layer.visible || !layer.volume) continue;
    const Volume& vol = *layer.volume;
    const int phase = static_cast<int>(state.phaseOf(vol));
    const Slice& s = slices_[static_cast<size_t>(l)];
    if (s.volume != &vol || !sameFrame(s.frame, frame) || s.phase != phase || s.slabMm != v.slabMm ||
        s.mode != v.slabMode)
      stale.push_back(
          {l, phase,
           resliceParams(vol.geometry, WorldPlane{frame.origin, frame.du, frame.dv}, v.slabMm, v.slabMode)});
    drawn.push_back(l);
  }
  // The threshold preview on a layer of the drawn layers' frame that this view does not draw (the
  // PET's SUV range over a CT view): its values are resliced too, for the tint alone, before the
  // drawn layers (whose reslice may map the image and finish the draw).
  const ThresholdPreview& t = state.thresholdPreview();
  bool preview = t.on && std::find(drawn.begin(), drawn.end(), t.layer) != drawn.end();
  if (t.on && !preview && !drawn.empty() && t.layer >= 0 && t.layer < static_cast<int>(state.layers().size()) &&
      state.layers()[static_cast<size_t>(t.layer)].volume && !state.frameOf(t.layer).empty() &&
      state.frameOf(t.layer) == state.frameOf(drawn.front())) {
    const Volume& vol = *state.layers()[static_cast<size_t>(t.layer)].volume;
    const int phase = static_cast<int>(state.phaseOf(vol));
    const Slice& s = slices_[static_cast<size_t>(t.layer)];
    if (s.volume != &vol || !sameFrame(s.frame, frame) || s.phase != phase || s.slabMm != v.slabMm || s.mode != v.slabMode)
      stale.insert(stale.begin(), {t.layer, phase,
                                   resliceParams(vol.geometry, WorldPlane{frame.origin, frame.du, frame.dv}, v.slabMm,
                                                 v.slabMode)});
    preview = true;
  }
  // The display mapping of rows [y0, y1): every pixel on its own, so row bands are independent;
  // each blends all layers bottom first, as one pass would. The bottom layer writes every pixel
  // (black where it has no value), so nothing is cleared first.
  image_.pixels.resize(static_cast<size_t>(width) * height);
  auto mapRows = [&](int64_t y0, int64_t y1) {
    const size_t i0 = static_cast<size_t>(y0) * width, i1 = static_cast<size_t>(y1) * width;
    uint32_t* px = image_.pixels.data();
    if (drawn.empty()) std::fill(px + i0, px + i1, 0xFF000000u);
    for (size_t k = 0; k < drawn.size(); ++k) {
      const size_t l = static_cast<size_t>(drawn[k]);
      detail::mapPixels(slices_[l].values.data(), state.layers()[l].mapping, px, i0, i1, k == 0);
    }
  };
  for (const Stale& st : stale) {
    const Layer& layer = state.layers()[static_cast<size_t>(st.layer)];
    Slice& s = slices_[static_cast<size_t>(st.layer)];
    s.volume = nullptr;  // until the values are whole
    s.values.resize(static_cast<size_t>(width) * height);
    // One layer: each band of rows is mapped by the thread that resliced it, while its values are
    // still in that core's cache.
    const bool fused = drawn.size() == 1 && st.layer == drawn.front();
    const Status resliced = render::resliceCpu(*layer.volume, st.phase, st.params, width, height, s.values.data(), nullptr,
                                               fused ? render::RowsDone(mapRows) : render::RowsDone());
    if (!resliced.ok() && std::find(drawn.begin(), drawn.end(), st.layer) == drawn.end()) {
      preview = false;  // the tint's layer alone failed: the view is drawn without the tint
      s.values.clear();
      continue;
    }
    CVX_TRY(resliced);
    s.volume = layer.volume.get();
    s.frame = frame;
    s.phase = st.phase;
    s.slabMm = v.slabMm;
    s.mode = v.slabMode;
    ++lastReslices_;
    if (fused) return overlays(state, drawn, frame, preview);
  }
  const int64_t bands = std::min<int64_t>(height, int64_t{ThreadPool::global().size() + 1} * 4);
  const int64_t rows = (height + bands - 1) / bands;
  CVX_TRY(ThreadPool::global().parallelFor((height + rows - 1) / rows, [&](int64_t b) {
    mapRows(b * rows, std::min<int64_t>(height, (b + 1) * rows));
  }));
  return overlays(state, drawn, frame, preview);
}

const RgbaImage* ViewRenderer::overlays(const ViewerState& state, const std::vector<int>& drawn,
                                        const PixelFrame& frame, bool preview) {
  drawSegmentations(state, drawn, frame, image_);
  if (preview) drawThresholdPreview(state.thresholdPreview(), values(state.thresholdPreview().layer), image_);
  return &image_;
}

}  // namespace cvx::view
