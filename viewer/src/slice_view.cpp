#include "slice_view.h"

#include <cstdlib>
#include <cstring>

#include <QPainter>

namespace cvx::viewer {

SliceView::SliceView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(256, 256);
  setAutoFillBackground(false);
}

void SliceView::setVolume(std::shared_ptr<const Volume> volume, const QString& title) {
  volume_ = std::move(volume);
  title_ = title;
  drawnZ_ = -1;
  image_ = QImage();
  if (volume_) {
    layout_ = layoutFor(volume_->geometry, volume_->dims());
    z_ = volume_->dims()[2] / 2;
  }
  update();
}

void SliceView::setSlice(int64_t z) {
  z_ = z;
  drawnZ_ = -1;
  refresh();
}

void SliceView::setWindow(const WindowPreset& window) {
  window_ = window;
  drawnZ_ = -1;
  refresh();
}

int64_t SliceView::nearestReadySlice() const {
  const int64_t n = volume_->dims()[2];
  for (int64_t d = 0; d < n; ++d) {
    if (z_ - d >= 0 && volume_->sliceReady(z_ - d)) return z_ - d;
    if (z_ + d < n && volume_->sliceReady(z_ + d)) return z_ + d;
  }
  return -1;
}

void SliceView::refresh() {
  if (!volume_) return;
  const int64_t z = nearestReadySlice();
  if (z < 0 || (z == drawnZ_ && !image_.isNull())) return;
  const auto grey = renderSlice(*volume_, layout_, z, 0, window_);
  QImage img(layout_.width, layout_.height, QImage::Format_Grayscale8);
  for (int y = 0; y < layout_.height; ++y)
    std::memcpy(img.scanLine(y), grey.data() + static_cast<size_t>(y) * layout_.width, layout_.width);
  image_ = std::move(img);
  drawnZ_ = z;
  update();
}

void SliceView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::black);
  if (image_.isNull()) {
    p.setPen(Qt::gray);
    p.drawText(rect(), Qt::AlignCenter, volume_ ? tr("Loading...") : tr("No series"));
    return;
  }
  // Physical aspect: fit width x pixelWidthMm by height x pixelHeightMm into the widget.
  const double wMm = layout_.width * layout_.pixelWidthMm, hMm = layout_.height * layout_.pixelHeightMm;
  const double scale = std::min((width() - 40) / wMm, (height() - 40) / hMm);
  const QSizeF size(wMm * scale, hMm * scale);
  const QRectF target(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.drawImage(target, image_);
  drawLabels(p, target);
}

void SliceView::drawLabels(QPainter& p, const QRectF& t) const {
  p.setPen(QColor(255, 210, 0));
  const QChar right(orientationLetter(layout_.screenRight)), left(orientationLetter(layout_.screenRight * -1.0));
  const QChar down(orientationLetter(layout_.screenDown)), up(orientationLetter(layout_.screenDown * -1.0));
  p.drawText(QRectF(t.left() - 20, t.center().y() - 10, 18, 20), Qt::AlignCenter, left);
  p.drawText(QRectF(t.right() + 2, t.center().y() - 10, 18, 20), Qt::AlignCenter, right);
  p.drawText(QRectF(t.center().x() - 10, t.top() - 20, 20, 18), Qt::AlignCenter, up);
  p.drawText(QRectF(t.center().x() - 10, t.bottom() + 2, 20, 18), Qt::AlignCenter, down);
  p.setPen(Qt::white);
  const auto& d = volume_->dims();
  const QString info = QString("%1\nslice %2/%3%4\nW %5  L %6 %7")
                           .arg(title_)
                           .arg(drawnZ_ + 1)
                           .arg(d[2])
                           .arg(drawnZ_ != z_ ? QString(" (loading %1)").arg(z_ + 1) : QString())
                           .arg(window_.width, 0, 'g', 6)
                           .arg(window_.center, 0, 'g', 6)
                           .arg(QString::fromStdString(window_.name));
  p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, info);
}

}  // namespace cvx::viewer
