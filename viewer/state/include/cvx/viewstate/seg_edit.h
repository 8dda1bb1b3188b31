// SPDX-License-Identifier: MIT
// Segmentation editing without Qt: a paint/erase brush (3D sphere or 2D disk, radius in mm),
// 3D scissors, segment add/remove/rename/recolour, and undo/redo that keep only the changed
// bricks. Works on a cvx::Segmentation and patient-space (LPS mm) geometry, sheared and oblique
// grids included. docs/segmentation.md, "Editing, undo and the journal".
//
// Brush rules (p = Geometry::worldAt(i, j, k), the centre of voxel (i, j, k)):
//  - sphere (centre c, radius r): the voxel is inside when |p - c| <= r.
//  - disk (centre c, unit normal n of the view plane, radius r): with d = n . (p - c), the voxel
//    is inside when -h <= d < h and |(p - c) - d n| <= r, where h = max over the grid's three
//    axes a of |n . (direction[a] * spacing[a])| / 2: half the largest distance along n between
//    two voxel centres adjacent along one grid axis. An axis-aligned plane paints exactly one
//    slice (the half-open interval breaks ties); an oblique plane paints a sheet one voxel thick
//    along the grid axis most parallel to n (a "naive" digital plane: no holes, no doubling).
//  Only the voxels in the brush's bounding box (from voxelFromWorld) are visited.
//  - a value range (BrushRange, optional per stroke): only voxels whose source value, in the
//    source's units (modalityValue: HU for CT, Bq/ml for PET), lies in [lo, hi] are painted or
//    erased, read at the stroke's phase. The source is the segmentation's own series (on its grid:
//    the voxel's value) or any other volume, placed by its geometry in the same patient space (the
//    caller picks one of the same frame of reference: a PET over a CT's segmentation): the source
//    trilinearly interpolated at the voxel's centre (core/reslice.h's gridSampler), a centre
//    outside the source's voxel box never being in range.
//  - paint sets the segment's label in its layer, overwriting another segment of the same layer
//    there (segments of other layers are untouched); erase clears (to 0) only voxels that hold
//    this segment's label.
//  - a stroke (beginStroke, dab..., endStroke) is one undo step; between two dabs, intermediate
//    dabs are added so that consecutive centres are at most r/2 apart (r: the smaller radius).
//
// Undo: a step keeps, per changed brick (16^3 voxels of one layer, seg_journal.h), its bytes
// run-length encoded: before-images while it is undoable, after-images once undone (undo and redo
// swap a brick's stored image with the layer's content). The history holds at most
// historyLimitBytes (default 256 MiB); the oldest steps are dropped beyond it (the newest step is
// always kept). A new step clears the redo steps.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/core/raycast.h>
#include <cvx/core/segmentation.h>
#include <cvx/core/volume.h>
#include <cvx/viewstate/level_trace.h>
#include <cvx/viewstate/scissors.h>
#include <cvx/viewstate/seg_journal.h>

namespace cvx::view {

constexpr size_t kDefaultHistoryBytes = size_t{256} << 20;

struct BrushSphere {
  Vec3 centre;  // LPS mm
  double radiusMm = 1;
};
struct BrushDisk {
  Vec3 centre;           // LPS mm, on the view plane
  Vec3 normal{0, 0, 1};  // the view plane's normal (normalised by the editor)
  double radiusMm = 1;
};
// An outline drawn on a view plane (the Draw tool): filled one voxel thick by the disk's rule, the
// voxels whose centres lie within h of the plane through points[0] with this normal (-h <= d < h) and
// project along the normal inside the outline (even-odd; points off that plane are projected onto it).
struct BrushPolygon {
  std::vector<Vec3> points;  // LPS mm, at least 3
  Vec3 normal{0, 0, 1};
};
enum class BrushMode : uint8_t { Paint, Erase };
// Logical operators between two segments (SegEditor::combine).
enum class SegLogic : uint8_t { Add, Intersect, Subtract, Invert, Copy };
// The brush changes only voxels whose source value lies in [lo, hi] (series' units, both inclusive).
struct BrushRange {
  const Volume* source = nullptr;  // must outlive the stroke
  int64_t phase = 0;
  double lo = 0, hi = 0;
};

// Whether voxel (x, y, z) of sg may change under range r (the rule above), as a stroke tests it;
// seg.edit_bad_range for a source of a pixel type no sampler reads (colour).
Result<std::function<bool(int64_t, int64_t, int64_t)>> rangeTest(const Segmentation& sg, const BrushRange& r);

// Half the disk's thickness along n for grid g (the rule above).
double diskHalfThicknessMm(const Geometry& g, Vec3 n);

class SegEditor {
 public:
  // seg and journal (optional) must outlive the editor.
  explicit SegEditor(Segmentation& seg, SegJournal* journal = nullptr);

