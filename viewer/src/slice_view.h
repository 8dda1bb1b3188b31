// One native slice of a volume, drawn with QPainter at its physical aspect ratio, with window/level
// and orientation letters. Slices not yet loaded are shown as the nearest loaded one.
#pragma once
#include <memory>

#include <QImage>
#include <QWidget>

#include <cvx/viewer/slice_image.h>

namespace cvx::viewer {

class SliceView : public QWidget {
  Q_OBJECT
 public:
  explicit SliceView(QWidget* parent = nullptr);
  void setVolume(std::shared_ptr<const Volume> volume, const QString& title);
  void setSlice(int64_t z);
  void setWindow(const WindowPreset& window);
  int64_t slice() const { return z_; }
  int64_t drawnSlice() const { return drawnZ_; }
  // Redraws when the wanted slice (or a nearer one) has become ready.
  void refresh();

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  int64_t nearestReadySlice() const;
  void drawLabels(QPainter& p, const QRectF& target) const;

  std::shared_ptr<const Volume> volume_;
  QString title_;
  SliceLayout layout_;
  WindowPreset window_;
  int64_t z_ = 0, drawnZ_ = -1;
  QImage image_;
};

}  // namespace cvx::viewer
