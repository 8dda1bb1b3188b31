// SPDX-License-Identifier: MIT
// The Segments dock's time-intensity curve (issue 12): the active segment's mean over the phases of
// a 4D series (view::SegmentCurve), its SD as a band, the phase shown marked; "Export curve..." writes
// it as CSV. Hidden over a 3D series. A thin widget: the curve comes with the dock's figures.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include <QWidget>

#include <cvx/viewstate/seg_curve.h>

class QPushButton;

namespace cvx::viewer {

class SegCurvePlot : public QWidget {
  Q_OBJECT

 public:
  explicit SegCurvePlot(QWidget* parent = nullptr);
  void setCurve(const std::optional<view::SegmentCurve>& c, int64_t phaseShown);
  const std::optional<view::SegmentCurve>& curve() const { return curve_; }
  int64_t phaseShown() const { return phase_; }

 protected:
  void paintEvent(class QPaintEvent*) override;

 private:
  std::optional<view::SegmentCurve> curve_;
  int64_t phase_ = 0;
};

class SegCurveView : public QWidget {
  Q_OBJECT

 public:
  explicit SegCurveView(QWidget* parent = nullptr);
  // The active segment's curve (none: hidden) and the phase the views show.
  void setCurve(const std::optional<view::SegmentCurve>& c, int64_t phaseShown);
  const std::optional<view::SegmentCurve>& curve() const { return plot_->curve(); }
  void setPhase(int64_t phaseShown) { plot_->setCurve(plot_->curve(), phaseShown); }
  int64_t phaseShown() const { return plot_->phaseShown(); }
  // "Export curve..." to path (the dialog's choice); the outcome as a message. A path the guard
  // refuses (refuseSourceFolders: the owner's series) is not written.
  Status exportTo(const QString& path) const;
  void setExportGuard(std::function<Status(const std::string&)> guard) { guard_ = std::move(guard); }

 private:
  SegCurvePlot* plot_ = nullptr;
  QPushButton* export_ = nullptr;
  std::function<Status(const std::string&)> guard_;
};

}  // namespace cvx::viewer
