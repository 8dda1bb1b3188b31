// SPDX-License-Identifier: MIT
// Measurements on disk: save and reopen, a crash (the folder copied while the session lives, as a
// killed process leaves it) loses no edit, damaged journals and snapshots keep what parses, newer
// files are left alone, and nothing is written outside the given folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <set>
#include <vector>
#include <sstream>

#include <cvx/viewstate/measure_store.h>

#include "measure_test_util.h"
#include "temp_dir.h"
#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::axialAt;
using cvx::test::expectVec;
using cvx::test::shape;
namespace fs = std::filesystem;

namespace {

const std::string kKey = "1.2.840.113619.2.55.3.604688119";

Measurement line(Vec3 a, Vec3 b) { return shape(MeasureKind::Distance, axialAt({0, 0, 10}), {a, b}); }

std::unique_ptr<MeasureSession> openOk(const std::string& folder) {
  auto s = MeasureSession::open(folder, kKey);
  EXPECT_TRUE(s.ok()) << s.error().str();
  return s.ok() ? std::move(*s) : nullptr;
}

// What a crash leaves: the folder as it is on disk now, copied while the session still runs.
std::string crashCopy(const std::string& folder, const std::string& to) {
  fs::copy(folder, to, fs::copy_options::recursive);
  return to;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A session with a distance (relabelled "aorta", one handle moved) and an ellipse.
void editSome(MeasurementSet& set) {
  const int64_t a = *set.add(line({0, 0, 10}, {10, 0, 10}));
  ASSERT_TRUE(set.moveHandle(a, 1, {10, 5, 10}).ok());
  ASSERT_TRUE(set.relabel(a, "aorta").ok());
  ASSERT_TRUE(set.add(shape(MeasureKind::Ellipse, axialAt({0, 0, 10}), {{1, 1, 10}, {5, 3, 10}})).ok());
}

void expectEdited(const MeasurementSet& set) {
  ASSERT_EQ(set.all().size(), 2u);
  const Measurement* a = set.find(1);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->label, "aorta");
  expectVec(a->points[1], {10, 5, 10}, 0);  // exactly: JSON keeps every bit of a double
  ASSERT_NE(set.find(2), nullptr);
  EXPECT_EQ(set.find(2)->kind, MeasureKind::Ellipse);
}

}  // namespace

TEST(MeasureStore, SaveAndReopen) {
  test::TempDir tmp;
  const std::string folder = tmp.file("data/measurements");  // created by open()
  {
    auto s = openOk(folder);
    editSome(s->measurements());
    ASSERT_TRUE(s->save().ok());
    EXPECT_EQ(fs::file_size(s->journalPath()), 0u);  // compacted
  }
  auto s = openOk(folder);
  EXPECT_TRUE(s->warnings().empty());
  expectEdited(s->measurements());
  EXPECT_EQ(s->measurements().nextId(), 3);
  EXPECT_EQ(s->snapshotPath(), folder + "/" + kKey + ".measurements.json");
}

TEST(MeasureStore, ACrashLosesNoEditAndKeepsTheUndoHistory) {
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  auto live = openOk(folder);
  editSome(live->measurements());  // never saved
  const std::string crashed = crashCopy(folder, tmp.file("crashed"));
  auto s = openOk(crashed);
  EXPECT_TRUE(s->warnings().empty());
  expectEdited(s->measurements());
  EXPECT_EQ(fs::file_size(s->journalPath()), 0u);  // replayed, then compacted into the snapshot
  // The history came back with the journal: undo the ellipse, the label, the move, the line.
  MeasurementSet& set = s->measurements();
  ASSERT_TRUE(set.undo().ok());
  EXPECT_EQ(set.find(2), nullptr);
  ASSERT_TRUE(set.undo().ok());
  EXPECT_EQ(set.find(1)->label, "");
  ASSERT_TRUE(set.undo().ok());
  expectVec(set.find(1)->points[1], {10, 0, 10}, 0);
  ASSERT_TRUE(set.undo().ok());
  EXPECT_TRUE(set.all().empty());
}

