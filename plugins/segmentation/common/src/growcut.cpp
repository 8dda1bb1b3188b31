// SPDX-License-Identifier: MIT
// GrowCut on the CPU: the seeds' bounding box and the ROI (hd::growCutRoi), the ROI's intensities
// as floats with the seeds' state, then synchronous iterations of hd::growCutUpdate over z-slices
// on the thread pool, double-buffered, skipping the rows that cannot change.
#include <cvx/seg/growcut.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common.h"

namespace cvx::seg {
using namespace detail;

namespace {

// The ROI-local problem: intensities, and two buffers of labels and strengths.
struct State {
  hd::GrowCutGrid grid;
  std::vector<float> intensity;
  std::vector<uint8_t> label[2];
  std::vector<float> strength[2];
};

template <class T>
void loadSlice(const T* src, const Volume& vol, const uint8_t* seeds, const hd::Box3i& roi, int64_t lz,
               State& s, float& lo, float& hi) {
  const int64_t nx = vol.dims()[0], ny = vol.dims()[1];
  const int64_t z = roi.z0 + lz;
  for (int64_t ly = 0; ly < roi.ny(); ++ly) {
    const int64_t in = (z * ny + roi.y0 + ly) * nx + roi.x0;
    const int64_t out = (lz * roi.ny() + ly) * roi.nx();
    for (int64_t lx = 0; lx < roi.nx(); ++lx) {
      const float v = static_cast<float>(src[in + lx]);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      s.intensity[out + lx] = v;
      const uint8_t c = seeds[in + lx];
      s.label[0][out + lx] = c;
      s.strength[0][out + lx] = c ? 1.0f : 0.0f;
    }
  }
}

// One row of one iteration: reads buffer `from`, writes the other; returns the voxels changed.
// The row's inner voxels of an inner row skip the bounds test (all their neighbours are inside).
template <int C>
int64_t updateRowN(State& s, int from, int64_t y, int64_t z) {
  const hd::GrowCutGrid& g = s.grid;
  const float* I = s.intensity.data();
  const uint8_t* L = s.label[from].data();
  const float* S = s.strength[from].data();
  uint8_t* __restrict L2 = s.label[1 - from].data();
  float* __restrict S2 = s.strength[1 - from].data();
  const int64_t row = (z * g.ny + y) * g.nx;
  int64_t changed = 0;
  const bool innerRow = y > 0 && z > 0 && y < g.ny - 1 && z < g.nz - 1 && g.nx > 2;
  if (!innerRow) {
    for (int64_t x = 0; x < g.nx; ++x)
      changed += hd::growCutUpdateN<C, true>(g, I, L, S, x, y, z, L2[row + x], S2[row + x]);
    return changed;
  }
  changed += hd::growCutUpdateN<C, true>(g, I, L, S, 0, y, z, L2[row], S2[row]);
  int64_t delta[C];
  hd::growCutDeltas<C>(g, delta);
  for (int64_t x = 1; x < g.nx - 1; ++x)
    changed += hd::growCutUpdateInner<C>(g, delta, I, L, S, row + x, L2[row + x], S2[row + x]);
  const int64_t e = g.nx - 1;
  changed += hd::growCutUpdateN<C, true>(g, I, L, S, e, y, z, L2[row + e], S2[row + e]);
  return changed;
}
int64_t updateRow(State& s, int from, int64_t y, int64_t z) {
  return s.grid.connectivity == 26 ? updateRowN<26>(s, from, y, z) : updateRowN<6>(s, from, y, z);
}

}  // namespace

Result<GrowCutResult> growCut(const Volume& vol, const Volume& seeds, const GrowCutOptions& o,
                              Progress* progress) try {
  CVX_TRY(seginputs::growCut(vol, seeds, o));
  const Dims d = dimsOf(vol);
  addTotal(progress, static_cast<int64_t>(o.maxIterations) + 2);

  // The seeds' bounding box, slice by slice in parallel.
  std::vector<hd::Box3i> boxes(static_cast<size_t>(d.nz), hd::emptyBox());
  const uint8_t* sd = seeds.as<uint8_t>();
  CVX_TRY(forBlocks(d.nz, progress, [&](int, int64_t z) {
    hd::growBoxBySlice(boxes[z], sd + z * d.slice(), d.nx, d.ny, z);
  }));
  hd::Box3i box = hd::emptyBox();
  for (const hd::Box3i& b : boxes) {
    box.x0 = std::min(box.x0, b.x0), box.y0 = std::min(box.y0, b.y0), box.z0 = std::min(box.z0, b.z0);
    box.x1 = std::max(box.x1, b.x1), box.y1 = std::max(box.y1, b.y1), box.z1 = std::max(box.z1, b.z1);
  }
  if (box.empty()) return makeError("seg.bad_seed", "GrowCut needs at least one seed voxel");
  const Vec3 sp = vol.geometry.spacingMm;
  GrowCutResult res;
  res.roi = hd::growCutRoi(box, d.nx, d.ny, d.nz, sp[0], sp[1], sp[2], o.marginMm);
  const hd::Box3i roi = res.roi;

  // The ROI as floats, the seeds at strength 1; min and max per slice, merged (exact).
  State s;
  const size_t n = static_cast<size_t>(roi.count());
  s.intensity.resize(n);
  for (int b = 0; b < 2; ++b) s.label[b].resize(n), s.strength[b].resize(n);
  std::vector<float> los(static_cast<size_t>(roi.nz()), std::numeric_limits<float>::infinity());
  std::vector<float> his(static_cast<size_t>(roi.nz()), -std::numeric_limits<float>::infinity());
  CVX_TRY(withTyped(vol, o.t, [&](const auto* v) {
    return forBlocks(roi.nz(), progress,
                     [&](int, int64_t lz) { loadSlice(v, vol, sd, roi, lz, s, los[lz], his[lz]); });
  }));
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  for (size_t i = 0; i < los.size(); ++i) lo = std::min(lo, los[i]), hi = std::max(hi, his[i]);
  res.range = hd::growCutRange(o.range, lo, hi);
  s.grid = {roi.nx(), roi.ny(), roi.nz(), o.connectivity, res.range};
  addProgress(progress);

  // Iterations. changed[b][r]: row r (y + z * ny) changed in the iteration that wrote buffer b. A
  // row none of whose 3x3 neighbour rows changed in the last iteration keeps its state; it is
  // skipped, and both buffers already hold that state.
  const int64_t ny = roi.ny(), nz = roi.nz();
  std::vector<uint8_t> changed[2];
  changed[0].assign(static_cast<size_t>(ny * nz), 1);
  changed[1].assign(static_cast<size_t>(ny * nz), 0);
  int from = 0;
  int sweeps = 0;
  while (sweeps < o.maxIterations) {
    const uint8_t* prev = changed[from].data();
    uint8_t* next = changed[1 - from].data();
    std::atomic<int64_t> total{0};
    CVX_TRY(forBlocks(nz, progress, [&](int, int64_t z) {
      int64_t count = 0;
      for (int64_t y = 0; y < ny; ++y) {
        bool active = false;
        for (int64_t zz = std::max<int64_t>(z - 1, 0); zz <= std::min(z + 1, nz - 1) && !active; ++zz)
          for (int64_t yy = std::max<int64_t>(y - 1, 0); yy <= std::min(y + 1, ny - 1); ++yy)
            if (prev[zz * ny + yy]) {
              active = true;
              break;
            }
        const int64_t c = active ? updateRow(s, from, y, z) : 0;
        next[z * ny + y] = c != 0;
        count += c;
      }
      if (count) total.fetch_add(count, std::memory_order_relaxed);
    }));
    ++sweeps;
    from = 1 - from;  // the buffer just written holds the newest state
    addProgress(progress);
    if (total.load() == 0) {
      res.converged = true;
      break;
    }
    ++res.iterations;
  }
  addProgress(progress, o.maxIterations - sweeps + 1);

  // The output: the ROI's labels, 0 elsewhere.
  auto out = Volume::create(PixelType::UInt8, {d.nx, d.ny, d.nz, 1}, VoxelInit::Uninitialized);
  if (!out.ok()) return out.error();
  (*out)->geometry = vol.geometry;
  uint8_t* o8 = (*out)->as<uint8_t>();
  const uint8_t* L = s.label[from].data();
  CVX_TRY(forBlocks(d.nz, nullptr, [&](int, int64_t z) {
    uint8_t* slice = o8 + z * d.slice();
    std::memset(slice, 0, static_cast<size_t>(d.slice()));
    if (z < roi.z0 || z >= roi.z1) return;
    for (int64_t ly = 0; ly < ny; ++ly)
      std::memcpy(slice + (roi.y0 + ly) * d.nx + roi.x0, L + ((z - roi.z0) * ny + ly) * roi.nx(),
                  static_cast<size_t>(roi.nx()));
  }));
  res.labels = *out;
  return res;
} catch (const std::bad_alloc&) {
  return outOfMemory();
}

}  // namespace cvx::seg
