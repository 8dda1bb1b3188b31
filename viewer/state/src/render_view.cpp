// SPDX-License-Identifier: MIT
#include <cvx/viewstate/render_view.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/hd/window.h>
#include <cvx/core/reslice.h>
#include <cvx/core/thread_pool.h>
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

// displayLevel without the libm call, inlined in the per-pixel loop: g is in [0, 1], so x = g * 255
// is >= 0, x + 0.5 is exact in double (a float has 24 significant bits) and truncating it rounds half
// away from zero exactly as std::lround(x) does.
inline int level(float value, float center, float width, bool invert) {
  if (value != value) return -1;  // NaN
  float g = hd::applyWindow(value, center, width);
  if (invert) g = 1.0f - g;
  return static_cast<int>(static_cast<double>(g * 255.0f) + 0.5);
}

// level() on four values at once (GCC vector extensions, one SSE register): the same float
// operations lane by lane, applyWindow's two tests as selects (the lower one last, as it is tested
// first), and lround(x) for x >= 0 as trunc(x) + (x - trunc(x) >= 0.5), exact since the fraction
// of a float below 2^23 is exact. NaN lanes come back -1.
using F4 = float __attribute__((vector_size(16)));
using I4 = int32_t __attribute__((vector_size(16)));
inline I4 level4(F4 v, float center, float width, bool invert) {
  const float w = width < 1.0f ? 1.0f : width;
  const float c = center - 0.5f;
  const float half = (w - 1.0f) * 0.5f;
  const float lo = c - half, hi = c + half;
  F4 g = (v - c) / (w - 1.0f) + 0.5f;
  g = v > hi ? F4{1.0f, 1.0f, 1.0f, 1.0f} : g;
  g = v <= lo ? F4{0.0f, 0.0f, 0.0f, 0.0f} : g;
  if (invert) g = 1.0f - g;
  const F4 x = g * 255.0f;
  const I4 i = __builtin_convertvector(x, I4);
  const I4 up = (x - __builtin_convertvector(i, F4)) >= 0.5f;  // -1 where true
  return v == v ? i - up : I4{-1, -1, -1, -1};
}

// Rows [y0, y1) of one layer mapped and blended over the image.
void mapRows(const std::vector<float>& values, const DisplayMapping& m, std::vector<uint32_t>& pixels, size_t i0,
             size_t i1) {
  const auto& lut = colorMapLut(m.colorMap);
  const double alpha = std::clamp(m.opacity, 0.0, 1.0);
  const float c = static_cast<float>(m.center), w = static_cast<float>(m.width);
  const float* v = values.data();
  uint32_t* px = pixels.data();
  if (alpha >= 1) {  // blend() returns `above` for an opaque layer
    for (; i0 + 4 <= i1; i0 += 4) {
      const F4 x = {v[i0], v[i0 + 1], v[i0 + 2], v[i0 + 3]};
      const I4 g = level4(x, c, w, m.invert);
      for (int l = 0; l < 4; ++l)
        if (g[l] >= 0) px[i0 + static_cast<size_t>(l)] = lut[static_cast<size_t>(g[l])];
    }
    if (m.invert) {
      for (size_t i = i0; i < i1; ++i)
        if (const int g = level(v[i], c, w, true); g >= 0) px[i] = lut[static_cast<size_t>(g)];
    } else {
      for (size_t i = i0; i < i1; ++i)
        if (const int g = level(v[i], c, w, false); g >= 0) px[i] = lut[static_cast<size_t>(g)];
    }
    return;
  }
  for (size_t i = i0; i < i1; ++i)
    if (const int g = level(v[i], c, w, m.invert); g >= 0) px[i] = blend(px[i], lut[static_cast<size_t>(g)], alpha);
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
  const View& v = state.view(view);
  const PixelFrame frame = state.pixelFrame(view, width, height);
  std::vector<int> order = v.layers;
  if (order.empty())
    for (int l = 0; l < static_cast<int>(state.layers().size()); ++l) order.push_back(l);
  slices_.resize(state.layers().size());
  image_.width = width;
  image_.height = height;
  lastReslices_ = 0;
  std::vector<int> drawn;  // layers to map, bottom first
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
    drawn.push_back(l);
  }
  // The display mapping in bands of rows on the pool: every pixel on its own, so the bands are
  // independent; each band blends all layers bottom first, as one pass would.
  image_.pixels.resize(static_cast<size_t>(width) * height);
  const int64_t bands = std::min<int64_t>(height, int64_t{ThreadPool::global().size() + 1} * 4);
  const int64_t rows = (height + bands - 1) / bands;
  CVX_TRY(ThreadPool::global().parallelFor((height + rows - 1) / rows, [&](int64_t b) {
    const size_t i0 = static_cast<size_t>(b * rows) * width;
    const size_t i1 = static_cast<size_t>(std::min<int64_t>(height, (b + 1) * rows)) * width;
    std::fill(image_.pixels.begin() + static_cast<std::ptrdiff_t>(i0),
              image_.pixels.begin() + static_cast<std::ptrdiff_t>(i1), 0xFF000000u);
    for (int l : drawn)
      mapRows(slices_[static_cast<size_t>(l)].values, state.layers()[static_cast<size_t>(l)].mapping, image_.pixels,
              i0, i1);
  }));
  return &image_;
}

}  // namespace cvx::view
