// SPDX-License-Identifier: MIT
// raycastCpuSlabs: the out-of-core cast of hd/raycast_slab.h on the CPU.
#include <cvx/core/backend.h>
#include <cvx/core/hd/raycast_slab.h>
#include <cvx/core/raycast_slabs.h>
#include <cvx/core/reslice.h>
#include <cvx/render/raycast.h>
#include <cvx/render/simd.h>

#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "raycast_avx2.h"
#include "raycast_tiles.h"

namespace cvx::render {
namespace {

// One tile's spans in the slab held by s (flatten: as detail::tilePixels).
template <class Sampler>
CVX_FLATTEN void slabTile(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s,
                          const RaySlab& slab, int x0, int y0, int x1, int y1, int width,
                          hd::RayState* states) {
  const hd::NoSecond* none = nullptr;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      hd::castSlab(p, tf, s, none, x, y, slab.zLo, slab.zHi, states[static_cast<size_t>(y) * width + x]);
}

// Every pixel's span in the slab held by s.
template <class Sampler>
Status castSlab(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s, const RaySlab& slab,
                int width, int height, hd::RayState* states, ThreadPool& pool) {
  return detail::forTiles(width, height, pool, [&](int x0, int y0, int x1, int y1) {
    slabTile(p, tf, s, slab, x0, y0, x1, y1, width, states);
  });
}

template <class T>
Status castAll(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
               const std::vector<RaySlab>& slabs, const std::vector<int>& order, int width, int height,
               hd::RayState* states, ThreadPool& pool) {
  int64_t most = 0;
  for (const RaySlab& s : slabs) most = std::max(most, s.bufEnd - s.bufBegin);
  const size_t sliceBytes = v.sliceBytes();
  std::unique_ptr<std::byte[]> buffer(new (std::nothrow) std::byte[static_cast<size_t>(most) * sliceBytes]);
  if (!buffer) return makeError("render.out_of_memory", "no memory for a slab of the volume");
  for (int i : order) {
    const RaySlab& slab = slabs[static_cast<size_t>(i)];
    const int64_t n = slab.bufEnd - slab.bufBegin;
    std::memcpy(buffer.get(), v.slice(slab.bufBegin, phase), static_cast<size_t>(n) * sliceBytes);
    hd::SlabSampler<hd::GridSampler<T>> s;
    static_cast<hd::GridSampler<T>&>(s) = gridSampler(v, reinterpret_cast<const T*>(buffer.get()));
    s.dims.nz = static_cast<int>(n);
    s.zOff = static_cast<float>(slab.bufBegin);
    Status st;
#if CVX_AVX2_KERNELS
    if constexpr (detail::kPairVoxel<T>)
      if (simdLevel() == Simd::Avx2 && detail::avx2Fits(s)) {
        st = castSlab(p, tf, detail::Avx2Batch<hd::SlabSampler<hd::GridSampler<T>>>(s), slab, width, height, states,
                      pool);
        if (!st.ok()) return st;
        continue;
      }
#endif
    st = castSlab(p, tf, s, slab, width, height, states, pool);
    if (!st.ok()) return st;
  }
  return {};
}

}  // namespace

Status raycastCpuSlabs(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                       size_t budgetBytes, int width, int height, float* rgba, float* depth, float* value,
                       ThreadPool* pool, int* slabCount) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  auto slabs = planSlabs(v.dims(), v.sliceBytes(), p, budgetBytes);
  if (!slabs.ok()) return slabs.error();
  auto order = slabOrder(slabs.value(), p.cam);
  if (!order.ok()) return order.error();
  if (slabCount) *slabCount = static_cast<int>(slabs.value().size());
  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  std::vector<hd::RayState> states;
  try {
    states.resize(static_cast<size_t>(width) * static_cast<size_t>(height));
  } catch (const std::bad_alloc&) {
    return makeError("render.out_of_memory", "no memory for the rays' state");
  }
  CVX_TRY(withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    return castAll<T>(v, phase, p, tf, slabs.value(), order.value(), width, height, states.data(), tp);
  }));
  return detail::forTiles(width, height, tp, [&](int x0, int y0, int x1, int y1) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) {
        const size_t i = static_cast<size_t>(y) * width + x;
        detail::storePixel(hd::finishSlabs(p, tf, x, y, states[i]), i, rgba, depth, value);
      }
  });
}

}  // namespace cvx::render
