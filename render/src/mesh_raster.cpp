// SPDX-License-Identifier: MIT
#include <cvx/render/mesh_raster.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace cvx::render {
namespace {

constexpr int kBandRows = 16;  // rows per task: triangles are binned into bands of rows
constexpr double kNearMm = 1e-3;

Vec3 toVec(const std::array<float, 3>& a) { return {a[0], a[1], a[2]}; }

// The camera's frame and the pixel scale, for projecting vertices (projectToPixel's arithmetic,
// once per camera instead of once per vertex).
struct Projector {
  Vec3 eye, f, right, up;
  double pixel = 1, cx = 0, cy = 0;
  bool perspective = true;
  bool valid = false;

  Projector(const Camera3D& c, int width, int height) {
    f = normalized(c.center - c.eye);
    right = normalized(cross(f, c.up));
    up = cross(right, f);
    eye = c.eye;
    perspective = c.perspective;
    valid = norm(f) > 0 && norm(right) > 0;
    pixel = perspective ? 2 * std::tan(std::clamp(c.fovYDeg, 1e-3, 179.0) * std::acos(-1.0) / 360) / height
                        : 2 * c.parallelHalfHeightMm / height;
    cx = width / 2.0, cy = height / 2.0;
  }
  // Pixel coordinates; false behind (or at) a perspective eye.
  bool project(Vec3 p, double& x, double& y) const {
    const Vec3 rel = p - eye;
    double u = dot(rel, right), v = dot(rel, up);
    if (perspective) {
      const double d = dot(rel, f);
      if (!(d > kNearMm)) return false;
      u /= d, v /= d;
    }
    x = cx + u / pixel, y = cy - v / pixel;
    return true;
  }
};

struct Tri {
  uint32_t mesh, index;
  double ax, ay, bx, by, cx, cy;  // the vertices' pixel coordinates
  double x0, y0, x1, y1;          // their bounding box
};

struct Hit {
  float t = std::numeric_limits<float>::infinity();
  int32_t mesh = -1;
  uint32_t tri = 0;
};

double edgeFrom(double ax, double ay, double bx, double by, double px, double py) {
  return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
}

// The edge function of a -> b at p (positive on its left), computed from the lexicographically smaller
// end: the two triangles sharing an edge get the same value, bit for bit, with opposite signs, so that a
// pixel centre near the edge is never inside both or neither.
double edge(double ax, double ay, double bx, double by, double px, double py) {
  if (bx < ax || (bx == ax && by < ay)) return -edgeFrom(bx, by, ax, ay, px, py);
  return edgeFrom(ax, ay, bx, by, px, py);
}

// Whether a pixel centre with edge value e belongs to the triangle (s: the sign of its area): inside, or
// on the edge where the edge's inward normal points to +x, or along +y (a top-left rule). Of two
// triangles sharing an edge from either side, exactly one takes a centre on it, and of a fan round a
// vertex exactly one takes a centre on the vertex, so that a ray's crossings of a closed mesh are
// counted once each (the caps' parity).
bool onInside(double e, double s, double ax, double ay, double bx, double by) {
  const double w = s * e;
  if (w != 0) return w > 0;
  const double nx = -s * (by - ay), ny = s * (bx - ax);
  return nx > 0 || (nx == 0 && ny > 0);
}

// Whether pixel (x, y)'s centre lies in the triangle's projection (a, b, c: the vertices' pixel
// coordinates; s: the sign of its area; a centre on an edge by onInside's rule), and if so t (mm) along
// the pixel's ray to its plane (n: the plane's normal, p: a vertex); false also for a hit behind the
// ray's start.
bool pixelHit(const WorldRays& rays, const Tri& tri, double s, Vec3 n, Vec3 p, int x, int y, float& t) {
  const double px = x + 0.5, py = y + 0.5;
  if (!onInside(edge(tri.bx, tri.by, tri.cx, tri.cy, px, py), s, tri.bx, tri.by, tri.cx, tri.cy) ||
      !onInside(edge(tri.cx, tri.cy, tri.ax, tri.ay, px, py), s, tri.cx, tri.cy, tri.ax, tri.ay) ||
      !onInside(edge(tri.ax, tri.ay, tri.bx, tri.by, px, py), s, tri.ax, tri.ay, tri.bx, tri.by))
    return false;
  const Vec3 o = rays.origin(x, y);
  const Vec3 w = rays.direction(x, y);
  const double wl = norm(w), den = dot(n, w);
  if (!(wl > 0) || den == 0) return false;
  t = static_cast<float>(dot(n, p - o) / den * wl);
  return t >= 0;
}

// Blinn-Phong with a headlight (hd's rule, raycast.h), two-sided: colour rgb, normal n (any length).
void lit(const std::array<uint8_t, 3>& rgb, Vec3 n, Vec3 view, const MeshLight& light, float* out) {
  const double len = norm(n);
  const float nl = len > 0 ? static_cast<float>(std::abs(dot(n, view)) / len) : 1.0f;
  const float diff = light.ambient + light.diffuse * nl, spec = light.specular * std::pow(nl, light.power);
  for (int k = 0; k < 3; ++k) out[k] = std::min(1.0f, rgb[static_cast<size_t>(k)] / 255.0f * diff + spec);
  out[3] = 1.0f;
}

// The mesh's shading at a hit of triangle tri.
void shade(const Mesh& m, uint32_t tri, Vec3 hit, Vec3 view, const MeshLight& light, float* out) {
  const auto& t = m.triangles[tri];
  const Vec3 a = toVec(m.points[t[0]]), b = toVec(m.points[t[1]]), c = toVec(m.points[t[2]]);
  const Vec3 fn = cross(b - a, c - a);
  Vec3 n = fn;
  if (m.normals.size() == m.points.size()) {
    // Barycentric coordinates of the hit in the triangle, by sub-areas along the face normal.
    const double area = dot(fn, fn);
    if (area > 0) {
      const double u = dot(cross(c - b, hit - b), fn) / area, v = dot(cross(a - c, hit - c), fn) / area;
      n = toVec(m.normals[t[0]]) * u + toVec(m.normals[t[1]]) * v + toVec(m.normals[t[2]]) * (1 - u - v);
    }
  }
  lit(m.rgb, n, view, light, out);
}

// Caps: where a cut opens a closed mesh, its plane inside the mesh is drawn in the mesh's colour, so
// that a structure cut open looks solid, not a hollow shell. A point of cut k's plane on pixel
// (x, y)'s ray is inside mesh m when the ray crosses m an odd number of times beyond it (every
// crossing counted, kept or cut away): a mesh is bounded, so the ray ends outside it, wherever it
// starts (an eye inside a segment, zoomed in). Of nested meshes holding the point, the innermost
// gives the colour: the one whose crossing beyond the point is nearest.
constexpr size_t kMaxCaps = 12;       // cuts capped (the 6 clip planes and the crop box's 6 faces)
constexpr uint32_t kCapMeshes = 64;  // meshes capped (one bit each)

// The caps' counts of a band's pixels: for each pixel and each of its first `cuts` cuts, the plane's t
// along the ray (mm; +inf: not met ahead), the meshes it lies inside (bit m), and the nearest crossing
// beyond the plane and its mesh. Sized to the cuts there are, left uninitialised until startCaps.
struct BandCaps {
  size_t pixels = 0, cuts = 0;
  std::unique_ptr<float[]> t, next;
  std::unique_ptr<uint64_t[]> inside;
  std::unique_ptr<uint32_t[]> nextMesh;
  BandCaps(size_t pixelCount, size_t cutCount) : pixels(pixelCount), cuts(std::min(kMaxCaps, cutCount)) {
    const size_t n = pixels * cuts;
    t.reset(new float[n]), next.reset(new float[n]), inside.reset(new uint64_t[n]), nextMesh.reset(new uint32_t[n]);
  }
  bool empty() const { return pixels == 0 || cuts == 0; }
};

void startCaps(const WorldRays& rays, std::span<const CutPlane> cuts, int x, int y, BandCaps& bc, size_t pixel) {
  const Vec3 o = rays.origin(x, y), w = rays.direction(x, y);
  const double wl = norm(w);
  for (size_t k = 0, i = pixel * bc.cuts; k < bc.cuts; ++k, ++i) {
    const double den = dot(cuts[k].normal, w), s = den != 0 ? dot(cuts[k].normal, cuts[k].point - o) / den : -1;
    bc.t[i] = s >= 0 && std::isfinite(s * wl) ? static_cast<float>(s * wl) : std::numeric_limits<float>::infinity();
    bc.inside[i] = 0;
    bc.next[i] = std::numeric_limits<float>::infinity();
    bc.nextMesh[i] = kCapMeshes;
  }
}

void crossing(BandCaps& bc, size_t pixel, float t, uint32_t mesh) {
  if (mesh >= kCapMeshes) return;
  for (size_t i = pixel * bc.cuts, end = i + bc.cuts; i < end; ++i)
    if (t > bc.t[i]) {
      bc.inside[i] ^= uint64_t{1} << mesh;
      if (t < bc.next[i]) bc.next[i] = t, bc.nextMesh[i] = mesh;
    }
}

// The nearest cap of the meshes in mask `of` before depth `nearest` that the other cuts keep: its
// depth, cut and mesh (the innermost holding it, else the first); false when there is none.
bool nearestCap(const BandCaps& bc, size_t pixel, uint64_t of, std::span<const CutPlane> cuts, const WorldRays& rays,
                int x, int y, float nearest, float& t, size_t& cut, uint32_t& mesh) {
  bool found = false;
  for (size_t k = 0, i = pixel * bc.cuts; k < bc.cuts; ++k, ++i) {
    const uint64_t inside = bc.inside[i] & of;  // of the meshes asked for only
    if (!inside || !(bc.t[i] < nearest) || (found && !(bc.t[i] < t))) continue;
    if (!keptByCuts(cuts, rays.at(x, y, bc.t[i]))) continue;
    t = bc.t[i], cut = k, found = true;
    const bool innermost = bc.nextMesh[i] < kCapMeshes && (inside >> bc.nextMesh[i] & 1u);
    mesh = innermost ? bc.nextMesh[i] : static_cast<uint32_t>(std::countr_zero(inside));
  }
  return found;
}

}  // namespace

