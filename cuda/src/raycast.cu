// SPDX-License-Identifier: MIT
// One thread per pixel running core/hd/raycast.h: the function the CPU back end runs.
#include <cvx/core/backend.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/reslice.h>
#include <cvx/cuda/device.h>
#include <cvx/cuda/raycast.h>

#include <cuda_runtime.h>

#include <cstdlib>
#include <string>
#include <vector>
#include <type_traits>

#include "check.h"
#include "raycast_resident.h"
#include "raycast_upload.h"

namespace cvx::cuda {
namespace {

// Threads a block (8 x 16: a warp is 8 x 4 pixels, whose rays fetch near each other), and per
// sampler the blocks an SM must hold at once: ptxas keeps a thread's registers within
// 65536 / (128 * blocks) so that enough warps hide the fetches' latency. Measured on an H200
// (docs/benchmarks.md, 2026-12-04, 512^3 plain at 1080p): the texture kernel at 5 blocks (96
// registers) 3.77 ms, at 4 3.83 ms, at 6 4.55 ms, unbounded 7.3 ms (without batches); 16 x 8
// 3.81 ms, 8 x 8 3.85 ms. The exact kernel spills badly under 128 registers: unbounded.
constexpr int kBlockX = 8, kBlockY = 16;
template <class S>
inline constexpr int kMinBlocks = detail::kIsTexture<S> ? 5 : 1;

// s2 (by value) is read only when Fused: shadePixel takes its address on the device. Fused is a
// template argument so that the single-volume kernel carries none of the fusion's registers.
template <class S, class S2, bool Fused>
__global__ void __launch_bounds__(kBlockX * kBlockY, kMinBlocks<S>)
    raycastKernel(hd::RaycastParams p, hd::TransferFunction1D tf, S s, S2 s2, int width, int height,
                  float4* rgba, float* depth, float* value) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x >= width || y >= height) return;
  const hd::PixelResult r = hd::shadePixel(p, tf, s, Fused ? &s2 : nullptr, x, y);
  detail::storePixel(r, static_cast<size_t>(y) * width + x, rgba, depth, value);
}

// The image of p and tf with the voxels already on the device (s, and s2 when fused), into out,
// copied back to the host buffers when rgba is not null.
template <class S, class T2>
Status castOnDevice(const S& s, const hd::GridSampler<T2>& s2, bool fused, hd::RaycastParams p,
                    hd::TransferFunction1D tf, int width, int height, detail::DeviceTables& tables,
                    detail::DeviceImage& out, float* rgba, float* depth, float* value) {
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  CVX_TRY(detail::uploadTables(p, tf, fused, pixels, tables));
  CVX_TRY(out.allocate(pixels));
  const dim3 block(kBlockX, kBlockY);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  if constexpr (!detail::kIsTexture<S>) {  // fused pairs take the exact sampler (castResident)
    if (fused) {
      raycastKernel<S, hd::GridSampler<T2>, true>
          <<<grid, block>>>(p, tf, s, s2, width, height, out.rgbaOut(), out.depthOut(), out.valueOut());
      CVX_CUDA_TRY(cudaGetLastError());
      return rgba ? out.download(rgba, depth, value) : Status{};
    }
  }
  raycastKernel<S, hd::GridSampler<T2>, false>
      <<<grid, block>>>(p, tf, s, s2, width, height, out.rgbaOut(), out.depthOut(), out.valueOut());
  CVX_CUDA_TRY(cudaGetLastError());
  if (!rgba) return {};  // the image stays on the device (raycastOnDevice)
  return out.download(rgba, depth, value);
}

}  // namespace

bool detail::tableTextures() {
  const char* e = std::getenv("CVX_CUDA_TF");
  return !(e && std::string(e) == "global");
}

// The texture unit samples (raycast_texture.h) unless CVX_CUDA_SAMPLER=exact: then GridSampler's
// exact trilinear, as the CPU back end.
bool detail::textureSampling() {
  static const bool on = [] {
    const char* e = std::getenv("CVX_CUDA_SAMPLER");
    return !(e && std::string(e) == "exact");
  }();
  return on;
}

size_t detail::phaseBytes(const Volume& v) {
  return static_cast<size_t>(v.voxelsPerPhase()) * bytesPerVoxel(v.type());
}