TEST(MeasureStore, AnUndoPastTheLastSaveSurvivesACrash) {
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  auto live = openOk(folder);
  MeasurementSet& set = live->measurements();
  const int64_t a = *set.add(line({0, 0, 10}, {10, 0, 10}));
  ASSERT_TRUE(live->save().ok());  // the snapshot holds the line
  ASSERT_TRUE(set.undo().ok());    // journaled: the line is gone
  auto s = openOk(crashCopy(folder, tmp.file("crashed")));
  EXPECT_EQ(s->measurements().find(a), nullptr);
  ASSERT_TRUE(s->measurements().redo().ok());  // and it can come back
  ASSERT_NE(s->measurements().find(a), nullptr);
}

TEST(MeasureStore, ReplayingWhatTheSnapshotHoldsChangesNothing) {
  // A crash between the snapshot's rename and the journal's truncation: both hold the edits.
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  std::string journal;
  {
    auto s = openOk(folder);
    editSome(s->measurements());
    journal = slurp(s->journalPath());
    ASSERT_TRUE(s->save().ok());
  }
  std::ofstream(folder + "/" + kKey + ".measurements.journal", std::ios::binary) << journal;
  auto s = openOk(folder);
  EXPECT_TRUE(s->warnings().empty());
  expectEdited(s->measurements());
}

TEST(MeasureStore, ACorruptJournalKeepsEveryLineThatParses) {
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  std::string journal;
  {
    auto s = openOk(folder);
    editSome(s->measurements());  // four lines
    journal = slurp(s->journalPath());
  }
  // Garbage after the first line, and a last line cut short by the crash.
  const size_t firstEnd = journal.find('\n') + 1;
  const std::string cut = journal.substr(firstEnd, 40);
  journal = journal.substr(0, firstEnd) + "{\"v\":1,\"op\":\"do\",garbage\n" + journal.substr(firstEnd) + cut;
  std::ofstream(folder + "/" + kKey + ".measurements.journal", std::ios::binary | std::ios::trunc) << journal;
  auto s = openOk(folder);
  ASSERT_EQ(s->warnings().size(), 1u);
  EXPECT_EQ(s->warnings()[0].code, "measure.journal_corrupt");
  EXPECT_NE(s->warnings()[0].message.find("2 of 6"), std::string::npos) << s->warnings()[0].message;
  expectEdited(s->measurements());
  EXPECT_EQ(fs::file_size(s->journalPath()), 0u);  // compacted: the next open is clean
  s.reset();
  EXPECT_TRUE(openOk(folder)->warnings().empty());
}

TEST(MeasureStore, ACorruptSnapshotIsKeptAsideAndTheJournalStillCounts) {
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  {
    auto s = openOk(folder);
    ASSERT_TRUE(s->measurements().add(line({0, 0, 10}, {3, 4, 10})).ok());
    ASSERT_TRUE(s->save().ok());
    ASSERT_TRUE(s->measurements().relabel(1, "after save").ok());
  }
  const std::string snap = folder + "/" + kKey + ".measurements.json";
  const std::string half = slurp(snap).substr(0, 30);
  std::ofstream(snap, std::ios::binary | std::ios::trunc) << half;
  auto s = openOk(folder);
  ASSERT_EQ(s->warnings().size(), 1u);
  EXPECT_EQ(s->warnings()[0].code, "measure.snapshot_corrupt");
  EXPECT_EQ(slurp(snap + ".corrupt"), half);  // the user's bytes are kept
  ASSERT_NE(s->measurements().find(1), nullptr);  // the relabel's entry carries the whole line
  EXPECT_EQ(s->measurements().find(1)->label, "after save");
}

TEST(MeasureStore, ANewerFormatIsRefusedAndLeftAlone) {
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  fs::create_directories(folder);
  const std::string snap = folder + "/" + kKey + ".measurements.json";
  const std::string newer = R"({"format": "cinevox.measurements", "version": 99, "measurements": []})";
  std::ofstream(snap) << newer;
  const auto s = MeasureSession::open(folder, kKey);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "measure.unsupported_version");
  EXPECT_EQ(slurp(snap), newer);
  // A journal line from a newer version: refused too, and neither file is touched.
  fs::remove(snap);
  const std::string journal = folder + "/" + kKey + ".measurements.journal";
  const std::string line = R"({"v": 2, "op": "do", "id": 1, "before": null, "after": null})" "\n";
  std::ofstream(journal) << line;
  const auto j = MeasureSession::open(folder, kKey);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code, "measure.unsupported_version");
  EXPECT_EQ(slurp(journal), line);
  EXPECT_FALSE(fs::exists(snap));
}

