// SPDX-License-Identifier: MIT
#include <cvx/core/transfer.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace cvx {
namespace {

constexpr int kMaxNodes = 1 << 20;
constexpr double kMaxAlpha = 1.0 - 1e-6;

bool unit01(float x) { return x >= 0.0f && x <= 1.0f; }  // false for NaN

Error badPoint(size_t i, const std::string& what) {
  return makeError("tf.bad_points", "transfer function point " + std::to_string(i + 1) + ": " + what);
}

// The exact integrals over one node interval of width h, where sigma and colour run linearly from
// node a to node b: of sigma (trapezoid) and of sigma * c (a product of two linear functions).
double sigmaArea(const hd::TfNode& a, const hd::TfNode& b, double h) {
  return h * 0.5 * (static_cast<double>(a.sigma) + b.sigma);
}
double colourArea(double s0, double s1, double c0, double c1, double h) {
  const double ds = s1 - s0, dc = c1 - c0;
  return h * (s0 * c0 + (s0 * dc + ds * c0) / 2.0 + ds * dc / 3.0);
}

}  // namespace

Status checkTransferPoints(const std::vector<TfPoint>& points) {
  if (points.empty()) return makeError("tf.bad_points", "a transfer function needs at least one point");
  for (size_t i = 0; i < points.size(); ++i) {
    const TfPoint& p = points[i];
    if (!std::isfinite(p.value)) return badPoint(i, "value is not finite");
    if (!unit01(p.r) || !unit01(p.g) || !unit01(p.b)) return badPoint(i, "colour outside [0, 1]");
    if (!unit01(p.alpha)) return badPoint(i, "alpha outside [0, 1]");
    if (i > 0 && p.value < points[i - 1].value)
      return badPoint(i, "values must not decrease (" + std::to_string(points[i - 1].value) + " then " +
                             std::to_string(p.value) + ")");
  }
  return {};
}

Result<TransferTable> TransferTable::fromNodes(std::vector<hd::TfNode> nodes, float lo, float hi) {
  if (nodes.size() < 2 || nodes.size() > static_cast<size_t>(kMaxNodes))
    return makeError("tf.bad_table", "a transfer table needs 2 to " + std::to_string(kMaxNodes) +
                                         " nodes, not " + std::to_string(nodes.size()));
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
    return makeError("tf.bad_table", "transfer table range [" + std::to_string(lo) + ", " +
                                         std::to_string(hi) + "] is not finite with lo < hi");
  for (size_t i = 0; i < nodes.size(); ++i) {
    const hd::TfNode& nd = nodes[i];
    if (!std::isfinite(nd.r) || !std::isfinite(nd.g) || !std::isfinite(nd.b) || !std::isfinite(nd.sigma) ||
        nd.sigma < 0.0f)
      return makeError("tf.bad_table",
                       "transfer table node " + std::to_string(i) + " is not finite or has sigma < 0");
  }
  TransferTable t;
  t.lo_ = lo;
  t.hi_ = hi;
  t.nodes_ = std::move(nodes);
  const size_t n = t.nodes_.size();
  // Running integrals from lo, accumulated in double over the float nodes as stored.
  const double h = (static_cast<double>(hi) - lo) / static_cast<double>(n - 1);
  t.integral_.assign(n, hd::TfNode{});
  double s = 0, cr = 0, cg = 0, cb = 0;
  for (size_t i = 1; i < n; ++i) {
    const hd::TfNode& a = t.nodes_[i - 1];
    const hd::TfNode& b = t.nodes_[i];
    s += sigmaArea(a, b, h);
    cr += colourArea(a.sigma, b.sigma, a.r, b.r, h);
    cg += colourArea(a.sigma, b.sigma, a.g, b.g, h);
    cb += colourArea(a.sigma, b.sigma, a.b, b.b, h);
    t.integral_[i] = {static_cast<float>(cr), static_cast<float>(cg), static_cast<float>(cb),
                      static_cast<float>(s)};
  }
  // clearBelow: node m - 2's value, m the first node with sigma > 0 (a whole node below the first
  // value with sigma > 0, whatever tfPos's rounding); there the integrals are sums of zeros.
  size_t m = 0;
  while (m < n && !(t.nodes_[m].sigma > 0.0f)) ++m;
  if (m == n) t.clearBelow_ = INFINITY;
  else if (m >= 2) t.clearBelow_ = static_cast<float>(lo + h * static_cast<double>(m - 2));
  // Sparse table: level k holds the maximum of 2^k consecutive nodes.
  t.sparse_.emplace_back(n);
  for (size_t i = 0; i < n; ++i) t.sparse_[0][i] = t.nodes_[i].sigma;
  for (size_t w = 2; w <= n; w *= 2) {
    const std::vector<float>& prev = t.sparse_.back();
    std::vector<float> level(n - w + 1);
    for (size_t i = 0; i + w <= n; ++i) level[i] = std::max(prev[i], prev[i + w / 2]);
    t.sparse_.push_back(std::move(level));
  }
  return t;
}

