// SPDX-License-Identifier: MIT
// Threshold and Otsu on the GPU with cvx::seg's labels: one thread per voxel running hd::inRange;
// Otsu's min/max and histogram by atomics (integer counts, so the order of the atomics does not
// matter: the counts equal the CPU's), the split chosen on the host by cvx::otsuSplit, the CPU's
// code, and the mask written by hd::binOf on the device.
#include <cvx/core/hd/segment.h>
#include <cvx/core/otsu_split.h>

#include <climits>
#include <cmath>
#include <type_traits>

#include "segment_detail.h"

namespace cvx::cuda::seg {

using namespace detail;

namespace {

constexpr int kThreads = 256;
constexpr int kMaxBins = 65536;
constexpr int kSharedBins = 8192;  // histograms up to this many bins are counted in shared memory

template <class T>
__global__ void thresholdKernel(const T* __restrict__ v, int64_t n, double lo, double hi,
                                uint8_t* __restrict__ out) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x)
    out[i] = hd::inRange(v[i], lo, hi) ? 1 : 0;
}

// An order-preserving int key of a value (floats: the sign-magnitude bits folded).
template <class T>
__device__ int orderKey(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    const int i = __float_as_int(v);
    return i >= 0 ? i : i ^ INT_MAX;
  } else {
    return static_cast<int>(v);
  }
}
__host__ __device__ inline float keyToFloat(int k) {
  const int i = k >= 0 ? k : k ^ INT_MAX;
  float f;
  memcpy(&f, &i, sizeof f);
  return f;
}

template <class T>
__device__ bool countable(T v) {
  if constexpr (std::is_floating_point_v<T>)
    return isfinite(v);
  else
    return true;
}

// minMax[0] = min key, minMax[1] = max key over the countable values (INT_MAX, INT_MIN: none).
template <class T>
__global__ void minMaxKernel(const T* __restrict__ v, int64_t n, int* minMax) {
  int lo = INT_MAX, hi = INT_MIN;
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const T x = v[i];
    if (!countable(x)) continue;
    const int k = orderKey(x);
    lo = min(lo, k);
    hi = max(hi, k);
  }
  for (int o = 16; o > 0; o >>= 1) {
    lo = min(lo, __shfl_xor_sync(0xffffffffu, lo, o));
    hi = max(hi, __shfl_xor_sync(0xffffffffu, hi, o));
  }
  if ((threadIdx.x & 31) == 0) {
    atomicMin(&minMax[0], lo);
    atomicMax(&minMax[1], hi);
  }
}

template <class T>
__global__ void histogramKernel(const T* __restrict__ v, int64_t n, hd::Bins bins,
                                unsigned long long* counts) {
  extern __shared__ unsigned int local[];
  const bool shared = bins.count <= kSharedBins;
  if (shared)
    for (int b = threadIdx.x; b < bins.count; b += blockDim.x) local[b] = 0;
  __syncthreads();
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const T x = v[i];
    if (!countable(x)) continue;
    const int b = hd::binOf(bins, static_cast<double>(x));
    if (shared)
      atomicAdd(&local[b], 1u);
    else
      atomicAdd(&counts[b], 1ull);
  }
  if (!shared) return;
  __syncthreads();
  for (int b = threadIdx.x; b < bins.count; b += blockDim.x)
    if (local[b]) atomicAdd(&counts[b], static_cast<unsigned long long>(local[b]));
}

// The last bin of each class but the top one (cvx::otsuSplit's answer), by value to the kernel.
struct ClassEnds {
  int last[7];
  int count;
};

// The voxel's class: how many class ends lie below its bin (hd::binOf, NaN in bin 0 as on the CPU).
template <class T>
__global__ void classifyKernel(const T* __restrict__ v, int64_t n, hd::Bins bins, ClassEnds ends,
                               uint8_t* __restrict__ out) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const int b = hd::binOf(bins, static_cast<double>(v[i]));
    uint8_t c = 0;
    for (int k = 0; k < ends.count; ++k) c += b > ends.last[k];
    out[i] = c;
  }
}

