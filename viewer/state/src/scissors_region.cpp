// SPDX-License-Identifier: MIT
// The scissors' region (cvx/viewstate/scissors.h): a lasso on an image as a cut, and which voxel
// centres of a grid project inside it (even-odd rule), a grid row at a time.
#include <cvx/viewstate/scissors.h>

#include <algorithm>
#include <cmath>

namespace cvx::view {
namespace {

// A polygon's edges (i - 1, i) sorted into bands of a key k given per vertex: band(key) holds
// every edge whose [min k, max k] can contain key. A crossing test counts an edge only when key
// lies in [min k, max k), so testing one band's edges gives the same answer as testing them all.
class EdgeBands {
 public:
  explicit EdgeBands(const std::vector<double>& k) {
    const size_t n = k.size();
    kmin_ = *std::min_element(k.begin(), k.end());
    const double kmax = *std::max_element(k.begin(), k.end());
    bands_ = std::clamp<size_t>(n * 2, 1, 4096);
    step_ = (kmax - kmin_) / static_cast<double>(bands_);
    edges_.resize(bands_);
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      if (k[i] == k[j]) continue;  // an edge along the key's level lines never counts
      const size_t b0 = band(std::min(k[i], k[j])), b1 = band(std::max(k[i], k[j]));
      for (size_t b = b0; b <= b1; ++b) edges_[b].push_back(static_cast<uint32_t>(i));
    }
  }
  const std::vector<uint32_t>& at(double key) const { return edges_[band(key)]; }

 private:
  size_t band(double key) const {
    if (!(step_ > 0)) return 0;
    const double b = std::floor((key - kmin_) / step_);
    return b <= 0 ? 0 : std::min(bands_ - 1, static_cast<size_t>(b));
  }
  double kmin_, step_;
  size_t bands_;
  std::vector<std::vector<uint32_t>> edges_;
};

// Even-odd rule (crossing number, a ray towards +u) on a 2D polygon.
class EvenOdd {
 public:
  EvenOdd(std::vector<double> u, std::vector<double> v) : u_(std::move(u)), v_(std::move(v)), bands_(v_) {
    umin_ = *std::min_element(u_.begin(), u_.end()), umax_ = *std::max_element(u_.begin(), u_.end());
    vmin_ = *std::min_element(v_.begin(), v_.end()), vmax_ = *std::max_element(v_.begin(), v_.end());
  }
  bool inside(double x, double y) const {
    if (!(x >= umin_ && x <= umax_ && y >= vmin_ && y <= vmax_)) return false;
    bool in = false;
    const size_t n = u_.size();
    for (uint32_t i : bands_.at(y)) {
      const size_t j = i == 0 ? n - 1 : i - 1;
      if ((v_[i] > y) != (v_[j] > y) && x < (u_[j] - u_[i]) * (y - v_[i]) / (v_[j] - v_[i]) + u_[i]) in = !in;
    }
    return in;
  }
  const std::vector<double>& u() const { return u_; }
  const std::vector<double>& v() const { return v_; }

 private:
  std::vector<double> u_, v_;
  EdgeBands bands_;
  double umin_, umax_, vmin_, vmax_;
};

// Parallel rows: every grid row projects onto the 2D line (u0 + du x, v0 + dv x). The rows share
// the direction r = (du, dv), so a row is one level of s = r x (u, v); the edges it crosses are
// those whose s-range holds the row's s (banded), and the even-odd rule along the line says that
// x is inside when an odd number of crossings lie before it.
class RowCrossings {
 public:
  RowCrossings(const EvenOdd& poly, double du, double dv)
      : poly_(poly), du_(du), dv_(dv), bands_(keys(poly, du, dv)) {}
  // The row's crossings, sorted, as x positions (fractional voxel indices).
  void row(double u0, double v0, std::vector<double>& xs) const {
    xs.clear();
    const std::vector<double>&u = poly_.u(), &v = poly_.v();
    const size_t n = u.size();
    const double s = du_ * v0 - dv_ * u0, len2 = du_ * du_ + dv_ * dv_;
    for (uint32_t i : bands_.at(s)) {
      const size_t j = i == 0 ? n - 1 : i - 1;
      const double si = du_ * v[i] - dv_ * u[i], sj = du_ * v[j] - dv_ * u[j];
      if ((si > s) == (sj > s)) continue;
      const double t = (s - si) / (sj - si);
      const double pu = u[i] + t * (u[j] - u[i]), pv = v[i] + t * (v[j] - v[i]);
      xs.push_back(((pu - u0) * du_ + (pv - v0) * dv_) / len2);
    }
    std::sort(xs.begin(), xs.end());
  }

