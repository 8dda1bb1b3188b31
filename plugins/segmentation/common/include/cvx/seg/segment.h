// SPDX-License-Identifier: MIT
// The segmentation algorithms on the CPU (cvx::seg): the reference that the plugins run and that a
// CUDA implementation is tested against. The per-voxel rules are cvx/core/hd/segment.h; what each
// function does, exactly, is docs/segmentation.md ("Algorithms and rules").
//
// Conventions of every function here:
//  - Intensity inputs are Int16, UInt16, UInt8 or Float32 volumes, read at phase t (default 0);
//    values are the stored values (thresholds are in the same units).
//  - Mask inputs are UInt8 volumes; a voxel is foreground when it is not 0; phase 0 is read.
//  - A mask output is a new UInt8 volume of the same x, y, z dims, t = 1, values 0 or 1, with a
//    copy of the input's Geometry.
//  - progress (optional) receives setTotal/add as work is done; a cancel makes the function
//    return seg.cancelled.
//  - Errors: seg.bad_pixel_type, seg.bad_phase, seg.bad_connectivity, seg.bad_range, seg.bad_seed,
//    seg.bad_radius, seg.bad_bins, seg.bad_classes, seg.flat_histogram, seg.cancelled, plus
//    Volume::create's codes when memory runs out (docs/errors.md).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/progress.h>
#include <cvx/core/volume.h>