namespace {

using detail::phaseBytes;
using detail::textureSampling;

// Phase `phase` of v copied into c (c holds it after success).
Status upload(detail::DeviceCopy& c, const Volume& v, int64_t phase, uint64_t revision, uint64_t& uploads) {
  const size_t bytes = phaseBytes(v);
  c.volume = nullptr;  // until the copy is complete
  CVX_CUDA_TRY(c.voxels.reserve(bytes));
  c.texture.reset();
  CVX_CUDA_TRY(cudaMemcpy(c.voxels.p, v.slice(0, phase), bytes, cudaMemcpyHostToDevice));
  c.volume = &v, c.serial = v.serial(), c.phase = phase, c.revision = revision, c.bytes = bytes;
  ++uploads;
  return {};
}
Status keep(detail::DeviceCopy& c, const Volume& v, int64_t phase, uint64_t revision, uint64_t& uploads) {
  return c.holds(&v, phase, revision) ? Status{} : upload(c, v, phase, revision, uploads);
}

// The resident copy of the job's phase (raycastResident made room for it): found, or copied now. A
// copy the prefetch thread made (or is making) is waited for on the device: the frame's stream (the
// legacy default stream, which does not wait on the prefetch's non-blocking stream by itself)
// waits on its event; a prefetch that failed is dropped and the phase copied here.
Result<detail::DeviceCopy*> residentCopy(detail::ResidentCache& cache, const RaycastJob& j) {
  if (detail::DeviceCopy* hit = cache.phases.find(*j.volume, j.phase, j.revision)) {
    if (!hit->pending) return hit;
    if (hit->pending->wait()) {
      CVX_CUDA_TRY(cudaStreamWaitEvent(0, hit->pending->ready, 0));
      hit->pending.reset();
      return hit;
    }
    cache.phases.drop(hit);
  }
  auto& copies = cache.phases.copies;
  copies.push_back(std::make_shared<detail::DeviceCopy>());
  if (Status st = upload(*copies.back(), *j.volume, j.phase, j.revision, cache.uploads); !st.ok()) {
    copies.pop_back();
    return st.error();
  }
  return copies.back().get();
}

// T2: the fused volume's voxel type (float, unread, when not fused).
template <class T, class T2>
Status castResident(detail::ResidentCache& cache, const RaycastJob& j) {
  auto copy = residentCopy(cache, j);
  if (!copy) return copy.error();
  detail::DeviceCopy& first = **copy;
  const hd::GridSampler<T> s = gridSampler(*j.volume, static_cast<const T*>(first.voxels.p));
  hd::GridSampler<T2> s2;
  if (j.second) {
    CVX_TRY(keep(cache.second, *j.second, j.phase2, j.revision, cache.uploads));
    s2 = gridSampler(*j.second, static_cast<const T2*>(cache.second.voxels.p));
  }
  if constexpr (detail::kTextured<T>) {
    // Fused pairs and phases whose array would not fit (a second copy of the voxels) take the exact
    // sampler; so does a failed array (its error cleared).
    detail::DeviceTexture& t = first.texture;
    if (!j.second && textureSampling() && !t.tex && !t.refused) {
      const auto d = j.volume->dims();
      if (phaseBytes(*j.volume) > volumeBudgetBytes() ||
          !t.make(static_cast<const T*>(first.voxels.p), d[0], d[1], d[2]).ok()) {
        t.reset();
        t.refused = true;  // until this copy of the phase goes
        (void)cudaGetLastError();
      }
      if (t.tex) first.bytes += phaseBytes(*j.volume);  // the array: a second copy of the voxels
    }
    if (!j.second && t.tex) {
      detail::TextureSampler<T> ts;
      static_cast<hd::GridSampler<T>&>(ts) = s;
      ts.tex = t.tex;
      ts.scale = detail::textureScale<T>() * s.slope;
      return castOnDevice<detail::TextureSampler<T>, T2>(ts, s2, false, j.params, j.tf, j.width, j.height,
                                                         cache.tables, cache.out, j.rgba, j.depth, j.value);
    }
  }
  return castOnDevice<hd::GridSampler<T>, T2>(s, s2, j.second != nullptr, j.params, j.tf, j.width, j.height,
                                              cache.tables, cache.out, j.rgba, j.depth, j.value);
}

// One frame without a cache: the phases copied for this call only.
template <class T, class T2>
Status launch(const Volume& v, int64_t phase, const Volume* second, int64_t phase2, const hd::RaycastParams& p,
              const hd::TransferFunction1D& tf, int width, int height, float* rgba, float* depth, float* value) {
  detail::ResidentCache once;
  RaycastJob j;
  j.volume = &v, j.phase = phase, j.second = second, j.phase2 = phase2, j.params = p, j.tf = tf;
  j.width = width, j.height = height, j.rgba = rgba, j.depth = depth, j.value = value;
  return castResident<T, T2>(once, j);
}

// Calls f<T, T2>() for the job's voxel types (T2 = float when not fused).
template <class F>
Status withJobTypes(const Volume& v, const Volume* second, F&& f) {
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    switch (second ? second->type() : PixelType::Float32) {
      case PixelType::Int16: return f.template operator()<T, int16_t>();
      case PixelType::UInt16: return f.template operator()<T, uint16_t>();
      default: return f.template operator()<T, float>();
    }
  });
}

}  // namespace

