// SPDX-License-Identifier: MIT
#include <cvx/studydb/thumbnail.h>

#include <QBuffer>
#include <QImage>

#include <cmath>

#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

namespace cvx::studydb {
namespace {

view::Orientation nativeOrientation(const Geometry& g) {
  const Vec3 n = cross(g.direction[0], g.direction[1]);
  const double ax = std::abs(n.x), ay = std::abs(n.y), az = std::abs(n.z);
  if (az >= ax && az >= ay) return view::Orientation::Axial;
  return ay >= ax ? view::Orientation::Coronal : view::Orientation::Sagittal;
}

}  // namespace

Result<QByteArray> renderThumbnailPng(const io::ScanResult& scan, const io::SeriesPlan& plan, int size) {
  if (plan.slices.empty() || plan.dims[2] < 1 || size < 8 || size > 1024)
    return makeError("studydb.thumbnail_failed", "nothing to draw", plan.id);
  // One slice only: a thumbnail must cost a file, not a series.
  io::SeriesPlan one = plan;
  const int64_t z = plan.dims[2] / 2;
  one.slices = {plan.slices[static_cast<size_t>(std::min<int64_t>(z, static_cast<int64_t>(plan.slices.size()) - 1))]};
  one.dims = {plan.dims[0], plan.dims[1], 1, 1};
  one.geometry.originMm = plan.geometry.worldAt(0, 0, static_cast<double>(z));
  one.timesMs.clear();
  one.resampled = false;
  one.sourcePositionsMm.clear();
  io::LoadOptions lo;
  lo.threads = 1;
  auto vol = io::loadSeries(scan, one, lo);
  if (!vol) return vol.error();

  view::ViewerState state({nativeOrientation(one.geometry)});
  state.addLayer(*vol);  // the mapping from view::initialMapping
  view::ViewRenderer renderer;
  auto image = renderer.draw(state, 0, size, size);
  if (!image) return image.error();
  const view::RgbaImage& rgba = **image;
  // 0xAABBGGRR words are bytes R, G, B, A in memory: QImage's RGBA8888.
  QImage img(reinterpret_cast<const uchar*>(rgba.pixels.data()), rgba.width, rgba.height, rgba.width * 4,
             QImage::Format_RGBA8888);
  QByteArray png;
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  if (!img.convertToFormat(QImage::Format_RGB888).save(&buffer, "PNG"))
    return makeError("studydb.thumbnail_failed", "PNG encoding failed", plan.id);
  return png;
}

}  // namespace cvx::studydb
