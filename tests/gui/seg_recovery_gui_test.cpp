// SPDX-License-Identifier: MIT
// Edits a crash left on a series that is not open (issue 12): the next start, on another series or on
// none, lists them in one dialog (recovery_dialog.h); "Open and recover" opens the series from the
// study database and recovers the edits voxel for voxel; "Discard" removes the journal. The crash is
// the one the other recovery tests make: the window goes without closing its journal
// (SegEditing::abandonForTest), which leaves the file as a kill -9 does (its flock released).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <cvx/studydb/database.h>
#include <cvx/studydb/importer.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_editing.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using viewer::MainWindow;

namespace {

struct Painted {
  std::string seriesUid;
  std::vector<uint8_t> mask;  // segment 0 of the segmentation painted, on the series' grid
  std::string journal;        // the journal it left
};

// Opens `folder` (fresh user folders), paints two spheres into a new segment, and ends as a crash
// does: the journal stays pending.
void paintAndCrash(const std::string& folder, Painted& out) {
  auto w = std::make_unique<MainWindow>();
  ASSERT_TRUE(test::showAndOpen(*w, 1280, 860, folder));
  ASSERT_FALSE(w->state().layers().empty());
  const auto& v = *w->state().layers()[0].volume;
  out.seriesUid = v.info.seriesInstanceUid;
  ASSERT_FALSE(out.seriesUid.empty());
  viewer::SegEditing* editing = w->editing();
  Segment meta;
  meta.name = "before the crash";
  ASSERT_TRUE(editing->addSegment(meta, nullptr).ok());
  editing->brushMm = 6;
  const auto& d = v.dims();
  ASSERT_TRUE(editing->beginStroke(view::BrushMode::Paint).ok());
  ASSERT_TRUE(editing->dabSphere(v.geometry.worldAt(d[0] / 2, d[1] / 2, d[2] / 2)).ok());
  ASSERT_TRUE(editing->dabSphere(v.geometry.worldAt(d[0] / 2 + 20, d[1] / 2 + 10, d[2] / 2)).ok());
  ASSERT_TRUE(editing->endStroke().ok());
  out.mask = w->state().segmentations()[0].segmentation->mask(0);
  ASSERT_GT(std::count(out.mask.begin(), out.mask.end(), 1), 100);
  const auto pending = view::SegJournal::pending((test::appDataDir() + "/segmentations").toStdString());
  ASSERT_TRUE(pending.empty()) << "the live session holds its journal";
  editing->abandonForTest();  // the window goes as in a crash: the journal stays
  w.reset();
  const auto left = view::SegJournal::pending((test::appDataDir() + "/segmentations").toStdString());
  ASSERT_EQ(left.size(), 1u);
  out.journal = left[0];
}

// Whatever a test leaves pending is removed at its end, so that no later window meets a dialog.
struct NoJournalsLeft {
  ~NoJournalsLeft() { QDir(test::appDataDir() + "/segmentations").removeRecursively(); }
};

QString rowText(QTreeWidgetItem* item) {
  QStringList cells;
  for (int c = 0; c < item->columnCount(); ++c) cells << item->text(c);
  return cells.join(" | ");
}

}  // namespace

