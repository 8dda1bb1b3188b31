// SPDX-License-Identifier: MIT
// The window's segmentation editing (issue 12): one view::SegEditor per segmentation of the viewer
// state, each journaled in the user's data folder (<AppData>/segmentations) from its first edit,
// so that after a crash the next start offers every edit back (recoverPending). Brush strokes come
// from the 2D views (Paint and Erase tools), new segments and plugin results from the Segments dock;
// all of them go through here, so they are undoable and journaled. Qt-free apart from the owner.
#pragma once
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/viewstate/seg_edit.h>
#include <cvx/viewstate/seg_journal.h>
#include <cvx/viewstate/state.h>

namespace cvx::viewer {

class SegEditing {
 public:
  SegEditing(view::ViewerState& state, std::string journalDir);
  // A clean end: every journal is closed and removed (the edits are in the segmentations, which
  // the user saves as files).
  ~SegEditing();
  SegEditing(const SegEditing&) = delete;
  SegEditing& operator=(const SegEditing&) = delete;

  double brushMm = 3;         // the brush's radius
  bool brushSphere = false;  // a 2D view's dabs are spheres rather than disks in its plane
  // Only voxels whose value (modality units of the series read: HU for CT, Bq/ml for PET) lies in
  // [first, second] are painted or erased; none: every voxel under the brush.
  std::optional<std::pair<double, double>> brushRange;
  // The series (Volume::serial of an image layer) whose values brushRange reads; 0, or a series no
  // longer open: the segment's own.
  uint64_t brushRangeSerial = 0;

  // A stroke on the active segment (with brushRange: against brushRangeSerial's volume, else its
  // own image layer's, at the state's phase; low and high in either order); a stroke still open (its
  // release lost) ends first. seg.edit_* errors, seg.no_active (no active segment).
  Status beginStroke(view::BrushMode mode);
  // A 2D view's dab: a disk in the view plane (centre on it, its normal), or a sphere with brushSphere.
  Status dab(Vec3 centre, Vec3 normal);
  // The 3D view's dab: always a sphere about the point picked on the rendering.
  Status dabSphere(Vec3 centre);
  Status endStroke();
  bool inStroke() const { return stroke_ != nullptr; }

  // An outline on a 2D view's plane (normal: the plane's) filled into the active segment one voxel thick
  // (SegEditor's BrushPolygon), or erased: one stroke, with brushRange as beginStroke takes it; one undo
  // step, journaled. beginStroke's errors, seg.edit_bad_polygon, seg.edit_bad_brush.
  Status fillOutline(const std::vector<Vec3>& points, Vec3 normal, view::BrushMode mode);
  // Islands on the active segment (SegEditor::island, 6-connected): the piece at patient point `at`
  // (its voxel; with `nearest`, for a point picked on a surface in 3D, else the segment's voxel nearest
  // it within one voxel) is kept and the rest removed, or that piece removed. One undo step, journaled.
  // seg.no_active, seg.edit_no_island.
  Status island(Vec3 at, bool keep, bool nearest = false);
  // Level tracing (view::levelTrace) for the active segment: the region at patient point `at` on its
  // grid's slice across `normal` (a 2D view's), read from the segment's own series at the state's
  // phase. The last trace is kept and handed out again (the same pointer) while nothing it read moved,
  // so that a mouse moving within one voxel neither traces nor outlines again.
  // seg.no_active, seg.no_series (the segment's series is not open), seg.edit_oblique,
  // seg.edit_flat, seg.edit_no_island, seg.edit_bad_brush (a zero normal), seg.edit_bad_range (a
  // colour series).
  Result<std::shared_ptr<const view::LevelTrace>> levelTrace(Vec3 at, Vec3 normal);
  // A trace filled into the active segment (or erased), with brushRange as beginStroke takes it: one
  // undo step, journaled. beginStroke's errors, seg.edit_bad_brush (a trace of another grid).
  Status fillTrace(const view::LevelTrace& t, view::BrushMode mode);
  // 3D scissors on the active segment (view::SegEditor::scissors): one undo step, journaled.
  // seg.no_active, seg.edit_bad_polygon.
  Status scissors(const view::ScissorsCut& cut, view::ScissorsMode mode);

