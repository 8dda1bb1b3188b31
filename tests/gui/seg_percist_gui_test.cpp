// SPDX-License-Identifier: MIT
// PERCIST in the Segments dock, on the demo PET/CT (docs/demo.md: liver SUV 2.0 uniform, lesion SUV 8
// in a 7.5 mm ball at (-50, -5, 0); PatientWeight 75 kg, PatientSize 1.75 m, sex M). By hand:
// LBM (Janmahasatian, male) 9270 x 75 / (6680 + 216 x 75 / 1.75^2) = 58.0837 kg, SUL = SUVbw x
// 0.774449; the liver's SULmean 2.0 x 0.774449 = 1.5489, SD 0 (the demo's voxels are the phantom's
// values, to 2e-4 SUV), so the threshold is 1.5 x 1.5489 = 2.3233.
#include <gtest/gtest.h>

#include <filesystem>

#include <QAction>
#include <QPushButton>
#include <QTest>

#include <cvx/demo/demo.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_panel.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"

using namespace cvx;
using cvx::viewer::MainWindow;

TEST(SegPercistGui, TheLiverReferenceAtTheCursorSaysWhetherALesionIsMeasurable) {
  test::TempDir tmp("cvx_gui_percist");
  ASSERT_TRUE(test::writeDemoPetCt(tmp.path()));
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, tmp.path()));  // the CT and its PET
  const int pet = test::layerOfModality(w.state(), "PT");
  ASSERT_GE(pet, 0);
  const Volume& v = *w.state().layers()[static_cast<size_t>(pet)].volume;
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto* liverRef = panel->findChild<QPushButton*>("segLiverRef");
  ASSERT_NE(liverRef, nullptr);

  // In the right lobe, 8 mm from the lesion's rim: a 3 cm ball of type Liver on the PET's grid.
  w.state().setCursor({-45, -5, -30});
  QTest::mouseClick(liverRef, Qt::LeftButton);
  ASSERT_EQ(w.state().segmentations().size(), 1u) << panel->message().toStdString();
  const view::SegmentationLayer& sl = w.state().segmentations().front();
  EXPECT_EQ(sl.layer, pet);
  const Segment& ref = sl.segmentation->segments().front();
  EXPECT_EQ(ref.name, "Liver reference");
  EXPECT_EQ(ref.type.value, "10200004");
  EXPECT_NEAR(sl.segmentation->volumeMl(0), 4.0 / 3.0 * M_PI * 15 * 15 * 15 / 1000, 0.05 * 14.137);
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent(); }, 10000));
  QString text = panel->statsText();
  EXPECT_TRUE(text.contains("PERCIST liver reference")) << text.toStdString();
  const QString percist = text.mid(text.indexOf("liver reference:"));  // its SD, not the statistics'
  EXPECT_NEAR(test::numberAfter(percist, "SULmean "), 1.5489, 0.006) << text.toStdString();
  EXPECT_NEAR(test::numberAfter(percist, "SD "), 0.0, 0.006) << text.toStdString();
  EXPECT_NEAR(test::numberAfter(percist, "threshold "), 2.3233, 0.006) << text.toStdString();

  // Pressed again elsewhere in the liver: the same segment moves there (no second reference).
  const std::vector<uint8_t> first = sl.segmentation->mask(0);
  w.state().setCursor({-60, -5, -30});
  QTest::mouseClick(liverRef, Qt::LeftButton);
  EXPECT_TRUE(panel->message().startsWith("Liver reference moved")) << panel->message().toStdString();
  ASSERT_EQ(w.state().segmentations().size(), 1u);
  ASSERT_EQ(w.state().segmentations().front().segmentation->segments().size(), 1u);
  EXPECT_NE(w.state().segmentations().front().segmentation->mask(0), first);

  // The lesion, drawn on the PET (its voxel centres within 7.5 mm of (-50, -5, 0)), made active.
  const auto& d = v.dims();
  std::vector<uint8_t> lesion(static_cast<size_t>(v.voxelsPerPhase()), 0);
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        lesion[static_cast<size_t>(i)] = norm(v.geometry.worldAt(double(x), double(y), double(z)) - Vec3{-50, -5, 0}) <= 7.5;
  Segment meta;
  meta.name = "Lesion 1";
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(v));
  ASSERT_TRUE(seg->addSegment(meta, lesion.data()).ok());
  auto index = w.state().addSegmentation(seg, pet, "lesion");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  panel->refreshStats();
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent() && panel->statsText().contains("PERCIST"); }, 10000))
      << panel->statsText().toStdString();
  text = panel->statsText();
  const double suvPeak = test::numberAfter(text, "SUVpeak ");
  ASSERT_GT(suvPeak, 2.0) << text.toStdString();
  const double sulPeak = suvPeak * 0.774449;  // by hand, above
  EXPECT_NEAR(test::numberAfter(text, "SULpeak "), sulPeak, 0.006) << text.toStdString();
  EXPECT_TRUE(text.contains(sulPeak >= 2.3233 ? "PERCIST measurable: SULpeak" : "PERCIST not measurable: SULpeak"))
      << text.toStdString();
  EXPECT_GT(sulPeak, 2.3233) << "a lesion of SUV 8 over a liver of 2 is measurable";
  test::saveTour(&w, "percist_liver_reference");
}

