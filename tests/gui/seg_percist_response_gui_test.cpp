// SPDX-License-Identifier: MIT
// PERCIST's response between two PET studies in the workstation: the demo's PET/CT (baseline,
// 2025-01-02: lesion SUV 8 in a 7.5 mm ball at (-50, -5, 0) inside a liver of SUV 2) and its
// follow-up PET (writeDemoFollowUp, 2025-04-02, its own frame of reference: the lesion at SUV 4), the
// follow-up dropped into the PET view beside the CT. Each gets its liver reference (Liver ref. on the
// active view's PET at that view's cursor) and its lesion (the Lesion tool clicked in that view), and
// the dock reads the response (docs/demo.md; percist_response.h).
//
// Expected values by hand: both patients' headers give SUL = SUVbw x 0.774449 (75 kg, 1.75 m, male:
// seg_percist_gui_test.cpp), both livers SULmean 2 x 0.774449 = 1.5489, uptake 60 min on both: no
// warning. The voxels are the phantom's values (point-sampled), so the ball that gives SUVpeak holds a
// fraction f of lesion voxels and 1 - f of liver: baseline SUVpeak 2 + 6 f, follow-up 2 + 2 f with the
// same ball (the same grid, and the lesion the hottest in both), so the follow-up's SULpeak follows
// from the baseline's, and the change lies between -50 % (f = 1) and -33 % (f = 1/2): PMR.
#include <gtest/gtest.h>

#include <filesystem>

#include <QAction>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

#include <cvx/demo/demo.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/seg_run.h"
#include "../../viewer/src/series_list.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

viewer::PlaneView* planeView(MainWindow& w, int view) {
  for (viewer::PlaneView* v : w.viewports()->views())
    if (v->isVisible() && v->viewIndex() == view) return v;
  return nullptr;
}

// The view's cursor put at `world` (its own, for a view of another frame), then a left click there.
void clickAt(MainWindow& w, int view, Vec3 world) {
  w.state().setCursor(world, view);
  QTest::qWait(50);
  viewer::PlaneView* v = planeView(w, view);
  ASSERT_NE(v, nullptr);
  const auto px = w.state().pixelFrame(view, v->width(), v->height()).pixelOf(world);
  QTest::mouseClick(v, Qt::LeftButton, Qt::NoModifier,
                    QPoint(static_cast<int>(std::lround(px[0])), static_cast<int>(std::lround(px[1]))));
}

}  // namespace

