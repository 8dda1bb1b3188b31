// SPDX-License-Identifier: MIT
#include <cvx/viewstate/phase_bricks.h>

#include <algorithm>

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
  const size_t budget = std::max(size_t{256} << 20, v.byteSize() / 2);
  size_t kept = 0;
  for (auto k = entries_.begin(); k != entries_.end();) {
    kept += bytesOf(*k);
    if (k != entries_.begin() && kept > budget) k = entries_.erase(k);
    else ++k;
  }
  return entries_.front();
}

}  // namespace cvx::view
