// SPDX-License-Identifier: MIT
// The reading workstation driven through the real main window under Xvfb (QTest): import the demo
// study and the real CT into the study database, find the CT in the browser, open it, scroll,
// window, measure, change the layout; restart and find it all again. State and pixels are checked;
// expected values come from the files (DCMTK) and from the documented rules, not from the viewer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QToolBar>
#include <QTreeView>

#include <cvx/demo/demo.h>
#include <cvx/studydb/tree_model.h>

#include "../../viewer/src/browser.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/viewport_grid.h"
#include "dcmtk_oracle.h"
#include "gui_test_util.h"
#include "temp_dir.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

struct CtFacts {  // read from the files with DCMTK
  std::string patientId;
  double rowSpacing = 0, colSpacing = 0, sliceStep = 0;
  int files = 0;
};

CtFacts ctFacts() {
  CtFacts f;
  std::vector<double> z;
  for (const auto& e : std::filesystem::directory_iterator(test::dataPath("ct"))) {
    if (e.path().extension() != ".dcm") continue;
    ++f.files;
    if (auto p = test::dcmtkPosition(e.path().string())) z.push_back(p->z);
    if (f.patientId.empty()) {
      DcmFileFormat ff;
      if (ff.loadFile(e.path().c_str()).good()) {
        OFString id;
        ff.getDataset()->findAndGetOFString(DCM_PatientID, id);
        f.patientId = id.c_str();
        ff.getDataset()->findAndGetFloat64(DCM_PixelSpacing, f.rowSpacing, 0);
        ff.getDataset()->findAndGetFloat64(DCM_PixelSpacing, f.colSpacing, 1);
      }
    }
  }
  std::sort(z.begin(), z.end());
  if (z.size() > 1) f.sliceStep = (z.back() - z.front()) / double(z.size() - 1);
  return f;
}

QToolBar* bar(MainWindow& w, const char* name) { return w.findChild<QToolBar*>(name); }

void trigger(MainWindow& w, const char* toolbar, const QString& action) {
  QToolBar* b = bar(w, toolbar);
  ASSERT_NE(b, nullptr) << toolbar;
  for (QAction* a : b->actions())
    if (a->objectName() == action) {
      QTest::mouseClick(b->widgetForAction(a), Qt::LeftButton);
      return;
    }
  FAIL() << "no action " << action.toStdString();
}

// The first series row of the browser's tree with this modality (the tree expanded as a reader would).
QModelIndex findSeries(QTreeView* tree, const QString& modality) {
  QAbstractItemModel* m = tree->model();
  tree->expandAll();
  QCoreApplication::processEvents();
  tree->expandAll();
  for (int p = 0; p < m->rowCount(); ++p) {
    const QModelIndex patient = m->index(p, 0);
    for (int s = 0; s < m->rowCount(patient); ++s) {
      const QModelIndex study = m->index(s, 0, patient);
      for (int r = 0; r < m->rowCount(study); ++r) {
        const QModelIndex series = m->index(r, 0, study);
        if (m->index(r, studydb::StudyTreeModel::ModalityColumn, study).data().toString() == modality) return series;
      }
    }
  }
  return {};
}

