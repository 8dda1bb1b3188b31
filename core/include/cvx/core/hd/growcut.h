// SPDX-License-Identifier: MIT
// GrowCut (Vezhnevets & Konouchine 2005), the per-voxel rule for CPU and GPU alike
// (docs/segmentation.md, "GrowCut"). Every voxel of a region of interest (ROI) holds a label
// (0: none yet, 1..255: a seed class) and a strength in [0, 1]. One iteration updates every voxel
// from the previous iteration's state (synchronous, double-buffered):
//
//   best = S[p], label = L[p]
//   for n = 0 .. neighbourCount(connectivity) - 1 (hd::neighbourOffset order), q = p + offset(n)
//   inside the ROI:
//     a = g(I[p], I[q]) * S[q]          g = max(0, 1 - |I[p] - I[q]| / range)
//     if a > best: best = a, label = L[q]
//
// Ties: the strict '>' keeps the voxel's own state against an equal attack, and among equal attacks
// the lowest neighbour index wins. Float arithmetic, each operation rounded on its own (no fused
// multiply-add on the device), so CPU and CUDA give bit-identical states after every iteration.
// Seeds start at strength 1 and are never conquered (a <= 1); voxels outside the ROI take no part.
#pragma once
#include <cstdint>

#include <cvx/core/hd/config.h>
#include <cvx/core/hd/segment.h>

