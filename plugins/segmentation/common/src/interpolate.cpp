// SPDX-License-Identifier: MIT
// Fill between slices (segment.h): shape-based interpolation of the slices a reader drew (Raya &
// Udupa 1990; Herman, Zheng & Bucholtz 1992): each drawn slice becomes a signed distance map in
// mm, and each empty slice between two drawn ones takes the voxels where the maps, weighted by its
// place between them, say inside. docs/segmentation.md, "Fill between slices".
#include <array>
#include <limits>
#include <string>

#include "common.h"

namespace cvx::seg {
namespace {

using detail::Dims;

constexpr double kFar = 1e20;  // "no feature here" for the squared distances (finite: no inf - inf)

// The squared distance, along one line of n samples spaced s mm, to the nearest sample whose f is
// 0, taking f as a squared distance already found across lines: d[p] = min_q (s (p - q))^2 + f[q],
// the lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012). v and z: n and n + 1 scratch.
void envelope(const double* f, int64_t n, double s, double* d, int64_t* v, double* z) {
  auto meet = [&](int64_t q, int64_t r) {  // where the parabolas from q and r cross (x in mm)
    const double xq = static_cast<double>(q) * s, xr = static_cast<double>(r) * s;
    return ((f[q] + xq * xq) - (f[r] + xr * xr)) / (2 * xq - 2 * xr);
  };
  int64_t k = 0;
  v[0] = 0;
  z[0] = -std::numeric_limits<double>::infinity();
  z[1] = std::numeric_limits<double>::infinity();
  for (int64_t q = 1; q < n; ++q) {
    double x = meet(q, v[k]);
    while (x <= z[k]) x = meet(q, v[--k]);
    ++k;
    v[k] = q;
    z[k] = x;
    z[k + 1] = std::numeric_limits<double>::infinity();
  }
  k = 0;
  for (int64_t p = 0; p < n; ++p) {
    const double x = static_cast<double>(p) * s;
    while (z[k + 1] < x) ++k;
    const double dx = x - static_cast<double>(v[k]) * s;
    d[p] = dx * dx + f[v[k]];
  }
}

// One slice of the mask across `axis`: its two in-plane axes (u before v in x, y, z order), their
// sizes, strides and spacings.
struct Plane {
  int64_t nu = 0, nv = 0, strideU = 0, strideV = 0, strideW = 0;
  double su = 1, sv = 1;
};
Plane planeAcross(const Volume& m, int axis) {
  const Dims d = detail::dimsOf(m);
  const int64_t n[3] = {d.nx, d.ny, d.nz}, stride[3] = {1, d.nx, d.nx * d.ny};
  const int u = axis == 0 ? 1 : 0, v = axis == 2 ? 1 : 2;
  return {n[u], n[v], stride[u], stride[v], stride[axis], m.geometry.spacingMm[u], m.geometry.spacingMm[v]};
}

// The signed distance map of slice w (mm: negative inside, minus the distance to the nearest
// outside pixel's centre; positive outside, the distance to the nearest inside one). Beyond the
// slice's edge is outside: a virtual outside pixel lies one step past each end of every line, so
// a slice drawn whole has distances to its edge, not "far" everywhere (which would fill a gap next
// to it completely). Scratch and outputs kept between slices.
struct Scratch {
  std::vector<double> f, d, z, toIn, toOut;
  std::vector<int64_t> v;
};
void squaredDistanceTo(const uint8_t* m, const Plane& p, int64_t w, bool inside, std::vector<double>& out,
                       Scratch& s) {
  // Lines of n + 2 samples when the border counts (outside: `inside` false), sample 0 and n + 1 the
  // virtual ones; the real samples 1..n.
  const int64_t pad = inside ? 0 : 1;
  const int64_t n = p.nu * p.nv, most = std::max(p.nu, p.nv) + 2;
  s.f.resize(static_cast<size_t>(most));
  s.d.resize(static_cast<size_t>(most));
  s.v.resize(static_cast<size_t>(most));
  s.z.resize(static_cast<size_t>(most + 1));
  out.resize(static_cast<size_t>(n));
  const int64_t lu = p.nu + 2 * pad, lv = p.nv + 2 * pad;
  for (int64_t b = 0; b < p.nv; ++b) {  // along u, each line of the slice
    const uint8_t* line = m + w * p.strideW + b * p.strideV;
    if (pad) s.f[0] = s.f[static_cast<size_t>(lu - 1)] = 0;
    for (int64_t a = 0; a < p.nu; ++a)
      s.f[static_cast<size_t>(a + pad)] = (line[a * p.strideU] != 0) == inside ? 0 : kFar;
    envelope(s.f.data(), lu, p.su, s.d.data(), s.v.data(), s.z.data());
    std::copy(s.d.begin() + pad, s.d.begin() + pad + p.nu, out.begin() + b * p.nu);
  }
  for (int64_t a = 0; a < p.nu; ++a) {  // along v, on the first pass's squared distances
    if (pad) s.f[0] = s.f[static_cast<size_t>(lv - 1)] = 0;
    for (int64_t b = 0; b < p.nv; ++b) s.f[static_cast<size_t>(b + pad)] = out[static_cast<size_t>(b * p.nu + a)];
    envelope(s.f.data(), lv, p.sv, s.d.data(), s.v.data(), s.z.data());
    for (int64_t b = 0; b < p.nv; ++b) out[static_cast<size_t>(b * p.nu + a)] = s.d[static_cast<size_t>(b + pad)];
  }
}
void signedDistance(const uint8_t* m, const Plane& p, int64_t w, std::vector<float>& out, Scratch& s) {
  squaredDistanceTo(m, p, w, true, s.toIn, s);
  squaredDistanceTo(m, p, w, false, s.toOut, s);
  out.resize(s.toIn.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(std::sqrt(s.toIn[i]) - std::sqrt(s.toOut[i]));
}

// Per slice across each axis, whether it holds any foreground.
std::array<std::vector<uint8_t>, 3> drawnSlices(const Volume& m) {
  const Dims d = detail::dimsOf(m);
  std::array<std::vector<uint8_t>, 3> drawn{std::vector<uint8_t>(static_cast<size_t>(d.nx)),
                                            std::vector<uint8_t>(static_cast<size_t>(d.ny)),
                                            std::vector<uint8_t>(static_cast<size_t>(d.nz))};
  const uint8_t* p = m.as<uint8_t>();
  for (int64_t z = 0; z < d.nz; ++z)
    for (int64_t y = 0; y < d.ny; ++y)
      for (int64_t x = 0; x < d.nx; ++x)
        if (*p++) {
          drawn[0][static_cast<size_t>(x)] = 1;
          drawn[1][static_cast<size_t>(y)] = drawn[2][static_cast<size_t>(z)] = 1;
        }
  return drawn;
}

// The empty slices between the first and the last drawn one.
int64_t gapSlices(const std::vector<uint8_t>& drawn) {
  const auto first = std::find(drawn.begin(), drawn.end(), 1);
  const auto last = std::find(drawn.rbegin(), drawn.rend(), 1);
  if (first == drawn.end()) return 0;
  return std::count(first, last.base(), 0);
}

const char* axisName(int axis) { return axis == 0 ? "i (columns)" : axis == 1 ? "j (rows)" : "k (slices)"; }

// fillAxis's rule on the drawn slices of every axis: the series' own slices first, where outlines
// are drawn (a segment drawn whole but in two pieces apart along x has a "gap" across i that is no
// gap in its outlines); -1 when no axis has a gap.
int axisWithGap(const std::array<std::vector<uint8_t>, 3>& drawn) {
  for (int a : {2, 1, 0})
    if (gapSlices(drawn[static_cast<size_t>(a)]) > 0) return a;
  return -1;
}

Error noGaps() {
  return makeError("seg.no_gaps", "the segment has no empty slice between two drawn ones along any axis");
}

}  // namespace

Result<int> fillAxis(const Volume& mask) try {
  CVX_TRY(seginputs::mask(mask));
  const int axis = axisWithGap(drawnSlices(mask));
  if (axis < 0) return noGaps();
  return axis;
} catch (const std::bad_alloc&) {
  return detail::outOfMemory();
}

Result<VolumePtr> fillBetweenSlices(const Volume& mask, int axis, Progress* progress) try {
  CVX_TRY(seginputs::mask(mask));
  if (axis < -1 || axis > 2)
    return makeError("seg.bad_parameter", "axis " + std::to_string(axis) + " is not -1, 0, 1 or 2");
  for (int a = 0; a < 3; ++a)
    if (const double s = mask.geometry.spacingMm[a]; !(s > 0) || !std::isfinite(s))
      return makeError("seg.bad_parameter", "a spacing that is not positive");
  const auto everyAxis = drawnSlices(mask);  // one pass over the mask for the choice and the fill
  if (axis < 0 && (axis = axisWithGap(everyAxis)) < 0) return noGaps();
  const std::vector<uint8_t>& drawn = everyAxis[static_cast<size_t>(axis)];
  if (gapSlices(drawn) == 0)
    return makeError("seg.no_gaps", std::string("the segment has no empty slice between two drawn ones across ") +
                                        axisName(axis));
  auto out = detail::makeMask(mask);
  if (!out.ok()) return out.error();
  const uint8_t* in = mask.as<uint8_t>();
  uint8_t* o = (*out)->as<uint8_t>();
  const size_t count = static_cast<size_t>(mask.voxelsPerPhase());
  for (size_t i = 0; i < count; ++i) o[i] = in[i] != 0;
  const Plane p = planeAcross(mask, axis);
  std::vector<int64_t> slices;  // the drawn ones, in order
  for (int64_t w = 0; w < static_cast<int64_t>(drawn.size()); ++w)
    if (drawn[static_cast<size_t>(w)]) slices.push_back(w);
  detail::addTotal(progress, static_cast<int64_t>(slices.size()) - 1);  // one step a pair of drawn slices
  Scratch scratch;
  std::vector<float> before, after;
  int64_t mapped = -1;  // the drawn slice whose map `before` holds
  for (size_t k = 1; k < slices.size(); ++k) {
    if (detail::cancelled(progress)) return detail::cancelledError();
    detail::addProgress(progress);
    const int64_t a = slices[k - 1], b = slices[k];
    if (b - a < 2) continue;  // no gap: no map needed
    if (mapped != a) signedDistance(in, p, a, before, scratch);
    signedDistance(in, p, b, after, scratch);
    for (int64_t g = a + 1; g < b; ++g) {  // the gap's slices, weighted by place
      const float t = static_cast<float>(g - a) / static_cast<float>(b - a);
      for (int64_t y = 0; y < p.nv; ++y)
        for (int64_t x = 0; x < p.nu; ++x) {
          const size_t i = static_cast<size_t>(y * p.nu + x);
          if ((1 - t) * before[i] + t * after[i] < 0) o[g * p.strideW + y * p.strideV + x * p.strideU] = 1;
        }
    }
    std::swap(before, after);
    mapped = b;
  }
  return out;
} catch (const std::bad_alloc&) {
  return detail::outOfMemory();
}

}  // namespace cvx::seg