::testing::AssertionResult waitLoaded(MainWindow& w, QSignalSpy& spy, int ms = 120000) {
  auto* status = w.findChild<QLabel*>("status");
  const std::string said = status ? status->text().toStdString() : "";
  if (!QTest::qWaitFor([&] { return spy.count() > 0; }, ms))
    return ::testing::AssertionFailure() << "no load ended; status: " << (status ? status->text().toStdString() : said);
  if (!spy.front().front().toString().isEmpty())
    return ::testing::AssertionFailure() << spy.front().front().toString().toStdString();
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(Workstation, ImportFindOpenScrollWindowMeasureAndChangeLayout) {
  CVX_REQUIRE_FOLDER("ct");
  test::freshUserFolders();
  const CtFacts ct = ctFacts();
  ASSERT_EQ(ct.files, 134);
  ASSERT_FALSE(ct.patientId.empty());
  test::TempDir demo("cvx_gui_demo");
  ASSERT_TRUE(demo::writeDemoStudy(demo.path()).ok());

  int seriesInDb = 0;
  {
    MainWindow w;
    w.resize(1500, 1000);
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    auto* browser = w.browser();
    browser->importPaths({QString::fromStdString(demo.path()), QString::fromStdString(test::dataPath("ct"))});
    ASSERT_TRUE(QTest::qWaitFor([&] { return !browser->importing(); }, 180000));
    seriesInDb = browser->database()->seriesCount();
    EXPECT_GE(seriesInDb, 5);  // the demo's CT, PET, 4D, oblique phantom, MONOCHROME1 and the CT

    // Find the CT by its PatientID in the search line, open it with a double click.
    auto* search = w.findChild<QLineEdit*>("browserSearch");
    auto* tree = w.findChild<QTreeView*>("browserTree");
    ASSERT_NE(search, nullptr);
    ASSERT_NE(tree, nullptr);
    QTest::keyClicks(search, QString::fromStdString(ct.patientId));
    // One patient row, and it is the CT's (the tree may show one patient before the search applies).
    auto onlyTheCtPatient = [&] {
      QAbstractItemModel* m = tree->model();
      if (m->rowCount() != 1) return false;
      for (int c = 0; c < m->columnCount(); ++c)
        if (m->index(0, c).data().toString().contains(QString::fromStdString(ct.patientId))) return true;
      return false;
    };
    ASSERT_TRUE(QTest::qWaitFor(onlyTheCtPatient, 5000));
    const QModelIndex series = findSeries(tree, "CT");
    ASSERT_TRUE(series.isValid());
    QTest::qWait(100);
    test::saveTour(&w, "browser_search");
    QSignalSpy loaded(&w, &MainWindow::loadsFinished);
    tree->scrollTo(series);
    const QRect r = tree->visualRect(series);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, r.center());
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, r.center());
    ASSERT_TRUE(waitLoaded(w, loaded));

    // Hung by the CT protocol: 2x2 (axial, coronal, sagittal, 3D), the protocol's CT preset.
    auto& state = w.state();
    ASSERT_EQ(state.layers().size(), 1u);
    const auto& dims = state.layers()[0].volume->dims();
    EXPECT_EQ(dims[0], 512);
    EXPECT_EQ(dims[1], 512);
    EXPECT_EQ(dims[2], ct.files);
    EXPECT_EQ(w.protocolName(), "CT MPR");
    ASSERT_EQ(state.viewCount(), 3);
    ASSERT_EQ(w.viewports()->views().size(), 3u);
    EXPECT_EQ(state.layers()[0].mapping.source, "protocol:abdomen");
    QTest::qWait(300);
    test::saveTour(&w, "browser_ct_2x2");
    test::expectMatchesBaseline(w.viewports()->views()[0], "ct_2x2_axial");
    test::expectMatchesBaseline(w.viewports()->views()[1], "ct_2x2_coronal");
    test::expectMatchesBaseline(w.viewports()->views()[2], "ct_2x2_sagittal");

    // Scroll: a key, the wheel and a page move the axial plane by the files' slice step.
    auto* axial = w.viewports()->views()[0];
    axial->setFocus();
    const QImage before = cvx::viewer::grabShown(axial);
    const double z0 = state.cursor().z;
    QTest::keyClick(axial, Qt::Key_Up);
    EXPECT_NEAR(state.cursor().z - z0, ct.sliceStep, 1e-3);
    QWheelEvent wheel(QPointF(50, 50), axial->mapToGlobal(QPointF(50, 50)), {}, QPoint(0, 120), Qt::NoButton, {},
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(axial, &wheel);
    EXPECT_NEAR(state.cursor().z - z0, 2 * ct.sliceStep, 1e-3);
    QTest::keyClick(axial, Qt::Key_PageDown);
    EXPECT_NEAR(state.cursor().z - z0, -8 * ct.sliceStep, 1e-3);
    QTest::qWait(50);
    EXPECT_NE(cvx::viewer::grabShown(axial), before);  // another slice is drawn

    // Window: a 40-pixel drag to the right widens the window by 40 * W / 256 (the documented drag).
    const double w0 = state.layers()[0].mapping.width, c0 = state.layers()[0].mapping.center;
    const QPoint mid = axial->rect().center();
    const QImage beforeWindow = cvx::viewer::grabShown(axial);
    QTest::mousePress(axial, Qt::LeftButton, {}, mid);
    QTest::mouseMove(axial, mid + QPoint(40, 0));
    QTest::mouseRelease(axial, Qt::LeftButton, {}, mid + QPoint(40, 0));
    EXPECT_NEAR(state.layers()[0].mapping.width, w0 + 40 * w0 / 256, 1e-9);
    EXPECT_NEAR(state.layers()[0].mapping.center, c0, 1e-9);
    QTest::qWait(50);
    EXPECT_NE(cvx::viewer::grabShown(axial), beforeWindow);

    // Measure: a distance between two voxel centres, 100 columns and 80 rows apart, equals
    // sqrt((100 * column spacing)^2 + (80 * row spacing)^2) within half a voxel.
    state.zoom(0, 2.5);
    trigger(w, "toolsToolbar", "toolDistance");
    const Volume& vol = *state.layers()[0].volume;
    const Vec3 c = state.cursor();
    const Vec3 idx = vol.geometry.voxelFromWorld().applyPoint(c);
    const Vec3 a = vol.geometry.worldAt(idx.x - 50, idx.y - 40, idx.z), b = vol.geometry.worldAt(idx.x + 50, idx.y + 40, idx.z);
    const auto frame = state.pixelFrame(0, axial->width(), axial->height());
    const auto pa = frame.pixelOf(a), pb = frame.pixelOf(b);
    const QPoint qa(int(std::lround(pa[0])), int(std::lround(pa[1]))), qb(int(std::lround(pb[0])), int(std::lround(pb[1])));
    QTest::mousePress(axial, Qt::LeftButton, {}, qa);
    QTest::mouseMove(axial, (qa + qb) / 2);
    QTest::mouseMove(axial, qb);
    QTest::mouseRelease(axial, Qt::LeftButton, {}, qb);
    auto* set = w.tools().measurements;
    ASSERT_NE(set, nullptr);
    ASSERT_EQ(set->all().size(), 1u);
    const auto& m = set->all().begin()->second;
    const auto result = view::measure(m, vol);
    ASSERT_TRUE(result.ok());
    const double expected = std::hypot(100 * ct.colSpacing, 80 * ct.rowSpacing);
    EXPECT_NEAR(result.value().value, expected, 0.5 * ct.colSpacing);
    EXPECT_EQ(result.value().unit, "mm");
    // Its line is drawn: the pixel halfway between the ends is the measurement colour (cyan/orange).
    QTest::qWait(50);
    const QColor onLine = cvx::viewer::grabShown(axial).pixelColor((qa + qb) / 2);
    EXPECT_TRUE(onLine.blue() > 200 || onLine.red() > 200) << onLine.name().toStdString();
    trigger(w, "toolsToolbar", "undo");
    EXPECT_TRUE(set->all().empty());
    trigger(w, "toolsToolbar", "redo");
    EXPECT_EQ(set->all().size(), 1u);
    // An ellipse ROI beside it: HU statistics of the voxels inside.
    trigger(w, "toolsToolbar", "toolEllipse");
    const QPoint e0 = qa + QPoint(0, 40), e1 = qa + QPoint(60, 90);
    QTest::mousePress(axial, Qt::LeftButton, {}, e0);
    QTest::mouseMove(axial, e1);
    QTest::mouseRelease(axial, Qt::LeftButton, {}, e1);
    ASSERT_EQ(set->all().size(), 2u);
    const auto roi = view::measure(std::prev(set->all().end())->second, vol);
    ASSERT_TRUE(roi.ok());
    ASSERT_TRUE(roi.value().stats);
    EXPECT_GT(roi.value().stats->count, 100);
    EXPECT_EQ(roi.value().statsUnit, "HU");
    test::saveTour(&w, "measure");
    trigger(w, "toolsToolbar", "undo");
    EXPECT_EQ(set->all().size(), 1u);
    trigger(w, "toolsToolbar", "toolNavigate");

    // Layouts: 1x3 (three planes, no 3D place), 1x1; the choice is remembered for the protocol.
    trigger(w, "viewToolbar", "layout1x3");
    EXPECT_EQ(state.viewCount(), 3);
    EXPECT_EQ(w.viewports()->layout().name, "1x3");
    EXPECT_EQ(state.view(2).orientation, view::Orientation::Sagittal);
    EXPECT_EQ(w.findChild<QWidget*>("viewport3d"), nullptr);
    test::saveTour(&w, "layout_1x3");
    trigger(w, "viewToolbar", "layout1x1");
    EXPECT_EQ(state.viewCount(), 1);
    EXPECT_EQ(w.viewports()->views().size(), 1u);
    EXPECT_EQ(QSettings().value("layout/CT MPR").toString(), "1x1");
    trigger(w, "viewToolbar", "layout1x3");
  }

  // A restart: the database still lists every series, the layout and the measurement come back.
  MainWindow w;
  w.resize(1500, 1000);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  EXPECT_EQ(w.browser()->database()->seriesCount(), seriesInDb);
  auto* search = w.findChild<QLineEdit*>("browserSearch");
  auto* tree = w.findChild<QTreeView*>("browserTree");
  QTest::keyClicks(search, QString::fromStdString(ct.patientId));
  ASSERT_TRUE(QTest::qWaitFor([&] { return tree->model()->rowCount() == 1; }, 5000));
  const QModelIndex series = findSeries(tree, "CT");
  ASSERT_TRUE(series.isValid());
  QSignalSpy loaded(&w, &MainWindow::loadsFinished);
  tree->scrollTo(series);
  QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(series).center());
  QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(series).center());
  ASSERT_TRUE(waitLoaded(w, loaded));
  EXPECT_EQ(w.viewports()->layout().name, "1x3");
  ASSERT_NE(w.tools().measurements, nullptr);
  EXPECT_EQ(w.tools().measurements->all().size(), 1u);
}