// The device part of (multi-)Otsu: counts, then the split into `classes`, then the classes into out.
template <class T>
Status otsuDevice(const T* dv, int64_t n, int binsWanted, int classes, uint8_t* dOut, MultiOtsuResult& r) {
  DeviceBytes dMinMax, dCounts;
  CVX_CUDA_TRY(cudaMalloc(&dMinMax.p, 2 * sizeof(int)));
  const int init[2] = {INT_MAX, INT_MIN};
  CVX_CUDA_TRY(cudaMemcpy(dMinMax.p, init, sizeof init, cudaMemcpyHostToDevice));
  const unsigned grid = blocksFor(n, kThreads, 4096);
  if (n > 0) minMaxKernel<T><<<grid, kThreads>>>(dv, n, static_cast<int*>(dMinMax.p));
  CVX_CUDA_TRY(cudaGetLastError());
  int mm[2];
  CVX_CUDA_TRY(cudaMemcpy(mm, dMinMax.p, sizeof mm, cudaMemcpyDeviceToHost));
  double mn = 0, mx = 0;
  if (mm[0] <= mm[1]) {
    if constexpr (std::is_floating_point_v<T>) {
      mn = keyToFloat(mm[0]);
      mx = keyToFloat(mm[1]);
    } else {
      mn = mm[0];
      mx = mm[1];
    }
  }
  if (!(mm[0] <= mm[1]) || !(mn < mx))
    return makeError("seg.flat_histogram", "the volume holds a single value (or none): nothing to split");
  int bins = binsWanted;
  if (bins == 0)
    bins = std::is_integral_v<T> ? static_cast<int>(std::min<double>(mx - mn + 1, kMaxBins)) : 256;
  const hd::Bins h{mn, (mx - mn) / bins, bins};
  CVX_CUDA_TRY(cudaMalloc(&dCounts.p, sizeof(unsigned long long) * bins));
  CVX_CUDA_TRY(cudaMemset(dCounts.p, 0, sizeof(unsigned long long) * bins));
  const size_t shared = bins <= kSharedBins ? sizeof(unsigned int) * bins : 0;
  histogramKernel<T><<<grid, kThreads, shared>>>(dv, n, h, static_cast<unsigned long long*>(dCounts.p));
  CVX_CUDA_TRY(cudaGetLastError());
  std::vector<unsigned long long> c(static_cast<size_t>(bins));
  CVX_CUDA_TRY(cudaMemcpy(c.data(), dCounts.p, sizeof(unsigned long long) * bins, cudaMemcpyDeviceToHost));
  r.counts.assign(c.begin(), c.end());
  if (static_cast<double>(classes - 2) * bins * bins > 2e9)
    return makeError("seg.bad_bins", std::to_string(bins) + " bins are too many for " + std::to_string(classes) +
                                         " classes (classes - 2) x bins^2 <= 2e9");
  if (bins < classes) return makeError("seg.bad_bins", "fewer bins than classes");
  const std::vector<int> last = otsuSplit(r.counts.data(), h, classes);
  ClassEnds ends{};
  ends.count = static_cast<int>(last.size());
  for (size_t k = 0; k < last.size(); ++k) {
    ends.last[k] = last[k];
    r.thresholds.push_back(hd::binEdge(h, last[k] + 1));
  }
  r.bins = bins;
  classifyKernel<T><<<grid, kThreads>>>(dv, n, h, ends, dOut);
  CVX_CUDA_TRY(cudaGetLastError());
  return {};
}

}  // namespace

Status thresholdDevice(const DeviceVolume& in, double lo, double hi, uint8_t* out) {
  CVX_TRY(checkDevice(in, out));
  CVX_TRY(seginputs::bounds(lo, hi));
  const int64_t n = voxelCount(in);
  if (n <= 0) return {};
  withType(in.type, [&](auto tag) {
    using T = decltype(tag);
    thresholdKernel<T>
        <<<blocksFor(n, kThreads, 1u << 16), kThreads>>>(static_cast<const T*>(in.voxels), n, lo, hi, out);
  });
  CVX_CUDA_TRY(cudaGetLastError());
  return {};
}

Result<VolumePtr> threshold(const Volume& vol, double lo, double hi, int64_t t, Timing* timing) {
  CVX_TRY(seginputs::intensity(vol, t));
  CVX_TRY(seginputs::bounds(lo, hi));
  return hostRun(vol, t, timing,
                 [&](const DeviceVolume& in, uint8_t* out) { return thresholdDevice(in, lo, hi, out); });
}

Result<MultiOtsuResult> multiOtsu(const Volume& vol, int classes, int bins, int64_t t, Timing* timing) {
  CVX_TRY(seginputs::intensity(vol, t));
  if (classes < 2 || classes > 8)
    return makeError("seg.bad_classes", "multi-Otsu splits into 2..8 classes, not " + std::to_string(classes));
  if (bins < 0 || bins == 1 || bins > kMaxBins)
    return makeError("seg.bad_bins", "the bin count must be 0 (automatic) or 2.." + std::to_string(kMaxBins) +
                                         ", not " + std::to_string(bins));
  MultiOtsuResult r;
  auto labels = hostRun(vol, t, timing, [&](const DeviceVolume& in, uint8_t* out) {
    return withType(in.type, [&](auto tag) {
      using T = decltype(tag);
      return otsuDevice<T>(static_cast<const T*>(in.voxels), voxelCount(in), bins, classes, out, r);
    });
  });
  if (!labels.ok()) return labels.error();
  r.labels = *labels;
  return r;
}

Result<OtsuResult> otsu(const Volume& vol, int bins, int64_t t, Timing* timing) {
  auto m = multiOtsu(vol, 2, bins, t, timing);
  if (!m.ok()) return m.error();
  OtsuResult r;
  r.threshold = m->thresholds[0];
  r.bins = m->bins;
  r.counts = std::move(m->counts);
  r.mask = m->labels;
  return r;
}

}  // namespace cvx::cuda::seg
