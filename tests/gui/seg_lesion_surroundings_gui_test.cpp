// SPDX-License-Identifier: MIT
// The lesion plugin from the Segments dock on the demo PET with its background from the lesion's
// surroundings ("Background from: surroundings"): the result equals the region this file grows
// itself at bg + 41 % x (hottest - bg), bg the median of the PET voxels whose centres lie 20 to 30
// mm from the hottest voxel (this file's own loop and sort, distances in mm from the spacing). The
// typed Background is not read; the threshold differs from both a fixed fraction and the typed one.
#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_run.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// The median (series units) of pet's voxels whose centres lie more than inner and at most outer mm
// from voxel c; every voxel centre lies at least 0.01 mm^2 off both spheres (asserted).
double shellMedianOf(const Volume& v, std::array<int64_t, 3> c, double inner, double outer) {
  const auto& d = v.dims();
  const Vec3 s = v.geometry.spacingMm;
  std::vector<double> in;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        const double dx = (x - c[0]) * s.x, dy = (y - c[1]) * s.y, dz = (z - c[2]) * s.z;
        const double q = dx * dx + dy * dy + dz * dz;
        if (q > (outer + 1) * (outer + 1)) continue;
        EXPECT_GT(std::abs(q - inner * inner), 0.01);
        EXPECT_GT(std::abs(q - outer * outer), 0.01);
        if (q > inner * inner && q <= outer * outer) in.push_back(test::modalityAt(v, x, y, z));
      }
  EXPECT_GT(in.size(), 100u);
  std::sort(in.begin(), in.end());
  const size_t n = in.size();
  return n % 2 ? in[n / 2] : 0.5 * (in[n / 2 - 1] + in[n / 2]);
}

}  // namespace

TEST(SegLesionGui, TheBackgroundFromTheSurroundingsIsTheShellsMedian) {
  CVX_REQUIRE_FOLDER("pet_ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("pet_ct")));
  const int pet = test::layerOfModality(w.state(), "PT");
  ASSERT_GT(pet, 0);
  const view::Layer& layer = w.state().layers()[static_cast<size_t>(pet)];
  const Volume& v = *layer.volume;
  double top = 0;
  const std::array<int64_t, 3> hot = test::hottestInReference(w.state(), v, top);
  ASSERT_GE(hot[0], 0);
  const double bg = shellMedianOf(v, hot, 20, 30);
  ASSERT_GT(bg, 0) << "uptake about the tumour";
  ASSERT_LT(bg, 0.5 * top);

  w.findChild<QAction*>("showSegments")->trigger();
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  ASSERT_NE(run, nullptr);
  ASSERT_TRUE(run->choose("lesion")) << run->message().toStdString();
  ASSERT_TRUE(run->chooseLayer(pet));
  auto* from = w.findChild<QComboBox*>("param_background_from");
  ASSERT_NE(from, nullptr) << "the form offers the background's source";
  from->setCurrentText("surroundings");
  ASSERT_EQ(from->currentText(), "surroundings");
  run->setField("background", 3.0);  // SUV: not read with the background from the surroundings
  w.state().setCursor(v.geometry.worldFromVoxel().applyPoint(
      {static_cast<double>(hot[0]), static_cast<double>(hot[1]), static_cast<double>(hot[2])}));
  ASSERT_TRUE(test::runToEnd(run));
  const auto [index, segment] = w.state().activeSegment();
  ASSERT_GE(index, 0);
  const Segmentation& seg = *w.state().segmentations()[static_cast<size_t>(index)].segmentation;
  const std::vector<uint8_t> got = seg.mask(static_cast<size_t>(segment));
  const std::vector<uint8_t> expected = test::grownRegion(v, hot, bg + 0.41 * (top - bg));
  const int64_t n = std::count(expected.begin(), expected.end(), 1);
  EXPECT_GT(n, 8) << "a lesion, not a voxel";
  EXPECT_EQ(got, expected);
  const std::vector<uint8_t> fixedFraction = test::grownRegion(v, hot, 0.41 * top);
  EXPECT_GT(std::count(fixedFraction.begin(), fixedFraction.end(), 1), n) << "the surroundings lifted the threshold";
  QTest::qWait(200);
  test::saveTour(&w, "pet_ct_lesion_surroundings");
  const double typed = 3.0 / layer.mapping.unitScale;  // Bq/ml
  EXPECT_NE(test::grownRegion(v, hot, typed + 0.41 * (top - typed)), expected) << "the typed value would differ";
}
