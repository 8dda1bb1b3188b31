// Resampling staged source slices onto the regular output grid along the stack.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "load/internal.h"

namespace cvx::io::detail {
namespace {

template <class T>
void lerpSlice(const std::byte* a, const std::byte* b, double w, size_t n, std::byte* out) {
  const T* pa = reinterpret_cast<const T*>(a);
  const T* pb = reinterpret_cast<const T*>(b);
  T* po = reinterpret_cast<T*>(out);
  for (size_t i = 0; i < n; ++i) {
    const double v = (1.0 - w) * pa[i] + w * pb[i];
    if constexpr (std::is_floating_point_v<T>) po[i] = static_cast<T>(v);
    else po[i] = static_cast<T>(std::lround(v));
  }
}

void lerp(PixelType t, const std::byte* a, const std::byte* b, double w, size_t voxels, std::byte* out) {
  switch (t) {
    case PixelType::UInt8: lerpSlice<uint8_t>(a, b, w, voxels, out); break;
    case PixelType::Int16: lerpSlice<int16_t>(a, b, w, voxels, out); break;
    case PixelType::UInt16: lerpSlice<uint16_t>(a, b, w, voxels, out); break;
    case PixelType::Float32: lerpSlice<float>(a, b, w, voxels, out); break;
    case PixelType::RGB8: lerpSlice<uint8_t>(a, b, w, voxels * 3, out); break;
    case PixelType::RGB16: lerpSlice<uint16_t>(a, b, w, voxels * 3, out); break;
    case PixelType::RGB32: lerpSlice<uint32_t>(a, b, w, voxels * 3, out); break;
  }
}

}  // namespace

void StagingPlan::finish() {
  if (!plan_.resampled) return;
  const auto& s = plan_.sourcePositionsMm;
  const size_t nzOut = static_cast<size_t>(plan_.dims[2]);
  const size_t phases = static_cast<size_t>(plan_.dims[3]);
  const size_t bytes = vol_.sliceBytes();
  const double step = plan_.geometry.spacingMm.z;
  for (size_t t = 0; t < phases; ++t)
    for (size_t z = 0; z < nzOut; ++z) {
      const double pos = static_cast<double>(z) * step;
      size_t k = static_cast<size_t>(std::upper_bound(s.begin(), s.end(), pos) - s.begin());
      k = std::clamp<size_t>(k, 1, srcSlices_ - 1) - 1;
      const double w = std::clamp((pos - s[k]) / (s[k + 1] - s[k]), 0.0, 1.0);
      const std::byte* a = staged_.data() + (k + t * srcSlices_) * bytes;
      const std::byte* b = staged_.data() + (k + 1 + t * srcSlices_) * bytes;
      std::byte* out = vol_.slice(static_cast<int64_t>(z), static_cast<int64_t>(t));
      const bool failedA = srcFailed_[k + t * srcSlices_] && w < 1 - 1e-6;
      const bool failedB = srcFailed_[k + 1 + t * srcSlices_] && w > 1e-6;
      if (failedA || failedB) {
        std::memset(out, 0, bytes);  // blank, not half a slice: the load report lists it
        continue;
      }
      lerp(vol_.type(), a, b, w, static_cast<size_t>(vol_.voxelsPerSlice()), out);
      const size_t idx = z + t * nzOut;
      if (w < 1e-6) vol_.sources[idx] = srcInfo_[k + t * srcSlices_];
      else if (w > 1 - 1e-6) vol_.sources[idx] = srcInfo_[k + 1 + t * srcSlices_];
      else vol_.sources[idx] = SliceSource{};  // interpolated: no single source
      ready(static_cast<int64_t>(idx));
    }
}

}  // namespace cvx::io::detail
