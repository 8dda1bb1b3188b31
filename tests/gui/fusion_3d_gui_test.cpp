// SPDX-License-Identifier: MIT
// PET/CT fused in the 3D view, through the real main window under Xvfb: the pair (pet_ct/: one
// frame of reference) in 2x2 shows the CT's bone with the PET's FDG-avid tumour in hot iron (SUVbw
// points, tf_presets.h "units") in one rendering; the key F (and "Fuse 3D" with it) turns the PET
// off and on; the fused preset chosen in the toolbar replaces hot iron, "auto" brings it back; a
// hidden PET layer is not fused.
#include <gtest/gtest.h>

#include <QAction>
#include <QMenu>
#include <QToolBar>
#include <QTest>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Red to orange pixels: hot iron below white, which ivory bone (red ~ green) and grey are not.
int hotIron(const QImage& im) {
  int n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      n += qRed(p) > 120 && qRed(p) > qGreen(p) + 60 && qBlue(p) < 90;
    }
  return n;
}

}  // namespace

TEST(Fusion3dGui, PetCtInTwoByTwoShowsTheTumourInHotIronOverTheBone) {
  CVX_REQUIRE_FOLDER("pet_ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1400, 900, test::dataPath("pet_ct")));
  auto* twoByTwo = w.findChild<QAction*>("layout2x2");
  ASSERT_NE(twoByTwo, nullptr);
  twoByTwo->trigger();
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  auto& state = w.state();
  ASSERT_EQ(state.layers().size(), 2u);
  EXPECT_EQ(state.layers().front().volume->info.modality, "CT");
  ASSERT_EQ(state.fusedLayer3d(), 1);
  EXPECT_EQ(state.layers()[1].volume->info.modality, "PT");
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  const int fused = hotIron(cvx::viewer::grabShown(v3d));
  test::saveTour(&w, "petct_2x2_fused_3d");
  EXPECT_GT(fused, 100) << "the PET's hot spots are not in the 3D view";

  auto* fuse = w.findChild<QAction*>("fusion3d");
  ASSERT_NE(fuse, nullptr);
  EXPECT_TRUE(fuse->isChecked());
  v3d->setFocus();
  QTest::keyClick(v3d, Qt::Key_F);  // the bone alone
  EXPECT_FALSE(state.fusion3d());
  EXPECT_FALSE(fuse->isChecked());
  EXPECT_EQ(state.fusedLayer3d(), -1);
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  const int alone = hotIron(cvx::viewer::grabShown(v3d));
  EXPECT_LT(alone, fused / 10) << "hot iron without the PET";
  fuse->trigger();  // back on
  EXPECT_TRUE(state.fusion3d());
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  EXPECT_EQ(hotIron(cvx::viewer::grabShown(v3d)), fused);

  // The fused layer's preset from the toolbar: the PET through ct-bone has no hot iron; "auto" (its
  // modality's, pet-hot-iron) draws the same picture as before.
  auto* fusedMenu = w.findChild<QMenu*>("fusedPreset3d");
  ASSERT_NE(fusedMenu, nullptr);
  QAction *bone = nullptr, *autoPreset = nullptr;
  for (QAction* a : fusedMenu->actions()) {
    if (a->data().toString() == "ct-bone") bone = a;
    if (a->data().toString().isEmpty()) autoPreset = a;
  }
  ASSERT_NE(bone, nullptr);
  ASSERT_NE(autoPreset, nullptr);
  EXPECT_TRUE(autoPreset->isChecked());
  bone->trigger();
  EXPECT_EQ(state.fusedPreset3d(), "ct-bone");
  EXPECT_TRUE(bone->isChecked());
  EXPECT_FALSE(autoPreset->isChecked());
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  EXPECT_LT(hotIron(cvx::viewer::grabShown(v3d)), fused / 10) << "the PET drawn with the bone preset";
  state.setFusedPreset3d("");  // from the state (a session): the menu follows
  EXPECT_TRUE(autoPreset->isChecked());
  ASSERT_TRUE(QTest::qWaitFor([&] { return v3d->refined(); }, 60000));
  QTest::qWait(50);
  EXPECT_EQ(hotIron(cvx::viewer::grabShown(v3d)), fused);
  // Every 3D action sits in the "3D" menu, so the view bar fits a 1280-pixel screen: nothing hides
  // behind its extension button.
  w.resize(1280, 860);
  QTest::qWait(50);
  auto* viewBar = w.findChild<QToolBar*>("viewToolbar");
  ASSERT_NE(viewBar, nullptr);
  for (QAction* a : viewBar->actions()) {
    QWidget* shown = viewBar->widgetForAction(a);
    if (a->isVisible() && !a->isSeparator()) {
      EXPECT_TRUE(shown && shown->isVisible()) << a->text().toStdString() << " is behind the toolbar's >>";
    }
  }
  state.setLayerVisible(1, false);  // a hidden layer is not fused
  EXPECT_EQ(state.fusedLayer3d(), -1);
}
