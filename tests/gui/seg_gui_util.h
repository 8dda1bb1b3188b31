// SPDX-License-Identifier: MIT
// Shared by the segmentation GUI tests (seg_brush, seg_pet, seg_lesion*, seg_panel, seg_plugins, ...):
// a voxel's modality value written out (stored * slope + intercept unless the volume holds modality values),
// the Segments dock opened with a new, empty, active segment and a tool chosen, and for the lesion
// tests a region grown here (breadth-first) and the PET's hottest voxel inside the reference's box;
// a plugin run from the dock, waited for.
#pragma once
#include <gtest/gtest.h>

#include <QAction>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <array>
#include <cmath>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include <cvx/core/volume.h>
#include <cvx/demo/demo.h>
#include <cvx/viewstate/state.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/seg_run.h"
#include "gui_test_util.h"
#include "test_data.h"

namespace cvx::test {

// Runs the dock's plugin and waits (up to a minute) for its end: success, or why not.
inline ::testing::AssertionResult runToEnd(viewer::SegRunPanel* run) {
  QSignalSpy finished(run, &viewer::SegRunPanel::finished);
  run->run();
  if (!QTest::qWaitFor([&] { return finished.count() > 0; }, 60000))
    return ::testing::AssertionFailure() << "the plugin did not finish: " << run->message().toStdString();
  if (!finished.takeFirst().at(0).toBool()) return ::testing::AssertionFailure() << run->message().toStdString();
  return ::testing::AssertionSuccess();
}

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

// Shows w at 1280 x 960 on a data folder (test_data.h's dataPath) with the Segments dock shown: its
// panel, or null when the folder did not open.
inline viewer::SegPanel* openWithSegments(viewer::MainWindow& w, const std::string& folder) {
  if (!showAndOpen(w, 1280, 960, dataPath(folder))) return nullptr;
  w.findChild<QAction*>("showSegments")->trigger();
  return w.findChild<viewer::SegPanel*>("segPanel");
}

// The voxels of v's grid whose centres lie within radiusMm of centre (LPS mm): a segment's mask.
inline std::vector<uint8_t> ballMask(const Volume& v, Vec3 centre, double radiusMm) {
  const auto& d = v.dims();
  std::vector<uint8_t> ball(static_cast<size_t>(v.voxelsPerPhase()), 0);
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        ball[static_cast<size_t>(i)] = norm(v.geometry.worldAt(double(x), double(y), double(z)) - centre) <= radiusMm;
  return ball;
}

// openWithSegments, then plugin `id` chosen in the dock's plugin panel: that panel, or null when
// the folder did not open or no such plugin was found (the panel's message says why).
inline viewer::SegRunPanel* openWithPlugin(viewer::MainWindow& w, const std::string& folder, const char* id) {
  if (!openWithSegments(w, folder)) return nullptr;
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  return run && run->choose(id) ? run : nullptr;
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

// The voxels of v (modality values) at or above t, 26-connected to `from`, by breadth-first search.
inline std::vector<uint8_t> grownRegion(const Volume& v, std::array<int64_t, 3> from, double t) {
  const auto& d = v.dims();
  std::vector<uint8_t> in(static_cast<size_t>(v.voxelsPerPhase()), 0);
  auto index = [&](int64_t x, int64_t y, int64_t z) { return static_cast<size_t>((z * d[1] + y) * d[0] + x); };
  std::deque<std::array<int64_t, 3>> q{from};
  in[index(from[0], from[1], from[2])] = 1;
  while (!q.empty()) {
    const auto [x, y, z] = q.front();
    q.pop_front();
    for (int dz = -1; dz <= 1; ++dz)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int64_t a = x + dx, b = y + dy, c = z + dz;
          if (a < 0 || b < 0 || c < 0 || a >= d[0] || b >= d[1] || c >= d[2] || in[index(a, b, c)]) continue;
          if (!(modalityAt(v, a, b, c) >= t)) continue;
          in[index(a, b, c)] = 1;
          q.push_back({a, b, c});
        }
  }
  return in;
}

// The hottest voxel of pet (modality value) whose centre lies in the reference layer's voxel box (the
// demo CT is cropped about the tumour), and its value; {-1, -1, -1} when none.
inline std::array<int64_t, 3> hottestInReference(const view::ViewerState& s, const Volume& pet, double& top) {
  const Geometry& ctg = s.layers()[0].volume->geometry;
  const auto& cd = s.layers()[0].volume->dims();
  const auto& d = pet.dims();
  std::array<int64_t, 3> hot{-1, -1, -1};
  top = -1e30;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        const Vec3 c = ctg.voxelFromWorld().applyPoint(pet.geometry.worldFromVoxel().applyPoint(
            {static_cast<double>(x), static_cast<double>(y), static_cast<double>(z)}));
        const bool inCt = c.x >= 0 && c.y >= 0 && c.z >= 0 && c.x <= cd[0] - 1 && c.y <= cd[1] - 1 && c.z <= cd[2] - 1;
        if (inCt && modalityAt(pet, x, y, z) > top) top = modalityAt(pet, x, y, z), hot = {x, y, z};
      }
  return hot;
}

// The demo's PET/CT alone under dir (docs/demo.md: its other series removed), and its follow-up PET
// when asked (demo::writeDemoFollowUp): what the PERCIST tests open.
inline bool writeDemoPetCt(const std::string& dir, bool followUp = false) {
  if (!demo::writeDemoStudy(dir).ok() || (followUp && !demo::writeDemoFollowUp(dir).ok())) return false;
  for (const char* other : {"MONO1", "MR4D", "OBLIQUE"}) std::filesystem::remove_all(dir + "/" + other);
  return true;
}

// The number after `key` in text, from `from` (up to a space, a comma, a semicolon or a bracket); NaN
// when absent. The dock's figures as a reader reads them.
inline double numberAfter(const QString& text, const QString& key, int from = 0) {
  const int at = text.indexOf(key, from);
  if (at < 0) return NAN;
  return text.mid(at + key.size()).section(' ', 0, 0).section(',', 0, 0).section(';', 0, 0).section('(', 0, 0).toDouble();
}

}  // namespace cvx::test
