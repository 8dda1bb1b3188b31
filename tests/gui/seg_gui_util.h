// SPDX-License-Identifier: MIT
// Shared by the segmentation GUI tests (seg_brush, seg_pet, seg_lesion): a voxel's modality value written out
// (stored * slope + intercept unless the volume holds modality values), and the Segments dock opened
// with a new, empty, active segment and a tool chosen.
#pragma once
#include <QAction>
#include <QPushButton>

#include <string>

#include <cvx/core/volume.h>
#include <cvx/viewstate/state.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_panel.h"

namespace cvx::test {

inline double modalityAt(const Volume& v, int64_t x, int64_t y, int64_t z) {
  const double s = v.info.rescaleApplied ? 1.0 : v.info.rescaleSlope;
  const double b = v.info.rescaleApplied ? 0.0 : v.info.rescaleIntercept;
  return v.valueAt(x, y, z) * s + b;
}

// The first image layer of the state whose series has this modality ("PT"); -1 for none.
inline int layerOfModality(const view::ViewerState& s, const std::string& modality) {
  for (size_t l = 0; l < s.layers().size(); ++l)
    if (s.layers()[l].volume && s.layers()[l].volume->info.modality == modality) return static_cast<int>(l);
  return -1;
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