  Segmentation& segmentation() { return seg_; }
  void setJournal(SegJournal* journal) { journal_ = journal; }
  void setHistoryLimitBytes(size_t bytes);
  size_t historyLimitBytes() const { return limit_; }

  // Strokes. Errors: seg.edit_bad_segment (no such segment), seg.edit_bad_brush (radius not > 0
  // or not finite, zero normal), seg.edit_no_stroke (a dab outside a stroke, or beginStroke inside
  // one), seg.edit_bad_range (a range without a source or its phase, of a pixel type no sampler
  // reads, lo > hi or not finite). endStroke returns the journal's error, if any (the edit stands).
  Status beginStroke(size_t segment, BrushMode mode, std::optional<BrushRange> range = std::nullopt);
  Status dab(const BrushSphere& s);
  Status dab(const BrushDisk& d);
  // An outline filled at once (no dabs added between it and another dab); seg.edit_bad_polygon for
  // under 3 points or no area, seg.edit_bad_brush for a zero or non-finite normal or point.
  Status dab(const BrushPolygon& p);
  // A level trace's region (level_trace.h) at once, within the brush's range; seg.edit_bad_brush for
  // a trace of another grid.
  Status dab(const LevelTrace& t);
  Status endStroke();
  bool inStroke() const { return stroke_.active; }

  // The voxels of `segment` whose centres project inside the polygon (even-odd rule) are erased
  // (EraseInside) or kept while all others are erased (KeepInside). One undo step.
  // Errors: seg.edit_bad_segment, seg.edit_bad_polygon (under 3 points, a degenerate polygon, a
  // view direction in its plane, or an eye on its plane).
  Status scissors(size_t segment, const ScissorsCut& cut, ScissorsMode mode);

  // Undoable segment steps. addSegment: mask = voxelsPerLayer() bytes (non-zero = in) or nullptr
  // for an empty segment; placed in the first layer where it overlaps nothing and a label is free
  // (labels of empty segments count as used), else a new layer. Returns its index.
  Result<size_t> addSegment(Segment meta, const uint8_t* mask);
  Status removeSegment(size_t segment);
  // Rename, recolour, terms: everything but layer and label (kept). seg.edit_bad_segment.
  Status setSegmentInfo(size_t segment, Segment info);
  // Replaces the voxels of `segment` by mask (voxelsPerLayer() bytes, non-zero = in; nullptr:
  // none), by the brush's rules: voxels now in take its label (over another segment of its layer
  // there), voxels no longer in are cleared. One undo step (a plugin's result on a segment).
  // seg.edit_bad_segment, seg.edit_no_stroke.
  Status replaceMask(size_t segment, const uint8_t* mask);
  // The same for several segments in one undo step: segments[k] gets the voxels where
  // labels == k + 1 (byLabel; a seed plugin's classes) or, with byLabel false, where labels != 0.
  Status replaceMasks(const std::vector<size_t>& segments, const uint8_t* labels, bool byLabel = true);
  // Logical operators (3D Slicer's effect of that name): segment `target` becomes its union with
  // `other` (Add), their intersection (Intersect), itself less `other` (Subtract), its complement in
  // the grid (Invert: `other` unread) or a copy of `other` (Copy). No other segment changes: where
  // the result would share a voxel with another segment of its layer, the segment moves to the first
  // layer where it overlaps none (Segmentation::slotFor; a new layer if none), as addSegment places
  // a new one. One undo step. seg.edit_bad_segment, seg.edit_no_stroke.
  Status combine(size_t target, SegLogic op, size_t other);
  // Replaces the voxels of `segment` by mask (voxelsPerLayer() bytes, non-zero = in; nullptr: none)
  // as combine places its result: no other segment changes (replaceMask's brush rule would take
  // their voxels). One undo step. seg.edit_bad_segment, seg.edit_no_stroke.
  Status place(size_t segment, const uint8_t* mask);
  // Islands: the piece of `segment` holding voxel `seed` (its voxels connected to the seed's through
  // faces, connectivity 6, or faces, edges and corners, 26) is kept and the rest of the segment removed
  // (keep), or that piece removed. One undo step (placed as place). seg.edit_no_island when the seed
  // is outside the grid or not in the segment; seg.bad_connectivity; seg.edit_bad_segment.
  Status island(size_t segment, std::array<int64_t, 3> seed, bool keep, int connectivity = 6);
  // Segments removed so far (removeSegment, an add undone, a removal redone): a segment's number
  // names the same segment while this count stays (a new segment takes the highest number plus one,
  // which a removal can free).
  uint64_t removals() const { return removals_; }

