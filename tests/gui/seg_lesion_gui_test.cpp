// SPDX-License-Identifier: MIT
// The lesion plugin from the Segments dock on the demo PET/CT: "on PT" runs it on the PET, the seed
// is the cursor's PET voxel, the background is typed in SUV, and the result is a segment on the
// PET's grid equal to the region this file grows itself (26-connected PET voxels at or above
// background + 41 % x (hottest - background), from the hottest voxel near the cursor); the dock's
// SUVmax is that voxel's; saved as a SEG of the PET, it opens again over the PET. Undo removes it.
#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QRegularExpression>
#include <QTest>

#include <cstring>

#include <cvx/io/seg.h>
#include <cvx/viewstate/seg_report.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/seg_run.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;


TEST(SegLesionGui, OnThePetTheLesionIsTheRegionAboveItsFractionOfTheHottestVoxel) {
  CVX_REQUIRE_FOLDER("pet_ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("pet_ct")));
  const int pet = test::layerOfModality(w.state(), "PT");
  ASSERT_GT(pet, 0) << "the CT is the reference, the PET another layer";
  const view::Layer& layer = w.state().layers()[static_cast<size_t>(pet)];
  const double suv = layer.mapping.unitScale;
  ASSERT_GT(suv, 0);
  const Volume& v = *layer.volume;
  const auto& d = v.dims();
  // The hottest PET voxel of the CT's field of view (the CT is cropped about the tumour), its value.
  double top = 0;
  const std::array<int64_t, 3> hot = test::hottestInReference(w.state(), v, top);
  ASSERT_GE(hot[0], 0);
  ASSERT_GT(top * suv, 2.5) << "an FDG-avid tumour";

  w.findChild<QAction*>("showSegments")->trigger();
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  ASSERT_NE(run, nullptr);
  ASSERT_TRUE(run->choose("lesion")) << run->message().toStdString();
  auto* input = w.findChild<QComboBox*>("segInput");
  ASSERT_NE(input, nullptr);
  EXPECT_FALSE(input->isHidden()) << "a PET/CT offers both series";
  ASSERT_TRUE(run->chooseInput("PT"));
  auto* background = w.findChild<QDoubleSpinBox*>("param_background");
  ASSERT_NE(background, nullptr);
  EXPECT_TRUE(background->suffix().contains("SUVbw")) << background->suffix().toStdString();

  // What was typed stays while the series changes, but a value in the series' units starts again.
  auto* fraction = w.findChild<QDoubleSpinBox*>("param_fraction");
  ASSERT_NE(fraction, nullptr);
  fraction->setValue(50);
  w.findChild<QDoubleSpinBox*>("param_background")->setValue(1.5);
  ASSERT_TRUE(run->chooseInput("CT"));
  EXPECT_EQ(w.findChild<QDoubleSpinBox*>("param_fraction")->value(), 50);
  EXPECT_TRUE(w.findChild<QDoubleSpinBox*>("param_background")->suffix().contains("HU"));
  EXPECT_EQ(w.findChild<QDoubleSpinBox*>("param_background")->value(), 0) << "1.5 SUV is no HU";
  ASSERT_TRUE(run->chooseInput("PT"));
  run->setField("fraction", 41);
  background = w.findChild<QDoubleSpinBox*>("param_background");

  // A cursor beyond the PET's field of view (unsnapped, as in an oblique view; here the CT lies
  // inside the PET): refused with a code, nothing run.
  w.state().setSnapping(false);
  w.state().setCursor(v.geometry.worldFromVoxel().applyPoint({-3.0, static_cast<double>(hot[1]), static_cast<double>(hot[2])}));
  run->run();
  EXPECT_FALSE(run->running());
  EXPECT_TRUE(run->message().contains("viewer.seed_outside")) << run->message().toStdString();
  w.state().setSnapping(true);

  // The cursor one PET voxel beside the hottest: the plugin finds it within its 10 mm.
  w.state().setCursor(v.geometry.worldFromVoxel().applyPoint(
      {static_cast<double>(hot[0] + 1), static_cast<double>(hot[1]), static_cast<double>(hot[2])}));
  const double bgSuv = 0.5;
  run->setField("background", bgSuv);
  ASSERT_TRUE(test::runToEnd(run));
  const auto [index, segment] = w.state().activeSegment();
  ASSERT_GE(index, 0);
  const view::SegmentationLayer& sl = w.state().segmentations()[static_cast<size_t>(index)];
  EXPECT_EQ(sl.layer, pet) << "a segment on the PET's grid";
  const Segmentation& seg = *sl.segmentation;
  ASSERT_EQ(seg.dims()[0], d[0]);
  EXPECT_EQ(seg.segments()[static_cast<size_t>(segment)].algorithmName, "lesion");
  const double bg = bgSuv / suv;  // Bq/ml
  const std::vector<uint8_t> expected = test::grownRegion(v, hot, bg + 0.41 * (top - bg));
  const std::vector<uint8_t> got = seg.mask(static_cast<size_t>(segment));
  const int64_t n = std::count(expected.begin(), expected.end(), 1);
  EXPECT_GT(n, 8) << "a lesion, not a voxel";
  EXPECT_LT(n, v.voxelsPerPhase() / 100) << "a lesion, not the body";
  EXPECT_EQ(got, expected);
  const std::vector<uint8_t> wider = test::grownRegion(v, hot, 0.41 * top);  // without the background: a lower threshold
  EXPECT_GT(std::count(wider.begin(), wider.end(), 1), n) << "the background was applied, in Bq/ml";

  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  panel->refreshStats();  // computed on a worker: the text follows when the figures are in
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent(); }, 10000));
  const QString text = panel->statsText();
  const int k = text.indexOf("SUVmax ");
  ASSERT_GE(k, 0) << text.toStdString();
  EXPECT_NEAR(text.mid(k + 7).section(QRegularExpression("[,; ]"), 0, 0).toDouble(), top * suv, 0.006)
      << text.toStdString();
  // The segments' table (seg_report.h) reads the same uptake on the PET's own grid.
  const auto rows = view::segmentReport(w.state());
  ASSERT_FALSE(rows.empty());
  ASSERT_TRUE(rows.back().pet.has_value());
  EXPECT_NEAR(rows.back().pet->suvMax, top * suv, 1e-3);
  EXPECT_EQ(rows.back().modality, "PT");
  EXPECT_EQ(rows.back().units, "SUVbw");
  QTest::qWait(200);
  test::saveTour(&w, "pet_ct_lesion");

  // Saved as a DICOM SEG of the PET, and opened again: onto the PET's layer, voxel for voxel.
  const std::string path = (test::appDataDir() + "/lesion_seg.dcm").toStdString();
  ASSERT_TRUE(io::writeSeg(seg, v, path).ok());
  const size_t before = w.state().segmentations().size();
  ASSERT_TRUE(viewer::openSegmentation(w.state(), path).ok());
  ASSERT_EQ(w.state().segmentations().size(), before + 1);
  const view::SegmentationLayer& opened = w.state().segmentations().back();
  EXPECT_EQ(opened.layer, pet) << "a SEG of the PET opens over the PET";
  ASSERT_EQ(opened.segmentation->segments().size(), seg.segments().size());
  EXPECT_EQ(opened.segmentation->mask(static_cast<size_t>(segment)), expected);

  const size_t count = seg.segments().size();
  ASSERT_TRUE(w.editing()->undo());
  EXPECT_EQ(seg.segments().size(), count - 1) << "undo removes the lesion";
}

