// SPDX-License-Identifier: MIT
// The brush's settings in the Segments dock (issue 12): its radius in mm, Sphere (a 2D view's
// Paint and Erase dab balls through the neighbouring slices rather than disks in its plane; the 3D
// view always paints balls) and Only (the brush changes only voxels whose value lies in a range,
// typed in the units the window shows: HU for CT, SUVbw for a PET with SUV inputs), of the
// segment's own series or of another of its frame of reference ("of": on a PET/CT, the PET's SUV
// over a CT segment). The range starts from that series' window when first ticked, when another is
// chosen, and when another series comes in. A
// thin widget over SegEditing's brushMm, brushSphere and brushRange (modality values).
#pragma once
#include <QWidget>

#include <cstdint>
#include <vector>

#include <cvx/viewstate/state.h>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;

namespace cvx::viewer {

class SegEditing;

class SegBrushPanel : public QWidget {
  Q_OBJECT
 public:
  SegBrushPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent = nullptr);

 private:
  int ownLayer() const;              // the image layer the active segment belongs to (else the reference)
  const view::Layer* layer() const;  // the layer the range reads (the choice in "of", else ownLayer)
  void listSources();                // "of": the own layer and those of its frame of reference
  void followSource();               // the chosen series' window when it is another than the range's
  void fillFromWindow();             // the range from that layer's window, in its display units
  void apply();                      // the widgets into editing_.brushRange

  view::ViewerState& state_;
  SegEditing& editing_;
  view::ViewerState::Subscription subscription_;
  QCheckBox* only_ = nullptr;
  QComboBox* of_ = nullptr;
  std::vector<uint64_t> listed_;  // the series "of" lists (Volume::serial)
  QDoubleSpinBox* lo_ = nullptr;
  QDoubleSpinBox* hi_ = nullptr;
  uint64_t filledFor_ = 0;  // Volume::serial of the series whose window the range was filled from
  bool filling_ = false;
};

}  // namespace cvx::viewer
