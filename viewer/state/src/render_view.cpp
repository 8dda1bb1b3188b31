// SPDX-License-Identifier: MIT
#include <cvx/viewstate/render_view.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/hd/window.h>
#include <cvx/core/reslice.h>
#include <cvx/render/reslice.h>

namespace cvx::view {
namespace {

bool sameFrame(const PixelFrame& a, const PixelFrame& b) {
  auto eq = [](Vec3 x, Vec3 y) { return x.x == y.x && x.y == y.y && x.z == y.z; };
  return a.width == b.width && a.height == b.height && eq(a.origin, b.origin) && eq(a.du, b.du) && eq(a.dv, b.dv);
}

uint32_t blend(uint32_t below, uint32_t above, double alpha) {
  if (alpha >= 1) return above;
  uint32_t out = 0xFF000000u;
  for (int c = 0; c < 3; ++c) {
    const double b = (below >> (8 * c)) & 0xFF, a = (above >> (8 * c)) & 0xFF;
    out |= static_cast<uint32_t>(std::lround(b + (a - b) * alpha)) << (8 * c);
  }
  return out;
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

Result<const RgbaImage*> ViewRenderer::draw(const ViewerState& state, int view, int width, int height) {
  if (view < 0 || view >= state.viewCount() || width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return makeError("render.bad_request", "no such view or a size outside 1..16384");
  const View& v = state.view(view);
  const PixelFrame frame = state.pixelFrame(view, width, height);
  std::vector<int> order = v.layers;
  if (order.empty())
    for (int l = 0; l < static_cast<int>(state.layers().size()); ++l) order.push_back(l);
  slices_.resize(state.layers().size());
  image_.width = width;
  image_.height = height;
  image_.pixels.assign(static_cast<size_t>(width) * height, 0xFF000000u);
  lastReslices_ = 0;
  for (int l : order) {
    if (l < 0 || l >= static_cast<int>(state.layers().size())) continue;
    const Layer& layer = state.layers()[static_cast<size_t>(l)];
    if (!layer.visible || !layer.volume) continue;
    const Volume& vol = *layer.volume;
    const int phase = std::min<int>(state.phase(), static_cast<int>(vol.dims()[3]) - 1);
    Slice& s = slices_[static_cast<size_t>(l)];
    if (s.volume != &vol || !sameFrame(s.frame, frame) || s.phase != phase || s.slabMm != v.slabMm ||
        s.mode != v.slabMode) {
      const WorldPlane plane{frame.origin, frame.du, frame.dv};
      const hd::ResliceParams p = resliceParams(vol.geometry, plane, v.slabMm, v.slabMode);
      s.values.resize(static_cast<size_t>(width) * height);
      CVX_TRY(render::resliceCpu(vol, phase, p, width, height, s.values.data()));
      s.volume = &vol;
      s.frame = frame;
      s.phase = phase;
      s.slabMm = v.slabMm;
      s.mode = v.slabMode;
      ++lastReslices_;
    }
    const auto& lut = colorMapLut(layer.mapping.colorMap);
    const double alpha = std::clamp(layer.mapping.opacity, 0.0, 1.0);
    for (size_t i = 0; i < s.values.size(); ++i) {
      const int g = displayLevel(s.values[i], layer.mapping);
      if (g >= 0) image_.pixels[i] = blend(image_.pixels[i], lut[static_cast<size_t>(g)], alpha);
    }
  }
  return &image_;
}

}  // namespace cvx::view
