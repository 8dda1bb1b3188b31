// SPDX-License-Identifier: MIT
// Level tracing (cvx/viewstate/level_trace.h) and the source's values on a segmentation's grid.
#include <cvx/viewstate/level_trace.h>

#include <cmath>
#include <string>
#include <type_traits>

#include <cvx/core/backend.h>
#include <cvx/core/reslice.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/seg_stats.h>

namespace cvx::view {

Result<std::function<double(int64_t, int64_t, int64_t)>> sourceValues(const Segmentation& sg, const Volume& v,
                                                                      int64_t phase) {
  using Fn = std::function<double(int64_t, int64_t, int64_t)>;
  if (phase < 0 || phase >= v.dims()[3])
    return makeError("seg.edit_bad_range", "the series has no phase " + std::to_string(phase));
  const PixelType pt = v.type();
  if (pt == PixelType::RGB8 || pt == PixelType::RGB16 || pt == PixelType::RGB32)
    return makeError("seg.edit_bad_range", "a colour series has no value to read");
  if (onSameGrid(sg, v))
    return Fn(
        [&v, phase](int64_t x, int64_t y, int64_t z) { return modalityValue(v, v.valueAt(x, y, z, phase)); });
  // Another grid: the source at the voxel's centre, through the segmentation's index to the source's.
  const Mat4 m = v.geometry.voxelFromWorld() * sg.geometry().worldFromVoxel();
  const std::array<double, 3> edge{double(v.dims()[0]) - 0.5, double(v.dims()[1]) - 0.5,
                                   double(v.dims()[2]) - 0.5};
  Fn fn;
  const Status typed = withVoxelType(v.type(), [&](auto* tag) -> Status {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(tag)>>;
    if constexpr (!std::is_arithmetic_v<T>) {
      return makeError("seg.edit_bad_range", "a colour series has no value to read");
    } else {
      const auto s = gridSampler<T>(v, v.as<T>() + phase * v.voxelsPerPhase());
      fn = [s, m, edge](int64_t x, int64_t y, int64_t z) -> double {
        const Vec3 q = m.applyPoint(Vec3{double(x), double(y), double(z)});
        for (int a = 0; a < 3; ++a)
          if (!(q[a] >= -0.5 && q[a] <= edge[static_cast<size_t>(a)])) return std::nan("");
        return s.sample(hd::Vec3f{float(q.x), float(q.y), float(q.z)});
      };
      return {};
    }
  });
  if (!typed.ok()) return typed.error();
  return fn;
}

std::array<int64_t, 3> LevelTrace::voxel(int64_t u, int64_t v) const {
  std::array<int64_t, 3> p{};
  const int ua = uAxis(), va = vAxis();
  p[static_cast<size_t>(axis)] = slice;
  p[static_cast<size_t>(ua)] = u;
  p[static_cast<size_t>(va)] = v;
  return p;
}

Result<int> sliceAxis(const Geometry& g, Vec3 normal) {
  const double n = norm(normal);
  if (!(n > 1e-12) || !std::isfinite(n))
    return makeError("seg.edit_bad_brush", "a view needs a non-zero normal");
  // Slice a of the grid is the plane of the other two axes (a sheared grid's slices included).
  for (int a = 0; a < 3; ++a) {
    const Vec3 across = normalized(cross(g.direction[(a + 1) % 3], g.direction[(a + 2) % 3]));
    if (std::fabs(dot(across, normal * (1.0 / n))) > 0.99995) return a;  // within about 0.6 degrees
  }
  return makeError(
      "seg.edit_oblique",
      "level tracing works on the series' own slices: show an axial, coronal or sagittal view of its grid");
}

Result<LevelTrace> levelTrace(const Segmentation& sg, const Volume& source, int64_t phase,
                              std::array<int64_t, 3> seed, int axis) {
  if (axis < 0 || axis > 2) return makeError("seg.edit_oblique", "no such grid axis");
  const auto& d = sg.dims();
  for (size_t a = 0; a < 3; ++a)
    if (seed[a] < 0 || seed[a] >= d[a])
      return makeError("seg.edit_no_island", "the point lies outside the grid");
  auto value = sourceValues(sg, source, phase);
  if (!value) return value.error();
  LevelTrace t;
  t.grid = sg.geometry();
  t.dims = d;
  t.axis = axis;
  t.slice = seed[static_cast<size_t>(axis)];
  const int ua = t.uAxis(), va = t.vAxis();
  t.nu = d[static_cast<size_t>(ua)];
  t.nv = d[static_cast<size_t>(va)];
  const int64_t su = seed[static_cast<size_t>(ua)], sv = seed[static_cast<size_t>(va)];
  // The slice's values, read once.
  std::vector<double> vals(static_cast<size_t>(t.nu * t.nv));
  for (int64_t v = 0; v < t.nv; ++v)
    for (int64_t u = 0; u < t.nu; ++u) {
      const auto p = t.voxel(u, v);
      vals[static_cast<size_t>(v * t.nu + u)] = (*value)(p[0], p[1], p[2]);
    }
  t.level = vals[static_cast<size_t>(sv * t.nu + su)];
  if (!std::isfinite(t.level)) return makeError("seg.edit_no_island", "the point has no value in the series");
  constexpr int64_t kDu[4] = {-1, 1, 0, 0}, kDv[4] = {0, 0, -1, 1};
  bool below = false, aboveN = false;
  for (int n = 0; n < 4; ++n) {
    const int64_t u = su + kDu[n], v = sv + kDv[n];
    if (u < 0 || v < 0 || u >= t.nu || v >= t.nv) continue;
    const double x = vals[static_cast<size_t>(v * t.nu + u)];
    below = below || x < t.level;
    aboveN = aboveN || x > t.level;
  }
  if (!below && !aboveN) return makeError("seg.edit_flat", "the image is flat here: no level curve to trace");
  t.above = below;
  const auto in = [&](double x) { return t.above ? x >= t.level : x <= t.level; };  // NaN never
  t.mask.assign(vals.size(), 0);
  std::vector<int64_t> front{sv * t.nu + su};
  t.mask[static_cast<size_t>(front[0])] = 1;
  while (!front.empty()) {
    const int64_t i = front.back();
    front.pop_back();
    ++t.count;
    const int64_t u0 = i % t.nu, v0 = i / t.nu;
    for (int n = 0; n < 4; ++n) {
      const int64_t u = u0 + kDu[n], v = v0 + kDv[n];
      if (u < 0 || v < 0 || u >= t.nu || v >= t.nv) continue;
      const size_t j = static_cast<size_t>(v * t.nu + u);
      if (t.mask[j] || !in(vals[j])) continue;
      t.mask[j] = 1;
      front.push_back(static_cast<int64_t>(j));
    }
  }
  return t;
}

std::vector<std::array<Vec3, 2>> traceOutline(const LevelTrace& t, const Geometry& g) {
  std::vector<std::array<Vec3, 2>> out;
  const auto in = [&](int64_t u, int64_t v) {
    return u >= 0 && v >= 0 && u < t.nu && v < t.nv && t.mask[static_cast<size_t>(v * t.nu + u)] != 0;
  };
  // Corner (u + du, v + dv) of pixel (u, v), du and dv in {-0.5, 0.5}, in patient space.
  const auto corner = [&](int64_t u, int64_t v, double du, double dv) {
    const auto p = t.voxel(u, v);
    double q[3] = {double(p[0]), double(p[1]), double(p[2])};
    q[t.uAxis()] += du;
    q[t.vAxis()] += dv;
    return g.worldAt(q[0], q[1], q[2]);
  };
  for (int64_t v = 0; v < t.nv; ++v)
    for (int64_t u = 0; u < t.nu; ++u) {
      if (!in(u, v)) continue;
      if (!in(u - 1, v)) out.push_back({corner(u, v, -0.5, -0.5), corner(u, v, -0.5, 0.5)});
      if (!in(u + 1, v)) out.push_back({corner(u, v, 0.5, -0.5), corner(u, v, 0.5, 0.5)});
      if (!in(u, v - 1)) out.push_back({corner(u, v, -0.5, -0.5), corner(u, v, 0.5, -0.5)});
      if (!in(u, v + 1)) out.push_back({corner(u, v, -0.5, 0.5), corner(u, v, 0.5, 0.5)});
    }
  return out;
}

}  // namespace cvx::view
