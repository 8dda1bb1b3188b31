// SPDX-License-Identifier: MIT
#include <cvx/viewstate/phase_bricks.h>

#include <algorithm>
#include <iterator>

namespace cvx::view {
namespace {

size_t bytesOf(const PhaseBricks::Entry& e) {
  return e.ranges.minMax.size() * sizeof(float) + e.skip.size();
}

}  // namespace

const PhaseBricks::Entry& PhaseBricks::get(const Volume& v, int phase, const TransferTable& table,
                                          uint64_t tableBuild) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.phase == phase; });
  if (it != entries_.end()) {
    entries_.splice(entries_.begin(), entries_, it);
  } else {
    Entry e;
    e.phase = phase;
    e.ranges = brickRanges(v, phase);
    ++rangeBuilds_;
    entries_.push_front(std::move(e));
  }
  Entry& e = entries_.front();
  if (e.tableBuild != tableBuild || e.stamp == 0) {
    e.skip = brickSkipMap(e.ranges, table);
    e.stamp = newBrickMapStamp();
    e.tableBuild = tableBuild;
    ++skipBuilds_;
  }
  // Over the budget, the most recently used other phase goes: in a loop longer than the budget holds,
  // the least recently used would be the next one needed every time (no phase ever found), while
  // this keeps the others for the next pass.
  const size_t budget = budget_ ? budget_ : std::max(size_t{256} << 20, v.byteSize());
  size_t kept = 0;
  for (const Entry& k : entries_) kept += bytesOf(k);
  while (kept > budget && entries_.size() > 1) {
    kept -= bytesOf(*std::next(entries_.begin()));
    entries_.erase(std::next(entries_.begin()));
  }
  return entries_.front();
}

}  // namespace cvx::view
