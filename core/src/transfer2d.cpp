// SPDX-License-Identifier: MIT
#include <cvx/core/transfer2d.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace cvx {
namespace {

Error badTable(const std::string& m) { return makeError("tf.bad_table", m); }
Error badGradient(const std::string& m) { return makeError("tf.bad_gradient_points", m); }

// The curve's factor at magnitude g: linear between points, held beyond the ends.
double factorAt(const std::vector<GradientPoint>& pts, double g) {
  if (g <= pts.front().magnitude) return pts.front().factor;
  for (size_t k = 1; k < pts.size(); ++k)
    if (g <= pts[k].magnitude) {
      const GradientPoint &a = pts[k - 1], &b = pts[k];
      if (!(b.magnitude > a.magnitude)) return b.factor;
      return a.factor + (g - a.magnitude) / (b.magnitude - a.magnitude) * (static_cast<double>(b.factor) - a.factor);
    }
  return pts.back().factor;
}

}  // namespace

Status checkGradientPoints(const std::vector<GradientPoint>& gradient) {
  if (gradient.empty()) return badGradient("no gradient-opacity points");
  for (size_t k = 0; k < gradient.size(); ++k) {
    const GradientPoint& p = gradient[k];
    if (!std::isfinite(p.magnitude) || p.magnitude < 0 || !std::isfinite(p.factor) || p.factor < 0 || p.factor > 1 ||
        (k > 0 && p.magnitude < gradient[k - 1].magnitude))
      return badGradient("gradient-opacity point " + std::to_string(k) +
                         " is not finite, has a negative or decreasing magnitude, or a factor outside [0, 1]");
  }
  return {};
}

Result<TransferTable2D> TransferTable2D::fromNodes(std::vector<hd::TfNode> nodes, int nv, int ng, float lo, float hi,
                                                   float gMax) {
  if (nv < 2 || ng < 2 || nodes.size() != static_cast<size_t>(nv) * static_cast<size_t>(ng))
    return badTable("a 2D transfer table needs nv, ng >= 2 and nv * ng nodes");
  if (!std::isfinite(gMax) || !(gMax > 0)) return badTable("a 2D transfer table's gradient range must be > 0");
  std::vector<hd::TfNode> env(static_cast<size_t>(nv));
  for (int i = 0; i < nv; ++i) {
    env[i] = nodes[i];
    for (int k = 1; k < ng; ++k) {
      const hd::TfNode& n = nodes[static_cast<size_t>(k) * nv + i];
      if (n.sigma > env[i].sigma) env[i] = n;
    }
  }
  auto envelope = TransferTable::fromNodes(std::move(env), lo, hi);  // checks lo, hi and every node
  if (!envelope) return envelope.error();
  for (const hd::TfNode& n : nodes)
    if (!std::isfinite(n.r) || !std::isfinite(n.g) || !std::isfinite(n.b) || !std::isfinite(n.sigma) || n.sigma < 0)
      return badTable("a 2D transfer table node is not finite or has sigma < 0");
  TransferTable2D t;
  t.nodes_ = std::move(nodes);
  t.envelope_ = std::move(*envelope);
  t.shape_ = {nullptr, nv, ng, lo, hi, gMax};
  return t;
}

hd::TransferFunction2D TransferTable2D::view() const {
  hd::TransferFunction2D v = shape_;
  v.nodes = nodes_.empty() ? nullptr : nodes_.data();
  return v;
}

Result<TransferTable2D> buildGradientTable(const std::vector<TfPoint>& points, double unitDistanceMm,
                                           const std::vector<GradientPoint>& gradient, int nv, int ng) {
  CVX_TRY(checkGradientPoints(gradient));
  if (ng < 2 || ng > 4096) return badTable("a 2D transfer table needs 2 to 4096 gradient nodes");
  auto base = buildTransferTable(points, unitDistanceMm, nv);
  if (!base) return base.error();
  const float gMax = static_cast<float>(std::max(gradient.back().magnitude, 1e-3));
  std::vector<hd::TfNode> nodes(static_cast<size_t>(nv) * static_cast<size_t>(ng));
  for (int k = 0; k < ng; ++k) {
    const double f = factorAt(gradient, static_cast<double>(gMax) * k / (ng - 1));
    for (int i = 0; i < nv; ++i) {
      hd::TfNode n = base->nodes()[static_cast<size_t>(i)];
      const double a = -std::expm1(-static_cast<double>(n.sigma) * unitDistanceMm) * f;  // opacity per unit, times f
      n.sigma = a > 0 ? static_cast<float>(-std::log1p(-a) / unitDistanceMm) : 0.0f;
      nodes[static_cast<size_t>(k) * nv + i] = n;
    }
  }
  return TransferTable2D::fromNodes(std::move(nodes), nv, ng, base->lo(), base->hi(), gMax);
}

}  // namespace cvx
