// SPDX-License-Identifier: MIT
// PhaseBricks' pair maps (phase_bricks.h: pair).
#include <cvx/viewstate/phase_bricks.h>

namespace cvx::view {

PhaseBricks::PairRef PhaseBricks::pair(const Ref& first, const TransferTable& table,
                                       const std::shared_ptr<const Volume>& second, int phase2, const hd::Fusion& f,
                                       const TransferTable& table2, bool build) {
  PairKey key{first->stamp, second->serial(), phase2, {}, {}};
  for (const auto& row : f.fromFirst) key.fusion.insert(key.fusion.end(), row, row + 4);
  key.fusion.insert(key.fusion.end(), {f.lo.x, f.lo.y, f.lo.z, f.hi.x, f.hi.y, f.hi.z});
  opacitiesOf(table2, key.opacities2);
  std::unique_lock lock(mutex_);
  for (auto it = pairs_.begin(); it != pairs_.end(); ++it)
    if (it->first == key) {
      pairs_.splice(pairs_.begin(), pairs_, it);
      return it->second;
    }
  if (!build) return nullptr;
  const uint64_t clears = clears_;
  PairKey rangesKey = key;  // the second's ranges do not depend on its table
  rangesKey.opacities2.clear();
  std::shared_ptr<const std::vector<float>> ranges = fused_ && fusedKey_ == rangesKey ? fused_ : nullptr;
  lock.unlock();
  const bool newRanges = !ranges;
  if (newRanges) ranges = std::make_shared<const std::vector<float>>(fusedRanges(*first->ranges, f, *second, phase2));
  auto made = std::make_shared<Pair>();
  made->skip = brickSkipMap(*first->ranges, table, *ranges, table2);
  made->stamp = newBrickMapStamp();
  lock.lock();
  ++pairBuilds_;
  if (newRanges) ++fusedRangeBuilds_;
  if (clears == clears_) {  // else the voxels changed meanwhile: this map is the caller's only
    if (newRanges) fusedKey_ = std::move(rangesKey), fused_ = ranges;
    std::erase_if(pairs_, [&](const auto& p) { return p.first == key; });
    pairs_.emplace_front(std::move(key), made);
    if (pairs_.size() > kPairs) pairs_.pop_back();
  }
  return made;
}

}  // namespace cvx::view