  // Adds a segment (mask: voxels of image layer `layer`'s grid, or null for an empty one) to a
  // segmentation over that layer (targetFor: the active one, or without an active segment the one
  // edited last, when it is over that layer; else the last over it; else a new one); it becomes the
  // active segment.
  Result<std::pair<int, int>> addSegment(Segment meta, const uint8_t* mask, int layer = 0);
  // The state segmentation addSegment(..., layer) adds to; -1: a new one.
  int targetFor(int layer) const;
  // Replaces segments of state segmentation `index` in one undo step (SegEditor::replaceMasks:
  // segments[k] gets the voxels where labels == k + 1; a seed plugin's result).
  Status replaceSegments(int index, const std::vector<size_t>& segments, const uint8_t* labels);

  // A run's result on the segment it read (a plugin whose manifest says replacesInput: fill between
  // slices), with the segmentation and the segment's number taken when the run started (indices may
  // have moved since). What the run changed is applied to the segment as it is now, so that strokes
  // painted during the run stay: voxels the result added to `input` go in, voxels it took out of
  // `input` go out, every other voxel stays as it is now; placed as SegEditor::place (no other
  // segment changes). One undo step, journaled. seg.segment_gone when the segmentation or the
  // segment was removed during the run; seg.edit_*.
  // `removals`: SegEditor::removals of that segmentation when the run started (removalsOf): a removal
  // since may have freed the number for another segment, so the result is then dropped too.
  // input and result: UInt8 volumes on the segmentation's grid (seg.segment_gone otherwise).
  Status applyRunResult(const Segmentation& seg, uint16_t number, uint64_t removals, const Volume& input,
                        const Volume& result);
  // SegEditor::removals of state segmentation `index` (its editor made on first use; 0 on an error).
  uint64_t removalsOf(int index);

  // Logical operators on the active segment with segment `other` of its segmentation
  // (SegEditor::combine): one undo step, journaled. seg.no_active, seg.edit_*.
  Status combineActive(view::SegLogic op, size_t other);

  // The active segment's name, colour and terms (SegEditor::setSegmentInfo), or its removal with its
  // voxels (removeSegment): one undo step each, journaled. seg.no_active, seg.edit_*.
  Status setActiveSegmentInfo(const Segment& info);
  Status removeActiveSegment();

  // Undo and redo of the active segmentation's edits (without an active segment, of the segmentation
  // edited last); false when there is nothing to undo/redo.
  bool undo();
  bool redo();

  // Journals left by sessions that did not end cleanly.
  std::vector<std::string> pending() const { return view::SegJournal::pending(dir_); }
  // Recovers each pending journal into the state over the first image layer of its grid (and
  // series, when the journal names one), journaled anew, the old file removed; returns how many.
  // Those on no open layer's grid are left for their series.
  Result<int> recoverPending();
  // For tests: ends without closing the journals, as a crash does.
  void abandonForTest() { abandoned_ = true; }

 private:
  struct TraceKey {  // what a trace read: the series (its serial and slices loaded), phase, slice, seed
    uint64_t source = 0;
    int64_t ready = -1, phase = -1;
    int axis = -1;
    std::array<int64_t, 3> seed{};
    bool operator==(const TraceKey&) const = default;
  };
  TraceKey traceKey_;
  std::weak_ptr<Segmentation> traceSeg_;   // and on whose grid
  std::shared_ptr<const view::LevelTrace> trace_;  // the last trace, for traceKey_ and traceSeg_
  // An outline or a trace as one stroke of one dab (fillOutline, fillTrace): one undo step, or none when
  // the dab is refused.
  Status oneDab(view::BrushMode mode, const std::function<Status(view::SegEditor&)>& dab);
  struct Entry {
    std::shared_ptr<Segmentation> seg;
    std::unique_ptr<view::SegJournal> journal;
    std::unique_ptr<view::SegEditor> editor;
  };
  Result<Entry*> entryOf(int index);  // the editor of state segmentation `index`, made on first use
  int indexOf(const Segmentation* s) const;

  view::ViewerState& state_;
  std::string dir_;
  std::map<const Segmentation*, Entry> entries_;
  view::SegEditor* stroke_ = nullptr;
  std::shared_ptr<const Volume> strokeSource_;  // the value range's volume while a stroke is open
  // The segmentation edited last: Undo, Redo and New segment act on it while no segment is active
  // (all of its segments removed, or their adding undone).
  const Segmentation* lastEdited_ = nullptr;
  int editedIndex() const;  // the active segmentation, else lastEdited_'s index (-1: none)
  void edited(int index);   // segmentation `index` changed: remembered, and the state told
  bool step(bool back);     // undo (back) or redo
  bool abandoned_ = false;
};

}  // namespace cvx::viewer
