// SPDX-License-Identifier: MIT
// The threshold preview on the PET of a PET/CT shows in the 3D view too (fusion off): the PET's
// voxels in the range, in the preview's yellow, over the CT's bone. Counted in the 3D view's picture:
// no yellow before the preview (the bone preset draws none), some while it is on, more for a wider
// range (a lower floor), none again once it is off.
#include <gtest/gtest.h>

#include <QAction>
#include <QCheckBox>
#include <QTest>

#include "../../viewer/src/grab_shown.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_run.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Pixels near the preview's yellow (255, 220, 0), shaded: the bone preset's ivory has far more blue.
int yellow(const QImage& im) {
  int n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      n += qRed(p) > 90 && qGreen(p) > 0.6 * qRed(p) && qBlue(p) < 0.25 * qRed(p);
    }
  return n;
}

}  // namespace

TEST(SegPreview3dGui, ThePetsThresholdPreviewShowsInThe3dView) {
  CVX_REQUIRE_FOLDER("pet_ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1400, 900, test::dataPath("pet_ct")));
  w.findChild<QAction*>("layout2x2")->trigger();
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  w.state().setFusion3d(false);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const int before = yellow(viewer::grabShown(v3d));

  w.findChild<QAction*>("showSegments")->trigger();
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  ASSERT_NE(run, nullptr);
  ASSERT_TRUE(run->choose("threshold"));
  ASSERT_TRUE(run->chooseInput("PT"));
  auto* preview = w.findChild<QCheckBox*>("segPreview");
  ASSERT_NE(preview, nullptr);
  run->setField("upper", 100);  // SUV
  run->setField("lower", 4);
  preview->setChecked(true);
  ASSERT_TRUE(w.state().thresholdPreview().on);
  EXPECT_EQ(w.state().thresholdPreview().layer, test::layerOfModality(w.state(), "PT"));
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const int hot = yellow(viewer::grabShown(v3d));
  run->setField("lower", 2);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const int wider = yellow(viewer::grabShown(v3d));
  test::saveTour(&w, "pet_ct_threshold_preview_3d");
  preview->setChecked(false);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const int after = yellow(viewer::grabShown(v3d));

  EXPECT_LT(before, 20) << "the bone preset draws no yellow";
  EXPECT_GT(hot, before + 200) << "the tumour above SUV 4 in yellow";
  EXPECT_GT(wider, hot) << "more of the PET above SUV 2";
  EXPECT_LT(after, 20) << "the preview is gone";
}
