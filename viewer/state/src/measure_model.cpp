// SPDX-License-Identifier: MIT
#include <cvx/viewstate/measure_model.h>

#include <algorithm>
#include <utility>

namespace cvx::view {
namespace {

MeasureEdit inverse(const MeasureEdit& e) { return {e.id, e.after, e.before}; }

bool samePoints(const std::vector<Vec3>& a, const std::vector<Vec3>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].x != b[i].x || a[i].y != b[i].y || a[i].z != b[i].z) return false;
  return true;
}

Measurement onPlane(Measurement m) {
  for (Vec3& p : m.points) p = projectOnPlane(m.plane, p);
  return m;
}

}  // namespace

const Measurement* MeasurementSet::find(int64_t id) const {
  const auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

Result<Measurement> MeasurementSet::current(int64_t id) const {
  const Measurement* m = find(id);
  if (!m) return makeError("measure.no_such_id", "no measurement " + std::to_string(id));
  return *m;
}

int MeasurementSet::subscribe(Listener listener) {
  const int token = nextToken_++;
  listeners_[token] = std::move(listener);
  return token;
}

void MeasurementSet::unsubscribe(int token) { listeners_.erase(token); }

void MeasurementSet::notify(const MeasureChange& c) {
  ++revision_;
  const auto copy = listeners_;  // a listener may subscribe or unsubscribe while called
  for (const auto& [token, l] : copy)
    if (listeners_.count(token)) l(c);
}

void MeasurementSet::apply(const MeasureEdit& e) {
  MeasureChangeKind kind = MeasureChangeKind::Changed;
  if (e.after) {
    kind = items_.count(e.id) ? MeasureChangeKind::Changed : MeasureChangeKind::Added;
    items_[e.id] = *e.after;
  } else {
    kind = MeasureChangeKind::Removed;
    items_.erase(e.id);
  }
  if (e.id >= nextId_) nextId_ = e.id + 1;
  notify({kind, e.id});
}

Status MeasurementSet::applyJournaled(MeasureOp op, const MeasureEdit& e) {
  if (journal_) CVX_TRY(journal_(MeasureJournalEntry{op, e}));
  apply(e);
  return {};
}

Status MeasurementSet::commit(MeasureEdit e) {
  CVX_TRY(applyJournaled(MeasureOp::Do, e));
  undo_.push_back(std::move(e));
  redo_.clear();
  return {};
}

Result<int64_t> MeasurementSet::add(Measurement m) {
  CVX_TRY(validate(m));
  m.id = nextId_;
  const int64_t id = m.id;
  CVX_TRY(commit({id, std::nullopt, onPlane(std::move(m))}));
  return id;
}

Status MeasurementSet::moveHandle(int64_t id, int handle, Vec3 world) {
  auto m = current(id);
  if (!m) return m.error();
  if (handle < 0 || handle >= static_cast<int>(m->points.size()))
    return makeError("measure.bad_handle", "handle " + std::to_string(handle) + " of " +
                                               std::to_string(m->points.size()) + " (measurement " +
                                               std::to_string(id) + ")");
  Measurement after = *m;
  after.points[static_cast<size_t>(handle)] = projectOnPlane(after.plane, world);
  CVX_TRY(validate(after));
  if (samePoints(after.points, m->points)) return {};
  return commit({id, *m, std::move(after)});
}

Status MeasurementSet::translate(int64_t id, Vec3 delta) {
  auto m = current(id);
  if (!m) return m.error();
  const Vec3 n = m->plane.normal();
  const Vec3 inPlane = delta - n * dot(delta, n);
  Measurement after = *m;
  for (Vec3& p : after.points) p = p + inPlane;
  CVX_TRY(validate(after));
  if (samePoints(after.points, m->points)) return {};
  return commit({id, *m, std::move(after)});
}

Status MeasurementSet::remove(int64_t id) {
  auto m = current(id);
  if (!m) return m.error();
  return commit({id, *m, std::nullopt});
}

Status MeasurementSet::relabel(int64_t id, std::string label) {
  auto m = current(id);
  if (!m) return m.error();
  if (m->label == label) return {};
  Measurement after = *m;
  after.label = std::move(label);
  return commit({id, *m, std::move(after)});
}

Status MeasurementSet::replace(Measurement m) {
  auto before = current(m.id);
  if (!before) return before.error();
  CVX_TRY(validate(m));
  const int64_t id = m.id;
  return commit({id, *before, onPlane(std::move(m))});
}

Status MeasurementSet::undo() {
  if (undo_.empty()) return makeError("measure.nothing_to_undo", "nothing to undo");
  CVX_TRY(applyJournaled(MeasureOp::Undo, inverse(undo_.back())));
  redo_.push_back(std::move(undo_.back()));
  undo_.pop_back();
  return {};
}

Status MeasurementSet::redo() {
  if (redo_.empty()) return makeError("measure.nothing_to_redo", "nothing to redo");
  CVX_TRY(applyJournaled(MeasureOp::Redo, redo_.back()));
  undo_.push_back(std::move(redo_.back()));
  redo_.pop_back();
  return {};
}

void MeasurementSet::reset(std::map<int64_t, Measurement> items, int64_t nextId) {
  items_ = std::move(items);
  nextId_ = std::max<int64_t>(1, nextId);
  for (const auto& [id, m] : items_)
    if (id >= nextId_) nextId_ = id + 1;
  undo_.clear();
  redo_.clear();
  notify({MeasureChangeKind::Reset, 0});
}

void MeasurementSet::replay(const MeasureJournalEntry& e) {
  // The entry's after-state is applied whatever the history says (it was journaled as applied).
  // The history follows it: an undo of a command from before the snapshot finds no command on the
  // undo stack, yet its redo still goes onto the redo stack, in the order it was undone.
  apply(e.edit);
  switch (e.op) {
    case MeasureOp::Do:
      undo_.push_back(e.edit);
      redo_.clear();
      break;
    case MeasureOp::Undo:
      if (!undo_.empty() && undo_.back().id == e.edit.id) undo_.pop_back();
      redo_.push_back(inverse(e.edit));
      break;
    case MeasureOp::Redo:
      if (!redo_.empty() && redo_.back().id == e.edit.id) redo_.pop_back();
      undo_.push_back(e.edit);
      break;
  }
}

}  // namespace cvx::view
