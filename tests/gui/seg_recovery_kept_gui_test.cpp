// SPDX-License-Identifier: MIT
// The start-up recovery dialog (recovery_dialog.h) and journals this CineVox must not lose or re-read:
// a journal written by a newer CineVox (its format version 2: seg.journal_version) can only be kept
// for that version, never discarded here, alone or selected with others, while a damaged one
// beside it still can be; and the window reads each pending journal once while the file is
// unchanged (MainWindow::offerRecovery runs on every load), again once it has changed. The journals
// are written here with SegJournal::create and left pending as a crash leaves them.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <cvx/viewstate/seg_journal.h>

#include "../../viewer/src/main_window.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using viewer::MainWindow;
namespace fs = std::filesystem;

namespace {

std::string journalDir() { return (test::appDataDir() + "/segmentations").toStdString(); }

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// A journal of one segment `name` on a small grid of series `uid` (in no study database), left
// pending as a crash leaves it; its path, its bytes patched by `patch`.
std::string pendingJournal(const std::string& uid, const char* name, void (*patch)(std::string&) = nullptr) {
  Segmentation seg({32, 24, 8}, Geometry{});
  seg.reference.seriesInstanceUid = uid;
  std::vector<uint8_t> mask(static_cast<size_t>(seg.voxelsPerLayer()), 0);
  mask[100] = 1;
  Segment meta;
  meta.name = name;
  EXPECT_TRUE(seg.addSegment(meta, mask.data()).ok());
  auto j = view::SegJournal::create(journalDir(), seg);
  EXPECT_TRUE(j.ok()) << j.error().str();
  if (!j.ok()) return {};
  const std::string path = (*j)->path();
  j->reset();  // not closed: pending
  if (patch) {
    std::string bytes = slurp(path);
    patch(bytes);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  return path;
}

void newerVersion(std::string& b) {
  const uint32_t version = view::SegJournal::kVersion + 1;  // after the 8-byte magic, little-endian
  std::memcpy(b.data() + 8, &version, 4);
}
void badMagic(std::string& b) { b[0] = 'X'; }

// Whatever a test leaves pending is removed at its end, so that no later window meets a dialog.
struct NoJournalsLeft {
  ~NoJournalsLeft() { QDir(test::appDataDir() + "/segmentations").removeRecursively(); }
};

QTreeWidgetItem* rowSaying(QTreeWidget* list, const char* text) {
  for (int i = 0; i < list->topLevelItemCount(); ++i)
    if (list->topLevelItem(i)->text(5).contains(text)) return list->topLevelItem(i);
  return nullptr;
}

void selectOnly(QTreeWidget* list, std::initializer_list<QTreeWidgetItem*> items) {
  list->clearSelection();
  for (QTreeWidgetItem* item : items) item->setSelected(true);
}

}  // namespace

TEST(SegRecoveryGui, EditsOfANewerVersionCanOnlyBeKept) {
  test::freshUserFolders();
  NoJournalsLeft cleanup;
  const std::string newer = pendingJournal("1.2.826.0.1.7.1", "from a newer CineVox", newerVersion);
  const std::string damaged = pendingJournal("1.2.826.0.1.7.2", "damaged", badMagic);
  ASSERT_FALSE(newer.empty() || damaged.empty());
  const std::string newerBytes = slurp(newer);
  MainWindow w;
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  int rows = -1, left = -1;
  bool newerAlone = true, both = true, damagedAlone = false, confirmed = false;
  QString said, leftStatus;
  test::whenModal(&w, test::named("recoveryDialog"), [&](QWidget* dialog) {
    auto* list = dialog->findChild<QTreeWidget*>("recoveryList");
    auto* discard = dialog->findChild<QPushButton*>("recoveryDiscard");
    rows = list->topLevelItemCount();
    QTreeWidgetItem *n = rowSaying(list, "seg.journal_version"), *d = rowSaying(list, "seg.journal_bad_header");
    if (n && d) {
      selectOnly(list, {n});
      newerAlone = discard->isEnabled();
      said = dialog->findChild<QLabel*>("recoveryMessage")->text();
      test::saveTour(dialog, "recovery_dialog_newer_version");
      selectOnly(list, {n, d});
      both = discard->isEnabled();
      selectOnly(list, {d});
      damagedAlone = discard->isEnabled();
      discard->click();  // the damaged one: confirmed below, removed; the dialog stays for the other
      left = list->topLevelItemCount();
      if (left == 1) leftStatus = list->topLevelItem(0)->text(5);
    }
    dialog->findChild<QPushButton*>("recoveryLater")->click();
  });
  test::whenModal(&w, test::named("recoveryDiscardConfirm"), [&](QWidget* m) {
    confirmed = true;
    qobject_cast<QMessageBox*>(m)->button(QMessageBox::Discard)->click();
  });
  w.offerOtherSeries();  // returns when the dialog has closed
  ASSERT_EQ(rows, 2);
  EXPECT_FALSE(newerAlone) << "Discard offered for a newer version's edits";
  EXPECT_FALSE(both) << "Discard offered with a newer version's edits among those selected";
  EXPECT_TRUE(said.contains("another version")) << said.toStdString();
  EXPECT_TRUE(damagedAlone);
  EXPECT_TRUE(confirmed);
  EXPECT_EQ(left, 1);
  EXPECT_TRUE(leftStatus.contains("seg.journal_version")) << leftStatus.toStdString();
  EXPECT_FALSE(fs::exists(damaged));
  ASSERT_TRUE(fs::exists(newer)) << "kept for the CineVox that wrote it";
  EXPECT_TRUE(slurp(newer) == newerBytes);
}

// A journal pending for a series that is not open; the tilted CT loaded three times: the first load
// reads the journal (and offers it: Later), the second reads nothing, the third, after the file has
// grown, reads it again; once it is gone, nothing is read.
TEST(SegRecoveryGui, APendingJournalIsReadOnceWhileUnchanged) {
  CVX_REQUIRE_FOLDER("tilt");
  test::freshUserFolders();
  NoJournalsLeft cleanup;
  const std::string journal = pendingJournal("1.2.826.0.1.7.3", "elsewhere");
  ASSERT_FALSE(journal.empty());
  MainWindow w;
  w.resize(1280, 860);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  int offered = 0;
  test::whenModal(
      &w, test::named("recoveryDialog"),
      [&](QWidget* dialog) {
        ++offered;
        dialog->findChild<QPushButton*>("recoveryLater")->click();
      },
      test::Answer::Once, nullptr, 120000);
  QSignalSpy loaded(&w, &MainWindow::loadsFinished);
  auto load = [&] {
    const auto n = loaded.count();
    w.openPath(QString::fromStdString(test::dataPath("tilt")));
    return QTest::qWaitFor([&] { return loaded.count() > n; }, 120000);
  };
  ASSERT_TRUE(load());
  ASSERT_TRUE(QTest::qWaitFor([&] { return offered == 1; }, 10000));
  EXPECT_EQ(w.journalReads(), 1);
  ASSERT_TRUE(load());
  QTest::qWait(100);
  EXPECT_EQ(w.journalReads(), 1) << "unchanged: not read again";
  std::ofstream(journal, std::ios::binary | std::ios::app) << "a torn record";
  ASSERT_TRUE(load());
  EXPECT_EQ(w.journalReads(), 2) << "changed: read again";
  fs::remove(journal);
  ASSERT_TRUE(load());
  EXPECT_EQ(w.journalReads(), 2) << "gone: nothing to read";
}
