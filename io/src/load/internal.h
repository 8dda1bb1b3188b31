// Private: where decoded frames go (straight into the volume, or staged for tiles, rescale and
// resampling) and the resampling pass.
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

#include <cvx/io/dicom.h>

namespace cvx::io::detail {

// Native little-endian fast path (offset verified by the scan); see load_native.cpp.
bool nativeFastPathApplies(const FileHeader& h);
Status readNativeFrames(const FileHeader& h, const std::vector<std::pair<uint32_t, std::byte*>>& frames);

// io.over_budget when the plan, as options reduce it, needs more than the budget (budget.cpp).
Status checkBudget(const SeriesPlan& plan, const LoadOptions& options);

class StagingPlan {
 public:
  // `plan` is the plan as loaded (reducedPlan); `step` the in-plane reduction and `srcCols`,
  // `srcRows` the slice size before it (a mosaic tile's size for a mosaic).
  StagingPlan(const SeriesPlan& plan, Volume& vol, std::function<void(int64_t)> onReady = {}, int step = 1,
              int64_t srcCols = 0, int64_t srcRows = 0);
  // Decodes the given plan.slices of one file. Thread-safe for distinct files.
  Status decodeFile(const FileHeader& h, const std::vector<size_t>& sliceIndices);
  // Resamples staged slices onto the output grid (uneven spacing, missing slices). An output slice
  // that would draw on a failed source slice is left zero and not ready.
  void finish();

 private:
  Status decodeFileInto(const FileHeader& h, const std::vector<size_t>& sliceIndices);
  std::byte* target(size_t sliceIndex);
  void place(const FileHeader& h, const SliceRef& ref, const std::byte* frame, std::byte* dst) const;
  void recordSource(const FileHeader& h, size_t sliceIndex);

  void ready(int64_t index);
  const SeriesPlan& plan_;
  std::function<void(int64_t)> onReady_;
  Volume& vol_;
  bool direct_ = false;               // frames decode straight into the volume
  size_t step_ = 1;                   // keep every step_-th column and row
  size_t srcCols_ = 0, srcRows_ = 0;  // a source slice's size before the reduction
  size_t srcSlices_ = 0;              // source slices per phase
  std::vector<std::byte> staged_;     // resampling input: srcSlices_ * dims[3] slices of vol type
  std::vector<SliceSource> srcInfo_;  // provenance of staged slices
  std::vector<uint8_t> srcFailed_;    // staged slices whose file failed (1 each)
};

}  // namespace cvx::io::detail
