// SPDX-License-Identifier: MIT
// Hanging protocols, dropping a series onto a viewport and a corrupt study database, through the
// real main window under Xvfb. Expected layouts are issue 10's (CT 2x2, MR 1x3, PET/CT side by
// side); expected values come from the files.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include "../../viewer/src/browser.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/study_model.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

bool openAndWait(MainWindow& w, const std::string& folder) {
  QSignalSpy loaded(&w, &MainWindow::loadsFinished);
  w.openPath(QString::fromStdString(test::dataPath(folder)));
  return QTest::qWaitFor([&] { return loaded.count() > 0; }, 120000) && loaded.front().front().toString().isEmpty();
}

}  // namespace

// PET/CT (pet_ct/: one FrameOfReferenceUID): CT and PET side by side, both axial, linked; the PET
// opens in SUVbw. Dropping the CT onto the PET's viewport shows the CT there.
TEST(HangingGui, PetCtHangsSideBySideAndADroppedSeriesReplacesAViewport) {
  CVX_REQUIRE_FOLDER("pet_ct");
  test::freshUserFolders();
  MainWindow w;
  w.resize(1400, 900);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  ASSERT_TRUE(openAndWait(w, "pet_ct"));
  auto& state = w.state();
  EXPECT_EQ(w.protocolName(), "PET/CT side by side");
  ASSERT_EQ(state.viewCount(), 2);
  ASSERT_EQ(state.layers().size(), 2u);
  const auto& ctLayer = state.layers()[static_cast<size_t>(state.viewLayer(0))];
  const auto& petLayer = state.layers()[static_cast<size_t>(state.viewLayer(1))];
  EXPECT_EQ(ctLayer.volume->info.modality, "CT");
  EXPECT_EQ(petLayer.volume->info.modality, "PT");
  EXPECT_EQ(state.view(0).orientation, view::Orientation::Axial);
  EXPECT_EQ(state.view(1).orientation, view::Orientation::Axial);
  EXPECT_EQ(state.linkOf(1), view::LinkKind::Linked);
  EXPECT_EQ(petLayer.mapping.units, "SUVbw");
  EXPECT_EQ(ctLayer.mapping.source, "protocol:mediastinum");
  QTest::qWait(200);
  test::saveTour(&w, "petct_side_by_side");
  // Zoom in one, both follow (linked).
  state.zoom(0, 2);
  EXPECT_DOUBLE_EQ(state.view(1).zoom, 2);

  // Drop the CT (its row in the series list) onto the PET viewport.
  const int ctSeries = w.seriesOfLayer(state.viewLayer(0));
  auto* target = w.viewports()->views()[1];
  QMimeData mime;
  mime.setData(viewer::kSeriesMime, QByteArray::number(ctSeries));
  QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, {});
  QApplication::sendEvent(target, &enter);
  EXPECT_TRUE(enter.isAccepted());
  QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, {});
  QApplication::sendEvent(target, &drop);
  EXPECT_EQ(state.viewLayer(1), state.viewLayer(0));
}

// The sagittal T1 (MR) hangs in 1x3.
TEST(HangingGui, MrHangsInOneByThree) {
  CVX_REQUIRE_FOLDER("sagittal_t1");
  test::freshUserFolders();
  MainWindow w;
  w.resize(1400, 900);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  ASSERT_TRUE(openAndWait(w, "sagittal_t1"));
  EXPECT_EQ(w.protocolName(), "MR three planes");
  EXPECT_EQ(w.viewports()->layout().name, "1x3");
  EXPECT_EQ(w.state().viewCount(), 3);
  QTest::qWait(200);
  test::saveTour(&w, "mr_1x3");
}

// A corrupt database file is moved aside and rebuilt from the imported folders, with a message.
TEST(HangingGui, ACorruptDatabaseIsRebuiltFromTheImportedFolders) {
  CVX_REQUIRE_FOLDER("ct");
  test::freshUserFolders();
  QString dbFile;
  int series = 0;
  {
    MainWindow w;
    w.show();
    w.browser()->importPaths({QString::fromStdString(test::dataPath("ct"))});
    ASSERT_TRUE(QTest::qWaitFor([&] { return !w.browser()->importing(); }, 120000));
    series = w.browser()->database()->seriesCount();
    ASSERT_EQ(series, 1);
    dbFile = w.browser()->database()->filePath();
  }
  {
    QFile f(dbFile);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QByteArray(8192, 'x'));
  }
  MainWindow w;
  w.show();
  auto* message = w.findChild<QLabel*>("browserMessage");
  ASSERT_NE(message, nullptr);
  EXPECT_TRUE(message->text().contains("studydb.corrupt")) << message->text().toStdString();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !w.browser()->importing() && w.browser()->database()->seriesCount() == series; },
                              120000));
}

