// SPDX-License-Identifier: MIT
// The brick maps of a volume's phases (core/bricks.h: the value ranges, and the skip map of the
// transfer function), kept per phase, so that a 4D series played in a loop (the phase slider,
// cine) builds each phase's once: on the 134-slice CT a phase's map costs 120-270 ms on the CPU
// (bench_render's cine lines), more than a frame. When the kept maps would take more than the
// budget (max(256 MiB, the volume's bytes): a map is 16 bytes a brick, half a 4x4x1-bricked CT's
// voxel bytes, so every phase fits), the most recently used other phase goes, so that a loop longer
// than the budget still finds the rest; the phase asked for always stays. The skip maps follow the table: a new table build rebuilds a phase's skip map when
// that phase is next asked for, and keeps its ranges.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <vector>

#include <cvx/core/bricks.h>
#include <cvx/core/transfer.h>
#include <cvx/core/volume.h>

namespace cvx::view {

class PhaseBricks {
 public:
  // budgetBytes 0: the rule above (tests set a small one).
  explicit PhaseBricks(size_t budgetBytes = 0) : budget_(budgetBytes) {}
  struct Entry {
    int phase = -1;
    BrickRanges ranges;
    std::vector<uint8_t> skip;
    uint64_t stamp = 0;      // hd::BrickMap::stamp of ranges with skip (newBrickMapStamp)
    uint64_t tableBuild = 0;  // the table build skip was made for
  };
  // Forgets every phase (another volume, or its voxels changed).
  void clear() { entries_.clear(); }
  // Phase `phase` of v (a valid phase) with its skip map for `table`, whose build number the caller
  // raises whenever it builds another table: built now when missing or made for another build.
  // The reference stays valid until the next call or clear().
  const Entry& get(const Volume& v, int phase, const TransferTable& table, uint64_t tableBuild);
  uint64_t rangeBuilds() const { return rangeBuilds_; }  // ranges built so far (tests)
  uint64_t skipBuilds() const { return skipBuilds_; }    // skip maps built so far (tests)
  size_t phasesKept() const { return entries_.size(); }

 private:
  size_t budget_ = 0;
  std::list<Entry> entries_;  // the most recently asked for first
  uint64_t rangeBuilds_ = 0, skipBuilds_ = 0;
};

}  // namespace cvx::view
