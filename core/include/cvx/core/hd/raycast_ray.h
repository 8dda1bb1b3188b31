// SPDX-License-Identifier: MIT
// A ray's set-up, its samples' reader and its progress (shadePixel's parts, raycast.h's rules).
// Included by raycast_shade.h.
#pragma once
#include <cvx/core/hd/raycast.h>
#include <cvx/core/hd/transfer.h>

namespace cvx::hd {

// A sampler may read a ray's samples in batches: kBatch consecutive samples k .. k + kBatch - 1 by
// rayBatch(o, d, t0, j, step, k, out), each the value sample(o + d * (t0 + (k + j) * step)) gives
// (the CPU back end's vector sampler). Samplers without kBatch are read one sample at a time. A
// batch sampler may also count a clear run in a batch (clearRun, below) its own way.
template <class S, class = void>
struct BatchOf {
  static constexpr int n = 1;
};
template <class S>
struct BatchOf<S, decltype(void(S::kBatch))> {
  static constexpr int n = S::kBatch;
};

// A pixel's ray (shadePixel's set-up): origin and direction in voxel index units per mm, the unit
// view direction in patient space, the interval [t0, t1) it samples and its jitter j.
struct PixelRay {
  Vec3f o, d, view;
  float t0 = 0, t1 = 0, j = 0.5f;
};

// A ray's samples read through the sampler's batches where it has them (BatchOf), else one by one:
// read(k, q) is sample k at q; `batch` holds samples k - at .. k - at + have - 1; drop() after a
// jump along the ray.
// The clear run at batch[at..have) (samples k, k + 1, ...): how many in a row lie at or below
// `below` and before tEnd, t = t0 + (k + j) * step (RayReader::takeClear's count, one by one).
CVX_HD_INLINE int clearRunOf(const float* batch, int at, int have, float below, float t0, float j, float step, int k,
                             float tEnd) {
  int n = 0;
  while (at + n < have && batch[at + n] <= below && t0 + (static_cast<float>(k + n) + j) * step < tEnd) ++n;
  return n;
}

template <class Sampler>
struct RayReader {
  static constexpr int kB = BatchOf<Sampler>::n;
  float batch[kB];
  int have = 0, at = 0;
  CVX_HD_INLINE float read(const Sampler& s, const PixelRay& r, float step, int k, int kEnd, Vec3f q) {
    if constexpr (kB > 1) {
      if (at < have) return batch[at++];
      if (kEnd - k >= kB) {
        s.rayBatch(r.o, r.d, r.t0, r.j, step, k, batch);
        have = kB;
        at = 1;
        return batch[0];
      }
    }
    return s.sample(q);  // the span's last samples, one by one
  }
  CVX_HD_INLINE void drop() { have = at = 0; }
  // The clear run ahead in the batch: how many of its samples from `at` on (sample k and the next
  // ones) lie at or below `below` and before tEnd (t = t0 + (k + j) * step), one after the other;
  // they are consumed. By the sampler's clearRun where it has one (the same count, in its lanes).
  CVX_HD_INLINE int takeClear(const Sampler& s, float below, const PixelRay& r, float step, int k, float tEnd) {
    int n;
    if constexpr (requires { s.clearRun(batch, at, have, below, r.t0, r.j, step, k, tEnd); })
      n = s.clearRun(batch, at, have, below, r.t0, r.j, step, k, tEnd);
    else
      n = clearRunOf(batch, at, have, below, r.t0, r.j, step, k, tEnd);
    at += n;
    return n;
  }
};

// A ray's progress, so that it can be cast in spans of samples (volumes cast slab by slab, out of
// core: raycast_slab.h) and finished by finishRay; shadePixel casts the whole ray as one span.
struct RayState {
  Rgba acc;               // composite: premultiplied colour so far; iso: the hit's colour
  TfCursor cur, cur2;     // composite: the transfer functions' cursors (first and fused volume)
  float tCheck = -__builtin_inff();  // composite: the next t at which the brick map is consulted
  float depth = __builtin_inff();
  float value = quietNaN();          // iso: the value hit
  float hi = -__builtin_inff(), lo = __builtin_inff(), sum = 0, tHi = 0, tLo = 0, prev = 0, tPrev = 0;
  int count = 0;          // MIP / MinIP / average: samples taken
  // MIP: a value the ray's maximum reaches (one of its own samples, boundFromHint), MinIP: one its
  // minimum reaches; bricks beyond it are passed over from the ray's start. None: +-inf.
  float atLeast = -__builtin_inff(), atMost = __builtin_inff();
  int k = 0;              // the next sample
  bool pending = false;   // composite: sample k starts the cursor (a skip landed past the last span)
  bool done = false;      // nothing more can change the pixel
};

}  // namespace cvx::hd
