// SPDX-License-Identifier: MIT
// No export of the window lands in the folder the open series was read from (io/source_folder.h,
// refuseSourceFolders): the Segments dock's Export table, Export curve and Export mesh, and the tools
// bar's measurement export, each pointed through its own file dialog into the folder of the demo's
// 4D MR (written here, so writable: a refusal is not a write that failed), say io.into_source and
// write nothing there (the folder's files the same before and after). The same exports pointed at
// another folder write their file: the refusal is of that folder, not of every path.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <QAction>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTest>

#include <cvx/demo/demo.h>
#include <cvx/viewstate/seg_surfaces.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_curve_view.h"
#include "../../viewer/src/seg_panel.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"

using namespace cvx;
using cvx::viewer::MainWindow;
namespace fs = std::filesystem;

namespace {

std::set<std::string> filesIn(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// Triggers `click`, answers its file dialog with `path` and the warning that may follow (its text
// into *warned); whether the file dialog came.
bool exportAnswering(MainWindow& w, const std::function<void()>& click, const std::string& path,
                     QString* warned = nullptr) {
  bool dialog = false;
  test::answerFileDialog(&w, QString::fromStdString(path), &dialog);
  if (warned)
    test::whenModal(&w, test::ofType<QMessageBox>(), [warned](QWidget* m) {
      *warned = static_cast<QMessageBox*>(m)->text();
      static_cast<QMessageBox*>(m)->accept();
    });
  click();
  return dialog;
}

}  // namespace

TEST(SegSourceFolderGui, EveryExportRefusesTheSeriesOwnFolder) {
  const test::TempDir tmp("cvx_gui_source_folder");
  ASSERT_TRUE(demo::writeDemoStudy(tmp.path()).ok());
  const std::string series = tmp.path() + "/MR4D", elsewhere = tmp.path() + "/exports";
  fs::create_directories(elsewhere);
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, series));
  ASSERT_FALSE(w.state().layers().empty());
  const Volume& v = *w.state().layers().front().volume;
  ASSERT_TRUE(QTest::qWaitFor([&] { return v.slicesReady() == v.dims()[2] * v.dims()[3]; }, 30000));
  // A 5 mm ball, active: the dock's table, its curve (4D) and its mesh have something to export.
  const std::vector<uint8_t> ball = test::ballMask(v, Vec3{-40, 40, 0}, 5);
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(v));
  Segment meta;
  meta.name = "Ball";
  ASSERT_TRUE(seg->addSegment(meta, ball.data()).ok());
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto index = w.state().addSegmentation(seg, 0, "ball");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  panel->refreshStats();
  auto* curve = panel->findChild<viewer::SegCurveView*>("segCurve");
  ASSERT_NE(curve, nullptr);
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent() && curve->curve().has_value(); }, 10000));
  const std::set<std::string> before = filesIn(series);
  ASSERT_GT(before.size(), 100u);
  auto refused = [](const QString& said) { return said.startsWith("io.into_source"); };

  // Export table: refused at once (no worker started), the code in the dock's message.
  auto* table = w.findChild<QPushButton*>("segExportTable");
  ASSERT_NE(table, nullptr);
  EXPECT_TRUE(exportAnswering(w, [table] { table->click(); }, series + "/table.csv"));
  EXPECT_TRUE(refused(panel->message())) << panel->message().toStdString();
  EXPECT_FALSE(panel->exporting());
  EXPECT_EQ(filesIn(series), before);

  // Export curve: the warning says why.
  auto* curveButton = curve->findChild<QPushButton*>("segExportCurve");
  ASSERT_NE(curveButton, nullptr);
  QString warned;
  EXPECT_TRUE(exportAnswering(w, [curveButton] { curveButton->click(); }, series + "/curve.csv", &warned));
  EXPECT_TRUE(refused(warned)) << "the warning: " << warned.toStdString();
  EXPECT_EQ(filesIn(series), before);
  EXPECT_TRUE(curve->exportTo(QString::fromStdString(elsewhere + "/curve.csv")).ok());
  EXPECT_TRUE(fs::exists(elsewhere + "/curve.csv"));

  // The measurements' export (tools bar): the code in the status bar.
  QAction* measurements = w.findChild<QAction*>("exportMeasurements");
  ASSERT_NE(measurements, nullptr);
  EXPECT_TRUE(exportAnswering(w, [measurements] { measurements->trigger(); }, series + "/measurements.csv"));
  EXPECT_TRUE(refused(w.statusBar()->currentMessage())) << w.statusBar()->currentMessage().toStdString();
  EXPECT_EQ(filesIn(series), before);
  EXPECT_TRUE(exportAnswering(w, [measurements] { measurements->trigger(); }, elsewhere + "/measurements.csv"));
  EXPECT_TRUE(fs::exists(elsewhere + "/measurements.csv")) << w.statusBar()->currentMessage().toStdString();

  // Export mesh (a build with VTK: the button is disabled without it), STL and OBJ (with its .mtl).
  auto* mesh = w.findChild<QPushButton*>("segExportMesh");
  ASSERT_NE(mesh, nullptr);
  if (view::SegmentSurfaces::defaultMaker()) {
    for (const char* name : {"/ball.stl", "/ball.obj"}) {
      EXPECT_TRUE(exportAnswering(w, [mesh] { mesh->click(); }, series + name)) << name;
      EXPECT_TRUE(refused(panel->message())) << name << ": " << panel->message().toStdString();
      EXPECT_EQ(filesIn(series), before) << name;
    }
    EXPECT_TRUE(exportAnswering(w, [mesh] { mesh->click(); }, elsewhere + "/ball.stl"));
    EXPECT_TRUE(fs::exists(elsewhere + "/ball.stl")) << panel->message().toStdString();
  }

  // The table elsewhere is written (on its worker).
  EXPECT_TRUE(exportAnswering(w, [table] { table->click(); }, elsewhere + "/table.csv"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return !panel->exporting(); }, 30000));
  EXPECT_TRUE(fs::exists(elsewhere + "/table.csv")) << panel->message().toStdString();
  EXPECT_EQ(filesIn(series), before);
}
