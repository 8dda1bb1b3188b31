// SPDX-License-Identifier: MIT
// The session's measurements and their editing: add, move a handle, move the whole, delete,
// relabel, each an undoable command (unlimited depth while the session lives). Qt-free; lives on
// the UI thread like ViewerState.
//
// Every command is kept as the measurement before and after it (nullopt: absent), so that undo and
// redo are state changes too, and so is each journal entry (measure_store.h): replaying an entry
// twice, or onto a snapshot that already holds it, gives the same set.
//
// A drag should preview without the model and commit one moveHandle/translate on release: every
// command is a journal line written to disk (and an undo step) before it is applied.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/measure.h>

namespace cvx::view {

// One change of one measurement.
struct MeasureEdit {
  int64_t id = 0;
  std::optional<Measurement> before, after;  // nullopt: absent (after nullopt: deleted)
};

// What the journal receives: a new command (Do), or an undo or redo, with the change it applies
// (for Undo, `edit` runs from the command's after back to its before).
enum class MeasureOp { Do, Undo, Redo };
struct MeasureJournalEntry {
  MeasureOp op = MeasureOp::Do;
  MeasureEdit edit;
};

enum class MeasureChangeKind { Added, Changed, Removed, Reset };
struct MeasureChange {
  MeasureChangeKind kind = MeasureChangeKind::Changed;
  int64_t id = 0;  // 0 for Reset (everything may have changed)
};

class MeasurementSet {
 public:
  using Listener = std::function<void(const MeasureChange&)>;
  // Called with each change before it is applied; an error refuses the change (nothing applied,
  // the error returned to the caller), so that memory and the journal never disagree.
  using JournalSink = std::function<Status(const MeasureJournalEntry&)>;

  // Adds m (validated; its points moved onto its plane) with a new id, which it returns.
  Result<int64_t> add(Measurement m);
  // Moves handle `handle` to `world` (moved onto the plane).
  Status moveHandle(int64_t id, int handle, Vec3 world);
  // Moves every handle by delta's component in the plane (the measurement stays on its plane).
  Status translate(int64_t id, Vec3 deltaWorld);
  Status remove(int64_t id);
  Status relabel(int64_t id, std::string label);
  // Replaces a measurement by m (same id; validated, points moved onto its plane): a whole edit in
  // one command, e.g. a freehand outline redrawn.
  Status replace(Measurement m);
  // "measure.no_such_id" for an unknown id, "measure.bad_handle" for a handle out of range,
  // "measure.bad_shape" (validate), or the journal's error.

  bool canUndo() const { return !undo_.empty(); }
  bool canRedo() const { return !redo_.empty(); }
  Status undo();  // "measure.nothing_to_undo" / "measure.nothing_to_redo", or the journal's error
  Status redo();

  const std::map<int64_t, Measurement>& all() const { return items_; }  // by id
  const Measurement* find(int64_t id) const;
  // Bumped by every change: a view redraws when the number it drew differs.
  uint64_t revision() const { return revision_; }
  int64_t nextId() const { return nextId_; }

  // Listeners are called after each change, in subscription order.
  int subscribe(Listener listener);
  void unsubscribe(int token);

  void setJournal(JournalSink sink) { journal_ = std::move(sink); }

  // For the store: replaces everything (a snapshot; the history is cleared), and applies a journal
  // entry read back (not journaled again; the history is rebuilt as far as it goes).
  void reset(std::map<int64_t, Measurement> items, int64_t nextId);
  void replay(const MeasureJournalEntry& e);

 private:
  Status commit(MeasureEdit e);  // a new command
  Status applyJournaled(MeasureOp op, const MeasureEdit& e);
  void apply(const MeasureEdit& e);
  Result<Measurement> current(int64_t id) const;
  void notify(const MeasureChange& c);

  std::map<int64_t, Measurement> items_;
  std::vector<MeasureEdit> undo_, redo_;
  std::map<int, Listener> listeners_;
  JournalSink journal_;
  uint64_t revision_ = 0;
  int64_t nextId_ = 1;
  int nextToken_ = 1;
};

}  // namespace cvx::view