// A lesion on the PET's grid is journaled like any edit: after a session that ends as in a crash,
// the next one, with the CT and the PET open, recovers it over the PET's layer (the CT's grid
// refuses it), voxel for voxel.
TEST(SegLesionGui, ALesionOnThePetIsRecoveredOverThePetAfterACrash) {
  CVX_REQUIRE_FOLDER("pet_ct");
  std::shared_ptr<const Volume> ct, pt;
  std::vector<uint8_t> lesion;
  {
    auto w = std::make_unique<MainWindow>();
    ASSERT_TRUE(test::showAndOpen(*w, 1280, 860, test::dataPath("pet_ct")));
    ASSERT_EQ(w->state().layers().size(), 2u);
    ct = w->state().layers()[0].volume;
    pt = w->state().layers()[1].volume;
    ASSERT_EQ(pt->info.modality, "PT");
    w->findChild<QAction*>("showSegments")->trigger();
    auto* run = w->findChild<viewer::SegRunPanel*>("segRunPanel");
    ASSERT_TRUE(run->choose("lesion"));
    ASSERT_TRUE(run->chooseInput("PT"));
    run->setField("search_mm", 50);  // from the CT's centre, the tumour's hottest voxel
    ASSERT_TRUE(test::runToEnd(run));
    const auto [index, segment] = w->state().activeSegment();
    ASSERT_GE(index, 0);
    ASSERT_EQ(w->state().segmentations()[static_cast<size_t>(index)].layer, 1);
    lesion = w->state().segmentations()[static_cast<size_t>(index)].segmentation->mask(static_cast<size_t>(segment));
    ASSERT_GT(std::count(lesion.begin(), lesion.end(), 1), 8);
    w->editing()->abandonForTest();  // the window goes as in a crash: the journal stays
  }
  view::ViewerState next;
  next.addLayer(ct);
  next.addLayer(pt);
  viewer::SegEditing recovering(next, (test::appDataDir() + "/segmentations").toStdString());
  ASSERT_EQ(recovering.pending().size(), 1u);
  auto n = recovering.recoverPending();
  ASSERT_TRUE(n.ok()) << n.error().str();
  EXPECT_EQ(*n, 1);
  ASSERT_EQ(next.segmentations().size(), 1u);
  EXPECT_EQ(next.segmentations()[0].layer, 1) << "over the PET";
  const Segmentation& back = *next.segmentations()[0].segmentation;
  ASSERT_EQ(back.segments().size(), 1u);
  EXPECT_EQ(back.segments()[0].algorithmName, "lesion");
  EXPECT_EQ(back.mask(0), lesion);
  EXPECT_TRUE(recovering.pending().empty());
}