// Where the liver is abnormal: Blood pool ref. puts PERCIST's 1 x 2 cm cylinder in the demo's aorta
// (an 11 mm disc about (15, 22) along z, SUV 1.6: docs/demo.md), of type Aorta. By hand: SULmean
// 1.6 x 0.774449 = 1.23912, SD 0, threshold 2.0 x 1.23912 = 2.47824; pi 5^2 20 = 1.571 mL.
TEST(SegPercistGui, TheBloodPoolReferenceInTheAortaReadsTwiceItsMean) {
  test::TempDir tmp("cvx_gui_percist_blood");
  ASSERT_TRUE(test::writeDemoPetCt(tmp.path()));
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, tmp.path()));
  const int pet = test::layerOfModality(w.state(), "PT");
  ASSERT_GE(pet, 0);
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto* bloodRef = panel->findChild<QPushButton*>("segBloodPoolRef");
  ASSERT_NE(bloodRef, nullptr);
  w.state().setCursor({15, 22, -30});
  QTest::mouseClick(bloodRef, Qt::LeftButton);
  ASSERT_EQ(w.state().segmentations().size(), 1u) << panel->message().toStdString();
  EXPECT_TRUE(panel->message().startsWith("Blood pool reference placed")) << panel->message().toStdString();
  const view::SegmentationLayer& sl = w.state().segmentations().front();
  EXPECT_EQ(sl.layer, pet);
  const Segment& ref = sl.segmentation->segments().front();
  EXPECT_EQ(ref.name, "Blood pool reference");
  EXPECT_EQ(ref.type.value, "15825003");
  // The PET's 2 x 2 x 4 mm voxels: the disc of 5 mm holds few of them; its volume within a voxel's
  // worth of rings and slices.
  EXPECT_GT(sl.segmentation->volumeMl(0), 0.5 * M_PI * 25 * 20 / 1000);
  EXPECT_LT(sl.segmentation->volumeMl(0), 2.0 * M_PI * 25 * 20 / 1000);
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent() && panel->statsText().contains("PERCIST"); }, 10000))
      << panel->statsText().toStdString();
  const QString text = panel->statsText();
  const QString percist = text.mid(text.indexOf("blood pool reference:"));
  ASSERT_FALSE(percist.isEmpty()) << text.toStdString();
  EXPECT_NEAR(test::numberAfter(percist, "SULmean "), 1.23912, 0.006) << text.toStdString();
  EXPECT_NEAR(test::numberAfter(percist, "SD "), 0.0, 0.006) << text.toStdString();
  EXPECT_NEAR(test::numberAfter(percist, "threshold "), 2.47824, 0.006) << text.toStdString();
}