namespace cvx::hd {

// Float arithmetic rounded per operation (nvcc would otherwise contract a*b+c into an FMA).
CVX_HD_INLINE float mulRnf(float a, float b) {
#if CVX_DEVICE_CODE
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
CVX_HD_INLINE float subRnf(float a, float b) {
#if CVX_DEVICE_CODE
  return __fsub_rn(a, b);
#else
  return a - b;
#endif
}
CVX_HD_INLINE float divRnf(float a, float b) {
#if CVX_DEVICE_CODE
  return __fdiv_rn(a, b);
#else
  return a / b;
#endif
}

// A box of voxels, half-open: x0 <= x < x1, and so on.
struct Box3i {
  int64_t x0 = 0, y0 = 0, z0 = 0, x1 = 0, y1 = 0, z1 = 0;
  CVX_HD_INLINE bool empty() const { return x1 <= x0 || y1 <= y0 || z1 <= z0; }
  CVX_HD_INLINE int64_t nx() const { return x1 - x0; }
  CVX_HD_INLINE int64_t ny() const { return y1 - y0; }
  CVX_HD_INLINE int64_t nz() const { return z1 - z0; }
  CVX_HD_INLINE int64_t count() const { return empty() ? 0 : nx() * ny() * nz(); }
};

// What a GrowCut run is asked for; the same struct for cvx::seg::growCut and cvx::cuda::growCut.
struct GrowCutOptions {
  int connectivity = 6;      // 6 or 26
  double marginMm = 20;      // the ROI: the seeds' bounding box grown by this (>= 0; see growCutRoi)
  int maxIterations = 2000;  // >= 1
  double range = 0;          // g's maxRange; 0: max - min of the intensities in the ROI
  int64_t t = 0;             // the phase of the intensity volume
};

// The ROI: the seeds' bounding box grown on each side by hd::ballExtent(marginMm, spacing) voxels
// along each axis (the ball rule: floor(margin / spacing) up to its epsilon), clipped to the volume.
CVX_HD_INLINE Box3i growCutRoi(const Box3i& seeds, int64_t nx, int64_t ny, int64_t nz, double sx, double sy,
                               double sz, double marginMm) {
  const int64_t mx = ballExtent(marginMm, sx), my = ballExtent(marginMm, sy), mz = ballExtent(marginMm, sz);
  Box3i r;
  r.x0 = seeds.x0 - mx < 0 ? 0 : seeds.x0 - mx;
  r.y0 = seeds.y0 - my < 0 ? 0 : seeds.y0 - my;
  r.z0 = seeds.z0 - mz < 0 ? 0 : seeds.z0 - mz;
  r.x1 = seeds.x1 + mx > nx ? nx : seeds.x1 + mx;
  r.y1 = seeds.y1 + my > ny ? ny : seeds.y1 + my;
  r.z1 = seeds.z1 + mz > nz ? nz : seeds.z1 + mz;
  return r;
}

// Grows box b (half-open; empty to start with: x0 > x1) by the non-zero voxels of slice z.
CVX_HD_INLINE void growBoxBySlice(Box3i& b, const uint8_t* slice, int64_t nx, int64_t ny, int64_t z) {
  for (int64_t y = 0; y < ny; ++y) {
    const uint8_t* row = slice + y * nx;
    int64_t first = -1, last = -1;
    for (int64_t x = 0; x < nx; ++x)
      if (row[x]) {
        if (first < 0) first = x;
        last = x;
      }
    if (first < 0) continue;
    if (first < b.x0) b.x0 = first;
    if (last + 1 > b.x1) b.x1 = last + 1;
    if (y < b.y0) b.y0 = y;
    if (y + 1 > b.y1) b.y1 = y + 1;
    if (z < b.z0) b.z0 = z;
    if (z + 1 > b.z1) b.z1 = z + 1;
  }
}
// The empty box that growBoxBySlice starts from.
CVX_HD_INLINE Box3i emptyBox() {
  const int64_t big = int64_t(1) << 62;
  return Box3i{big, big, big, -big, -big, -big};
}

// g's maxRange: the requested range when > 0, else hi - lo of the ROI's intensities (float);
// a range that is not > 0 (a flat ROI) becomes 1.
CVX_HD_INLINE float growCutRange(double requested, float lo, float hi) {
  const float r = requested > 0 ? static_cast<float>(requested) : subRnf(hi, lo);
  return r > 0.0f ? r : 1.0f;
}

// g = max(0, 1 - |a - b| / range); NaN intensities give 0 (they neither attack nor are attacked).
CVX_HD_INLINE float growCutG(float a, float b, float range) {
  float d = subRnf(a, b);
  d = d < 0.0f ? -d : d;
  const float g = subRnf(1.0f, divRnf(d, range));
  return g > 0.0f ? g : 0.0f;
}

// The ROI-local state: intensity, label and strength arrays of nx * ny * nz values (x fastest).
struct GrowCutGrid {
  int64_t nx = 0, ny = 0, nz = 0;
  int connectivity = 6;
  float range = 1;
};

// One voxel's next state from the previous one (the rule above); returns whether it changed.
// C: the connectivity (6 or 26) as a constant; Checked: test neighbours against the ROI's bounds
// (false only for a voxel whose every neighbour is inside, where the test would always pass).
template <int C, bool Checked>
CVX_HD_INLINE bool growCutUpdateN(const GrowCutGrid& g, const float* I, const uint8_t* L, const float* S,
                                  int64_t x, int64_t y, int64_t z, uint8_t& outLabel, float& outStrength) {
  const int64_t p = (z * g.ny + y) * g.nx + x;
  const float ip = I[p];
  float best = S[p];
  uint8_t label = L[p];
  CVX_UNROLL
  for (int k = 0; k < C; ++k) {
    const Offset3i o = neighbourOffset(C, k);
    if (Checked) {
      const int64_t qx = x + o.dx, qy = y + o.dy, qz = z + o.dz;
      if (qx < 0 || qy < 0 || qz < 0 || qx >= g.nx || qy >= g.ny || qz >= g.nz) continue;
    }
    const int64_t q = p + (o.dz * g.ny + o.dy) * g.nx + o.dx;
    const float sq = S[q];
    if (!(sq > best)) continue;  // a <= S[q]: it cannot beat best (saves the division)
    const float a = mulRnf(growCutG(ip, I[q], g.range), sq);
    if (a > best) {
      best = a;
      label = L[q];
    }
  }
  outLabel = label;
  outStrength = best;
  return best != S[p];  // a label changes only with a strictly stronger attack
}

// The same update for a voxel whose every neighbour is inside the ROI, with the neighbours' linear
// offsets precomputed in the order of hd::neighbourOffset (growCutDeltas): the same comparisons in
// the same order, without the per-neighbour offset arithmetic (the CPU's inner loop).
template <int C>
CVX_HD_INLINE void growCutDeltas(const GrowCutGrid& g, int64_t* delta) {
  for (int k = 0; k < C; ++k) {
    const Offset3i o = neighbourOffset(C, k);
    delta[k] = (o.dz * g.ny + o.dy) * g.nx + o.dx;
  }
}
template <int C>
CVX_HD_INLINE bool growCutUpdateInner(const GrowCutGrid& g, const int64_t* delta, const float* I,
                                      const uint8_t* L, const float* S, int64_t p, uint8_t& outLabel,
                                      float& outStrength) {
  const float ip = I[p];
  float best = S[p];
  uint8_t label = L[p];
  for (int k = 0; k < C; ++k) {
    const int64_t q = p + delta[k];
    const float sq = S[q];
    if (!(sq > best)) continue;
    const float a = mulRnf(growCutG(ip, I[q], g.range), sq);
    if (a > best) {
      best = a;
      label = L[q];
    }
  }
  outLabel = label;
  outStrength = best;
  return best != S[p];
}

CVX_HD_INLINE bool growCutUpdate(const GrowCutGrid& g, const float* I, const uint8_t* L, const float* S,
                                 int64_t x, int64_t y, int64_t z, uint8_t& outLabel, float& outStrength) {
  return g.connectivity == 26 ? growCutUpdateN<26, true>(g, I, L, S, x, y, z, outLabel, outStrength)
                              : growCutUpdateN<6, true>(g, I, L, S, x, y, z, outLabel, outStrength);
}

}  // namespace cvx::hd