Status raycast(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
               int height, float* rgba, float* depth, float* value) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  const size_t budget = volumeBudgetBytes();
  if (budget > 0 && phaseBytes(v) > budget) return raycastSlabs(v, phase, p, tf, budget, width, height, rgba, depth, value);
  return withJobTypes(v, nullptr, [&]<class T, class T2>() {
    return launch<T, T2>(v, phase, nullptr, 0, p, tf, width, height, rgba, depth, value);
  });
}

Status raycastFused(const Volume& v, int64_t phase, const Volume& second, int64_t phase2, const hd::RaycastParams& p,
                    const hd::TransferFunction1D& tf, int width, int height, float* rgba, float* depth, float* value) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  CVX_TRY(checkFusionRequest(second, phase2, p, width, height, rgba));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  return withJobTypes(v, &second, [&]<class T, class T2>() {
    return launch<T, T2>(v, phase, &second, phase2, p, tf, width, height, rgba, depth, value);
  });
}

namespace detail {

Status raycastResident(ResidentCache& cache, const RaycastJob& j) {
  if (!j.volume) return makeError("render.bad_request", "no volume");
  const Volume& v = *j.volume;
  // Without host buffers the image stays in cache.out (raycastOnDevice): the checks see that one.
  const void* out = j.rgba ? static_cast<const void*>(j.rgba) : static_cast<const void*>(&cache.out);
  CVX_TRY(checkRaycastRequest(v, j.phase, j.params, j.tf, j.width, j.height, out));
  if (j.second) CVX_TRY(checkFusionRequest(*j.second, j.phase2, j.params, j.width, j.height, out));
  if (auto dev = probeDevice(); !dev.ok()) return dev.error();
  if (!frameCopy(cache, v, j.phase, j.revision)) {
    // Room for the phase and its texture among the kept ones (the most recently drawn go first);
    // a phase the device cannot hold beside what is kept (the budget counts the free memory) takes
    // all of it, and one larger still is cast out of core.
    cache.phases.makeRoom(2 * phaseBytes(v), residentBudgetBytes());
    size_t budget = volumeBudgetBytes();
    if (budget > 0 && phaseBytes(v) > budget && !cache.phases.copies.empty()) {
      cache.phases.clear();
      budget = volumeBudgetBytes();
    }
    if (!j.second && budget > 0 && phaseBytes(v) > budget) {
      if (j.rgba) return raycastSlabs(v, j.phase, j.params, j.tf, budget, j.width, j.height, j.rgba, j.depth, j.value);
      // Out of core for the device image: cast through the host, then into cache.out.
      const size_t pixels = static_cast<size_t>(j.width) * static_cast<size_t>(j.height);
      std::vector<float> rgba(4 * pixels), depth(pixels), value(pixels);
      CVX_TRY(raycastSlabs(v, j.phase, j.params, j.tf, budget, j.width, j.height, rgba.data(), depth.data(),
                           value.data()));
      CVX_TRY(cache.out.allocate(pixels));
      CVX_CUDA_TRY(cudaMemcpy(cache.out.rgba.p, rgba.data(), rgba.size() * sizeof(float), cudaMemcpyHostToDevice));
      CVX_CUDA_TRY(cudaMemcpy(cache.out.depth.p, depth.data(), pixels * sizeof(float), cudaMemcpyHostToDevice));
      CVX_CUDA_TRY(cudaMemcpy(cache.out.value.p, value.data(), pixels * sizeof(float), cudaMemcpyHostToDevice));
      return {};
    }
  }
  return withJobTypes(v, j.second, [&]<class T, class T2>() { return castResident<T, T2>(cache, j); });
}

}  // namespace detail
}  // namespace cvx::cuda