namespace cvx::seg {

using VolumePtr = std::shared_ptr<Volume>;

struct Index3 {
  int64_t x = 0, y = 0, z = 0;
};

// ---- Thresholds and region growing ----------------------------------------------------------

// 1 where lo <= v <= hi. lo > hi gives an empty mask; NaN bounds are seg.bad_range.
Result<VolumePtr> threshold(const Volume& vol, double lo, double hi, int64_t t = 0,
                            Progress* progress = nullptr);

// Seeded region growing: the voxels with lo <= v <= hi that are connected (6 or 26) to a seed
// through such voxels. A seed outside the volume is seg.bad_seed; a seed whose own value is out
// of range grows nothing (as ITK's ConnectedThresholdImageFilter).
Result<VolumePtr> connectedThreshold(const Volume& vol, const std::vector<Index3>& seeds, double lo,
                                     double hi, int connectivity = 6, int64_t t = 0,
                                     Progress* progress = nullptr);

// The hottest voxel near a seed: the largest value within the ball of radiusMm (hd::inBall over the
// volume's spacing, as the morphology's) about `seed`, clipped to the volume; NaN voxels are passed
// over; of equal values the first in raster order (z, then y, then x) wins. Radius 0: the seed
// itself. A PET lesion's peak (docs/segmentation.md, "Lesion"). seg.bad_seed (outside the volume, or
// no number in the ball), seg.bad_radius.
struct Peak {
  Index3 at;
  double value = 0;  // stored value
};
Result<Peak> peakNear(const Volume& vol, Index3 seed, double radiusMm, int64_t t = 0);

// A lesion's surroundings: the median stored value of the voxels in the shell about `centre` between
// the balls of innerMm and outerMm (in the ball of outerMm, not in that of innerMm: hd::inBall over
// the volume's spacing, as peakNear's), clipped to the volume, NaN voxels passed over; of an even
// count, the mean of the two middle values. The median, so that another hot structure in part of
// the shell moves it little. seg.bad_radius (a radius negative or not a number, outer not above
// inner or infinite, a spacing that is not positive), seg.bad_seed (centre outside the volume),
// seg.bad_shell (no number in the shell: the volume within the inner ball, or the shell all NaN).
Result<double> shellMedian(const Volume& vol, Index3 centre, double innerMm, double outerMm, int64_t t = 0);

// ---- Connected components -------------------------------------------------------------------

namespace detail {
// Large blocks come from mmap with MAP_POPULATE (one kernel pass instead of a page fault per 4 KiB,
// which dominated labelling; see STACK.md, "Memory"), small ones from operator new.
void* allocateLabels(size_t bytes);
void freeLabels(void* p, size_t bytes) noexcept;
}  // namespace detail

// The allocator of label arrays: it default-initialises (leaves uint32_t unset) instead of
// zeroing, since a label array is written whole, in parallel, and takes populated pages.
template <class T>
struct DefaultInitAllocator {
  using value_type = T;
  DefaultInitAllocator() = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}  // NOLINT(implicit)
  T* allocate(size_t n) { return static_cast<T*>(detail::allocateLabels(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { detail::freeLabels(p, n * sizeof(T)); }
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const DefaultInitAllocator<U>&) const noexcept {
    return true;
  }
};
using LabelVector = std::vector<uint32_t, DefaultInitAllocator<uint32_t>>;

// The labels of a mask's foreground components: labels[i] for voxel i (x fastest, then y, then z)
// is 0 for background and 1..count for the components, numbered in the raster order of each
// component's first voxel. voxels[l] is the size of component l (voxels[0]: the background).
struct Components {
  std::array<int64_t, 3> dims{0, 0, 0};
  Geometry geometry;
  LabelVector labels;
  std::vector<int64_t> voxels;
  uint32_t count() const { return voxels.empty() ? 0 : static_cast<uint32_t>(voxels.size() - 1); }
  // The labels as a UInt16 volume; seg.too_many_labels when count() > 65535.
  Result<VolumePtr> toVolume() const;
};

Result<Components> labelComponents(const Volume& mask, int connectivity = 26, Progress* progress = nullptr);
// The largest component (ties: the one that comes first in raster order); an empty mask stays empty.
Result<VolumePtr> keepLargest(const Volume& mask, int connectivity = 26, Progress* progress = nullptr);
// Drops the components of fewer than minVoxels voxels.
Result<VolumePtr> removeSmallIslands(const Volume& mask, int64_t minVoxels, int connectivity = 26,
                                     Progress* progress = nullptr);
// The fewest voxels whose volume (voxels x sx*sy*sz mm^3 / 1000, computed in that product) is at
// least minMl millilitres: the rule removeSmallIslandsMl keeps by. seg.bad_parameter for a negative
// or infinite minMl or a spacing that is not positive.
Result<int64_t> minVoxelsForMl(const Volume& mask, double minMl);
// Drops the components whose volume (voxels x sx*sy*sz mm^3 / 1000) is below minMl millilitres.
Result<VolumePtr> removeSmallIslandsMl(const Volume& mask, double minMl, int connectivity = 26,
                                       Progress* progress = nullptr);

// ---- Morphology (the ball of hd::inBall; radius in mm, >= 0) ---------------------------------
// dilate: 1 where the ball centred on the voxel meets the foreground (outside the volume is
// background). erode: 1 where the ball lies inside the foreground (outside the volume counts as
// foreground, as ITK's BinaryErodeImageFilter by default). open = dilate(erode), close =
// erode(dilate). The ball's extent is limited to 255 voxels per axis (seg.bad_radius).
Result<VolumePtr> dilate(const Volume& mask, double radiusMm, Progress* progress = nullptr);
Result<VolumePtr> erode(const Volume& mask, double radiusMm, Progress* progress = nullptr);
Result<VolumePtr> open(const Volume& mask, double radiusMm, Progress* progress = nullptr);
Result<VolumePtr> close(const Volume& mask, double radiusMm, Progress* progress = nullptr);

// The ball's offsets (i,j,k) in voxels for a radius and spacing, x fastest: the structuring
// element that dilate and erode use (for tests, previews and other implementations).
Result<std::vector<Index3>> ballOffsets(double radiusMm, const Vec3& spacingMm);

// Background that cannot reach the border of the volume through background voxels (connected
// with `connectivity`, the background's connectivity) becomes foreground.
Result<VolumePtr> fillHoles(const Volume& mask, int connectivity = 6, Progress* progress = nullptr);

// ---- Fill between slices (docs/segmentation.md, "Fill between slices") ------------------------
// A segment drawn on some slices across one grid axis (0: i, 1: j, 2: k) gets its empty slices
// between two drawn ones filled by shape-based interpolation: each drawn slice's signed distance
// map (mm, in-plane spacing honoured: exact Euclidean distances between pixel centres, negative
// inside), and a slice at fraction t of the way from drawn slice a to drawn slice b takes the
// pixels where (1 - t) D_a + t D_b < 0. Drawn slices, and slices before the first or after the last
// drawn one, are unchanged; the output is 0/1. axis -1: fillAxis's. seg.bad_parameter for another
// axis or a spacing that is not positive, seg.no_gaps (auto) when no axis has a gap.
Result<VolumePtr> fillBetweenSlices(const Volume& mask, int axis = -1, Progress* progress = nullptr);
// The axis with the most empty slices between its first and last drawn ones (a segment drawn on
// every third axial slice: k; its rows and columns have none); ties: k, then j, then i.
// seg.no_gaps when none has any.
Result<int> fillAxis(const Volume& mask);

// ---- Otsu -----------------------------------------------------------------------------------
// Histogram of phase t over [min, max] of its values (NaN skipped) with `bins` bins of the
// hd::binOf rule; bins = 0 picks one bin per stored value for integer types (max - min + 1, at
// most 65536) and 256 for Float32. Bin b stands for its centre. The thresholds maximise the
// between-class variance over the bins (ties: the lowest bins). A threshold is the upper edge of
// the last bin of its class, hd::binEdge(k + 1); a voxel's class is that of its bin.
struct OtsuResult {
  double threshold = 0;  // the upper class starts here: v >= threshold
  int bins = 0;          // the bin count used
  VolumePtr mask;        // 1 for the upper class
};
Result<OtsuResult> otsu(const Volume& vol, int bins = 0, int64_t t = 0, Progress* progress = nullptr);

struct MultiOtsuResult {
  std::vector<double> thresholds;  // classes - 1 of them, increasing
  int bins = 0;
  VolumePtr labels;  // UInt8, 0 .. classes - 1
};
// classes 2..8; classes x bins^2 is limited to 2e9 (seg.bad_bins beyond).
Result<MultiOtsuResult> multiOtsu(const Volume& vol, int classes, int bins = 0, int64_t t = 0,
                                  Progress* progress = nullptr);

}  // namespace cvx::seg
