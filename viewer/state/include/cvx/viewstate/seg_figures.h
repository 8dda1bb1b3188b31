// SPDX-License-Identifier: MIT
// The Segments dock's figures, computed off the UI thread (issue 12): every segment's volume (the
// table's mL column) and the active segment's statistics and PET uptake, as rows of the segment
// report (seg_report.h). On a liver-sized segment over a large CT the statistics and the uptake take
// a few hundred milliseconds, and a label map of a hundred organs needs a pass per layer for its
// volumes: done on the UI thread after every brush stroke, the window froze. Qt-free.
//
// update() takes, on the state's thread, a SegmentReportSource (the labels copied) of each
// segmentation whose figures are missing or out of date, and computes them on a worker; collect()
// takes them. A segmentation's figures are out of date when its revision changed (an edit), the
// phase shown of its series or of the PET changed, more of their slices loaded, the PET it reads or
// its SUV factor changed, or, for the active segmentation, the active segment did (only the active
// segment's uptake is computed, and a PERCIST liver reference's: SegmentReportRow::petMeasured; every
// segment's in a segmentation holding a lesion on a PET with a reference, percistReadsPet; over
// a 4D series the active segment's time-intensity curve, redone as more phases load). Between an edit and its figures the
// last ones stay readable: the dock shows them until the new ones arrive.
#pragma once
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <vector>

#include <cvx/viewstate/seg_report.h>
#include <cvx/viewstate/state.h>

namespace cvx::view {

namespace detail {
// What a segmentation's figures were computed from.
struct SegFiguresKey {
  uint64_t revision = 0;
  uint64_t image = 0;  // Volume::serial
  int64_t phase = 0;
  int64_t imageReady = 0;  // loaded slices of the phase shown: figures of a series still loading are redone
  uint64_t pet = 0;
  int64_t petPhase = 0;
  int64_t petReady = 0;
  double suvFactor = 0;
  int petOnly = SegmentReportSource::kNoPet;
  int curveOf = -1;          // the active segment over a 4D series: its curve (seg_curve.h)
  int64_t phasesLoaded = 0;  // then the series' phases loaded whole (the curve's points)
  bool operator==(const SegFiguresKey&) const = default;
};
struct SegFiguresEntry {
  std::weak_ptr<const Segmentation> owner;  // expired: another segmentation may hold its address now
  SegFiguresKey key;
  std::vector<SegmentReportRow> rows;
  Diagnostic error;
};
}  // namespace detail

class SegmentFigures {
 public:
  SegmentFigures() = default;
  ~SegmentFigures();  // waits for a job in flight
  SegmentFigures(const SegmentFigures&) = delete;
  SegmentFigures& operator=(const SegmentFigures&) = delete;

  // Starts a job for the segmentations whose figures are out of date, unless one runs (call again
  // after collect()). Forgets the figures of segmentations that are gone. True when a job started.
  bool update(const ViewerState& s);
  // Takes a finished job; true when it brought figures.
  bool collect();
  bool busy() const { return job_.valid(); }
  // Whether every segmentation of s has figures, and up to date ones.
  bool current(const ViewerState& s) const;
  // Drops segmentation i's figures, so that the next update() computes them again.
  void forget(const ViewerState& s, int i);
  // The last figures of segment k of segmentation i (perhaps of an earlier revision; for another
  // segment count after an edit, none); null when there are none yet.
  const SegmentReportRow* row(const ViewerState& s, int i, int k) const;
  // Why segmentation i has no figures (its copy or the worker failed: volume.*, seg.figures_failed),
  // else empty. A row's own error (rows' statistics or uptake) is in the row.
  Diagnostic error(const ViewerState& s, int i) const;
  // update() until current(s), waiting for each job (tests; a headless caller).
  void computeNow(const ViewerState& s);

 private:
  using Key = detail::SegFiguresKey;
  using Entry = detail::SegFiguresEntry;
  Key keyOf(const ViewerState& s, int i) const;
  const Entry* entryOf(const ViewerState& s, int i) const;  // segmentation i's figures, or null
  std::map<const Segmentation*, Entry> cache_;
  std::future<std::vector<std::pair<const Segmentation*, Entry>>> job_;
};

}  // namespace cvx::view