// A journal pending for the tilted CT (imported into the study database); the app starts on another
// series (the head CT); the dialog lists the tilted CT's row; "Open and recover" opens it and the
// segment painted before the crash is back, voxel for voxel, without the per-series question.
TEST(SegRecoveryGui, EditsLeftOnAnotherSeriesAreOfferedAtStartAndRecoveredOnOpen) {
  CVX_REQUIRE_FOLDER("tilt");
  CVX_REQUIRE_FOLDER("uneven_spacing");
  NoJournalsLeft cleanup;
  Painted a;
  paintAndCrash(test::dataPath("tilt"), a);
  if (HasFatalFailure()) return;
  {
    auto db = studydb::StudyDatabase::open();
    ASSERT_TRUE(db.ok()) << db.error().str();
    auto imported = studydb::importPath((*db)->dataDir(), QString::fromStdString(test::dataPath("tilt")));
    ASSERT_TRUE(imported.ok()) << imported.error().str();
    ASSERT_EQ(imported->series, 1);
  }
  MainWindow w;
  w.resize(1280, 860);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  QString listed;
  bool openEnabled = false, asked = false;
  constexpr int kLoads = 240000;  // both pollers wait through two loads
  test::whenModal(
      &w, test::named("recoveryDialog"),
      [&](QWidget* dialog) {
        auto* list = dialog->findChild<QTreeWidget*>("recoveryList");
        if (list && list->topLevelItemCount() == 1) listed = rowText(list->topLevelItem(0));
        test::saveTour(dialog, "recovery_dialog");
        auto* open = dialog->findChild<QPushButton*>("recoveryOpen");
        openEnabled = open && open->isEnabled();
        if (openEnabled) open->click();
        else dialog->close();
      },
      test::Answer::Once, nullptr, kLoads);
  test::whenModal(
      &w, test::ofType<QMessageBox>(),
      [&](QWidget* m) {
        asked = true;  // the per-series question: not expected for the series chosen in the dialog
        qobject_cast<QMessageBox*>(m)->reject();
      },
      test::Answer::Once, nullptr, kLoads);
  QSignalSpy loaded(&w, &MainWindow::loadsFinished);
  w.openPath(QString::fromStdString(test::dataPath("uneven_spacing")));
  ASSERT_TRUE(QTest::qWaitFor([&] { return loaded.count() > 0; }, 120000));
  // The dialog comes after the first load; "Open and recover" loads the tilted CT and recovers.
  ASSERT_TRUE(QTest::qWaitFor([&] { return loaded.count() > 1; }, 120000)) << listed.toStdString();
  EXPECT_TRUE(openEnabled);
  EXPECT_TRUE(listed.contains("CT")) << listed.toStdString();
  EXPECT_TRUE(listed.contains("1: before the crash")) << listed.toStdString();
  EXPECT_TRUE(listed.contains("can be recovered")) << listed.toStdString();
  ASSERT_FALSE(w.state().layers().empty());
  EXPECT_EQ(w.state().layers()[0].volume->info.seriesInstanceUid, a.seriesUid);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !w.state().segmentations().empty(); }, 5000));
  EXPECT_FALSE(asked);
  const Segmentation& back = *w.state().segmentations()[0].segmentation;
  ASSERT_EQ(back.segments().size(), 1u);
  EXPECT_EQ(back.segments()[0].name, "before the crash");
  EXPECT_TRUE(back.mask(0) == a.mask) << "the recovered voxels differ from those painted";
  EXPECT_FALSE(std::filesystem::exists(a.journal)) << "recovered: the old journal is gone";
  EXPECT_TRUE(w.editing()->pending().empty()) << "the new journal is live";
}

// A journal pending for a series the study database does not know; the app starts with no series
// (as `cinevox view` without a path does); the row says why it cannot be opened, "Open and recover"
// is disabled; "Later" keeps the file (the next start lists it again), and "Discard" (confirmed)
// removes it.
TEST(SegRecoveryGui, EditsOnASeriesNotInTheDatabaseCanOnlyBeDiscardedOrKept) {
  CVX_REQUIRE_FOLDER("tilt");
  NoJournalsLeft cleanup;
  Painted a;
  paintAndCrash(test::dataPath("tilt"), a);
  if (HasFatalFailure()) return;
  {
    MainWindow first;
    first.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&first));
    bool shown = false;
    test::whenModal(&first, test::named("recoveryDialog"), [&](QWidget* dialog) {
      shown = true;
      dialog->findChild<QPushButton*>("recoveryLater")->click();
    });
    first.offerOtherSeries();
    EXPECT_TRUE(shown);
    EXPECT_TRUE(std::filesystem::exists(a.journal)) << "Later keeps the edits";
  }
  MainWindow w;
  w.resize(1280, 860);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  QString listed;
  bool openEnabled = true, confirmed = false, closed = false;
  test::whenModal(&w, test::named("recoveryDialog"), [&](QWidget* dialog) {
    auto* list = dialog->findChild<QTreeWidget*>("recoveryList");
    if (list && list->topLevelItemCount() == 1) {
      listed = rowText(list->topLevelItem(0));
      list->topLevelItem(0)->setSelected(true);
    }
    openEnabled = dialog->findChild<QPushButton*>("recoveryOpen")->isEnabled();
    test::saveTour(dialog, "recovery_dialog_not_found");
    QObject::connect(dialog, &QObject::destroyed, [&closed] { closed = true; });
    QObject::connect(qobject_cast<QDialog*>(dialog), &QDialog::finished, [&closed] { closed = true; });
    dialog->findChild<QPushButton*>("recoveryDiscard")->click();
  });
  test::whenModal(&w, test::named("recoveryDiscardConfirm"), [&](QWidget* m) {
    confirmed = true;
    qobject_cast<QMessageBox*>(m)->button(QMessageBox::Discard)->click();
  });
  w.offerOtherSeries();  // returns when the dialog has closed
  EXPECT_TRUE(confirmed);
  EXPECT_TRUE(closed) << "the last row discarded closes the dialog";
  EXPECT_FALSE(openEnabled);
  EXPECT_TRUE(listed.contains("studydb.not_found")) << listed.toStdString();
  EXPECT_TRUE(listed.contains("1: before the crash")) << listed.toStdString();
  EXPECT_FALSE(std::filesystem::exists(a.journal));
  EXPECT_TRUE(w.editing()->pending().empty());
  EXPECT_TRUE(w.state().layers().empty());
}
