// SPDX-License-Identifier: MIT
// GrowCut on the GPU: the host prepares the ROI as cvx::seg does (the hd rules: seeds' box, ROI,
// range), then one thread per ROI voxel runs hd::growCutUpdate per iteration, double-buffered.
// Iterations go in batches; each writes whether any voxel changed into its own flag, and the host
// reads a batch's flags at once: the first iteration that changed nothing is the convergence (the
// state is then a fixed point, so the batch's later iterations leave it as it is).
#include <cvx/core/hd/growcut.h>
#include <cvx/core/seg_inputs.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/growcut.h>

#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "check.h"

namespace cvx::cuda {
namespace {

constexpr int kBatch = 32;

__global__ void growCutKernel(hd::GrowCutGrid g, const float* I, const uint8_t* L, const float* S,
                              uint8_t* L2, float* S2, int* flag) {
  const int64_t x = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t y = static_cast<int64_t>(blockIdx.y) * blockDim.y + threadIdx.y;
  const int64_t z = blockIdx.z;
  bool changed = false;
  if (x < g.nx && y < g.ny) {
    const int64_t p = (z * g.ny + y) * g.nx + x;
    changed = hd::growCutUpdate(g, I, L, S, x, y, z, L2[p], S2[p]);
  }
  if (__syncthreads_or(changed) && threadIdx.x == 0 && threadIdx.y == 0) *flag = 1;
}

Error badParameter(const std::string& m) { return makeError("seg.bad_parameter", m); }

// The checks of cvx::seg::growCut, with its codes.

// The ROI's intensities as floats, its seeds' labels; lo and hi of the intensities.
template <class T>
void load(const T* src, const Volume& vol, const uint8_t* seeds, const hd::Box3i& roi, std::vector<float>& I,
          std::vector<uint8_t>& L, float& lo, float& hi) {
  const int64_t nx = vol.dims()[0], ny = vol.dims()[1];
  for (int64_t lz = 0; lz < roi.nz(); ++lz)
    for (int64_t ly = 0; ly < roi.ny(); ++ly) {
      const int64_t in = ((roi.z0 + lz) * ny + roi.y0 + ly) * nx + roi.x0;
      const int64_t out = (lz * roi.ny() + ly) * roi.nx();
      for (int64_t lx = 0; lx < roi.nx(); ++lx) {
        const float v = static_cast<float>(src[in + lx]);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        I[out + lx] = v;
        L[out + lx] = seeds[in + lx];
      }
    }
}

}  // namespace

Result<GrowCutOutput> growCut(const Volume& vol, const Volume& seeds, const hd::GrowCutOptions& o,
                              Progress* progress) try {
  CVX_TRY(cvx::seginputs::growCut(vol, seeds, o));
  const int64_t nx = vol.dims()[0], ny = vol.dims()[1], nz = vol.dims()[2];
  const auto cancelled = [&] { return progress && progress->cancelled(); };
  const Error cancelError = makeError("seg.cancelled", "the segmentation was cancelled");
  if (progress) progress->setTotal(progress->total() + o.maxIterations + 2);

  hd::Box3i box = hd::emptyBox();
  for (int64_t z = 0; z < nz; ++z) hd::growBoxBySlice(box, seeds.as<uint8_t>() + z * nx * ny, nx, ny, z);
  if (box.empty()) return makeError("seg.bad_seed", "GrowCut needs at least one seed voxel");
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  const Vec3 sp = vol.geometry.spacingMm;
  GrowCutOutput res;
  res.roi = hd::growCutRoi(box, nx, ny, nz, sp[0], sp[1], sp[2], o.marginMm);
  const hd::Box3i roi = res.roi;
  if (roi.nz() > 65535) return badParameter("the GrowCut ROI has more than 65535 slices");

  const size_t n = static_cast<size_t>(roi.count());
  std::vector<float> I(n), S(n);
  std::vector<uint8_t> L(n);
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  const std::byte* raw = vol.slice(0, o.t);
  const uint8_t* sd = seeds.as<uint8_t>();
  switch (vol.type()) {
    case PixelType::UInt8:
      load(reinterpret_cast<const uint8_t*>(raw), vol, sd, roi, I, L, lo, hi);
      break;
    case PixelType::Int16:
      load(reinterpret_cast<const int16_t*>(raw), vol, sd, roi, I, L, lo, hi);
      break;
    case PixelType::UInt16:
      load(reinterpret_cast<const uint16_t*>(raw), vol, sd, roi, I, L, lo, hi);
      break;
    default:
      load(reinterpret_cast<const float*>(raw), vol, sd, roi, I, L, lo, hi);
      break;
  }
  for (size_t i = 0; i < n; ++i) S[i] = L[i] ? 1.0f : 0.0f;
  res.range = hd::growCutRange(o.range, lo, hi);
  const hd::GrowCutGrid grid{roi.nx(), roi.ny(), roi.nz(), o.connectivity, res.range};
  if (progress) progress->add(1);
  if (cancelled()) return cancelError;

  detail::DeviceBytes dI, dL[2], dS[2], dFlags;
  CVX_CUDA_TRY(cudaMalloc(&dI.p, n * sizeof(float)));
  for (int b = 0; b < 2; ++b) {
    CVX_CUDA_TRY(cudaMalloc(&dL[b].p, n));
    CVX_CUDA_TRY(cudaMalloc(&dS[b].p, n * sizeof(float)));
  }
  CVX_CUDA_TRY(cudaMalloc(&dFlags.p, kBatch * sizeof(int)));
  CVX_CUDA_TRY(cudaMemcpy(dI.p, I.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  CVX_CUDA_TRY(cudaMemcpy(dL[0].p, L.data(), n, cudaMemcpyHostToDevice));
  CVX_CUDA_TRY(cudaMemcpy(dS[0].p, S.data(), n * sizeof(float), cudaMemcpyHostToDevice));

  const dim3 block(32, 8, 1);
  const dim3 blocks(static_cast<unsigned>((roi.nx() + 31) / 32), static_cast<unsigned>((roi.ny() + 7) / 8),
                    static_cast<unsigned>(roi.nz()));
  int from = 0, sweeps = 0;
  int flags[kBatch];
  while (sweeps < o.maxIterations && !res.converged) {
    if (cancelled()) return cancelError;
    const int batch = std::min(kBatch, o.maxIterations - sweeps);
    CVX_CUDA_TRY(cudaMemset(dFlags.p, 0, kBatch * sizeof(int)));
    for (int k = 0; k < batch; ++k) {
      growCutKernel<<<blocks, block>>>(
          grid, static_cast<const float*>(dI.p), static_cast<const uint8_t*>(dL[from].p),
          static_cast<const float*>(dS[from].p), static_cast<uint8_t*>(dL[1 - from].p),
          static_cast<float*>(dS[1 - from].p), static_cast<int*>(dFlags.p) + k);
      from = 1 - from;
    }
    CVX_CUDA_TRY(cudaGetLastError());
    CVX_CUDA_TRY(cudaMemcpy(flags, dFlags.p, batch * sizeof(int), cudaMemcpyDeviceToHost));
    for (int k = 0; k < batch; ++k) {
      ++sweeps;
      if (progress) progress->add(1);
      if (!flags[k]) {
        res.converged = true;  // a fixed point: the batch's remaining iterations changed nothing
        break;
      }
      ++res.iterations;
    }
  }
  if (progress) progress->add(o.maxIterations - sweeps + 1);
  CVX_CUDA_TRY(cudaMemcpy(L.data(), dL[from].p, n, cudaMemcpyDeviceToHost));

  auto out = Volume::create(PixelType::UInt8, {nx, ny, nz, 1});
  if (!out.ok()) return out.error();
  (*out)->geometry = vol.geometry;
  uint8_t* o8 = (*out)->as<uint8_t>();
  for (int64_t lz = 0; lz < roi.nz(); ++lz)
    for (int64_t ly = 0; ly < roi.ny(); ++ly)
      std::memcpy(o8 + ((roi.z0 + lz) * ny + roi.y0 + ly) * nx + roi.x0,
                  L.data() + (lz * roi.ny() + ly) * roi.nx(), static_cast<size_t>(roi.nx()));
  res.labels = *out;
  return res;
} catch (const std::bad_alloc&) {
  return makeError("seg.out_of_memory", "out of memory during segmentation");
}

}  // namespace cvx::cuda