hd::TransferFunction1D TransferTable::view() const {
  hd::TransferFunction1D tf;
  tf.nodes = nodes_.data();
  tf.integral = integral_.data();
  tf.n = size();
  tf.lo = lo_;
  tf.hi = hi_;
  tf.clearBelow = clearBelow_;
  return tf;
}

float TransferTable::rangeMax(int a, int b) const {
  const int k = std::bit_width(static_cast<unsigned>(b - a + 1)) - 1;
  return std::max(sparse_[k][a], sparse_[k][b - (1 << k) + 1]);
}

float TransferTable::maxSigma(float v0, float v1) const {
  if (nodes_.empty()) return 0.0f;
  if (std::isnan(v0) || std::isnan(v1)) return rangeMax(0, size() - 1);
  if (v0 > v1) std::swap(v0, v1);
  // tfPos is monotone in v (each float operation is), so every value of [v0, v1] sits between the
  // positions of v0 and v1; the table is linear between nodes, so its largest value there is at an
  // end or at a node between them: nodes p0.i + 1 .. p1.i (the last node, at hi, is v1's lookup).
  const hd::TransferFunction1D tf = view();
  const hd::TfPos p0 = hd::tfPos(tf, v0), p1 = hd::tfPos(tf, v1);
  float m = std::max(hd::tfLookup(tf, v0).sigma, hd::tfLookup(tf, v1).sigma);
  if (p0.i + 1 <= p1.i) m = std::max(m, rangeMax(p0.i + 1, p1.i));
  return m;
}

Result<TransferTable> buildTransferTable(const std::vector<TfPoint>& points, double unitDistanceMm, int n) {
  CVX_TRY(checkTransferPoints(points));
  if (!std::isfinite(unitDistanceMm) || unitDistanceMm <= 0)
    return makeError("tf.bad_unit", "unit distance " + std::to_string(unitDistanceMm) + " mm is not > 0");
  if (n < 2 || n > kMaxNodes)
    return makeError("tf.bad_table", "a transfer table needs 2 to " + std::to_string(kMaxNodes) +
                                         " nodes, not " + std::to_string(n));
  double first = points.front().value, last = points.back().value;
  if (!(first < last)) {
    first -= 1;
    last += 1;
  }
  // Nodes sit where the float view says they do: at lo + i * (hi - lo) / (n - 1) of the float ends.
  const float lo = static_cast<float>(first), hi = static_cast<float>(last);
  const double h = (static_cast<double>(hi) - lo) / (n - 1);
  std::vector<hd::TfNode> nodes(static_cast<size_t>(n));
  size_t k = 0;  // the first point whose value is above the node's
  for (int i = 0; i < n; ++i) {
    const double v = i == n - 1 ? static_cast<double>(hi) : lo + i * h;
    while (k < points.size() && points[k].value <= v) ++k;
    double r, g, b, a;
    if (k == 0 || k == points.size()) {
      const TfPoint& p = k == 0 ? points.front() : points.back();
      r = p.r, g = p.g, b = p.b, a = p.alpha;
    } else {
      const TfPoint& p = points[k - 1];
      const TfPoint& q = points[k];
      const double t = (v - p.value) / (q.value - p.value);
      r = p.r + t * (static_cast<double>(q.r) - p.r);
      g = p.g + t * (static_cast<double>(q.g) - p.g);
      b = p.b + t * (static_cast<double>(q.b) - p.b);
      a = p.alpha + t * (static_cast<double>(q.alpha) - p.alpha);
    }
    const double sigma = a > 0 ? -std::log1p(-std::min(a, kMaxAlpha)) / unitDistanceMm : 0.0;
    nodes[i] = {static_cast<float>(r), static_cast<float>(g), static_cast<float>(b),
                static_cast<float>(sigma)};
  }
  return TransferTable::fromNodes(std::move(nodes), lo, hi);
}

}  // namespace cvx
