// SPDX-License-Identifier: MIT
// The per-voxel rules of the threshold level set (docs/segmentation.md, "Level set"), for CPU and
// GPU alike: the propagation speed, one explicit time step (upwind propagation plus mean curvature
// from central differences), and the reinitialisation to a signed distance (interface distances
// from linear interpolation, then synchronous Jacobi sweeps of the eikonal equation). cvx::seg
// (plugins/segmentation/common/src/levelset.cpp) and cvx::cuda (cuda/src/levelset.cu) loop over
// the same functions. Every float operation goes through fmulRn/faddRn/fsubRn/fdivRn/fsqrtRn, so
// nvcc cannot contract a product and a sum into one fused multiply-add and both sides round
// identically: the two back ends give bit-equal phi. No allocation, no containers, no exceptions.
#pragma once
#include <cmath>
#include <cstdint>

#include <cvx/core/hd/config.h>
#include <cvx/core/hd/segment.h>

namespace cvx::hd {

// Float operations rounded once each (no contraction into fused multiply-adds on the device).
#if CVX_DEVICE_CODE
CVX_HD_INLINE float fmulRn(float a, float b) { return __fmul_rn(a, b); }
CVX_HD_INLINE float faddRn(float a, float b) { return __fadd_rn(a, b); }
CVX_HD_INLINE float fsubRn(float a, float b) { return __fsub_rn(a, b); }
CVX_HD_INLINE float fdivRn(float a, float b) { return __fdiv_rn(a, b); }
CVX_HD_INLINE float fsqrtRn(float a) { return __fsqrt_rn(a); }
#else
CVX_HD_INLINE float fmulRn(float a, float b) { return a * b; }
CVX_HD_INLINE float faddRn(float a, float b) { return a + b; }
CVX_HD_INLINE float fsubRn(float a, float b) { return a - b; }
CVX_HD_INLINE float fdivRn(float a, float b) { return a / b; }
CVX_HD_INLINE float fsqrtRn(float a) { return std::sqrt(a); }
#endif
CVX_HD_INLINE float fabsHd(float a) { return a < 0.0f ? -a : a; }
CVX_HD_INLINE float fminHd(float a, float b) { return b < a ? b : a; }
CVX_HD_INLINE float fmaxHd(float a, float b) { return a < b ? b : a; }

// The constants of one run, computed once on the host (levelSetConstants) and handed to both
// back ends as they are, so that neither recomputes them in its own arithmetic.
struct LevelSetConstants {
  int nx = 0, ny = 0, nz = 0;
  float h[3] = {1, 1, 1};
  float invH[3] = {1, 1, 1};             // 1/h
  float invH2[3] = {1, 1, 1};            // 1/h^2
  float inv2H[3] = {.5f, .5f, .5f};      // 1/(2h)
  float inv4HH[3] = {.25f, .25f, .25f};  // 1/(4 hx hy), 1/(4 hx hz), 1/(4 hy hz)
  // The speed: P = clamp((halfWidth - |I - mid|) / halfWidth, -1, 1), in double.
  double mid = 0, invHalfWidth = 1;
  bool pointRange = false;  // lower == upper: P = 1 at I == mid, else -1
  float propagation = 1;    // w_p
  float curvature = 0;      // w_c
  float dt = 0;             // CFL-limited time step
  float band = 3;           // |phi| < band is updated; phi stays within [-band, band]
};

// A box of voxels [x0, x1] x [y0, y1] x [z0, z1] (inclusive); neighbours are clamped into it.
struct BandBox {
  int x0 = 0, y0 = 0, z0 = 0, x1 = -1, y1 = -1, z1 = -1;
};
CVX_HD_INLINE bool bandBoxEmpty(const BandBox& b) { return b.x1 < b.x0 || b.y1 < b.y0 || b.z1 < b.z0; }

CVX_HD_INLINE void swap3(float* a, float* b, float* c, int i, int j) {
  float t[3] = {a[i], b[i], c[i]};
  a[i] = a[j], b[i] = b[j], c[i] = c[j];
  a[j] = t[0], b[j] = t[1], c[j] = t[2];
}
CVX_HD_INLINE int clampInt(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

// The propagation speed of an intensity: +1 at the middle of [lower, upper], 0 at its ends,
// negative outside, clamped to [-1, 1].
CVX_HD_INLINE float levelSetSpeed(double value, const LevelSetConstants& c) {
  if (c.pointRange) return value == c.mid ? 1.0f : -1.0f;
  const double d = addRn(value, -c.mid);
  const double a = d < 0.0 ? -d : d;
  double p = addRn(1.0, -mulRn(a, c.invHalfWidth));
  if (!(p > -1.0)) p = -1.0;  // also NaN
  if (p > 1.0) p = 1.0;
  return static_cast<float>(p);
}

// The value of phi at (x+dx, y+dy, z+dz), the index clamped into the box (Neumann boundary).
CVX_HD_INLINE float phiAt(const float* phi, const LevelSetConstants& c, const BandBox& b, int x, int y, int z,
                          int dx, int dy, int dz) {
  const int xx = clampInt(x + dx, b.x0, b.x1), yy = clampInt(y + dy, b.y0, b.y1),
            zz = clampInt(z + dz, b.z0, b.z1);
  return phi[(static_cast<int64_t>(zz) * c.ny + yy) * c.nx + xx];
}

// One explicit step for voxel (x,y,z) with |phi| < band: the change
//   dt * ( -w_p * P * |grad phi|_upwind + w_c * kappa * |grad phi| ),
// with |grad phi|_upwind of Osher and Sethian (Godunov) chosen by the sign of w_p * P, and
// kappa * |grad phi| = (phi_xx (phi_y^2 + phi_z^2) + ... - 2 phi_x phi_y phi_xy - ...) / |grad phi|^2
// from central differences (0 where |grad phi|^2 < 1e-12 / h^2). Returns 0 outside the band.
CVX_HD_INLINE float levelSetDelta(const float* phi, const LevelSetConstants& c, const BandBox& b, int x, int y,
                                  int z, float speed) {
  const float p0 = phiAt(phi, c, b, x, y, z, 0, 0, 0);
  if (!(fabsHd(p0) < c.band)) return 0.0f;
  const float xm = phiAt(phi, c, b, x, y, z, -1, 0, 0), xp = phiAt(phi, c, b, x, y, z, 1, 0, 0);
  const float ym = phiAt(phi, c, b, x, y, z, 0, -1, 0), yp = phiAt(phi, c, b, x, y, z, 0, 1, 0);
  const float zm = phiAt(phi, c, b, x, y, z, 0, 0, -1), zp = phiAt(phi, c, b, x, y, z, 0, 0, 1);
  // Upwind gradient magnitude for the propagation term.
  const float f = fmulRn(c.propagation, speed);
  const float dm[3] = {fmulRn(fsubRn(p0, xm), c.invH[0]), fmulRn(fsubRn(p0, ym), c.invH[1]),
                       fmulRn(fsubRn(p0, zm), c.invH[2])};
  const float dp[3] = {fmulRn(fsubRn(xp, p0), c.invH[0]), fmulRn(fsubRn(yp, p0), c.invH[1]),
                       fmulRn(fsubRn(zp, p0), c.invH[2])};
  float g2 = 0.0f;
  for (int a = 0; a < 3; ++a) {
    const float m = f > 0.0f ? fmaxHd(dm[a], 0.0f) : fminHd(dm[a], 0.0f);
    const float p = f > 0.0f ? fminHd(dp[a], 0.0f) : fmaxHd(dp[a], 0.0f);
    g2 = faddRn(g2, faddRn(fmulRn(m, m), fmulRn(p, p)));
  }
  const float prop = fmulRn(f, fsqrtRn(g2));
  float curv = 0.0f;
  if (c.curvature != 0.0f) {
    const float gx = fmulRn(fsubRn(xp, xm), c.inv2H[0]);
    const float gy = fmulRn(fsubRn(yp, ym), c.inv2H[1]);
    const float gz = fmulRn(fsubRn(zp, zm), c.inv2H[2]);
    const float twoP = faddRn(p0, p0);
    const float gxx = fmulRn(fsubRn(faddRn(xp, xm), twoP), c.invH2[0]);
    const float gyy = fmulRn(fsubRn(faddRn(yp, ym), twoP), c.invH2[1]);
    const float gzz = fmulRn(fsubRn(faddRn(zp, zm), twoP), c.invH2[2]);
    auto cross = [&](int dx, int dy, int dz, int ex, int ey, int ez, float k) {
      // (phi(+d+e) - phi(+d-e)) - (phi(-d+e) - phi(-d-e)), times 1/(4 h_d h_e)
      const float pp = phiAt(phi, c, b, x, y, z, dx + ex, dy + ey, dz + ez);
      const float pm = phiAt(phi, c, b, x, y, z, dx - ex, dy - ey, dz - ez);
      const float mp = phiAt(phi, c, b, x, y, z, -dx + ex, -dy + ey, -dz + ez);
      const float mm = phiAt(phi, c, b, x, y, z, -dx - ex, -dy - ey, -dz - ez);
      return fmulRn(fsubRn(fsubRn(pp, pm), fsubRn(mp, mm)), k);
    };
    const float gxy = cross(1, 0, 0, 0, 1, 0, c.inv4HH[0]);
    const float gxz = cross(1, 0, 0, 0, 0, 1, c.inv4HH[1]);
    const float gyz = cross(0, 1, 0, 0, 0, 1, c.inv4HH[2]);
    const float sx = fmulRn(gx, gx), sy = fmulRn(gy, gy), sz = fmulRn(gz, gz);
    const float grad2 = faddRn(faddRn(sx, sy), sz);
    if (grad2 > fmulRn(1e-12f, c.invH2[0])) {
      float num = fmulRn(gxx, faddRn(sy, sz));
      num = faddRn(num, fmulRn(gyy, faddRn(sx, sz)));
      num = faddRn(num, fmulRn(gzz, faddRn(sx, sy)));
      num = fsubRn(num, fmulRn(2.0f, fmulRn(fmulRn(gx, gy), gxy)));
      num = fsubRn(num, fmulRn(2.0f, fmulRn(fmulRn(gx, gz), gxz)));
      num = fsubRn(num, fmulRn(2.0f, fmulRn(fmulRn(gy, gz), gyz)));
      curv = fmulRn(c.curvature, fdivRn(num, grad2));
    }
  }
  return fmulRn(c.dt, fsubRn(curv, prop));
}

// phi + delta, kept within [-band, band].
CVX_HD_INLINE float levelSetApply(float phi, float delta, const LevelSetConstants& c) {
  const float v = faddRn(phi, delta);
  return v < -c.band ? -c.band : (v > c.band ? c.band : v);
}

// Inside is phi <= 0 (the sign rule of the output mask and of the reinitialisation).
CVX_HD_INLINE bool levelSetInside(float phi) { return phi <= 0.0f; }

// Reinitialisation, first pass: the distance (signed, mm) of a voxel that has a 6-neighbour on the
// other side of the front, from the crossings on each axis by linear interpolation: along axis a
// the front is theta * h_a away, theta = phi / (phi - phi_neighbour), the nearest of the two sides;
// the distance to the plane through those crossings is 1 / sqrt(sum 1 / d_a^2). Voxels with no
// such neighbour get +-band. The sign is kept (an outside voxel stays > 0).
CVX_HD_INLINE float reinitStart(const float* phi, const LevelSetConstants& c, const BandBox& b, int x, int y,
                                int z) {
  const float p0 = phiAt(phi, c, b, x, y, z, 0, 0, 0);
  const bool in = levelSetInside(p0);
  float sumInv = 0.0f;
  bool onFront = false, zero = false;
  for (int a = 0; a < 3; ++a) {
    float best = -1.0f;
    for (int s = -1; s <= 1; s += 2) {
      const float q = phiAt(phi, c, b, x, y, z, a == 0 ? s : 0, a == 1 ? s : 0, a == 2 ? s : 0);
      if (levelSetInside(q) == in) continue;
      // p0 and q have opposite signs (or p0 == 0): theta in [0, 1].
      const float theta = fdivRn(p0, fsubRn(p0, q));
      const float d = fmulRn(theta, c.h[a]);
      if (best < 0.0f || d < best) best = d;
    }
    if (best < 0.0f) continue;
    onFront = true;
    if (!(best > 0.0f)) {
      zero = true;
      continue;
    }
    sumInv = faddRn(sumInv, fdivRn(1.0f, fmulRn(best, best)));
  }
  if (!onFront) return in ? -c.band : c.band;
  float d = zero ? 0.0f : fdivRn(1.0f, fsqrtRn(sumInv));
  if (!(d < c.band)) d = c.band;
  if (in) return -d;
  return d > 1e-30f ? d : 1e-30f;  // an outside voxel stays > 0
}

// Whether a voxel lies on the front (has a 6-neighbour on the other side): such voxels keep their
// reinitStart value through the sweeps.
CVX_HD_INLINE bool onFront(const float* phi, const LevelSetConstants& c, const BandBox& b, int x, int y,
                           int z) {
  const bool in = levelSetInside(phiAt(phi, c, b, x, y, z, 0, 0, 0));
  for (int n = 0; n < 6; ++n) {
    const Offset3i o = neighbourOffset(6, n);
    if (levelSetInside(phiAt(phi, c, b, x, y, z, o.dx, o.dy, o.dz)) != in) return true;
  }
  return false;
}

// Reinitialisation, one Jacobi sweep (reads phi, the result goes to another buffer): a voxel off
// the front takes min(|phi|, u) with its sign, u the upwind solution of |grad u| = 1 from the
// smallest |phi| of its two neighbours on each axis (a_1 <= a_2 <= a_3 with their spacings):
// u = a_1 + h_1, or the root of sum_{i<=k} (u - a_i)^2 / h_i^2 = 1 for the first k where u > a_k
// would otherwise be violated. Values never exceed band.
CVX_HD_INLINE float reinitSweep(const float* phi, const LevelSetConstants& c, const BandBox& b, int x, int y,
                                int z) {
  const float p0 = phiAt(phi, c, b, x, y, z, 0, 0, 0);
  if (onFront(phi, c, b, x, y, z)) return p0;
  const bool in = levelSetInside(p0);
  float a[3], ih2[3], h[3];
  for (int k = 0; k < 3; ++k) {
    const float m = fabsHd(phiAt(phi, c, b, x, y, z, k == 0 ? -1 : 0, k == 1 ? -1 : 0, k == 2 ? -1 : 0));
    const float p = fabsHd(phiAt(phi, c, b, x, y, z, k == 0 ? 1 : 0, k == 1 ? 1 : 0, k == 2 ? 1 : 0));
    a[k] = fminHd(m, p);
    ih2[k] = c.invH2[k];
    h[k] = c.h[k];
  }
  // Sort by a (stable: ties keep axis order).
  for (int i = 1; i < 3; ++i)
    for (int j = i; j > 0 && a[j] < a[j - 1]; --j) swap3(a, ih2, h, j, j - 1);
  float u = faddRn(a[0], h[0]);
  float A = ih2[0], B = fmulRn(a[0], ih2[0]), C = fmulRn(fmulRn(a[0], a[0]), ih2[0]);
  for (int k = 1; k < 3; ++k) {
    if (!(u > a[k])) break;
    A = faddRn(A, ih2[k]);
    B = faddRn(B, fmulRn(a[k], ih2[k]));
    C = faddRn(C, fmulRn(fmulRn(a[k], a[k]), ih2[k]));
    // A u^2 - 2 B u + (C - 1) = 0, the larger root.
    const float disc = fsubRn(fmulRn(B, B), fmulRn(A, fsubRn(C, 1.0f)));
    if (disc < 0.0f) break;  // keeps the previous u (round-off only)
    u = fdivRn(faddRn(B, fsqrtRn(disc)), A);
  }
  float d = fminHd(fabsHd(p0), u);
  d = fminHd(d, c.band);
  return in ? -d : d;
}

// The parameters of a run (docs/segmentation.md, "Level set").
struct LevelSetParams {
  double lower = 0, upper = 0;  // the intensity range of the structure (stored units)
  double propagation = 1;       // w_p >= 0
  double curvature = 0.2;       // w_c >= 0, mm
  int maxIterations = 500;
  double rmsTolerance = 0.002;  // mm per iteration, between two reinitialisations
  int reinitInterval = 5;       // iterations between reinitialisations
  double bandVoxels = 3;        // band = bandVoxels * the largest spacing (mm)
  double cfl = 0.5;
};

// The time step: cfl / (w_p * sqrt(sum 1/h^2) + 2 w_c * sum 1/h^2) (Osher and Fedkiw's bound for a
// normal speed |w_p P| <= w_p plus a curvature term), in double.
inline double levelSetTimeStep(double cfl, double wp, double wc, const double h[3]) {
  double s = 0.0;
  for (int a = 0; a < 3; ++a) s = addRn(s, 1.0 / mulRn(h[a], h[a]));
  const double denom = addRn(mulRn(wp, std::sqrt(s)), mulRn(2.0 * wc, s));
  return denom > 0.0 ? cfl / denom : 0.0;
}

// The constants for a grid of dims n and spacing h (mm): computed once, on the host.
inline LevelSetConstants levelSetConstants(const int n[3], const double h[3], const LevelSetParams& p) {
  LevelSetConstants c;
  c.nx = n[0];
  c.ny = n[1];
  c.nz = n[2];
  double hmax = 0;
  for (int a = 0; a < 3; ++a) {
    c.h[a] = static_cast<float>(h[a]);
    c.invH[a] = static_cast<float>(1.0 / h[a]);
    c.invH2[a] = static_cast<float>(1.0 / (h[a] * h[a]));
    c.inv2H[a] = static_cast<float>(0.5 / h[a]);
    hmax = h[a] > hmax ? h[a] : hmax;
  }
  c.inv4HH[0] = static_cast<float>(0.25 / (h[0] * h[1]));
  c.inv4HH[1] = static_cast<float>(0.25 / (h[0] * h[2]));
  c.inv4HH[2] = static_cast<float>(0.25 / (h[1] * h[2]));
  c.mid = 0.5 * (p.lower + p.upper);
  const double hw = 0.5 * (p.upper - p.lower);
  c.pointRange = !(hw > 0.0);
  c.invHalfWidth = hw > 0.0 ? 1.0 / hw : 0.0;
  c.propagation = static_cast<float>(p.propagation);
  c.curvature = static_cast<float>(p.curvature);
  c.dt = static_cast<float>(levelSetTimeStep(p.cfl, p.propagation, p.curvature, h));
  c.band = static_cast<float>(p.bandVoxels * hmax);
  return c;
}

// The number of Jacobi sweeps of one reinitialisation: enough for the distance to travel band mm
// along the finest axis, 1.5 times over (diagonal paths take more sweeps); odd, so that the
// start pass plus the sweeps end in the buffer they started from.
inline int reinitSweeps(const LevelSetConstants& c) {
  float hmin = c.h[0];
  for (int a = 1; a < 3; ++a) hmin = c.h[a] < hmin ? c.h[a] : hmin;
  int k = static_cast<int>(std::ceil(1.5 * c.band / hmin)) + 1;
  return (k % 2 == 0) ? k + 1 : k;
}

// Whether the parameters are usable: nullptr, or what is wrong (seg.bad_range for the range,
// seg.bad_parameter otherwise: rangeError tells which).
inline const char* levelSetParamsError(const LevelSetParams& p, bool* rangeError) {
  *rangeError = true;
  if (!(p.lower <= p.upper)) return "the range needs lower <= upper (and no NaN)";
  *rangeError = false;
  if (!(p.propagation >= 0) || !(p.curvature >= 0)) return "the weights must be >= 0";
  if (!(p.propagation > 0) && !(p.curvature > 0)) return "one weight must be > 0";
  if (!(p.cfl > 0 && p.cfl <= 1)) return "cfl must lie in (0, 1]";
  if (!(p.bandVoxels >= 2 && p.bandVoxels <= 32)) return "the band must be 2..32 voxels";
  if (p.reinitInterval < 1 || p.maxIterations < 0) return "reinit interval >= 1 and iterations >= 0";
  if (!(p.rmsTolerance >= 0)) return "the RMS tolerance must be >= 0";
  return nullptr;
}

// The squared change of a voxel in fixed point (2^-32 mm^2, capped at 16 mm^2), so that sums are
// integers, the same in any order on either back end.
CVX_HD_INLINE unsigned long long rmsQuantum(float now, float before) {
  const float d = fsubRn(now, before);
  const float d2 = fmulRn(d, d);
  if (!(d2 < 16.0f)) return 1ull << 36;
  return static_cast<unsigned long long>(fmulRn(d2, 4294967296.0f));
}

// What one reinitialisation's measurement returns: the fixed-point sum of squared changes since
// the previous one and the voxel count over the band (|phi| < band) of the box, and the band's box.
struct LevelSetStats {
  unsigned long long sum = 0, count = 0;
  BandBox band;
};

// How a run ended.
struct LevelSetRun {
  int iterations = 0;
  bool converged = false, cancelled = false, empty = false;
  double rmsChange = -1;  // mm per iteration at the last reinitialisation
};

CVX_HD_INLINE BandBox growBox(const BandBox& b, const int k[3], const LevelSetConstants& c) {
  if (bandBoxEmpty(b)) return b;
  return {b.x0 - k[0] < 0 ? 0 : b.x0 - k[0],
          b.y0 - k[1] < 0 ? 0 : b.y0 - k[1],
          b.z0 - k[2] < 0 ? 0 : b.z0 - k[2],
          b.x1 + k[0] >= c.nx ? c.nx - 1 : b.x1 + k[0],
          b.y1 + k[1] >= c.ny ? c.ny - 1 : b.y1 + k[1],
          b.z1 + k[2] >= c.nz ? c.nz - 1 : b.z1 + k[2]};
}

// The control flow of a run, one for both back ends. Ops provides, over boxes of the grid:
//   BandBox initPhi()            phi = -band inside the initial mask, +band outside; the mask's box
//   void reinit(BandBox, int n)  reinitStart from phi into a work buffer, then n reinitSweep passes,
//                              alternating buffers, ending in phi
//   LevelSetStats measure(BandBox r, bool first)  the stats of r against the reference copy, then
//                              copies phi into the reference over r (over the whole grid if first)
//   void evolve(BandBox)         levelSetDelta for every voxel into a work buffer, then levelSetApply
//   bool cancelled()           and void step() (one iteration done)
// The evolution box is the band's box grown by one voxel; a reinitialisation covers it grown by
// ceil(band / h) + 1 voxels per axis, which holds every voxel the front can reach within band.
template <class Ops>
LevelSetRun runLevelSet(Ops& ops, const LevelSetConstants& c, const LevelSetParams& p) {
  LevelSetRun run;
  const BandBox inside = ops.initPhi();
  if (bandBoxEmpty(inside)) {
    run.empty = true;
    return run;
  }
  int k[3];
  for (int a = 0; a < 3; ++a) k[a] = static_cast<int>(std::ceil(c.band / c.h[a])) + 1;
  const int one[3] = {1, 1, 1};
  const int sweeps = reinitSweeps(c);
  BandBox r = growBox(inside, k, c);
  ops.reinit(r, sweeps);
  LevelSetStats st = ops.measure(r, true);
  for (int it = 1; it <= p.maxIterations && !bandBoxEmpty(st.band); ++it) {
    if (ops.cancelled()) {
      run.cancelled = true;
      return run;
    }
    const BandBox e = growBox(st.band, one, c);
    ops.evolve(e);
    run.iterations = it;
    ops.step();
    if (it % p.reinitInterval != 0 || it == p.maxIterations) continue;
    r = growBox(e, k, c);
    ops.reinit(r, sweeps);
    st = ops.measure(r, false);
    if (st.count == 0) break;
    run.rmsChange = std::sqrt(static_cast<double>(st.sum) / 4294967296.0 / static_cast<double>(st.count)) /
                    p.reinitInterval;
    if (run.rmsChange < p.rmsTolerance) {
      run.converged = true;
      break;
    }
  }
  return run;
}

}  // namespace cvx::hd
