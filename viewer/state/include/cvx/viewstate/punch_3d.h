// SPDX-License-Identifier: MIT
// Punching the 3D view, Qt-free: parts of the volume left out of the volume rendering only (the
// table under a CT angiogram, the ribs in front of the heart, everything but the liver), as a reader
// of OsiriX or Horos punches them with the 3D scissors. A punch is a lasso drawn on the 3D view (the
// scissors' cut through the whole volume along the line of sight: scissors.h) or a segment (its
// voxels when punched); it removes what it holds, or with keepInside everything else.
//
// The rule: a voxel whose centre a punch removes takes the lowest value of its phase, so that every
// transfer function that leaves the series' lowest value (air, the scanner's padding) transparent
// leaves it out, and an MIP never picks it; rays then sample and shade the cut face from the voxels
// on either side as any other edge, on the CPU and CUDA back ends alike (the back ends draw a
// punched copy of the phase: PunchedPhases). The MPR views, measurements, segmentation and exports
// read the series itself: a punch is a view of the data, never a change of it. docs/volume-rendering.md.
#pragma once
#include <array>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/scissors.h>

namespace cvx::view {

struct Punch3D {
  ScissorsCut cut;  // a lasso's (used when mask is null)
  // A segment's voxels when it was punched (non-zero: in), on maskGeometry's grid of maskDims; a
  // volume on another grid reads it at each voxel centre's nearest mask voxel (outside: not in).
  std::shared_ptr<const std::vector<uint8_t>> mask;
  Geometry maskGeometry;
  std::array<int64_t, 3> maskDims{0, 0, 0};
  bool keepInside = false;
  std::string name;                         // what the view lists: "lasso" or the segment's name
  bool operator==(const Punch3D& o) const;  // the same cut or the same snapshot, and side
};

// A lasso drawn on the 3D view (scissorsCutOnImage's cut).
Punch3D lassoPunch(const ScissorsCut& cut, bool keepInside);
// Segment `segment` of sg as it is now. seg.edit_bad_segment for no such segment; seg.punch_empty
// when it holds no voxel (removing nothing, or keeping nothing, is never what was meant).
Result<Punch3D> segmentPunch(const Segmentation& sg, size_t segment, bool keepInside);
// The segments' voxels together, as one punch ("Liver + Portal vein"): keeping several keeps them all.
Result<Punch3D> segmentPunch(const Segmentation& sg, const std::vector<size_t>& segments, bool keepInside);

// The 3D view's line about its punches: "punched: lasso, lasso kept, Liver kept" (each punch's name,
// "kept" for a keepInside one); empty without punches.
std::string punchLine(const std::vector<Punch3D>& punches);

// The punches in order, with undo and redo: each add or clear is one step, the last kHistory kept.
class Punches3D {
 public:
  const std::vector<Punch3D>& list() const { return list_; }
  bool empty() const { return list_.empty(); }
  void add(Punch3D p);
  void clear();  // nothing when there are none
  bool undo();   // false when there is nothing to undo
  bool redo();
  bool canUndo() const { return !undo_.empty(); }
  bool canRedo() const { return !redo_.empty(); }
  static constexpr size_t kHistory = 32;

 private:
  std::vector<Punch3D> list_;
  std::vector<std::vector<Punch3D>> undo_, redo_;
};

// Which voxels of a grid (g, dims) the punches remove, in order (a keepInside punch removes what
// lies outside it, on top of what earlier punches removed): 1 removed, 0 kept, x fastest. The
// scissors' codes for a bad cut (seg.edit_bad_polygon).
Result<std::vector<uint8_t>> punchedVoxels(const Geometry& g, const std::array<int64_t, 3>& dims,
                                           const std::vector<Punch3D>& punches);

// The phases the 3D view draws under punches, shared by its renderers (thread-safe): phase `phase`
// of v with the punches, made once and kept while they and v's voxels (`revision`: the caller's count
// of their changes in place) stay the same. Without punches, v and phase themselves (and v's copies
// are dropped). A copy is made outside the lock: find never waits for one being made, get does.
class PunchedPhases {
 public:
  struct Drawn {
    std::shared_ptr<const Volume> volume;
    int phase = 0;
  };
  // A copy of the one phase (phase 0 of the copy; geometry, info and that phase's sources as v's)
  // whose removed voxels hold the phase's lowest value. render.bad_request for a bad phase or a
  // colour volume; punchedVoxels' errors; volume.* when the copy cannot be made.
  Result<Drawn> get(const std::shared_ptr<const Volume>& v, int phase, uint64_t revision,
                    const std::vector<Punch3D>& punches);
  // The same when it is kept (or there are no punches), nothing while it is not made, and the error
  // when the last try to make it failed (so that a renderer that never waits says why): never makes
  // one, never waits.
  Result<std::optional<Drawn>> find(const std::shared_ptr<const Volume>& v, int phase, uint64_t revision,
                                    const std::vector<Punch3D>& punches);
  size_t kept() const;  // copies kept (tests)

 private:
  struct Key {
    uint64_t serial = 0;
    int phase = 0;
    uint64_t revision = 0;
    std::vector<Punch3D> punches;
    bool operator==(const Key& o) const {
      return serial == o.serial && phase == o.phase && revision == o.revision && punches == o.punches;
    }
  };
  struct Entry {
    Key key;
    std::shared_ptr<const Volume> drawn;
  };
  std::optional<Drawn> lookup(const Key& key);  // under mutex_
  // The copy (outside mutex_); the removed voxels of the last grid and punches are kept (maskMutex_),
  // so that the phases of a 4D series are punched without testing the voxels again.
  Result<std::shared_ptr<const Volume>> make(const Volume& v, int phase, const std::vector<Punch3D>& punches);
  mutable std::mutex mutex_;
  std::condition_variable made_;
  std::list<Entry> entries_;                 // most recent first; at most kKept
  std::vector<Key> making_;                  // copies being made
  std::list<std::pair<Key, Error>> failed_;  // the last tries that failed (at most kKept)
  // Copies kept: a volume and a fused layer, each for a preview and a worker, or every phase of a 4D
  // series (and two more), so that a loop punched once plays from its copies.
  static constexpr size_t kKept = 4;
  std::mutex maskMutex_;
  Geometry maskGeometry_;
  std::array<int64_t, 3> maskDims_{0, 0, 0};
  std::vector<Punch3D> maskPunches_;
  std::vector<uint8_t> mask_;
};

}  // namespace cvx::view
