// SPDX-License-Identifier: MIT
#include <cvx/viewstate/phase_bricks.h>

#include <algorithm>
#include <iterator>

namespace cvx::view {

PhaseBricks::~PhaseBricks() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PhaseBricks::opacitiesOf(const TransferTable& table, std::vector<float>& out) {
  const auto& nodes = table.nodes();
  out.resize(nodes.size() + 2);
  for (size_t i = 0; i < nodes.size(); ++i) out[i] = nodes[i].sigma;
  out[nodes.size()] = table.lo();
  out[nodes.size() + 1] = table.hi();
}

uint64_t PhaseBricks::tableNoLocked(const TransferTable& table) {
  // The skip maps depend on the table through TransferTable::transparent only.
  opacitiesOf(table, scratch_);  // into a kept buffer: no allocation a frame
  if (tableNo_ == 0 || scratch_ != opacities_) {
    opacities_.swap(scratch_);
    ++tableNo_;
  }
  return tableNo_;
}

std::list<PhaseBricks::Kept>::iterator PhaseBricks::findLocked(Key key) {
  return std::find_if(entries_.begin(), entries_.end(),
                      [&](const Kept& k) { return k.entry->volume == key.first && k.entry->phase == key.second; });
}

size_t PhaseBricks::budgetFor(const Volume& v) const {
  return budget_ ? budget_ : std::max(size_t{256} << 20, v.byteSize());
}

size_t PhaseBricks::keptBytesLocked() const {
  size_t kept = 0;
  for (const Kept& k : entries_) kept += k.entry->bytes();
  return kept;
}

PhaseBricks::Ref PhaseBricks::get(const std::shared_ptr<const Volume>& v, int phase, const TransferTable& table) {
  std::unique_lock lock(mutex_);
  const uint64_t tableNo = tableNoLocked(table);
  const Key key{v->serial(), phase};
  for (;;) {
    auto it = findLocked(key);
    if (it != entries_.end() && it->entry->table == tableNo) {
      entries_.splice(entries_.begin(), entries_, it);
      return it->entry;
    }
    if (!building_.count(key)) break;
    built_.wait(lock);  // another thread builds this phase: take its map when it fits this table
  }
  return buildLocked(lock, v, phase, table, tableNo, true);
}

PhaseBricks::Ref PhaseBricks::find(const std::shared_ptr<const Volume>& v, int phase, const TransferTable& table) {
  std::lock_guard lock(mutex_);
  const uint64_t tableNo = tableNoLocked(table);
  auto it = findLocked({v->serial(), phase});
  if (it == entries_.end() || it->entry->table != tableNo) return nullptr;
  entries_.splice(entries_.begin(), entries_, it);
  return it->entry;
}

PhaseBricks::Ref PhaseBricks::buildLocked(std::unique_lock<std::mutex>& lock, const std::shared_ptr<const Volume>& v,
                                          int phase, const TransferTable& table, uint64_t tableNo, bool front) {
  const Key key{v->serial(), phase};
  auto it = findLocked(key);
  std::shared_ptr<const BrickRanges> ranges = it != entries_.end() ? it->entry->ranges : nullptr;
  const uint64_t clears = clears_;
  building_.insert(key);
  lock.unlock();
  auto e = std::make_shared<Entry>();
  bool newRanges = false;
  try {
    if (!ranges) {
      ranges = std::make_shared<const BrickRanges>(brickRanges(*v, phase));
      newRanges = true;
    }
    e->volume = key.first;
    e->phase = phase;
    e->ranges = ranges;
    e->skip = brickSkipMap(*ranges, table);
    e->stamp = newBrickMapStamp();
    e->table = tableNo;
  } catch (...) {  // out of memory: no map kept, the waiting threads try themselves
    lock.lock();
    building_.erase(key);
    built_.notify_all();
    throw;
  }
  lock.lock();
  building_.erase(key);
  rangeBuilds_ += newRanges;
  ++skipBuilds_;
  if (clears == clears_) {  // else the voxels changed meanwhile: this map is the caller's only
    it = findLocked(key);
    if (it != entries_.end()) entries_.erase(it);
    entries_.insert(front ? entries_.begin() : entries_.end(), Kept{v, e});
    evictLocked(*v, phase);
  }
  built_.notify_all();
  return e;
}

void PhaseBricks::evictLocked(const Volume& v, int phase) {
  std::erase_if(entries_, [](const Kept& k) { return k.volume.expired(); });
  const size_t budget = budgetFor(v);
  size_t kept = keptBytesLocked();
  const auto isAsked = [&](const Kept& k) { return k.entry->volume == v.serial() && k.entry->phase == phase; };
  // Other volumes' maps first (the least recently used of them first), then the most recently used
  // other phase: in a loop longer than the budget holds, the least recently used would be the next
  // one needed every time (no phase ever found), while this keeps the others for the next pass.
  for (auto it = entries_.end(); kept > budget && it != entries_.begin();) {
    --it;
    if (it->entry->volume != v.serial()) {
      kept -= it->entry->bytes();
      it = entries_.erase(it);
    }
  }
  for (auto it = entries_.begin(); kept > budget && it != entries_.end();) {
    if (isAsked(*it)) {
      ++it;
      continue;
    }
    kept -= it->entry->bytes();
    it = entries_.erase(it);
  }
}

void PhaseBricks::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  pairs_.clear();
  fused_.reset();
  ++clears_;
}

bool PhaseBricks::clearFor(uint64_t revision) {
  {
    std::lock_guard lock(mutex_);
    if (revision <= clearedFor_) return false;
    clearedFor_ = revision;
  }
  clear();
  return true;
}

uint64_t PhaseBricks::fusedRangeBuilds() const {
  std::lock_guard lock(mutex_);
  return fusedRangeBuilds_;
}

uint64_t PhaseBricks::rangeBuilds() const {
  std::lock_guard lock(mutex_);
  return rangeBuilds_;
}
uint64_t PhaseBricks::skipBuilds() const {
  std::lock_guard lock(mutex_);
  return skipBuilds_;
}
uint64_t PhaseBricks::prefetched() const {
  std::lock_guard lock(mutex_);
  return prefetched_;
}
uint64_t PhaseBricks::pairBuilds() const {
  std::lock_guard lock(mutex_);
  return pairBuilds_;
}
size_t PhaseBricks::phasesKept() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace cvx::view
