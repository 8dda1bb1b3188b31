// SPDX-License-Identifier: MIT
// Volume ray casting for CPU and GPU alike: one output pixel (shadePixel) of a composite (DVR), MIP,
// MinIP, average or isosurface rendering, with pre-integrated transfer functions, shading, early
// termination, empty-space skipping, jitter, clipping and a depth input and output.
#pragma once
#include <math.h>
#include <stdint.h>

#include <cvx/core/hd/brick_walk.h>
#include <cvx/core/hd/config.h>
#include <cvx/core/hd/math.h>
#include <cvx/core/hd/reslice.h>
#include <cvx/core/hd/transfer.h>
#include <cvx/core/hd/transfer2d.h>

namespace cvx::hd {

// The rules (docs/rendering.md, "Volume rendering"):
// - Rays run in continuous voxel-index space (as reslicing: voxel (i,j,k)'s centre is at (i,j,k)),
//   parametrised by t in mm along the ray in patient space: the host maps the camera through
//   voxelFromWorld (cvx::rayCamera), so spacing, direction and shear are all handled there.
// - The volume is the box [-0.5, n-0.5] per axis (the voxels' extent), cut by the crop box and by
//   up to six clip planes (keep dot(n, p) + c >= 0, in voxel-index space); t starts at tNear and
//   ends at the scene depth (depthIn) if one is given.
// - Sample k of a ray is at t = t0 + (k + j) * step, for k = 0, 1, ... while t < t1, where t0 is the
//   ray's entry and j in [0, 1) the pixel's jitter (pixelJitter), or 0.5 without jitter (segment
//   midpoints). Each sample stands for a segment of `step` mm: a uniform medium of extinction sigma
//   and length L = n * step composites to opacity 1 - exp(-sigma L) whatever the step.
// - Composite: front to back, premultiplied; each segment is pre-integrated from the previous
//   sample's value to this one (the first sample is a point lookup), shaded at the sample, and the
//   ray stops once the opacity reaches `opaque`. MIP / MinIP / average take the sample values; the
//   pixel is the transfer function's colour of the result, opaque. Isosurface: the first segment
//   whose values cross `isoValue` (either way), refined by bisection, shaded, opaque.
// - Shading (Blinn-Phong with a headlight, two-sided): the gradient by central differences in
//   voxel-index space, taken to patient space with gradWorld (the transpose of voxelFromWorld's
//   linear part), colour * (ambient + diffuse |n.l|) + specular |n.l|^power (light = view: h = l),
//   each channel at most 1.
//   A gradient below 1e-6 per mm leaves the colour unshaded.
// - Depth out: t of the first sample where the opacity reaches 0.5 (composite), of the maximum
//   (minimum) for MIP (MinIP), of the entry for average, of the hit (isosurface); +inf where
//   nothing counts.
// - Empty-space skipping: bricks of `size` voxels per axis, each empty when every value it can
//   interpolate (its voxels and a one-voxel apron) has sigma 0; `skip` holds, per octant of ray
//   directions, the edge of the largest empty cube of bricks reaching forward from each brick
//   (brick_walk.h), so a ray leaves a whole cube of empty bricks in one step. From a sample in an
//   empty brick a ray jumps to the last sample of its lattice before the empty run ends, which
//   becomes the previous sample of the next segment: the
//   samples that count are the very ones taken without skipping (two samples of one run lie in empty
//   bricks whose apron-widened ranges overlap, so every value between them is transparent; a
//   position within half a voxel outside a brick still interpolates only its voxels and apron).

// The smallest sample step the back ends take (mm): a smaller one would take hours a frame.
inline constexpr float kMinStepMm = 1e-3f;

enum class RenderMode : int { Composite = 0, Mip = 1, MinIp = 2, Average = 3, Isosurface = 4 };

// Per pixel (x, y): origin o + ou x + ov y (voxel index), direction w + wu x + wv y in patient
// space (any length) and the same direction in voxel index units d + du x + dv y.
struct RayCamera {
  Vec3f o, ou, ov;
  Vec3f w, wu, wv;
  Vec3f d, du, dv;
  float tNear = 0;  // mm
};

struct ClipPlane {
  Vec3f n;
  float c = 0;
};

struct Shading {
  bool on = false;
  float ambient = 0.2f, diffuse = 0.7f, specular = 0.3f, power = 20.0f;
};

// A second volume composited in the same pass (PET on CT, MR on CT): its own grid and transfer
// function. The second volume's sample at a ray position q (first volume's voxel index) is at
// fromFirst * (q, 1) in its own voxel index; outside its voxel box it adds nothing, and its
// pre-integration restarts where the ray re-enters. A segment takes both media: opacity
// 1 - (1 - a1)(1 - a2), colour (a1 c1 + a2 c2) / (a1 + a2), each shaded with its own gradient.
// Each volume's table may be 2D (transfer2d.h), the second's over its own gradient magnitude.
// While a second volume is fused, empty space is skipped only with a map that knows both
// (BrickMap::fused: a brick is empty when neither volume can show anything there); where a ray lands
// after a leap, both cursors start at that sample (the second's only inside its box), which is the
// state the samples passed over would have left (every segment there is transparent for both).
struct Fusion {
  float fromFirst[3][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  Vec3f lo{-0.5f, -0.5f, -0.5f}, hi{0, 0, 0};  // the second volume's voxel box
  float gradWorld[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};  // its gradient to patient space
  TransferFunction1D tf;    // with tf2's nodes: tf2's envelope (transfer2d.h)
  TransferFunction2D tf2;  // nodes: the layer's colour and extinction over value and |gradient|
};

struct RaycastParams {
  RayCamera cam;
  Vec3f boxLo{-0.5f, -0.5f, -0.5f}, boxHi{0, 0, 0};  // voxel-index box (volume extent and crop)
  ClipPlane planes[6];
  int planeCount = 0;
  float stepMm = 0.5f;
  RenderMode mode = RenderMode::Composite;
  float isoValue = 0;
  Shading shading;
  float gradWorld[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  float opaque = 0.99f;  // early ray termination
  bool jitter = false;
  uint32_t seed = 0;
  BrickMap bricks;
  TransferFunction2D tf2;  // composite: with nodes, colour and extinction over value and |gradient|
                           // (transfer2d.h), the 1D table then being its envelope
  const float* depthIn = nullptr;  // per pixel, mm along the ray; null: none
  int width = 0;                   // row length of depthIn
  Fusion fusion;                   // used when the back end is given a second volume
};

struct PixelResult {
  Rgba colour;  // premultiplied
  float depth = __builtin_inff();
  float value = quietNaN();  // MIP / MinIP / average / iso: the value found; composite: NaN
};

// Ray interval [t0, t1] inside the box [lo, hi] (slab method). False when the ray misses, grazes
// nothing (t0 > t1), or o or d holds NaN. A zero direction component keeps the ray inside that
// slab only if its origin is inside it (faces included).
CVX_HD_INLINE bool rayBox(Vec3f o, Vec3f d, Vec3f lo, Vec3f hi, float& t0, float& t1) {
  const float os[3] = {o.x, o.y, o.z}, ds[3] = {d.x, d.y, d.z}, l[3] = {lo.x, lo.y, lo.z}, h[3] = {hi.x, hi.y, hi.z};
  for (int a = 0; a < 3; ++a) {
    if (!(os[a] == os[a]) || !(ds[a] == ds[a])) return false;
    if (ds[a] == 0.0f) {
      if (os[a] < l[a] || os[a] > h[a]) return false;
      continue;
    }
    float ta = (l[a] - os[a]) / ds[a], tb = (h[a] - os[a]) / ds[a];
    if (ta > tb) {
      const float s = ta;
      ta = tb;
      tb = s;
    }
    t0 = ta > t0 ? ta : t0;
    t1 = tb < t1 ? tb : t1;
  }
  return t0 <= t1;
}

// Cuts [t0, t1] by the half-space dot(n, p) + c >= 0; false when nothing is left.
CVX_HD_INLINE bool clipByPlane(const ClipPlane& pl, Vec3f o, Vec3f d, float& t0, float& t1) {
  const float num = dot(pl.n, o) + pl.c, den = dot(pl.n, d);
  if (den == 0.0f) return num >= 0.0f && t0 <= t1;
  const float t = -num / den;
  if (den > 0.0f) t0 = t > t0 ? t : t0;
  else t1 = t < t1 ? t : t1;
  return t0 <= t1;
}

// A deterministic value in [0, 1) per pixel and seed (a 32-bit integer hash, the same on every
// back end).
CVX_HD_INLINE float pixelJitter(int x, int y, uint32_t seed) {
  uint32_t h = static_cast<uint32_t>(x) * 0x8da6b343u ^ static_cast<uint32_t>(y) * 0xd8163841u ^ seed * 0xcb1ab31fu;
  h ^= h >> 16;
  h *= 0x7feb352du;
  h ^= h >> 15;
  h *= 0x846ca68bu;
  h ^= h >> 16;
  return static_cast<float>(h >> 8) * (1.0f / 16777216.0f);
}

// The ray of pixel (x, y): origin and direction in voxel index units per mm.
CVX_HD_INLINE void pixelRay(const RayCamera& c, int x, int y, Vec3f& o, Vec3f& d) {
  const float fx = static_cast<float>(x), fy = static_cast<float>(y);
  o = c.o + c.ou * fx + c.ov * fy;
  const Vec3f w = c.w + c.wu * fx + c.wv * fy;
  const float len = sqrtf(dot(w, w));
  d = (c.d + c.du * fx + c.dv * fy) * (len > 0.0f ? 1.0f / len : 0.0f);
}

}  // namespace cvx::hd

#include <cvx/core/hd/raycast_shade.h>