TEST(MeasureStore, KeysThatCouldLeaveTheFolderAreRefused) {
  test::TempDir tmp;
  for (const std::string& key : std::vector<std::string>{"", "../x", "a/b", "..", "x y", std::string(129, '1')}) {
    const auto s = MeasureSession::open(tmp.file("m"), key);
    ASSERT_FALSE(s.ok()) << key;
    EXPECT_EQ(s.error().code, "measure.bad_key") << key;
  }
  EXPECT_FALSE(fs::exists(tmp.file("m")));
}

TEST(MeasureStore, OneSessionAtATimePerKey) {
  test::TempDir tmp;
  auto first = openOk(tmp.file("m"));
  const auto second = MeasureSession::open(tmp.file("m"), kKey);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "measure.in_use");
  first.reset();
  EXPECT_TRUE(MeasureSession::open(tmp.file("m"), kKey).ok());
}

TEST(MeasureStore, WritesNothingOutsideItsFolder) {
  test::TempDir tmp;
  const std::string folder = tmp.file("user/data");
  {
    auto s = openOk(folder);
    editSome(s->measurements());
    ASSERT_TRUE(s->save().ok());
    ASSERT_TRUE(s->measurements().undo().ok());
  }
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(tmp.path()))
    if (e.is_regular_file()) files.insert(fs::relative(e.path(), tmp.path()).string());
  const std::set<std::string> expected = {"user/data/" + kKey + ".measurements.json",
                                          "user/data/" + kKey + ".measurements.journal"};
  EXPECT_EQ(files, expected);
}

TEST(MeasureStore, AJournalCutAtEveryByteKeepsEveryWholeLine) {
  test::TempDir tmp;
  const std::string folder = tmp.file("m");
  std::string journal;
  std::vector<std::map<int64_t, std::string>> states;  // id -> label after each edit, from the live set
  auto record = [&](const MeasurementSet& set) {
    std::map<int64_t, std::string> s;
    for (const auto& [id, m] : set.all()) s[id] = m.label;
    states.push_back(s);
  };
  {
    auto s = openOk(folder);
    MeasurementSet& set = s->measurements();
    record(set);
    ASSERT_TRUE(set.add(line({0, 0, 10}, {1, 0, 10})).ok());
    record(set);
    ASSERT_TRUE(set.relabel(1, "a").ok());
    record(set);
    ASSERT_TRUE(set.add(line({0, 2, 10}, {1, 2, 10})).ok());
    record(set);
    ASSERT_TRUE(set.undo().ok());
    record(set);
    journal = slurp(s->journalPath());
  }
  ASSERT_EQ(std::count(journal.begin(), journal.end(), '\n'), 4);
  for (size_t cut = 0; cut <= journal.size(); ++cut) {
    const std::string dir = tmp.file("cut" + std::to_string(cut));
    fs::create_directories(dir);
    const std::string prefix = journal.substr(0, cut);
    std::ofstream(dir + "/" + kKey + ".measurements.journal", std::ios::binary) << prefix;
    auto s = MeasureSession::open(dir, kKey);
    ASSERT_TRUE(s.ok()) << cut << ": " << s.error().str();
    // A line whose newline alone is missing is whole JSON: it counts. Any shorter piece is skipped.
    const bool onlyNewlineMissing = cut < journal.size() && journal[cut] == '\n';
    const bool partial = !prefix.empty() && prefix.back() != '\n' && !onlyNewlineMissing;
    const auto whole = static_cast<size_t>(std::count(prefix.begin(), prefix.end(), '\n')) + (onlyNewlineMissing ? 1 : 0);
    std::map<int64_t, std::string> got;
    for (const auto& [id, m] : (*s)->measurements().all()) got[id] = m.label;
    EXPECT_EQ(got, states[whole]) << "cut at byte " << cut;
    ASSERT_EQ((*s)->warnings().size(), partial ? 1u : 0u) << cut;
    if (partial) {
      EXPECT_EQ((*s)->warnings()[0].code, "measure.journal_corrupt");
    }
    s = makeError("x", "x");  // closes the session
    fs::remove_all(dir);
  }
}