 private:
  static std::vector<double> keys(const EvenOdd& p, double du, double dv) {
    std::vector<double> k;
    for (size_t i = 0; i < p.u().size(); ++i) k.push_back(du * p.v()[i] - dv * p.u()[i]);
    return k;
  }
  const EvenOdd& poly_;
  double du_, dv_;
  EdgeBands bands_;
};

bool same(const Vec3& a, const Vec3& b) { return a.x == b.x && a.y == b.y && a.z == b.z; }

}  // namespace

bool ScissorsCut::operator==(const ScissorsCut& o) const {
  return perspective == o.perspective && same(viewDirection, o.viewDirection) && same(eye, o.eye) &&
         std::equal(polygon.begin(), polygon.end(), o.polygon.begin(), o.polygon.end(), same);
}

ScissorsCut scissorsCutOnImage(const Camera3D& c, const std::vector<std::array<double, 2>>& lasso, int width,
                               int height) {
  ScissorsCut cut;
  const Vec3 f = normalized(c.center - c.eye);
  cut.viewDirection = f;
  cut.perspective = c.perspective;
  cut.eye = c.eye;
  const WorldRays r = worldRays(c, width, height);
  if (!r.valid) return cut;  // no polygon: scissors() refuses it (seg.edit_bad_polygon)
  for (const auto& p : lasso) {
    // worldRays' (x, y) is pixel x's ray, through its centre (x + 0.5, y + 0.5) in image coordinates.
    const double x = p[0] - 0.5, y = p[1] - 0.5;
    const Vec3 o = r.origin(x, y);
    const Vec3 d = r.direction(x, y);
    const double along = dot(d, f);
    if (!(std::abs(along) > 1e-12)) continue;
    cut.polygon.push_back(o + d * (dot(c.center - o, f) / along));
  }
  return cut;
}

struct ScissorsRegion::Impl {
  Impl(EvenOdd p, Vec3 n, Vec3 o, Vec3 e1, Vec3 e2, const ScissorsCut& cut, const Geometry& g, double du,
       double dv)
      : polygon(std::move(p)),
        n(n),
        o(o),
        e1(e1),
        e2(e2),
        perspective(cut.perspective),
        eye(cut.eye),
        g(g),
        rowsArePoints(!cut.perspective && !(du * du + dv * dv > 1e-18)),
        crossings(polygon, du, dv) {}
  EvenOdd polygon;
  Vec3 n, o, e1, e2;  // the polygon's plane: its unit normal, first point and in-plane axes
  Vec3 a1, a2;        // parallel: u = (w - o) . a1, v = (w - o) . a2 project along the view
  bool perspective;
  Vec3 eye;
  Geometry g;
  bool rowsArePoints;      // a view along the grid's rows: one test a row
  RowCrossings crossings;  // refers to polygon (Impl is never moved once made)
  // Perspective: the polygon's corners (on its plane) less the eye, and per edge (i - 1, i) the normal
  // of the plane through the eye and the edge.
  std::vector<Vec3> toCorner, edgeNormal;
};

Result<ScissorsRegion> ScissorsRegion::make(const ScissorsCut& cut, const Geometry& g) {
  const auto bad = [](const std::string& why) { return makeError("seg.edit_bad_polygon", why); };
  const std::vector<Vec3>& poly = cut.polygon;
  if (poly.size() < 3) return bad("a scissors polygon needs at least 3 points");
  Vec3 n{};  // Newell's normal
  for (size_t i = 0; i < poly.size(); ++i) n = n + cross(poly[i], poly[(i + 1) % poly.size()]);
  if (!(norm(n) > 1e-12)) return bad("a degenerate scissors polygon (no area)");
  n = normalized(n);
  const Vec3 o = poly[0];
  Vec3 e1{};
  for (size_t i = 1; i < poly.size() && !(norm(e1) > 1e-9); ++i) {
    const Vec3 t = poly[i] - o;
    e1 = t - n * dot(t, n);
  }
  e1 = normalized(e1);
  const Vec3 e2 = cross(n, e1);
  std::vector<double> pu, pv;
  for (const Vec3& q : poly) pu.push_back(dot(q - o, e1)), pv.push_back(dot(q - o, e2));
  const Vec3 dir = normalized(cut.viewDirection);
  const double nd = dot(n, dir), ne = dot(n, o - cut.eye);
  if (!cut.perspective && !(std::fabs(nd) > 1e-9))
    return bad("the view direction lies in the polygon's plane");
  if (cut.perspective && !(std::fabs(ne) > 1e-9)) return bad("the eye lies on the polygon's plane");
  // Parallel: the projection is affine, u = (w - o) . a1, v = (w - o) . a2, so along a row of the
  // grid u and v change by constant steps.
  const Vec3 a1 = cut.perspective ? Vec3{} : e1 - n * (dot(dir, e1) / nd);
  const Vec3 a2 = cut.perspective ? Vec3{} : e2 - n * (dot(dir, e2) / nd);
  const Vec3 stepX = g.direction[0] * g.spacingMm.x;
  const double du = dot(stepX, a1), dv = dot(stepX, a2);
  auto impl = std::make_shared<Impl>(EvenOdd(std::move(pu), std::move(pv)), n, o, e1, e2, cut, g, du, dv);
  impl->a1 = a1, impl->a2 = a2;
  if (cut.perspective) {
    const std::vector<double>&u = impl->polygon.u(), &v = impl->polygon.v();
    for (size_t i = 0; i < u.size(); ++i) impl->toCorner.push_back(o + e1 * u[i] + e2 * v[i] - cut.eye);
    for (size_t i = 0, j = u.size() - 1; i < u.size(); j = i++)
      impl->edgeNormal.push_back(cross(impl->toCorner[j], impl->toCorner[i]));
  }
  ScissorsRegion r;
  r.impl_ = std::move(impl);
  return r;
}

