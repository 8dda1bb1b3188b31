// SPDX-License-Identifier: MIT
// How cvx volumes and cvx's ball become ITK objects, shared by the ITK segmentation comparisons
// (itk_seg_util.h, the tests) and by bench/bench_segment (the same setup, timed): no gtest here.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <itkFlatStructuringElement.h>
#include <itkImage.h>

#include <cvx/core/volume.h>
#include <cvx/seg/segment.h>

namespace cvx::test {

template <class T>
using Img = itk::Image<T, 3>;

// A copy of phase 0 of v as an ITK image with its spacing.
template <class T>
typename Img<T>::Pointer toItk(const Volume& v) {
  auto img = Img<T>::New();
  typename Img<T>::SizeType size;
  for (int i = 0; i < 3; ++i) size[i] = static_cast<itk::SizeValueType>(v.dims()[i]);
  img->SetRegions(typename Img<T>::RegionType(size));
  const double sp[3] = {v.geometry.spacingMm.x, v.geometry.spacingMm.y, v.geometry.spacingMm.z};
  img->SetSpacing(sp);
  img->Allocate();
  std::memcpy(img->GetBufferPointer(), v.data(), static_cast<size_t>(v.voxelsPerPhase()) * sizeof(T));
  return img;
}

using SE = itk::FlatStructuringElement<3>;

// ITK's flat structuring element holding exactly the given offsets (cvx's ball from
// seg::ballOffsets): the same element for both, applied by independent implementations.
inline SE seFromOffsets(const std::vector<seg::Index3>& offs) {
  int64_t e[3] = {0, 0, 0};
  for (const auto& o : offs)
    e[0] = std::max(e[0], std::abs(o.x)), e[1] = std::max(e[1], std::abs(o.y)),
    e[2] = std::max(e[2], std::abs(o.z));
  auto img = Img<bool>::New();
  Img<bool>::SizeType size = {{static_cast<itk::SizeValueType>(2 * e[0] + 1),
                               static_cast<itk::SizeValueType>(2 * e[1] + 1),
                               static_cast<itk::SizeValueType>(2 * e[2] + 1)}};
  img->SetRegions(Img<bool>::RegionType(size));
  img->Allocate();
  img->FillBuffer(false);
  for (const auto& o : offs) img->SetPixel({{o.x + e[0], o.y + e[1], o.z + e[2]}}, true);
  return SE::FromImage(img);
}

// Stored value of a modality value (HU for a CT).
inline double storedOf(const Volume& v, double hu) {
  return (hu - v.info.rescaleIntercept) / v.info.rescaleSlope;
}

}  // namespace cvx::test
