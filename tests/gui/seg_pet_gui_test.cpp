// SPDX-License-Identifier: MIT
// A PET/CT's segments through the real main window under Xvfb, on the demo PET/CT: a PET segment's
// statistics and the brush's range read in SUV, and the PET's uptake line; Only of PT paints a CT
// segment where the PET, interpolated at the CT's voxel centres (written out here), is in range.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QRegularExpression>
#include <QTest>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::test::newSegment;
using cvx::viewer::MainWindow;

namespace {

double huOf(const Volume& v, int64_t x, int64_t y, int64_t z) { return test::modalityAt(v, x, y, z); }

}  // namespace

TEST(SegPetGui, APetSegmentsStatisticsAndRangeReadInSuv) {
  CVX_REQUIRE_FOLDER("pet_ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("pet_ct")));
  const int pet = test::layerOfModality(w.state(), "PT");
  ASSERT_GE(pet, 0);
  const view::Layer& layer = w.state().layers()[static_cast<size_t>(pet)];
  ASSERT_EQ(layer.mapping.units, "SUVbw");
  const double suv = layer.mapping.unitScale;
  ASSERT_GT(suv, 0);
  const Volume& v = *layer.volume;
  // A block of the PET's middle as a segment of its own grid.
  const auto& d = v.dims();
  std::vector<uint8_t> block(static_cast<size_t>(v.voxelsPerPhase()), 0);
  double sum = 0;
  int64_t n = 0;
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        if (z >= d[2] / 3 && z < 2 * d[2] / 3 && y >= d[1] / 3 && y < 2 * d[1] / 3 && x >= d[0] / 3 && x < 2 * d[0] / 3) {
          block[static_cast<size_t>(i)] = 1;
          sum += huOf(v, x, y, z), ++n;  // Bq/ml: the PET's modality values
        }
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(v));
  ASSERT_TRUE(seg->addSegment(Segment{}, block.data()).ok());
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto index = w.state().addSegmentation(seg, pet, "pet block");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  panel->refreshStats();  // computed on a worker: the text follows when the figures are in
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent(); }, 10000));
  const QString text = panel->statsText();
  const int at = text.indexOf("mean ");
  ASSERT_GE(at, 0) << text.toStdString();
  const double mean = sum / static_cast<double>(n) * suv;
  EXPECT_NEAR(text.mid(at + 5).section(' ', 0, 0).toDouble(), mean, 0.006) << text.toStdString();
  EXPECT_TRUE(text.contains("SUVbw")) << text.toStdString();
  EXPECT_LT(mean, 30) << "an SUV, not Bq/ml";
  // The PET line (pet_stats.h): on the PET's own grid, SUVmax and SUVmean are the block's voxels';
  // MTV its volume; SUVpeak a mean of some voxels, so at most SUVmax.
  double maxSuv = 0;
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        if (block[static_cast<size_t>(i)]) maxSuv = std::max(maxSuv, huOf(v, x, y, z) * suv);
  auto number = [&](const char* key) {
    const int k = text.indexOf(key);
    return k < 0 ? -1.0 : text.mid(k + static_cast<int>(std::strlen(key))).section(QRegularExpression("[,; ]"), 0, 0).toDouble();
  };
  EXPECT_NEAR(number("SUVmax "), maxSuv, 0.006) << text.toStdString();
  EXPECT_NEAR(number("SUVmean "), mean, 0.006) << text.toStdString();
  const Geometry& pg = v.geometry;
  EXPECT_NEAR(number("MTV "), n * pg.spacingMm.x * pg.spacingMm.y * pg.spacingMm.z / 1000, 0.051) << text.toStdString();
  EXPECT_GT(number("SUVpeak "), 0);
  EXPECT_LE(number("SUVpeak "), maxSuv + 0.006);

  // Only on the PET's segment: the PET's window in SUV (0..6), the brush's range in Bq/ml.
  auto* only = panel->findChild<QCheckBox*>("segBrushOnly");
  only->setChecked(true);
  const view::DisplayMapping& m = layer.mapping;
  EXPECT_NEAR(panel->findChild<QDoubleSpinBox*>("segBrushLow")->value(), (m.center - m.width / 2) * suv, 0.01);
  EXPECT_NEAR(panel->findChild<QDoubleSpinBox*>("segBrushHigh")->value(), (m.center + m.width / 2) * suv, 0.01);
  ASSERT_TRUE(w.editing()->brushRange.has_value());
  EXPECT_NEAR(w.editing()->brushRange->second * suv, panel->findChild<QDoubleSpinBox*>("segBrushHigh")->value(), 1e-6);
}

