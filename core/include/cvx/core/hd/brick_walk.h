// SPDX-License-Identifier: MIT
// A ray's walk through the brick map of empty space (raycast.h's skipping rule), for shadePixel.
#pragma once
#include <cvx/core/hd/config.h>
#include <cvx/core/hd/math.h>
#include <stdint.h>
#include <math.h>

namespace cvx::hd {

// Brick (bx, by, bz) holds voxels [b * size[a], (b + 1) * size[a]) along each axis a. skip: one plane of bx * by *
// bz entries per octant of ray directions, plane o = (dx < 0) + 2 (dy < 0) + 4 (dz < 0) (a component
// of 0 counts as positive); its entry for brick b is 0 when the brick may be visible, else the
// largest k (255 at most) for which the forward cube of k bricks per side, b + [0, k - 1] along each
// axis in the octant's direction, is empty (past the grid counts as empty) (cvx::brickSkipMap). A
// ray in brick b travelling in that octant stays in the cube until it leaves through one of its far
// faces. Forward cubes reach further than cubes centred on b: the structures a ray has passed do not
// shorten its leaps.
// range[2 * b], range[2 * b + 1]: the min and max modality value a sample in brick b (or within half
// a voxel of it) can take (cvx::BrickRanges), for MIP and MinIP: a brick whose max (min) cannot beat
// the ray's maximum (minimum) so far is passed over.
inline constexpr int kSkipOctants = 8;
struct BrickMap {
  const uint8_t* skip = nullptr;  // kSkipOctants planes of bx * by * bz entries, x fastest; null: no
                                  // skipping (composite)
  const float* range = nullptr;   // 2 * bx * by * bz values; null: no skipping (MIP and MinIP)
  int bx = 0, by = 0, bz = 0;
  int size[3] = {4, 4, 4};  // voxels per brick edge, per axis
  bool fused = false;  // skip counts the fused second volume too (cvx::brickSkipMap of a pair): only
                       // such a map skips while a second volume is fused
  // Nonzero: maps with the same stamp hold the same skip and range bytes (cvx::newBrickMapStamp),
  // so that a back end may keep its copy between frames (the CUDA back end's 16 MB of a 512^3
  // map); 0: unknown, copied each frame.
  uint64_t stamp = 0;
};

// A ray's walk through a brick map (raycast.h's skipping rule).
struct BrickWalk {
  const BrickMap* m = nullptr;
  const uint8_t* skip = nullptr;  // m->skip's plane for the ray's octant
  Vec3f o, d;
  float inv[3] = {0, 0, 0};  // 1 / d per axis (0 where d is 0: that axis never ends a cube)
  float never[3] = {0, 0, 0};  // +inf where d is 0 along the axis, else 0
  int far[3] = {0, 0, 0}, dir[3] = {0, 0, 0};  // a cube of k bricks from b ends at face b + far + dir * k
  float invSize[3] = {1, 1, 1}, nudge = 0;  // nudge: t past a cube's face, 1/100 voxel along the ray's fastest axis
  int limit = 0;                 // cube steps per run at most (each enters a new brick)
};

CVX_HD_INLINE BrickWalk brickWalk(const BrickMap& m, Vec3f o, Vec3f d) {
  BrickWalk w;
  w.m = &m;
  const int octant = (d.x < 0.0f ? 1 : 0) + (d.y < 0.0f ? 2 : 0) + (d.z < 0.0f ? 4 : 0);
  w.skip = m.skip ? m.skip + static_cast<int64_t>(octant) * m.bx * m.by * m.bz : nullptr;
  w.o = o;
  w.d = d;
  const float ds[3] = {d.x, d.y, d.z};
  float fastest = 0.0f;
  for (int a = 0; a < 3; ++a) {
    w.inv[a] = ds[a] != 0.0f ? 1.0f / ds[a] : 0.0f;
    w.never[a] = ds[a] != 0.0f ? 0.0f : __builtin_inff();
    w.far[a] = w.inv[a] > 0.0f ? 0 : 1;
    w.dir[a] = w.inv[a] > 0.0f ? 1 : -1;
    const float ad = ds[a] < 0.0f ? -ds[a] : ds[a];
    fastest = ad > fastest ? ad : fastest;
  }
  for (int a = 0; a < 3; ++a) w.invSize[a] = 1.0f / static_cast<float>(m.size[a]);
  w.nudge = fastest > 0.0f ? 0.01f / fastest : 0.0f;
  w.limit = 2 * (m.bx + m.by + m.bz) + 8;
  return w;
}

CVX_HD_INLINE int brickOf(float c, float invSize, int count) {
  const float f = floorf((c + 0.5f) * invSize);
  const int b = f > 0.0f ? static_cast<int>(f < 1e9f ? f : 1e9f) : 0;  // NaN and below the grid: 0
  return b < count - 1 ? b : count - 1;
}

// The index of the brick holding q, and that brick.
CVX_HD_INLINE int64_t brickIndexAt(const BrickWalk& w, Vec3f q, int b[3]) {
  const BrickMap& m = *w.m;
  b[0] = brickOf(q.x, w.invSize[0], m.bx);
  b[1] = brickOf(q.y, w.invSize[1], m.by);
  b[2] = brickOf(q.z, w.invSize[2], m.bz);
  return (static_cast<int64_t>(b[2]) * m.by + b[1]) * m.bx + b[0];
}
// The skip entry of the brick holding q, and that brick.
CVX_HD_INLINE int brickSkipAt(const BrickWalk& w, Vec3f q, int b[3]) { return w.skip[brickIndexAt(w, q, b)]; }

// t where the ray leaves the forward cube of k bricks from b (k = 1: brick b alone): the first of
// its far faces, those the ray's direction leads to.
// Face b + k (d > 0) or b - k + 1 (d < 0) along each axis a, at (face * size[a] - 0.5 - o) / d; an axis
// along which the ray does not move ends nothing. Without branches: the axes' terms are kept per ray.
CVX_HD_INLINE float cubeExitAlong(const BrickWalk& w, int a, int b, int k, float o) {
  const float face = static_cast<float>(b + w.far[a] + w.dir[a] * k) * static_cast<float>(w.m->size[a]) - 0.5f;
  const float ta = (face - o) * w.inv[a];
  return w.never[a] != 0.0f ? w.never[a] : ta;
}
CVX_HD_INLINE float cubeExit(const BrickWalk& w, const int b[3], int k) {
  const float tx = cubeExitAlong(w, 0, b[0], k, w.o.x), ty = cubeExitAlong(w, 1, b[1], k, w.o.y),
              tz = cubeExitAlong(w, 2, b[2], k, w.o.z);
  const float t = tx < ty ? tx : ty;
  return t < tz ? t : tz;
}

// A ray's brick in visible space followed face by face (a 3D DDA), so that crossing into the next
// brick costs one comparison and one face instead of finding the brick from the position: the
// brick b and the t at which the ray leaves it through each axis (cubeExitAlong of one brick).
// The brick it reaches may differ from brickIndexAt's only for a point within rounding of a face,
// which both bricks' ranges cover (a brick's range holds the voxels a sample within half a voxel
// of it reads), so skipping stays exact.
struct BrickCursor {  // scalar fields: no array a device would keep in local memory
  int bx = 0, by = 0, bz = 0;
  float ex = 0, ey = 0, ez = 0;
  bool valid = false;
};
CVX_HD_INLINE float brickCursorExit(const BrickCursor& c) {
  const float t = c.ex < c.ey ? c.ex : c.ey;
  return t < c.ez ? t : c.ez;
}
// The cursor at brick b.
CVX_HD_INLINE BrickCursor brickCursorOf(const BrickWalk& w, const int b[3]) {
  BrickCursor c;
  c.bx = b[0], c.by = b[1], c.bz = b[2];
  c.ex = cubeExitAlong(w, 0, b[0], 1, w.o.x);
  c.ey = cubeExitAlong(w, 1, b[1], 1, w.o.y);
  c.ez = cubeExitAlong(w, 2, b[2], 1, w.o.z);
  c.valid = true;
  return c;
}
// The cursor at the brick holding q; returns that brick's skip entry.
CVX_HD_INLINE int brickCursorAt(const BrickWalk& w, Vec3f q, BrickCursor& c) {
  int b[3];
  const int k = brickSkipAt(w, q, b);
  c = brickCursorOf(w, b);
  return k;
}
// One face along axis a (the cursor's brick b and exit e on that axis, count bricks along it):
// false where the ray leaves the grid.
CVX_HD_INLINE bool brickCursorCross(const BrickWalk& w, int a, int count, float o, int& b, float& e) {
  b += w.dir[a];
  if (b < 0 || b >= count) return false;
  e = cubeExitAlong(w, a, b, 1, o);
  return true;
}
// The cursor through its first exit face, at brickCursorExit (x, then y, then z on a tie): false
// where that leaves the grid.
CVX_HD_INLINE bool brickCursorCrossFirst(const BrickWalk& w, BrickCursor& c) {
  const BrickMap& m = *w.m;
  if (c.ex <= c.ey && c.ex <= c.ez) return brickCursorCross(w, 0, m.bx, w.o.x, c.bx, c.ex);
  if (c.ey <= c.ez) return brickCursorCross(w, 1, m.by, w.o.y, c.by, c.ey);
  return brickCursorCross(w, 2, m.bz, w.o.z, c.bz, c.ez);
}
// The cursor moved on to the brick holding the ray's point at t (at or past its exit) and that
// brick's skip entry, or -1 (the cursor no longer valid) where that leaves the grid or takes more
// than three faces: then brickCursorAt places it. The first face crossed goes first (x, then y,
// then z on a tie). The host's walk (raycast_shade.h's leap).
CVX_HD_INLINE int brickCursorStep(const BrickWalk& w, float t, BrickCursor& c) {
  const BrickMap& m = *w.m;
  for (int i = 0; i < 3; ++i) {
    if (!(brickCursorExit(c) <= t)) break;
    if (!brickCursorCrossFirst(w, c)) return c.valid = false, -1;
  }
  if (!(brickCursorExit(c) > t)) return c.valid = false, -1;
  return w.skip[(static_cast<int64_t>(c.bz) * m.by + c.by) * m.bx + c.bx];
}

// From t, a position in an empty brick b whose skip entry (the ray's octant's) is k, to where the
// run of empty bricks along the ray ends: t of the face into a brick that may be visible, or a
// t >= t1.
CVX_HD_INLINE float emptyRunEnd(const BrickWalk& w, float t, float t1, int b[3], int k) {
  for (int i = 0; i < w.limit; ++i) {
    const float te = cubeExit(w, b, k);
    t = te > t ? te : t;  // a face behind the position (rounding) ends nothing
    if (!(t < t1)) return t;
    k = brickSkipAt(w, w.o + w.d * (t + w.nudge), b);
    if (k == 0) return t;
    t += w.nudge;
  }
  return t;  // a run cut short is still a run: fewer samples skipped, the same image
}

// Whether a brick whose range end is r (MIP: its max; MinIP: its min) cannot hold the ray's first
// extreme: MIP: r <= extreme (the ray's maximum so far; a tie keeps the first sample) or r < bound
// (a value the ray is known to reach: one of its own samples); MinIP mirrored.
CVX_HD_INLINE bool cannotWin(bool mip, float r, float extreme, float bound) {
  return mip ? (r <= extreme || r < bound) : (r >= extreme || r > bound);
}

// From t, a position in brick b that cannot win (cannotWin), to where the run of such bricks along
// the ray ends: t of the face into a brick that may, or a t >= t1. Brick by brick, as emptyRunEnd
// (a point within the nudge of a face lies within half a voxel of both bricks, whose ranges hold it).
CVX_HD_INLINE float rangeRunEnd(const BrickWalk& w, float t, float t1, int b[3], bool mip, float extreme,
                                float bound) {
  const float* range = w.m->range + (mip ? 1 : 0);
  for (int i = 0; i < w.limit; ++i) {
    const float te = cubeExit(w, b, 1);
    t = te > t ? te : t;
    if (!(t < t1)) return t;
    if (!cannotWin(mip, range[2 * brickIndexAt(w, w.o + w.d * (t + w.nudge), b)], extreme, bound)) return t;
    t += w.nudge;
  }
  return t;  // a run cut short: fewer samples passed over, the same image
}

// rangeRunEnd with the bricks followed face by face (a BrickCursor: a crossing costs one face
// instead of finding the brick from the position), from brick b. The bricks it reaches may differ
// from brickIndexAt's only within rounding of a face, which both bricks' ranges cover. The host's
// walk; the device's kernel keeps rangeRunEnd (its registers).
CVX_HD_INLINE float rangeRunEndFaces(const BrickWalk& w, float t, float t1, const int b[3], bool mip, float extreme,
                                     float bound) {
  const BrickMap& m = *w.m;
  const float* range = m.range + (mip ? 1 : 0);
  BrickCursor c = brickCursorOf(w, b);
  for (int n = 0; n < w.limit; ++n) {
    const float te = brickCursorExit(c);
    t = te > t ? te : t;
    if (!(t < t1)) return t;
    if (!brickCursorCrossFirst(w, c)) return t;  // out of the grid: the loop's next check decides
    if (!cannotWin(mip, range[2 * ((static_cast<int64_t>(c.bz) * m.by + c.by) * m.bx + c.bx)], extreme, bound))
      return t;
  }
  return t;
}

}  // namespace cvx::hd