// A series over the memory budget is refused before loading with io.over_budget, and the window
// offers the least reduction that fits; taking it loads every 2nd voxel and slice (ct/: 512 x 512
// x 134 int16 is 70 MB, over a 60 MiB budget once the decode scratch counts; 256 x 256 x 67 fits).
TEST(HangingGui, ASeriesOverTheMemoryBudgetIsRefusedAndLoadsReducedOnRequest) {
  CVX_REQUIRE_FOLDER("ct");
  test::freshUserFolders();
  QSettings().setValue("memory/budgetMiB", 60);
  MainWindow w;
  w.show();
  QSignalSpy loaded(&w, &MainWindow::loadsFinished);
  w.openPath(QString::fromStdString(test::dataPath("ct")));
  ASSERT_TRUE(QTest::qWaitFor([&] { return loaded.count() > 0; }, 60000));
  EXPECT_TRUE(loaded.front().front().toString().startsWith("io.over_budget")) << loaded.front().front().toString().toStdString();
  EXPECT_TRUE(w.state().layers().empty());
  auto* reduce = w.findChild<QPushButton*>("loadReduced");
  ASSERT_NE(reduce, nullptr);
  ASSERT_TRUE(reduce->isVisible());
  EXPECT_TRUE(reduce->text().contains("1/2")) << reduce->text().toStdString();
  loaded.clear();
  QTest::mouseClick(reduce, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return loaded.count() > 0; }, 60000));
  EXPECT_TRUE(loaded.front().front().toString().isEmpty()) << loaded.front().front().toString().toStdString();
  ASSERT_EQ(w.state().layers().size(), 1u);
  const auto& d = w.state().layers()[0].volume->dims();
  EXPECT_EQ(d[0], 256);
  EXPECT_EQ(d[1], 256);
  EXPECT_EQ(d[2], 67);
  QSettings().remove("memory/budgetMiB");
}

// The toolbar's slab boxes show the active view's slab: chosen in the box, it is that view's; another
// view shows its own (thin: the mode disabled); a slab set from elsewhere (a session, a script) with a
// width not in the list shows as that width, its mode with it.
TEST(HangingGui, TheSlabBoxesFollowTheActiveView) {
  CVX_REQUIRE_FOLDER("sagittal_t1");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1400, 900, test::dataPath("sagittal_t1")));
  auto& state = w.state();
  ASSERT_EQ(state.viewCount(), 3);
  auto* slab = w.findChild<QComboBox*>("slab");
  auto* mode = w.findChild<QComboBox*>("slabMode");
  ASSERT_NE(slab, nullptr);
  ASSERT_NE(mode, nullptr);
  auto activate = [&](int v) { emit w.viewports()->views()[static_cast<size_t>(v)]->activated(); };
  activate(0);
  EXPECT_FALSE(mode->isEnabled());
  const int ten = slab->findData(10.0);
  ASSERT_GE(ten, 0);
  slab->setCurrentIndex(ten);
  emit slab->activated(ten);
  EXPECT_DOUBLE_EQ(state.view(0).slabMm, 10);
  EXPECT_TRUE(mode->isEnabled());

  activate(1);
  EXPECT_DOUBLE_EQ(slab->currentData().toDouble(), 0);
  EXPECT_FALSE(mode->isEnabled());
  EXPECT_DOUBLE_EQ(state.view(1).slabMm, 0);

  state.setSlab(1, 7, view::SlabMode::MinIp);
  EXPECT_DOUBLE_EQ(slab->currentData().toDouble(), 7);
  EXPECT_TRUE(slab->currentText().contains("7")) << slab->currentText().toStdString();
  EXPECT_EQ(mode->currentData().toInt(), int(view::SlabMode::MinIp));
  EXPECT_TRUE(mode->isEnabled());
  for (int i = 1; i < slab->count(); ++i)  // the added width sits in order
    EXPECT_LT(slab->itemData(i - 1).toDouble(), slab->itemData(i).toDouble());

  activate(0);
  EXPECT_DOUBLE_EQ(slab->currentData().toDouble(), 10);
  EXPECT_EQ(mode->currentData().toInt(), int(view::SlabMode::Mip));
  EXPECT_DOUBLE_EQ(state.view(1).slabMm, 7);  // following never writes the state
}