// On a PET/CT, Only "of PT": a ball painted on the CT's segment keeps the voxels where the PET,
// interpolated at their centres (written out here, trilinear over the PET's voxels), is at least SUV
// 2.5, and only those.
TEST(SegPetGui, OnlyOfThePetPaintsTheCtSegmentWhereTheSuvIsInRange) {
  CVX_REQUIRE_FOLDER("pet_ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("pet_ct")));
  auto* panel = newSegment(w, "toolPaint");
  ASSERT_NE(panel, nullptr);
  ASSERT_EQ(w.state().segmentations()[0].layer, 0);
  const int petLayer = test::layerOfModality(w.state(), "PT");
  ASSERT_GT(petLayer, 0);
  const Volume& ct = *w.state().layers()[0].volume;
  const Volume& pet = *w.state().layers()[static_cast<size_t>(petLayer)].volume;
  const double suv = w.state().layers()[static_cast<size_t>(petLayer)].mapping.unitScale;
  auto* only = panel->findChild<QCheckBox*>("segBrushOnly");
  auto* of = panel->findChild<QComboBox*>("segBrushOf");
  ASSERT_TRUE(only && of);
  only->setChecked(true);
  ASSERT_EQ(of->count(), 2) << "the CT and the PET of its frame";
  of->setCurrentIndex(1);
  emit of->activated(1);
  EXPECT_EQ(of->currentText(), "PT");
  auto* lo = panel->findChild<QDoubleSpinBox*>("segBrushLow");
  EXPECT_TRUE(lo->suffix().contains("SUVbw")) << lo->suffix().toStdString();
  lo->setValue(2.5);
  panel->findChild<QDoubleSpinBox*>("segBrushHigh")->setValue(1000);
  panel->findChild<QCheckBox*>("segBrushSphere")->setChecked(true);
  panel->findChild<QDoubleSpinBox*>("segBrush")->setValue(15);

  // The PET's hottest voxel, the cursor there, a click on it in the CT's axial view.
  const auto& pd = pet.dims();
  double best = -1;
  Vec3 hot;
  for (int64_t z = 0; z < pd[2]; ++z)
    for (int64_t y = 0; y < pd[1]; ++y)
      for (int64_t x = 0; x < pd[0]; ++x)
        if (const double v = huOf(pet, x, y, z) * suv; v > best) best = v, hot = pet.geometry.worldAt(double(x), double(y), double(z));
  ASSERT_GT(best, 4);
  w.state().setCursor(hot);
  viewer::PlaneView* axial = w.viewports()->views()[0];
  ASSERT_EQ(w.state().viewLayer(axial->viewIndex()), 0) << "the CT's view";
  const auto frame = w.state().pixelFrame(axial->viewIndex(), axial->width(), axial->height());
  const auto px = frame.pixelOf(hot);
  const QPoint at(static_cast<int>(px[0]), static_cast<int>(px[1]));
  const Vec3 c = frame.worldAt(at.x(), at.y());
  QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, at);

  // SUV at a point: the PET trilinear over its voxel indices (clamped at the rim), as written here.
  const Mat4 toPet = pet.geometry.voxelFromWorld();
  auto suvAt = [&](Vec3 p, bool& inside) {
    const Vec3 q = toPet.applyPoint(p);
    inside = true;
    double f[3];
    int64_t i0[3];
    for (int a = 0; a < 3; ++a) {
      inside = inside && q[a] >= -0.5 && q[a] <= pd[a] - 0.5;
      const double t = std::clamp(q[a], 0.0, double(pd[a] - 1));
      i0[a] = std::min<int64_t>(static_cast<int64_t>(std::floor(t)), pd[a] - 2);
      f[a] = t - double(i0[a]);
    }
    double v = 0;
    for (int k = 0; k < 8; ++k) {
      const int64_t dx = k & 1, dy = (k >> 1) & 1, dz = (k >> 2) & 1;
      const double wgt = (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]);
      v += wgt * huOf(pet, i0[0] + dx, i0[1] + dy, i0[2] + dz);
    }
    return v * suv;
  };
  const auto& seg = *w.state().segmentations()[0].segmentation;
  const auto mask = seg.mask(0);
  const auto& d = ct.dims();
  int64_t painted = 0, wrong = 0, ball = 0, unsure = 0;
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        const Vec3 p = ct.geometry.worldAt(double(x), double(y), double(z));
        const bool in = mask[static_cast<size_t>(i)] != 0;
        painted += in;
        if (norm(p - c) > 15) {
          wrong += in;
          continue;
        }
        ++ball;
        bool inside = false;
        const double s = suvAt(p, inside);
        if (std::fabs(s - 2.5) < 1e-3) {  // float against double at the bound: either
          ++unsure;
          continue;
        }
        wrong += in != (inside && s >= 2.5);
      }
  EXPECT_GT(painted, 100);
  EXPECT_LT(painted, ball) << "the ball holds tissue below SUV 2.5 too";
  EXPECT_EQ(wrong, 0) << painted << " painted of " << ball;
  EXPECT_LT(unsure, 10);
  // Edits do not undo the reader's choice: still PT, still from 2.5.
  EXPECT_EQ(of->currentText(), "PT");
  EXPECT_NEAR(lo->value(), 2.5, 1e-9);
  // The dock's PET line once editing pauses: the hottest voxel lies in the segment.
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsText().contains("SUVmax"); }, 5000)) << panel->statsText().toStdString();
  const QString text = panel->statsText();
  const double suvMax = text.mid(text.indexOf("SUVmax ") + 7).section(',', 0, 0).toDouble();
  EXPECT_NEAR(suvMax, best, 0.006) << text.toStdString();
  test::saveTour(&w, "seg_paint_pet_range");
}
