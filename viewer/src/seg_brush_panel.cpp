// SPDX-License-Identifier: MIT
#include "seg_brush_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSignalBlocker>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>

#include "seg_editing.h"
#include "series_combo.h"

namespace cvx::viewer {

SegBrushPanel::SegBrushPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent)
    : QWidget(parent), state_(state), editing_(editing) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Brush"), this));
  auto* radius = new QDoubleSpinBox(this);
  radius->setObjectName("segBrush");
  radius->setRange(0.2, 100);
  radius->setValue(editing_.brushMm);
  radius->setSuffix(" mm");
  radius->setToolTip(tr("The brush's radius (Paint and Erase tools)"));
  row->addWidget(radius);
  auto* sphere = new QCheckBox(tr("Sphere"), this);
  sphere->setObjectName("segBrushSphere");
  sphere->setChecked(editing_.brushSphere);
  sphere->setToolTip(tr("In the 2D views, paint and erase a ball of this radius, through the neighbouring slices, "
                        "rather than a disk in the view's plane (the 3D view always paints balls)"));
  row->addWidget(sphere);
  only_ = new QCheckBox(tr("Only"), this);
  only_->setObjectName("segBrushOnly");
  only_->setToolTip(tr("Paint and erase only voxels whose value lies in this range (in the units the window shows: "
                       "HU for CT, SUV for PET); it starts from the series' window"));
  lo_ = new QDoubleSpinBox(this);
  lo_->setObjectName("segBrushLow");
  hi_ = new QDoubleSpinBox(this);
  hi_->setObjectName("segBrushHigh");
  for (QDoubleSpinBox* b : {lo_, hi_}) {
    b->setRange(-1e7, 1e7);
    b->setDecimals(2);
    b->setEnabled(false);
  }
  of_ = new QComboBox(this);  // which series the range reads: the segment's own, or a fused one (PET)
  of_->setObjectName("segBrushOf");
  of_->setToolTip(tr("The series whose values the range reads: the segment's own, or another of its frame of "
                     "reference (on a PET/CT, paint the CT's segment only where the PET's SUV is in range)"));
  of_->setEnabled(false);
  row->addWidget(only_);
  row->addWidget(of_);
  row->addWidget(lo_);
  row->addWidget(new QLabel(tr("to"), this));
  row->addWidget(hi_);
  row->addStretch(1);

  connect(radius, &QDoubleSpinBox::valueChanged, this, [this](double v) { editing_.brushMm = v; });
  connect(sphere, &QCheckBox::toggled, this, [this](bool on) { editing_.brushSphere = on; });
  connect(only_, &QCheckBox::toggled, this, [this] { followSource(); });
  connect(of_, &QComboBox::activated, this, [this] { followSource(); });
  connect(lo_, &QDoubleSpinBox::valueChanged, this, [this] { apply(); });
  connect(hi_, &QDoubleSpinBox::valueChanged, this, [this] { apply(); });
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (!(e.what & (view::kLayers | view::kSegmentation))) return;
    listSources();
    followSource();
  });
  listSources();
}

int SegBrushPanel::ownLayer() const {
  const int active = state_.activeSegment().first;
  return active >= 0 ? state_.segmentations()[static_cast<size_t>(active)].layer : 0;
}

void SegBrushPanel::listSources() {
  // Another series than the segment's own, chosen: kept while listed; the own one follows the segment.
  const bool own = of_->currentIndex() <= 0;
  if (!listSeries(of_, state_, state_.layersOfFrame(ownLayer()), listed_)) return;  // the same series: the choice stays
  if (own) {
    const QSignalBlocker quiet(of_);
    of_->setCurrentIndex(0);
  }
  apply();
}

void SegBrushPanel::followSource() {
  const view::Layer* l = layer();
  if (only_->isChecked() && l && l->volume && l->volume->serial() != filledFor_) fillFromWindow();  // its window
  apply();
}

const view::Layer* SegBrushPanel::layer() const {
  const auto& layers = state_.layers();
  if (layers.empty()) return nullptr;
  if (const int chosen = state_.layerOfSerial(chosenSerial(of_)); chosen >= 0) return &layers[static_cast<size_t>(chosen)];
  const int own = ownLayer();
  return own >= 0 && own < static_cast<int>(layers.size()) ? &layers[static_cast<size_t>(own)] : &layers.front();
}

void SegBrushPanel::fillFromWindow() {
  const view::Layer* l = layer();
  if (!l) return;
  const view::DisplayMapping& m = l->mapping;
  const QString units = m.units.empty() ? QString() : " " + QString::fromStdString(m.units);
  filling_ = true;
  for (QDoubleSpinBox* b : {lo_, hi_}) b->setSuffix(units);
  lo_->setValue((m.center - m.width / 2) * m.unitScale);
  hi_->setValue((m.center + m.width / 2) * m.unitScale);
  filling_ = false;
  filledFor_ = l->volume ? l->volume->serial() : 0;
}

void SegBrushPanel::apply() {
  if (filling_) return;
  const bool on = only_->isChecked();
  lo_->setEnabled(on);
  hi_->setEnabled(on);
  of_->setEnabled(on && of_->count() > 1);
  editing_.brushRangeSerial = of_->currentIndex() > 0 ? chosenSerial(of_) : 0;  // 0: its own
  const view::Layer* l = layer();
  const double scale = l ? l->mapping.shownPerValue() : 1.0;
  if (on)
    editing_.brushRange = std::pair(lo_->value() / scale, hi_->value() / scale);
  else
    editing_.brushRange.reset();
}

}  // namespace cvx::viewer
