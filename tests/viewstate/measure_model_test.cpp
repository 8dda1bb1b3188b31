// SPDX-License-Identifier: MIT
// Editing measurements: ids, handles kept on the plane, undo/redo sequences checked state by state
// against hand-made expectations, notifications, and the journal hook that runs before a change.
#include <gtest/gtest.h>

#include <vector>

#include <cvx/viewstate/measure_model.h>

#include "measure_test_util.h"
#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::axialAt;
using cvx::test::expectVec;
using cvx::test::shape;

namespace {

Measurement line(Vec3 a, Vec3 b) { return shape(MeasureKind::Distance, axialAt({0, 0, 10}), {a, b}); }

void expectPoints(const MeasurementSet& s, int64_t id, std::vector<Vec3> pts) {
  const Measurement* m = s.find(id);
  ASSERT_NE(m, nullptr) << "measurement " << id;
  ASSERT_EQ(m->points.size(), pts.size());
  for (size_t i = 0; i < pts.size(); ++i) expectVec(m->points[i], pts[i], 1e-12);
}

}  // namespace

TEST(MeasureModel, AddGivesNewIdsAndPutsPointsOnThePlane) {
  MeasurementSet s;
  const auto a = s.add(line({1, 2, 12}, {4, 6, 9}));  // off the z = 10 plane
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, 1);
  expectPoints(s, 1, {{1, 2, 10}, {4, 6, 10}});
  EXPECT_EQ(s.find(1)->id, 1);
  const auto b = s.add(line({0, 0, 10}, {1, 0, 10}));
  EXPECT_EQ(*b, 2);
  ASSERT_TRUE(s.remove(2).ok());
  EXPECT_EQ(*s.add(line({0, 0, 10}, {1, 0, 10})), 3);  // ids are never reused
  EXPECT_EQ(s.add(shape(MeasureKind::Angle, axialAt({}), {{0, 0, 0}})).error().code, "measure.bad_shape");
}

TEST(MeasureModel, UndoAndRedoWalkBackAndForthThroughEveryEdit) {
  MeasurementSet s;
  const int64_t id = *s.add(line({0, 0, 10}, {10, 0, 10}));
  ASSERT_TRUE(s.moveHandle(id, 1, {10, 5, 13}).ok());  // onto the plane: z 10
  ASSERT_TRUE(s.relabel(id, "aorta").ok());
  ASSERT_TRUE(s.translate(id, {1, 2, 7}).ok());  // the normal part (z) is dropped
  ASSERT_TRUE(s.remove(id).ok());
  EXPECT_EQ(s.find(id), nullptr);

  // Each state, written out, from the newest back to the first.
  const std::vector<std::vector<Vec3>> pts = {
      {{1, 2, 10}, {11, 7, 10}}, {{0, 0, 10}, {10, 5, 10}}, {{0, 0, 10}, {10, 5, 10}}, {{0, 0, 10}, {10, 0, 10}}};
  const std::vector<std::string> labels = {"aorta", "aorta", "", ""};
  for (size_t step = 0; step < pts.size(); ++step) {
    ASSERT_TRUE(s.undo().ok()) << step;
    expectPoints(s, id, pts[step]);
    EXPECT_EQ(s.find(id)->label, labels[step]) << step;
  }
  ASSERT_TRUE(s.undo().ok());  // the add
  EXPECT_TRUE(s.all().empty());
  EXPECT_FALSE(s.canUndo());
  EXPECT_EQ(s.undo().error().code, "measure.nothing_to_undo");

  for (size_t step = pts.size(); step-- > 0;) {
    ASSERT_TRUE(s.redo().ok()) << step;
    expectPoints(s, id, pts[step]);
    EXPECT_EQ(s.find(id)->label, labels[step]);
  }
  ASSERT_TRUE(s.redo().ok());  // the removal again
  EXPECT_EQ(s.find(id), nullptr);
  EXPECT_EQ(s.redo().error().code, "measure.nothing_to_redo");
}

TEST(MeasureModel, ANewEditDropsTheRedoHistory) {
  MeasurementSet s;
  const int64_t id = *s.add(line({0, 0, 10}, {10, 0, 10}));
  ASSERT_TRUE(s.relabel(id, "a").ok());
  ASSERT_TRUE(s.undo().ok());
  EXPECT_TRUE(s.canRedo());
  ASSERT_TRUE(s.relabel(id, "b").ok());
  EXPECT_FALSE(s.canRedo());
  ASSERT_TRUE(s.undo().ok());
  EXPECT_EQ(s.find(id)->label, "");
}

TEST(MeasureModel, ErrorsNameTheProblemAndChangeNothing) {
  MeasurementSet s;
  const int64_t id = *s.add(line({0, 0, 10}, {10, 0, 10}));
  const uint64_t rev = s.revision();
  EXPECT_EQ(s.moveHandle(id, 2, {}).error().code, "measure.bad_handle");
  EXPECT_EQ(s.moveHandle(id, -1, {}).error().code, "measure.bad_handle");
  EXPECT_EQ(s.moveHandle(99, 0, {}).error().code, "measure.no_such_id");
  EXPECT_EQ(s.translate(99, {}).error().code, "measure.no_such_id");
  EXPECT_EQ(s.remove(99).error().code, "measure.no_such_id");
  EXPECT_EQ(s.relabel(99, "x").error().code, "measure.no_such_id");
  EXPECT_EQ(s.moveHandle(id, 0, {NAN, 0, 0}).error().code, "measure.bad_shape");
  Measurement m = *s.find(id);
  m.points.pop_back();
  EXPECT_EQ(s.replace(m).error().code, "measure.bad_shape");
  EXPECT_EQ(s.revision(), rev);
  expectPoints(s, id, {{0, 0, 10}, {10, 0, 10}});
}

