// Decoded frames to voxels: direct, or via a scratch frame (mosaic tiles, per-slice rescale).
#include <algorithm>
#include <cstring>

#include "decode/decode.h"
#include "load/internal.h"

namespace cvx::io::detail {
namespace {

template <class T>
void toFloat(const std::byte* src, size_t n, double slope, double inter, float* dst) {
  const T* s = reinterpret_cast<const T*>(src);
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(s[i] * slope + inter);
}

void convertToFloat(PixelType from, const std::byte* src, size_t n, double slope, double inter, float* dst) {
  switch (from) {
    case PixelType::UInt8: toFloat<uint8_t>(src, n, slope, inter, dst); break;
    case PixelType::Int16: toFloat<int16_t>(src, n, slope, inter, dst); break;
    case PixelType::UInt16: toFloat<uint16_t>(src, n, slope, inter, dst); break;
    case PixelType::Float32: toFloat<float>(src, n, slope, inter, dst); break;
    case PixelType::RGB8:
    case PixelType::RGB16:
    case PixelType::RGB32: std::memset(dst, 0, n * sizeof(float)); break;
  }
}

Status decodeAnyUnchecked(const FileHeader& h, const std::vector<FrameDest>& dests);

// The fast native read when it applies, else the full decoder; no exception escapes.
Status decodeAny(const FileHeader& h, const std::vector<FrameDest>& dests) {
  try {
    return decodeAnyUnchecked(h, dests);
  } catch (const std::exception& e) {
    return makeError("dicom.decode_failed", std::string("decoder raised: ") + e.what(), h.path);
  } catch (...) {
    return makeError("dicom.decode_failed", "decoder raised an unknown exception", h.path);
  }
}

Status decodeAnyUnchecked(const FileHeader& h, const std::vector<FrameDest>& dests) {
  if (nativeFastPathApplies(h)) {
    std::vector<std::pair<uint32_t, std::byte*>> frames;
    for (const auto& d : dests) {
      if (d.frame >= h.numberOfFrames) return makeError("dicom.bad_frame", "frame number out of range", h.path);
      frames.emplace_back(d.frame, d.dst);
    }
    return readNativeFrames(h, frames);
  }
  return decodeFrames(h.path, h.pixel, dests);
}

}  // namespace

StagingPlan::StagingPlan(const SeriesPlan& plan, Volume& vol, std::function<void(int64_t)> onReady, int step,
                         int64_t srcCols, int64_t srcRows)
    : plan_(plan), onReady_(std::move(onReady)), vol_(vol), step_(static_cast<size_t>(std::max(1, step))),
      srcCols_(static_cast<size_t>(srcCols > 0 ? srcCols : plan.dims[0])),
      srcRows_(static_cast<size_t>(srcRows > 0 ? srcRows : plan.dims[1])) {
  const bool tiles = !plan.slices.empty() && plan.slices.front().tile >= 0;
  direct_ = step_ == 1 && !plan.resampled && !tiles && plan.type == plan.pixel.storedType() &&
            !(plan.type == PixelType::Float32 && plan.info.rescaleApplied);  // float32 counts to be rescaled
  const size_t phases = static_cast<size_t>(plan.dims[3]);
  srcSlices_ = plan.slices.size() / phases;
  if (plan.resampled) {
    staged_.resize(plan.slices.size() * vol.sliceBytes());
    srcInfo_.resize(plan.slices.size());
    srcFailed_.resize(plan.slices.size());
  }
}

std::byte* StagingPlan::target(size_t i) {
  if (plan_.resampled) return staged_.data() + i * vol_.sliceBytes();
  const size_t nz = static_cast<size_t>(plan_.dims[2]);
  return vol_.slice(static_cast<int64_t>(i % nz), static_cast<int64_t>(i / nz));
}

void StagingPlan::recordSource(const FileHeader& h, size_t i) {
  const SliceSource src{h.path, plan_.slices[i].frame, h.sopInstanceUid};
  if (plan_.resampled) {
    srcInfo_[i] = src;
    return;
  }
  vol_.sources[i] = src;
  ready(static_cast<int64_t>(i));
}

void StagingPlan::ready(int64_t index) {
  vol_.markSliceReady(index);
  if (onReady_) onReady_(index);
}

// Copies one decoded frame (stored type, file's rows x cols) into a slice, row by row: the tile
// cut-out of a mosaic, every step_-th column and row of a reduced load, and the per-slice rescale
// to float as the plan requires.
void StagingPlan::place(const FileHeader& h, const SliceRef& ref, const std::byte* frame, std::byte* dst) const {
  const PixelType st = h.pixel.storedType();
  const size_t bpv = bytesPerVoxel(st);
  const size_t cols = static_cast<size_t>(plan_.dims[0]), rows = static_cast<size_t>(plan_.dims[1]);
  const bool toFloat = plan_.type == PixelType::Float32 && (st != PixelType::Float32 || plan_.info.rescaleApplied);
  const size_t outBpv = toFloat ? sizeof(float) : bpv;
  size_t tx = 0, ty = 0;
  if (ref.tile >= 0) {
    const size_t perRow = h.pixel.cols / srcCols_;
    tx = static_cast<size_t>(ref.tile) % perRow;
    ty = static_cast<size_t>(ref.tile) / perRow;
  }
  std::vector<std::byte> kept(step_ > 1 ? cols * bpv : 0);  // one row's kept voxels
  for (size_t y = 0; y < rows; ++y) {
    const std::byte* src = frame + ((ty * srcRows_ + y * step_) * h.pixel.cols + tx * srcCols_) * bpv;
    if (step_ > 1) {
      for (size_t x = 0; x < cols; ++x) std::memcpy(kept.data() + x * bpv, src + x * step_ * bpv, bpv);
      src = kept.data();
    }
    std::byte* out = dst + y * cols * outBpv;
    if (toFloat) convertToFloat(st, src, cols, ref.rescaleSlope, ref.rescaleIntercept, reinterpret_cast<float*>(out));
    else std::memcpy(out, src, cols * bpv);
  }
}

Status StagingPlan::decodeFile(const FileHeader& h, const std::vector<size_t>& idx) {
  Status st = decodeFileInto(h, idx);
  // A file that fails leaves its slices blank (zero), never stale memory.
  if (!st)
    for (size_t i : idx) {
      std::memset(target(i), 0, vol_.sliceBytes());
      if (plan_.resampled) srcFailed_[i] = 1;
    }
  return st;
}

Status StagingPlan::decodeFileInto(const FileHeader& h, const std::vector<size_t>& idx) {
  if (direct_) {
    std::vector<FrameDest> dests;
    for (size_t i : idx) dests.push_back({plan_.slices[i].frame, target(i)});
    Status st = decodeAny(h, dests);
    if (!st) return st;
    for (size_t i : idx) recordSource(h, i);
    return {};
  }
  // Staged: decode each distinct frame once into scratch, then place every slice that uses it. The
  // scratch holds at most kLoadScratchBytes (or one frame): a multi-frame file is decoded in
  // chunks of frames, so that the load never holds a second copy of the series.
  const size_t frameBytes = static_cast<size_t>(h.pixel.rows) * h.pixel.cols * bytesPerVoxel(h.pixel.storedType());
  std::vector<uint32_t> frames;
  for (size_t i : idx)
    if (std::find(frames.begin(), frames.end(), plan_.slices[i].frame) == frames.end())
      frames.push_back(plan_.slices[i].frame);
  const size_t chunk = std::max<size_t>(1, kLoadScratchBytes / std::max<size_t>(frameBytes, 1));
  std::vector<std::byte> scratch(std::min(chunk, frames.size()) * frameBytes);
  for (size_t first = 0; first < frames.size(); first += chunk) {
    const size_t count = std::min(chunk, frames.size() - first);
    std::vector<FrameDest> dests;
    for (size_t k = 0; k < count; ++k) dests.push_back({frames[first + k], scratch.data() + k * frameBytes});
    Status st = decodeAny(h, dests);
    if (!st) return st;
    for (size_t i : idx) {
      const auto at = std::find(frames.begin() + static_cast<std::ptrdiff_t>(first),
                                frames.begin() + static_cast<std::ptrdiff_t>(first + count), plan_.slices[i].frame);
      if (at == frames.begin() + static_cast<std::ptrdiff_t>(first + count)) continue;  // another chunk's
      const size_t k = static_cast<size_t>(at - frames.begin()) - first;
      place(h, plan_.slices[i], scratch.data() + k * frameBytes, target(i));
      recordSource(h, i);
    }
  }
  return {};
}

}  // namespace cvx::io::detail