void ScissorsRegion::row(int64_t y, int64_t z, int64_t nx, uint8_t* in, const uint8_t* only,
                         uint8_t value) const {
  const Impl& m = *impl_;
  const auto wanted = [&](int64_t x) { return !only || only[x] == value; };
  if (m.perspective) {
    // The row w(x) - eye = r + x s projects (through the eye, t = ne / den(x), den = n . (w - eye) = d0 +
    // x ds, in front where t > 0) onto a line of the polygon's plane: the plane through the eye and
    // the row (normal r x s) meets it there. An edge crosses that line where its corners lie on either
    // side of that plane, at the row's x where the row meets the plane through the eye and the edge.
    // Even-odd along the line: from a centre's projection towards where the line runs to infinity,
    // the pole den = 0 (x below it when the centres in front lie above it, else above), or x -> -inf
    // when the row is parallel to the polygon's plane.
    const Vec3 r = m.g.worldAt(0, static_cast<double>(y), static_cast<double>(z)) - m.eye;
    const Vec3 s = m.g.direction[0] * m.g.spacingMm.x, rowPlane = cross(r, s);
    const double ne = dot(m.n, m.o - m.eye), d0 = dot(m.n, r), ds = dot(m.n, s);
    if (!(norm(rowPlane) >
          1e-9 * norm(r) * norm(s))) {  // the row runs through the eye: it projects to a point
      const Vec3 q = s * (ds != 0 ? ne / ds : 0) + m.eye - m.o;  // where the row's line meets the plane
      const uint8_t rowIn = ds != 0 && m.polygon.inside(dot(q, m.e1), dot(q, m.e2)) ? 1 : 0;
      for (int64_t x = 0; x < nx; ++x)
        if (wanted(x)) in[x] = (d0 + static_cast<double>(x) * ds) * ne > 0 ? rowIn : 0;
      return;
    }
    thread_local std::vector<double> xs;
    xs.clear();
    const size_t n = m.toCorner.size();
    double before = dot(rowPlane, m.toCorner[n - 1]);
    for (size_t i = 0; i < n; ++i) {
      const double side = dot(rowPlane, m.toCorner[i]);
      if ((side > 0) != (before > 0)) {
        const double b = dot(m.edgeNormal[i], s), xc = b != 0 ? -dot(m.edgeNormal[i], r) / b : 0;
        if (b != 0 && (d0 + xc * ds) * ne > 0) xs.push_back(xc);
      }
      before = side;
    }
    std::sort(xs.begin(), xs.end());
    const bool beyond = ds * ne < 0;  // the centres in front lie below the pole: count the crossings above x
    size_t below = 0;                 // crossings at x' < x
    for (int64_t x = 0; x < nx; ++x) {
      const double fx = static_cast<double>(x);
      while (below < xs.size() && xs[below] < fx) ++below;
      if (!wanted(x)) continue;
      size_t count = below;
      if (beyond) {
        size_t atOrBelow = below;
        while (atOrBelow < xs.size() && xs[atOrBelow] <= fx) ++atOrBelow;
        count = xs.size() - atOrBelow;
      }
      in[x] = (d0 + fx * ds) * ne > 0 && (count & 1) != 0 ? 1 : 0;
    }
    return;
  }
  const Vec3 w0 = m.g.worldAt(0, static_cast<double>(y), static_cast<double>(z)) - m.o;
  const double u0 = dot(w0, m.a1), v0 = dot(w0, m.a2);
  if (m.rowsArePoints) {
    const uint8_t rowIn = m.polygon.inside(u0, v0) ? 1 : 0;
    for (int64_t x = 0; x < nx; ++x)
      if (wanted(x)) in[x] = rowIn;
    return;
  }
  thread_local std::vector<double> xs;
  m.crossings.row(u0, v0, xs);
  size_t before = 0;  // crossings at x' < x
  for (int64_t x = 0; x < nx; ++x) {
    while (before < xs.size() && xs[before] < static_cast<double>(x)) ++before;
    if (wanted(x)) in[x] = (before & 1) != 0 ? 1 : 0;
  }
}

}  // namespace cvx::view
