// SPDX-License-Identifier: MIT
// The texture unit's trilinear fetch as the ray caster's sampler (private to the cuda module): the
// phase on the device is copied once into a 3D CUDA array, and TextureSampler<T>::sample is one
// tex3D instead of GridSampler's 8 loads and 7 lerps, issued kBatch at a time along the ray. Its gradient stays GridSampler's (exact, from
// the linear copy). The texture filters with 8-bit fractional weights (CUDA C++ Programming Guide,
// "Linear Filtering"): a sample differs from the exact trilinear by at most 1/512 of the largest
// difference between its 8 voxels (a few HU at a bone edge).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include <cvx/core/hd/reslice.h>

#include "check.h"

namespace cvx::cuda::detail {

// Whether T has a texture path (the integer types read normalized, float as is).
template <class T>
inline constexpr bool kTextured = std::is_same_v<T, int16_t> || std::is_same_v<T, uint16_t> ||
                                  std::is_same_v<T, uint8_t> || std::is_same_v<T, float>;

// The texture's normalized value times this is the stored value (cudaReadModeNormalizedFloat maps
// the full range of the integer type to [-1, 1] or [0, 1]).
template <class T>
constexpr float textureScale() {
  if constexpr (std::is_same_v<T, int16_t>) return 32767.0f;
  else if constexpr (std::is_same_v<T, uint16_t>) return 65535.0f;
  else if constexpr (std::is_same_v<T, uint8_t>) return 255.0f;
  else return 1.0f;
}

template <class T>
struct TextureSampler : hd::GridSampler<T> {
  cudaTextureObject_t tex = 0;
  float scale = 1.0f;  // textureScale<T>() * slope
  CVX_HD_INLINE float sample(hd::Vec3f p) const {
#if defined(__CUDA_ARCH__)
    return tex3D<float>(tex, p.x + 0.5f, p.y + 0.5f, p.z + 0.5f) * scale + this->intercept;
#else
    return hd::GridSampler<T>::sample(p);
#endif
  }
  // kBatch fetches issued together (hd::RayReader), so that their latencies overlap. 512^3 plain
  // at 1080p on an H200: 1 5.37 ms, 2 4.77, 4 4.00, 8 3.82, 16 4.06 (docs/benchmarks.md).
  static constexpr int kBatch = 8;
  CVX_HD_INLINE void rayBatch(hd::Vec3f o, hd::Vec3f d, float t0, float j, float step, int k, float* out) const {
    CVX_UNROLL
    for (int i = 0; i < kBatch; ++i) out[i] = sample(o + d * (t0 + (static_cast<float>(k + i) + j) * step));
  }
};

template <class S>
inline constexpr bool kIsTexture = false;
template <class T>
inline constexpr bool kIsTexture<TextureSampler<T>> = true;

// A phase's 3D array and its texture object, made from the linear copy on the device.
struct DeviceTexture {
  cudaArray_t array = nullptr;
  cudaTextureObject_t tex = 0;
  bool refused = false;  // make() failed (or did not fit) for this copy: not tried again until reset()
  DeviceTexture() = default;
  DeviceTexture(const DeviceTexture&) = delete;
  DeviceTexture& operator=(const DeviceTexture&) = delete;
  ~DeviceTexture() { reset(); }
  void reset() {
    if (tex) cudaDestroyTextureObject(tex);
    if (array) cudaFreeArray(array);
    tex = 0;
    array = nullptr;
    refused = false;
  }
  // From nx*ny*nz voxels of T at device address src (the linear copy), the copy into the array
  // issued on `stream` (the legacy default stream unless given: the prefetch's, raycast_prefetch.h).
  template <class T>
  Status make(const T* src, int64_t nx, int64_t ny, int64_t nz, cudaStream_t stream = 0) {
    reset();
    const cudaChannelFormatDesc desc = cudaCreateChannelDesc<T>();
    const cudaExtent extent = make_cudaExtent(static_cast<size_t>(nx), static_cast<size_t>(ny), static_cast<size_t>(nz));
    CVX_CUDA_TRY(cudaMalloc3DArray(&array, &desc, extent));
    cudaMemcpy3DParms copy{};
    copy.srcPtr = make_cudaPitchedPtr(const_cast<T*>(src), static_cast<size_t>(nx) * sizeof(T),
                                      static_cast<size_t>(nx), static_cast<size_t>(ny));
    copy.dstArray = array;
    copy.extent = extent;
    copy.kind = cudaMemcpyDeviceToDevice;
    CVX_CUDA_TRY(cudaMemcpy3DAsync(&copy, stream));
    cudaResourceDesc res{};
    res.resType = cudaResourceTypeArray;
    res.res.array.array = array;
    cudaTextureDesc td{};
    td.addressMode[0] = td.addressMode[1] = td.addressMode[2] = cudaAddressModeClamp;
    td.filterMode = cudaFilterModeLinear;
    td.readMode = std::is_same_v<T, float> ? cudaReadModeElementType : cudaReadModeNormalizedFloat;
    td.normalizedCoords = 0;
    CVX_CUDA_TRY(cudaCreateTextureObject(&tex, &res, &td, nullptr));
    return {};
  }
};

}  // namespace cvx::cuda::detail