TEST(SegPercistResponseGui, TwoStudiesEachWithItsReferenceAndLesionReadAsAPartialResponse) {
  test::TempDir tmp("cvx_gui_percist_response");
  ASSERT_TRUE(test::writeDemoPetCt(tmp.path(), true));
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1400, 900, tmp.path()));
  view::ViewerState& s = w.state();
  ASSERT_EQ(s.layers().front().volume->info.studyDate, "20250102") << "the baseline's CT is hung";
  const int basePet = test::layerOfModality(s, "PT");
  ASSERT_GE(basePet, 0);
  ASSERT_EQ(s.layers()[static_cast<size_t>(basePet)].volume->info.studyDate, "20250102");

  // The follow-up PET dropped into the PET's view (view 1): another frame, unlinked.
  auto* list = w.findChild<viewer::SeriesList*>();
  ASSERT_NE(list, nullptr);
  int row = -1;
  for (int r = 0; r < list->count(); ++r)
    if (list->item(r)->text().contains("follow-up")) row = r;
  ASSERT_GE(row, 0);
  EXPECT_TRUE(list->item(row)->text().endsWith("2025-04-02")) << "two studies: each series dated";
  EXPECT_TRUE(list->item(0)->text().endsWith("2025-01-02")) << list->item(0)->text().toStdString();
  auto* grid = w.findChild<viewer::ViewportGrid*>();
  ASSERT_NE(grid, nullptr);
  emit grid->seriesDropped(1, row);
  const int fuPet = s.viewLayer(1);
  ASSERT_GT(fuPet, basePet);
  const Volume& fu = *s.layers()[static_cast<size_t>(fuPet)].volume;
  ASSERT_EQ(fu.info.studyDate, "20250402");
  ASSERT_TRUE(QTest::qWaitFor([&] { return fu.sliceReady(fu.dims()[2] - 1) && fu.sliceReady(0); }, 20000));
  EXPECT_EQ(s.linkOf(1), view::LinkKind::Unlinked);

  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto* liverRef = panel->findChild<QPushButton*>("segLiverRef");
  auto* lesionTool = w.findChild<QAction*>("toolLesion");
  auto* navigate = w.findChild<QAction*>("toolNavigate");
  ASSERT_TRUE(liverRef && lesionTool && navigate);
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  ASSERT_NE(run, nullptr);
  const Vec3 liver{-45, -5, -30}, lesion{-49, -5, 2};  // a PET voxel centre 2.2 mm from the lesion's
  // The lesions above the liver's SUV 2 (docs/segmentation.md, "PERCIST response"): T = 2 + 41 % x
  // (peak - 2), 4.46 and 2.82 SUVbw, both between the liver and the lesion. Typed once on the
  // baseline's PET, kept as shown when the tool turns the form to the follow-up's (both in SUVbw).
  ASSERT_TRUE(run->choose("lesion"));
  ASSERT_TRUE(run->chooseLayer(basePet));
  run->setField("background", 2.0);
  std::vector<std::vector<uint8_t>> masks;

  // Each study: its liver reference from its own view, then the Lesion tool clicked on its lesion.
  for (const auto& [view, pet] : {std::pair{0, basePet}, std::pair{1, fuPet}}) {
    SCOPED_TRACE(view);
    navigate->trigger();
    clickAt(w, view, liver);  // the active view
    QTest::mouseClick(liverRef, Qt::LeftButton);
    EXPECT_TRUE(panel->message().startsWith("Liver reference placed")) << panel->message().toStdString();
    ASSERT_EQ(s.segmentations().back().layer, pet) << "on the PET of the clicked view's study";
    const size_t before = s.segmentations().back().segmentation->segments().size();
    lesionTool->trigger();
    clickAt(w, view, lesion);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return !run->running() && s.segmentations().back().segmentation->segments().size() > before; }, 60000))
        << run->message().toStdString();
    const auto [i, k] = s.activeSegment();
    EXPECT_EQ(s.segmentations()[static_cast<size_t>(i)].layer, pet) << "the lesion lies on that study's PET";
    EXPECT_EQ(s.segmentations()[static_cast<size_t>(i)].segmentation->segments()[static_cast<size_t>(k)].type.value,
              "108369006");
    masks.push_back(s.segmentations()[static_cast<size_t>(i)].segmentation->mask(static_cast<size_t>(k)));
  }
  // The table tells the two studies' segments apart: each name's tooltip dates its series.
  EXPECT_TRUE(panel->table()->item(1, 0)->toolTip().endsWith("(2025-01-02)")) << panel->table()->item(1, 0)->toolTip().toStdString();
  EXPECT_TRUE(panel->table()->item(3, 0)->toolTip().endsWith("(2025-04-02)")) << panel->table()->item(3, 0)->toolTip().toStdString();
  // The same ball on the same grid in both studies: the same voxels, the lesion's alone (not the liver).
  ASSERT_EQ(masks.size(), 2u);
  EXPECT_EQ(masks[0], masks[1]);
  const int64_t n = std::count(masks[1].begin(), masks[1].end(), 1);
  EXPECT_GT(n, 20);
  EXPECT_LT(n, 1.5 * 4.0 / 3.0 * M_PI * 7.5 * 7.5 * 7.5 / 16.0) << "about the 7.5 mm ball's 110 PET voxels of 16 mm^3";

  auto* response = panel->findChild<QWidget*>("segPercistResponse");
  ASSERT_NE(response, nullptr);
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent() && panel->responseText().contains("target"); }, 20000))
      << panel->responseText().toStdString();
  EXPECT_TRUE(response->isVisible());
  const QString text = panel->responseText();
  EXPECT_TRUE(text.startsWith("PERCIST response 2025-04-02 vs 2025-01-02: PMR")) << text.toStdString();
  const double base = test::numberAfter(text, "target SULpeak "), follow = test::numberAfter(text, "-> ");
  const double f = (base / 0.774449 - 2) / 6;  // the peak ball's lesion fraction, from the baseline
  EXPECT_GT(f, 0.5) << text.toStdString();
  EXPECT_LE(f, 1.0 + 1e-3) << text.toStdString();
  EXPECT_NEAR(follow, (2 + 2 * f) * 0.774449, 0.006) << text.toStdString();
  const double change = test::numberAfter(text, "): ", text.indexOf("->"));
  EXPECT_NEAR(change, std::round(100 * (follow - base) / base), 1.0) << text.toStdString();
  EXPECT_LE(change, -30) << text.toStdString();
  EXPECT_FALSE(text.contains("percist.liver_changed")) << "both livers read SULmean 1.5489";
  EXPECT_FALSE(text.contains("percist.uptake_time")) << "both scans 60 min after the injection";

  // New lesions: judged by eye while the studies are unlinked. Linked on the same anatomy (the
  // follow-up's phantom lies where the baseline's does: an offset under a CT voxel, the reference
  // cursor snapping to its grid), its lesion matches the baseline's,
  // none is new and PMR stands. Linked 100 mm off, the follow-up's lesion lies 100 mm from the
  // baseline's (beyond 15 mm and both 7.5 mm radii): new, PMD. The dock follows each link.
  EXPECT_TRUE(text.contains("the studies' frames of reference are not linked")) << text.toStdString();
  s.setCursor(lesion, 0);
  s.setCursor(lesion, 1);
  w.findChild<QAction*>("linkByOffset")->trigger();
  ASSERT_EQ(s.linkOf(1), view::LinkKind::ManualOffset);
  EXPECT_TRUE(QTest::qWaitFor([&] { return panel->responseText().contains("no measurable follow-up lesion is new"); }, 5000))
      << panel->responseText().toStdString();
  EXPECT_TRUE(panel->responseText().startsWith("PERCIST response 2025-04-02 vs 2025-01-02: PMR"));
  test::saveTour(&w, "percist_response");
  s.linkFrameByOffset(fu.info.frameOfReferenceUid, {100, 0, 0});
  EXPECT_TRUE(QTest::qWaitFor([&] { return panel->responseText().contains("new lesion: "); }, 5000))
      << panel->responseText().toStdString();
  const QString moved = panel->responseText();
  EXPECT_TRUE(moved.startsWith("PERCIST response 2025-04-02 vs 2025-01-02: PMD")) << moved.toStdString();
  EXPECT_NEAR(test::numberAfter(moved, "SULpeak ", moved.indexOf("new lesion: ")), follow, 0.006) << moved.toStdString();
  EXPECT_NEAR(test::numberAfter(moved, ", ", moved.indexOf("new lesion: ")), 100, 3) << moved.toStdString();
}