bool keptByCuts(std::span<const CutPlane> cuts, Vec3 p) {
  for (const CutPlane& c : cuts)
    if (!(dot(c.normal, p - c.point) >= -kCutToleranceMm * norm(c.normal))) return false;
  return true;
}

namespace {

constexpr uint32_t kCapFragment = 0x80000000u;  // a fragment's tri: the cap of cut (tri & ~kCapFragment)

// Puts a hit into a pixel's fragments (kMaxFragments, nearest first, t +inf where free): the farthest
// goes when they are full.
void insertFragment(Hit* f, Hit h) {
  if (!(h.t < f[kMaxFragments - 1].t)) return;
  int k = kMaxFragments - 1;
  for (; k > 0 && h.t < f[k - 1].t; --k) f[k] = f[k - 1];
  f[k] = h;
}

}  // namespace

Status rasterizeMeshes(std::span<const Mesh* const> meshes, const Camera3D& camera, int width, int height,
                       float* rgba, float* depth, const MeshLight& light, ThreadPool* pool,
                       std::span<const CutPlane> cuts, std::span<const float> opacity, MeshFragments* fragments) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384 || !rgba || !depth)
    return makeError("render.bad_request", "a mesh image needs a size in 1..16384 and outputs");
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  std::fill(rgba, rgba + 4 * pixels, 0.0f);
  std::fill(depth, depth + pixels, std::numeric_limits<float>::infinity());
  // Translucent meshes go into the fragments (those at 0 are not drawn); caps are found apart for the
  // opaque and the translucent ones, so that a translucent mesh never takes an opaque one's cap.
  std::vector<float> alpha(meshes.size(), 1.0f);
  uint64_t opaqueMask = 0, translucentMask = 0;
  bool anyTranslucent = false;
  for (size_t m = 0; m < meshes.size(); ++m) {
    if (fragments && m < opacity.size()) alpha[m] = std::isfinite(opacity[m]) ? std::clamp(opacity[m], 0.0f, 1.0f) : 1.0f;
    anyTranslucent = anyTranslucent || alpha[m] < 1.0f;
    if (m < kCapMeshes) (alpha[m] < 1.0f ? translucentMask : opaqueMask) |= uint64_t{1} << m;
  }
  if (fragments) {
    fragments->layers = 0;
    fragments->depth.assign(anyTranslucent ? pixels * kMaxFragments : 0, std::numeric_limits<float>::infinity());
    fragments->rgba.resize(anyTranslucent ? 4 * pixels * kMaxFragments : 0);  // written below each count
  }
  std::atomic<int> layers{0};
  const Projector proj(camera, width, height);
  const WorldRays rays = worldRays(camera, width, height);
  if (!proj.valid || !rays.valid) return {};

  // Project every vertex once; bin each visible triangle into the bands of rows it overlaps.
  const int bands = (height + kBandRows - 1) / kBandRows;
  std::vector<std::vector<Tri>> binned(static_cast<size_t>(bands));
  std::vector<double> sx, sy;
  std::vector<uint8_t> ok;
  for (uint32_t mi = 0; mi < meshes.size(); ++mi) {
    if (!meshes[mi] || !(alpha[mi] > 0.0f)) continue;
    const Mesh& m = *meshes[mi];
    sx.resize(m.points.size()), sy.resize(m.points.size()), ok.resize(m.points.size());
    for (size_t i = 0; i < m.points.size(); ++i) ok[i] = proj.project(toVec(m.points[i]), sx[i], sy[i]);
    for (uint32_t ti = 0; ti < m.triangles.size(); ++ti) {
      const auto& t = m.triangles[ti];
      if (t[0] >= m.points.size() || t[1] >= m.points.size() || t[2] >= m.points.size())
        return makeError("render.bad_mesh", "a triangle of mesh '" + m.name + "' indexes past its points");
      if (!ok[t[0]] || !ok[t[1]] || !ok[t[2]]) continue;
      Tri tri{mi, ti, sx[t[0]], sy[t[0]], sx[t[1]], sy[t[1]], sx[t[2]], sy[t[2]],
              std::min({sx[t[0]], sx[t[1]], sx[t[2]]}), std::min({sy[t[0]], sy[t[1]], sy[t[2]]}),
              std::max({sx[t[0]], sx[t[1]], sx[t[2]]}), std::max({sy[t[0]], sy[t[1]], sy[t[2]]})};
      // Pixel centres at y + 0.5 inside [y0, y1]: rows ceil(y0 - 0.5) .. floor(y1 - 0.5).
      const double r0 = std::ceil(tri.y0 - 0.5), r1 = std::floor(tri.y1 - 0.5);
      if (r1 < 0 || r0 > height - 1 || tri.x1 < 0.5 || tri.x0 > width - 0.5) continue;
      const int b0 = static_cast<int>(std::max(0.0, r0)) / kBandRows;
      const int b1 = static_cast<int>(std::min<double>(height - 1, r1)) / kBandRows;
      for (int b = b0; b <= b1; ++b) binned[static_cast<size_t>(b)].push_back(tri);
    }
  }

  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  const Status st = tp.parallelFor(bands, [&](int64_t band) {
    const int yBegin = static_cast<int>(band) * kBandRows, yEnd = std::min(height, yBegin + kBandRows);
    std::vector<Hit> hits(static_cast<size_t>(width) * static_cast<size_t>(yEnd - yBegin));
    std::vector<Hit> frags(anyTranslucent ? hits.size() * kMaxFragments : 0);
    // The caps' counts only where there are cuts and triangles in the band.
    BandCaps caps(cuts.empty() || binned[static_cast<size_t>(band)].empty() ? 0 : hits.size(), cuts.size());
    if (!caps.empty())
      for (size_t i = 0; i < hits.size(); ++i)
        startCaps(rays, cuts, static_cast<int>(i % width), yBegin + static_cast<int>(i / width), caps, i);
    for (const Tri& tri : binned[static_cast<size_t>(band)]) {
      const Mesh& m = *meshes[tri.mesh];
      const auto& t = m.triangles[tri.index];
      const Vec3 a = toVec(m.points[t[0]]), b = toVec(m.points[t[1]]), c = toVec(m.points[t[2]]);
      const Vec3 n = cross(b - a, c - a);
      const double area = edge(tri.ax, tri.ay, tri.bx, tri.by, tri.cx, tri.cy);
      if (area == 0) continue;  // seen edge-on
      const double s = area > 0 ? 1 : -1;
      const int x0 = std::max(0, static_cast<int>(std::ceil(tri.x0 - 0.5)));
      const int x1 = std::min(width - 1, static_cast<int>(std::floor(tri.x1 - 0.5)));
      const int y0 = std::max(yBegin, static_cast<int>(std::ceil(tri.y0 - 0.5)));
      const int y1 = std::min(yEnd - 1, static_cast<int>(std::floor(tri.y1 - 0.5)));
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
          float tt;
          if (!pixelHit(rays, tri, s, n, a, x, y, tt)) continue;
          const size_t at = static_cast<size_t>(y - yBegin) * static_cast<size_t>(width) + static_cast<size_t>(x);
          if (!caps.empty()) {
            crossing(caps, at, tt, tri.mesh);
            if (!keptByCuts(cuts, rays.at(x, y, tt))) continue;
          }
          const Hit hit{tt, static_cast<int32_t>(tri.mesh), tri.index};
          if (alpha[tri.mesh] < 1.0f) {
            insertFragment(&frags[at * kMaxFragments], hit);
            continue;
          }
          Hit& h = hits[at];
          if (tt < h.t) h = hit;
        }
    }
    // Deferred shading: each covered pixel once, at its nearest hit (or the cap in front of it).
    for (int y = yBegin; y < yEnd; ++y)
      for (int x = 0; x < width; ++x) {
        const size_t at = static_cast<size_t>(y - yBegin) * static_cast<size_t>(width) + static_cast<size_t>(x);
        const Hit& h = hits[at];
        const size_t i = static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x);
        const Vec3 view = normalized(rays.direction(x, y));
        float capT;
        size_t cut;
        uint32_t capMesh;
        const bool capped = !caps.empty() && nearestCap(caps, at, opaqueMask, cuts, rays, x, y, h.t, capT, cut, capMesh);
        if (capped) {
          lit(meshes[capMesh]->rgb, cuts[cut].normal, view, light, rgba + 4 * i);
          depth[i] = capT;
        } else if (h.mesh >= 0) {
          shade(*meshes[static_cast<size_t>(h.mesh)], h.tri, rays.at(x, y, h.t), view, light, rgba + 4 * i);
          depth[i] = h.t;
        }
        if (frags.empty()) continue;
        // The nearest translucent mesh's cap in front of what is drawn opaque (or on it): a fragment.
        if (!caps.empty() && translucentMask &&
            nearestCap(caps, at, translucentMask, cuts, rays, x, y,
                       std::nextafter(depth[i], std::numeric_limits<float>::infinity()), capT, cut, capMesh))
          insertFragment(&frags[at * kMaxFragments],
                         {capT, static_cast<int32_t>(capMesh), kCapFragment | static_cast<uint32_t>(cut)});
        int count = 0;  // the fragments in front of what is drawn opaque (or on it: a section on a cap)
        for (const Hit* f = &frags[at * kMaxFragments]; count < kMaxFragments && f[count].mesh >= 0 && f[count].t <= depth[i];
             ++count) {
          const Hit& g = f[count];
          const Mesh& m = *meshes[static_cast<size_t>(g.mesh)];
          float* out = &fragments->rgba[4 * (i * kMaxFragments + static_cast<size_t>(count))];
          if (g.tri & kCapFragment)
            lit(m.rgb, cuts[g.tri & ~kCapFragment].normal, view, light, out);
          else
            shade(m, g.tri, rays.at(x, y, g.t), view, light, out);
          const float a = alpha[static_cast<size_t>(g.mesh)];
          for (int c = 0; c < 3; ++c) out[c] *= a;
          out[3] = a;
          fragments->depth[i * kMaxFragments + static_cast<size_t>(count)] = g.t;
        }
        for (int seen = layers.load(); count > seen && !layers.compare_exchange_weak(seen, count);) {
        }
      }
  });
  if (fragments) fragments->layers = layers.load();
  return st;
}

