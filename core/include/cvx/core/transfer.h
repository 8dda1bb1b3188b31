// SPDX-License-Identifier: MIT
// Transfer functions on the host: control points (value, colour, opacity per unit distance) sampled
// into the node table that hd::TransferFunction1D views, its pre-integration, and the largest
// extinction over a value range for empty-space skipping (docs/rendering.md, "Transfer functions and
// presets").
#pragma once
#include <cmath>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/hd/transfer.h>

namespace cvx {

// A control point: a modality value (HU, SUV, ...), a colour (0..1) and an opacity (0..1) per unit
// distance (buildTransferTable's unitDistanceMm).
struct TfPoint {
  double value = 0;
  float r = 0, g = 0, b = 0, alpha = 0;
};

// Control points are valid when there is at least one, every number is finite, colour and alpha
// lie in [0, 1] and values never decrease (equal neighbours make a step). Otherwise tf.bad_points,
// naming the first bad point.
Status checkTransferPoints(const std::vector<TfPoint>& points);

// The node table of hd/transfer.h's rules, owned: nodes, their running integrals (pre-integration)
// and a sparse table of the nodes' extinction for maxSigma. view() points into this object's
// storage: it stays valid while the table lives and is not assigned to (a move keeps it valid).
class TransferTable {
 public:
  TransferTable() = default;

  // A table from its nodes over [lo, hi]: at least 2 nodes, lo < hi finite, every number finite and
  // sigma >= 0 (else tf.bad_table). The integrals are computed here.
  static Result<TransferTable> fromNodes(std::vector<hd::TfNode> nodes, float lo, float hi);

  hd::TransferFunction1D view() const;
  bool empty() const { return nodes_.empty(); }
  int size() const { return static_cast<int>(nodes_.size()); }
  float lo() const { return lo_; }
  float hi() const { return hi_; }
  const std::vector<hd::TfNode>& nodes() const { return nodes_; }
  const std::vector<hd::TfNode>& integral() const { return integral_; }

  // The largest sigma that hd::tfLookup gives for any value in [v0, v1] (either order): the lookups
  // at the ends and the nodes between them, found in O(1). It is 0 only when every value of the range
  // is fully transparent, in hd::tfPos's own float arithmetic, so a brick whose [min, max] gives 0
  // can be skipped. A NaN bound gives the largest sigma of the whole table; an empty table gives 0.
  float maxSigma(float v0, float v1) const;
  bool transparent(float v0, float v1) const { return !(maxSigma(v0, v1) > 0.0f); }

 private:
  float rangeMax(int a, int b) const;  // the largest node sigma of nodes a..b (a <= b)

  std::vector<hd::TfNode> nodes_, integral_;
  std::vector<std::vector<float>> sparse_;  // sparse_[k][i]: max sigma of nodes i .. i + 2^k - 1
  float lo_ = 0, hi_ = 1;
  float clearBelow_ = -INFINITY;  // hd::TransferFunction1D::clearBelow
};

// Samples control points into n nodes (2 <= n <= 1 << 20, else tf.bad_table) over [lo, hi], the
// first and last points' values (widened by 1 on each side when they are equal). Colour and alpha
// interpolate linearly between neighbouring points, as vtkColorTransferFunction (RGB) and
// vtkPiecewiseFunction do, and hold beyond the ends; at a step (equal values) a node on the step takes
// the later point. sigma = -ln(1 - alpha) / unitDistanceMm with alpha at most 1 - 1e-6. Errors:
// tf.bad_points (checkTransferPoints), tf.bad_unit (unitDistanceMm not finite or <= 0).
Result<TransferTable> buildTransferTable(const std::vector<TfPoint>& points, double unitDistanceMm,
                                         int n = 4096);

}  // namespace cvx
