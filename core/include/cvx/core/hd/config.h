// The one place that knows about nvcc: host/device annotations for code shared by both back ends.
#pragma once
#if defined(__CUDACC__)
#define CVX_HD __host__ __device__
#define CVX_HD_INLINE __host__ __device__ __forceinline__
#else
#define CVX_HD
#define CVX_HD_INLINE inline
#endif
// Unrolls the loop that follows under nvcc (g++ decides for itself).
#if defined(__CUDACC__)
#define CVX_UNROLL _Pragma("unroll")
#else
#define CVX_UNROLL
#endif
#if defined(__CUDA_ARCH__)
#define CVX_DEVICE_CODE 1
#else
#define CVX_DEVICE_CODE 0
#endif