float meshDepthAt(std::span<const Mesh* const> meshes, const Camera3D& camera, int width, int height, int x, int y,
                  std::span<const CutPlane> cuts, std::span<const float> opacity) {
  float best = std::numeric_limits<float>::infinity();
  const Projector proj(camera, width, height);
  const WorldRays rays = worldRays(camera, width, height);
  if (!proj.valid || !rays.valid || x < 0 || y < 0 || x >= width || y >= height) return best;
  BandCaps caps(1, cuts.size());
  startCaps(rays, cuts, x, y, caps, 0);
  for (uint32_t mi = 0; mi < meshes.size(); ++mi) {
    const Mesh* m = meshes[mi];
    if (!m || (mi < opacity.size() && !(opacity[mi] >= kPickOpacity))) continue;  // clicked through
    for (const auto& t : m->triangles) {
      if (t[0] >= m->points.size() || t[1] >= m->points.size() || t[2] >= m->points.size()) continue;
      const Vec3 a = toVec(m->points[t[0]]), b = toVec(m->points[t[1]]), c = toVec(m->points[t[2]]);
      Tri tri{};
      if (!proj.project(a, tri.ax, tri.ay) || !proj.project(b, tri.bx, tri.by) || !proj.project(c, tri.cx, tri.cy))
        continue;
      const double area = edge(tri.ax, tri.ay, tri.bx, tri.by, tri.cx, tri.cy);
      float tt;
      if (area == 0 || !pixelHit(rays, tri, area > 0 ? 1 : -1, cross(b - a, c - a), a, x, y, tt)) continue;
      crossing(caps, 0, tt, mi);
      if (tt < best && (cuts.empty() || keptByCuts(cuts, rays.at(x, y, tt)))) best = tt;
    }
  }
  float capT;
  size_t cut;
  uint32_t capMesh;
  if (nearestCap(caps, 0, ~uint64_t{0}, cuts, rays, x, y, best, capT, cut, capMesh)) best = capT;
  return best;
}

}  // namespace cvx::render
