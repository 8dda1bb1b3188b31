// SPDX-License-Identifier: MIT
#include <cvx/core/backend.h>
#include <cvx/render/reslice.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <cvx/core/reslice.h>

#include "reslice_rows.h"

namespace cvx::render {
namespace {

Error badRequest(std::string message) { return makeError("render.bad_request", std::move(message)); }

bool finite(hd::Vec3f v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

bool finite(const hd::ResliceParams& p) {
  return finite(p.origin) && finite(p.du) && finite(p.dv) && finite(p.dn);
}

template <class T>
Status run(const Volume& v, int64_t phase, const hd::ResliceParams& p, int width, int height, float* out,
           ThreadPool& pool, const RowsDone& rowsDone) {
  const hd::GridSampler<T> s = gridSampler(v, reinterpret_cast<const T*>(v.slice(0, phase)));
  const detail::Plan plan = detail::makePlan(p, s.dims, width);
  // Bands of rows: enough tiles to balance uneven rows (outside pixels are cheap), few enough that
  // handing them out costs nothing next to a row.
  const int64_t tiles = std::min<int64_t>(height, int64_t{pool.size() + 1} * 16);
  const int64_t rowsPerTile = (height + tiles - 1) / tiles;
  return pool.parallelFor((height + rowsPerTile - 1) / rowsPerTile, [&](int64_t tile) {
    const int64_t y1 = std::min<int64_t>(height, (tile + 1) * rowsPerTile);
    std::vector<detail::RowSample<T>> scratch;
    scratch.reserve(static_cast<size_t>(plan.n));
    for (int64_t y = tile * rowsPerTile; y < y1; ++y)
      detail::resliceRow(plan, s, static_cast<int>(y), out + y * width, scratch);
    if (rowsDone) rowsDone(tile * rowsPerTile, y1);
  });
}

}  // namespace

Status resliceCpu(const Volume& v, int64_t phase, const hd::ResliceParams& p, int width, int height,
                  float* out, ThreadPool* pool, const RowsDone& rowsDone) {
  CVX_TRY(checkImageRequest(v, phase, width, height, out));
  if (!finite(p)) {
    std::fill(out, out + int64_t{width} * height, hd::quietNaN());
    if (rowsDone) rowsDone(0, height);
    return {};
  }
  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  switch (v.type()) {
    case PixelType::UInt8: return run<uint8_t>(v, phase, p, width, height, out, tp, rowsDone);
    case PixelType::Int16: return run<int16_t>(v, phase, p, width, height, out, tp, rowsDone);
    case PixelType::UInt16: return run<uint16_t>(v, phase, p, width, height, out, tp, rowsDone);
    case PixelType::Float32: return run<float>(v, phase, p, width, height, out, tp, rowsDone);
    case PixelType::RGB8: return run<hd::Rgb<uint8_t>>(v, phase, p, width, height, out, tp, rowsDone);
    case PixelType::RGB16: return run<hd::Rgb<uint16_t>>(v, phase, p, width, height, out, tp, rowsDone);
    case PixelType::RGB32: return run<hd::Rgb<uint32_t>>(v, phase, p, width, height, out, tp, rowsDone);
    default: break;
  }
  return badRequest(std::string("no reslice for pixel type ") + toString(v.type()));
}

}  // namespace cvx::render