  bool canUndo() const { return !undo_.empty(); }
  bool canRedo() const { return !redo_.empty(); }
  size_t undoSteps() const { return undo_.size(); }
  size_t redoSteps() const { return redo_.size(); }
  // false when there is nothing to undo/redo (or a stroke is open).
  bool undo();
  bool redo();
  // Forgets every undo and redo step: call it when the segmentation changed outside the editor
  // (a plugin's output written into a layer, a file loaded), whose bricks the history does not
  // know. Such a change is not journalled either: start a new journal after it.
  void clearHistory();
  // Bytes held by the undo and redo steps (brick images and their bookkeeping).
  size_t historyBytes() const { return bytes_; }
  // The journal's last error (seg.journal_io), or ok.
  const Status& journalStatus() const { return journalStatus_; }

 private:
  struct BrickImage {
    BrickId id;
    std::vector<uint8_t> rle;
  };
  struct Step {
    std::vector<BrickImage> bricks;
    bool segmentsChanged = false;
    std::vector<Segment> otherSegments;  // the table to swap in on undo/redo
    size_t bytes = 0;
  };
  struct Open {  // the step being recorded
    std::vector<BrickId> ids;
    std::vector<std::vector<uint8_t>> before;  // run-length encoded before-images
    std::unordered_map<uint64_t, size_t> index;
    uint64_t lastKey = ~uint64_t{0};
    size_t lastIdx = 0;
  };
  struct StrokeState {
    bool active = false, hasLast = false;
    size_t segment = 0;
    BrushMode mode = BrushMode::Paint;
    Vec3 lastCentre;
    double lastRadius = 0;
    std::optional<BrushRange> range;
    std::function<bool(int64_t, int64_t, int64_t)> inRange;  // voxel (x, y, z) may change (range given)
  };

  // Called before voxel (x, y, z) of layer l is written: keeps its brick's before-image.
  void touch(uint32_t l, int64_t x, int64_t y, int64_t z);
  void openStep();
  // Closes the open step: drops unchanged bricks, pushes it, journals it.
  Status closeStep(bool segmentsChanged, std::vector<Segment> segmentsBefore);
  bool swapStep(Step& s, SegJournal::Op op);
  void trimHistory();
  static size_t stepBytes(const Step& s);
  void applySphere(const BrushSphere& s);
  void applyDisk(const BrushDisk& d);
  Status checkSegment(size_t segment) const;

  Segmentation& seg_;
  SegJournal* journal_ = nullptr;
  size_t limit_ = kDefaultHistoryBytes;
  std::deque<Step> undo_, redo_;  // undo_.front() is the oldest; redo_.back() is the next redo
  size_t bytes_ = 0;
  Open open_;
  StrokeState stroke_;
  Status journalStatus_;
  uint64_t removals_ = 0;
  int64_t nb_[3] = {0, 0, 0};     // bricks per axis
  std::vector<uint8_t> scratch_;  // one brick's bytes
};

}  // namespace cvx::view
