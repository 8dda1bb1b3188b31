// SPDX-License-Identifier: MIT
// PET/CT fused in the 3D view, through the real main window under Xvfb: the pair (pet_ct/: one
// frame of reference) in 2x2 shows the CT's bone with the PET's FDG-avid tumour in hot iron (SUVbw
// points, tf_presets.h "units") in one rendering; the key F (and "Fuse 3D" with it) turns the PET
// off and on; the fused preset chosen in the toolbar replaces hot iron, "auto" brings it back; a
// hidden PET layer is not fused.
#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolBar>
#include <QTest>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/tf_editor.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

#include <cvx/viewstate/tf_presets.h>

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
  ASSERT_TRUE(test::refined(v3d));
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
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const int alone = hotIron(cvx::viewer::grabShown(v3d));
  EXPECT_LT(alone, fused / 10) << "hot iron without the PET";
  fuse->trigger();  // back on
  EXPECT_TRUE(state.fusion3d());
  ASSERT_TRUE(test::refined(v3d));
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
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  EXPECT_LT(hotIron(cvx::viewer::grabShown(v3d)), fused / 10) << "the PET drawn with the bone preset";
  state.setFusedPreset3d("");  // from the state (a session): the menu follows
  EXPECT_TRUE(autoPreset->isChecked());
  ASSERT_TRUE(test::refined(v3d));
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

// The transfer-function editor edits the fused layer too: its target box appears while a layer is
// fused; on "Fused PT" it shows the PET's hot iron in Bq/ml over the PET's own histogram, a drag
// edits the layer's preset (the CT's untouched) and the 3D view draws it; Revert brings the file's
// picture back; without a fused layer the box hides and the editor edits the volume.
TEST(Fusion3dGui, TheEditorEditsTheFusedLayersTransferFunction) {
  CVX_REQUIRE_FOLDER("pet_ct");
  const QTemporaryDir home;  // the user's presets, saved below
  ASSERT_TRUE(home.isValid());
  const QByteArray oldHome = qgetenv("XDG_DATA_HOME");
  qputenv("XDG_DATA_HOME", home.path().toUtf8());
  struct Restore {
    QByteArray v;
    ~Restore() { v.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", v); }
  } restore{oldHome};
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1400, 960, test::dataPath("pet_ct")));
  w.findChild<QAction*>("layout2x2")->trigger();
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  auto& state = w.state();
  ASSERT_EQ(state.fusedLayer3d(), 1);
  auto* button = w.findChild<QAction*>("editTransferFunction");
  ASSERT_NE(button, nullptr);
  button->trigger();
  auto* ed = w.findChild<viewer::TfEditor*>("tfEditor");
  ASSERT_NE(ed, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(ed));
  auto* target = ed->findChild<QComboBox*>("tfTarget");
  ASSERT_NE(target, nullptr);
  EXPECT_TRUE(target->isVisible());
  EXPECT_FALSE(ed->editsFusedLayer());
  EXPECT_EQ(ed->edit().points()[2].value, 300);  // ct-bone
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage before = cvx::viewer::grabShown(v3d);
  const int fused = hotIron(before);

  target->setCurrentIndex(1);
  EXPECT_EQ(target->currentText(), "Fused PT");
  ASSERT_TRUE(ed->editsFusedLayer());
  const Volume& pet = *state.layers()[1].volume;
  auto hot = view::loadTransferPreset("pet-hot-iron");
  ASSERT_TRUE(hot.ok());
  auto bq = view::editablePreset(*hot, pet);
  ASSERT_TRUE(bq.ok());
  ASSERT_EQ(ed->edit().size(), static_cast<int>(bq->points.size()));
  for (int i = 0; i < ed->edit().size(); ++i) EXPECT_EQ(ed->edit().points()[i].value, bq->points[i].value) << i;
  EXPECT_GT(bq->points.back().value, 1000);  // 10 SUVbw in Bq/ml, not in SUV
  const auto& h = ed->histogram();  // every PET voxel
  int64_t total = h.below + h.above;
  for (int64_t c : h.counts) total += c;
  EXPECT_EQ(total, pet.dims()[0] * pet.dims()[1] * pet.dims()[2]);

  // Point 2 (2.5 SUV, alpha 0.05) up to alpha 1: the PET's faint uptake turns opaque.
  view::TfPlot pl = ed->plot();
  const TfPoint p2 = ed->edit().points()[2];
  const QPoint from(static_cast<int>(std::lround(pl.xOf(p2.value))), static_cast<int>(std::lround(pl.yOf(p2.alpha))));
  const QPoint to(from.x(), static_cast<int>(std::lround(pl.yOf(1.0))));
  QTest::mousePress(ed->canvas(), Qt::LeftButton, Qt::NoModifier, from);
  QTest::mouseMove(ed->canvas(), to);
  QTest::mouseRelease(ed->canvas(), Qt::LeftButton, Qt::NoModifier, to);
  const view::TransferPreset* edited = state.editedFusedPreset3d();
  ASSERT_NE(edited, nullptr);
  EXPECT_NEAR(edited->points[2].alpha, 1.0, 1.0 / pl.height);
  EXPECT_NEAR(edited->points[2].value, p2.value, (pl.hi - pl.lo) / pl.width);
  EXPECT_EQ(state.editedPreset3d(), nullptr);  // the CT's preset untouched
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage after = cvx::viewer::grabShown(v3d);
  test::saveTour(&w, "petct_tf_editor_fused");
  EXPECT_GT(test::differingPixels(before, after, 16), before.width() * int64_t{before.height()} / 200);
  EXPECT_TRUE(v3d->headerText().contains("(edited)")) << v3d->headerText().toStdString();

  // Back to the volume: the CT's bone points; the layer's edit stays drawn.
  target->setCurrentIndex(0);
  EXPECT_EQ(ed->edit().points()[2].value, 300);
  EXPECT_NE(state.editedFusedPreset3d(), nullptr);
  // Revert on the layer: the file's hot iron and the picture before.
  target->setCurrentIndex(1);
  auto* revert = ed->findChild<QPushButton*>("tfRevert");
  ASSERT_NE(revert, nullptr);
  revert->click();
  EXPECT_EQ(state.editedFusedPreset3d(), nullptr);
  EXPECT_EQ(ed->edit().points()[2].alpha, bq->points[2].alpha);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  EXPECT_EQ(hotIron(cvx::viewer::grabShown(v3d)), fused);
  // Saved as the user's preset, it becomes the layer's, listed and checked in the 3D menu.
  ASSERT_TRUE(ed->saveAsPreset("PET faint uptake").ok());
  EXPECT_EQ(state.fusedPreset3d(), "pet-faint-uptake");
  EXPECT_EQ(state.preset3d(), "ct-bone");
  auto* fusedMenu = w.findChild<QMenu*>("fusedPreset3d");
  ASSERT_NE(fusedMenu, nullptr);
  int checked = 0;
  for (QAction* a : fusedMenu->actions()) checked += a->isChecked() && a->data().toString() == "pet-faint-uptake";
  EXPECT_EQ(checked, 1);
  // No fused layer: the box hides and the editor edits the volume.
  state.setFusion3d(false);
  EXPECT_FALSE(target->isVisible());
  EXPECT_FALSE(ed->editsFusedLayer());
  EXPECT_EQ(ed->edit().points()[2].value, 300);
}
