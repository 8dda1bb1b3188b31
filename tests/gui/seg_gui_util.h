// SPDX-License-Identifier: MIT
// Shared by the segmentation GUI tests (seg_brush, seg_pet): a voxel's modality value written out
// (stored * slope + intercept unless the volume holds modality values), and the Segments dock opened
// with a new, empty, active segment and a tool chosen.
#pragma once
#include <QAction>
#include <QPushButton>

#include <cvx/core/volume.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_panel.h"

namespace cvx::test {

inline double modalityAt(const Volume& v, int64_t x, int64_t y, int64_t z) {
  const double s = v.info.rescaleApplied ? 1.0 : v.info.rescaleSlope;
  const double b = v.info.rescaleApplied ? 0.0 : v.info.rescaleIntercept;
  return v.valueAt(x, y, z) * s + b;
}

// The Segments dock shown, a new (empty) segment active, the tool chosen (an action's object name).
inline viewer::SegPanel* newSegment(viewer::MainWindow& w, const char* tool) {
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  if (!panel) return nullptr;
  panel->findChild<QPushButton*>("segNew")->click();
  if (auto* a = w.findChild<QAction*>(tool)) a->trigger();
  return panel;
}

}  // namespace cvx::test