TEST(MeasureModel, ReplaceIsOneUndoStep) {
  MeasurementSet s;
  const int64_t id = *s.add(shape(MeasureKind::Freehand, axialAt({}), {{0, 0, 0}, {4, 0, 0}, {0, 3, 0}}));
  Measurement m = *s.find(id);
  m.points = {{0, 0, 0}, {8, 0, 0}, {8, 8, 0}, {0, 8, 0}};
  ASSERT_TRUE(s.replace(m).ok());
  EXPECT_EQ(s.find(id)->points.size(), 4u);
  ASSERT_TRUE(s.undo().ok());
  expectPoints(s, id, {{0, 0, 0}, {4, 0, 0}, {0, 3, 0}});
}

TEST(MeasureModel, ListenersAndRevisionFollowEveryChange) {
  MeasurementSet s;
  std::vector<MeasureChange> seen;
  const int token = s.subscribe([&](const MeasureChange& c) { seen.push_back(c); });
  const int64_t id = *s.add(line({0, 0, 10}, {10, 0, 10}));
  ASSERT_TRUE(s.relabel(id, "x").ok());
  ASSERT_TRUE(s.relabel(id, "x").ok());  // no change, no command
  ASSERT_TRUE(s.remove(id).ok());
  ASSERT_TRUE(s.undo().ok());
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].kind, MeasureChangeKind::Added);
  EXPECT_EQ(seen[1].kind, MeasureChangeKind::Changed);
  EXPECT_EQ(seen[2].kind, MeasureChangeKind::Removed);
  EXPECT_EQ(seen[3].kind, MeasureChangeKind::Added);
  for (const auto& c : seen) EXPECT_EQ(c.id, id);
  EXPECT_EQ(s.revision(), 4u);
  s.unsubscribe(token);
  ASSERT_TRUE(s.undo().ok());  // the relabel
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(s.revision(), 5u);
}

TEST(MeasureModel, TheJournalSeesEachChangeBeforeItIsApplied) {
  MeasurementSet s;
  std::vector<MeasureJournalEntry> journal;
  s.setJournal([&](const MeasureJournalEntry& e) {
    // Not applied yet: the set still holds the state before.
    const Measurement* now = s.find(e.edit.id);
    EXPECT_EQ(now != nullptr, e.edit.before.has_value());
    if (now && e.edit.before) {
      EXPECT_EQ(now->label, e.edit.before->label);
    }
    journal.push_back(e);
    return Status{};
  });
  const int64_t id = *s.add(line({0, 0, 10}, {10, 0, 10}));
  ASSERT_TRUE(s.relabel(id, "a").ok());
  ASSERT_TRUE(s.undo().ok());
  ASSERT_TRUE(s.redo().ok());
  ASSERT_EQ(journal.size(), 4u);
  EXPECT_EQ(journal[0].op, MeasureOp::Do);
  EXPECT_FALSE(journal[0].edit.before.has_value());
  EXPECT_EQ(journal[2].op, MeasureOp::Undo);
  EXPECT_EQ(journal[2].edit.after->label, "");  // undo runs from "a" back to ""
  EXPECT_EQ(journal[3].op, MeasureOp::Redo);
  EXPECT_EQ(journal[3].edit.after->label, "a");

  // A journal that cannot write refuses the change: nothing applied, no undo step.
  s.setJournal([](const MeasureJournalEntry&) { return Status(makeError("measure.write_failed", "disk full")); });
  const uint64_t rev = s.revision();
  EXPECT_EQ(s.relabel(id, "b").error().code, "measure.write_failed");
  EXPECT_EQ(s.find(id)->label, "a");
  EXPECT_EQ(s.revision(), rev);
  EXPECT_EQ(s.undo().error().code, "measure.write_failed");
  EXPECT_EQ(s.find(id)->label, "a");
  s.setJournal({});
  ASSERT_TRUE(s.undo().ok());  // the relabel to "a" is still the last step
  EXPECT_EQ(s.find(id)->label, "");
}

TEST(MeasureModel, ReplayingTheJournalRebuildsTheSetAndItsHistory) {
  MeasurementSet a;
  std::vector<MeasureJournalEntry> journal;
  a.setJournal([&](const MeasureJournalEntry& e) {
    journal.push_back(e);
    return Status{};
  });
  const int64_t x = *a.add(line({0, 0, 10}, {10, 0, 10}));
  const int64_t y = *a.add(line({0, 5, 10}, {10, 5, 10}));
  ASSERT_TRUE(a.moveHandle(x, 0, {1, 1, 10}).ok());
  ASSERT_TRUE(a.remove(y).ok());
  ASSERT_TRUE(a.undo().ok());
  MeasurementSet b;
  for (const auto& e : journal) b.replay(e);
  ASSERT_EQ(b.all().size(), 2u);
  expectPoints(b, x, {{1, 1, 10}, {10, 0, 10}});
  expectPoints(b, y, {{0, 5, 10}, {10, 5, 10}});
  EXPECT_EQ(b.nextId(), 3);
  // The same history: redo removes y again, then two undos take back the move and y's add.
  ASSERT_TRUE(b.redo().ok());
  EXPECT_EQ(b.find(y), nullptr);
  ASSERT_TRUE(b.undo().ok());
  ASSERT_TRUE(b.undo().ok());
  expectPoints(b, x, {{0, 0, 10}, {10, 0, 10}});
  ASSERT_TRUE(b.undo().ok());
  EXPECT_EQ(b.find(y), nullptr);
}
