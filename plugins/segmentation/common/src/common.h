// SPDX-License-Identifier: MIT
// Private helpers of cvx::seg: input checks, output allocation, type dispatch, cancel and the
// worker pattern (one scratch buffer per worker, blocks handed out from an atomic counter).
#pragma once
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/progress.h>
#include <cvx/core/seg_inputs.h>
#include <cvx/core/thread_pool.h>
#include <cvx/core/volume.h>
#include <cvx/seg/segment.h>

namespace cvx::seg::detail {

struct Dims {
  int64_t nx = 0, ny = 0, nz = 0;
  int64_t slice() const { return nx * ny; }
  int64_t count() const { return nx * ny * nz; }
  bool contains(Index3 q) const { return q.x >= 0 && q.y >= 0 && q.z >= 0 && q.x < nx && q.y < ny && q.z < nz; }
};

inline Dims dimsOf(const Volume& v) { return {v.dims()[0], v.dims()[1], v.dims()[2]}; }

// Every public function catches std::bad_alloc (a function-try-block) and returns this instead.
inline Error outOfMemory() { return makeError("seg.out_of_memory", "out of memory during segmentation"); }

inline Error cancelledError() { return makeError("seg.cancelled", "the segmentation was cancelled"); }
inline bool cancelled(const Progress* p) { return p && p->cancelled(); }
inline void addProgress(Progress* p, int64_t n = 1) {
  if (p) p->add(n);
}
inline void addTotal(Progress* p, int64_t n) {
  if (p) p->setTotal(p->total() + n);
}

using seginputs::makeMask;  // a new UInt8 mask on like's grid, contents uninitialised

// fn(workerIndex, block) for every block in [0, blocks), spread over the global pool; each worker
// index is used by one thread at a time, so per-worker scratch needs no lock. Stops handing out
// blocks after a cancel.
inline Status forBlocks(int64_t blocks, Progress* progress, const std::function<void(int, int64_t)>& fn) {
  auto& pool = ThreadPool::global();
  const int workers = static_cast<int>(std::min<int64_t>(blocks, pool.size() + 1));
  std::atomic<int64_t> next{0};
  Status s = pool.parallelFor(workers, [&](int64_t w) {
    for (;;) {
      if (cancelled(progress)) return;
      const int64_t b = next.fetch_add(1, std::memory_order_relaxed);
      if (b >= blocks) return;
      fn(static_cast<int>(w), b);
    }
  });
  if (!s.ok()) return s;
  if (cancelled(progress)) return cancelledError();
  return {};
}

inline int workerCount(int64_t blocks) {
  return static_cast<int>(std::min<int64_t>(blocks, ThreadPool::global().size() + 1));
}

// Calls fn(const T* data) with the phase's voxels typed.
template <class Fn>
decltype(auto) withTyped(const Volume& v, int64_t t, Fn&& fn) {
  const std::byte* p = v.slice(0, t);
  switch (v.type()) {
    case PixelType::UInt8:
      return fn(reinterpret_cast<const uint8_t*>(p));
    case PixelType::Int16:
      return fn(reinterpret_cast<const int16_t*>(p));
    case PixelType::UInt16:
      return fn(reinterpret_cast<const uint16_t*>(p));
    default:
      return fn(reinterpret_cast<const float*>(p));
  }
}

}  // namespace cvx::seg::detail
