// SPDX-License-Identifier: MIT
// Two-dimensional transfer functions on the host (hd/transfer2d.h's rules): a table over value and
// gradient magnitude, its 1D envelope (which gates rays and empty-space skipping), and the usual
// separable form, opacity times a gradient-opacity curve (VTK's SetGradientOpacity).
#pragma once
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/hd/transfer2d.h>
#include <cvx/core/transfer.h>

namespace cvx {

// A gradient-opacity point: a gradient magnitude (modality units per mm) and a factor in [0, 1].
struct GradientPoint {
  double magnitude = 0;
  float factor = 1;
};

// tf.bad_gradient_points for none, a number not finite, a negative or decreasing magnitude, or a
// factor outside [0, 1].
Status checkGradientPoints(const std::vector<GradientPoint>& points);

class TransferTable2D {
 public:
  TransferTable2D() = default;

  // From nv x ng nodes (value fastest) over [lo, hi] x [0, gMax]: nv, ng >= 2, lo < hi and gMax > 0
  // finite, every number finite, sigma >= 0 (else tf.bad_table).
  static Result<TransferTable2D> fromNodes(std::vector<hd::TfNode> nodes, int nv, int ng, float lo, float hi,
                                           float gMax);

  hd::TransferFunction2D view() const;
  // The envelope: per value node, the node of largest sigma over gradient magnitude. A ray's 1D
  // table (its view()) when the 2D table is in use; its transparent ranges are the 2D table's.
  const TransferTable& envelope() const { return envelope_; }
  int nv() const { return shape_.nv; }
  int ng() const { return shape_.ng; }
  const std::vector<hd::TfNode>& nodes() const { return nodes_; }

 private:
  std::vector<hd::TfNode> nodes_;
  TransferTable envelope_;
  hd::TransferFunction2D shape_;  // view() without its nodes pointer
};

// The separable table: the 1D points (buildTransferTable's rules, nv value nodes) with each opacity
// a multiplied by the gradient-opacity curve f(|g|) (linear between points, held beyond the ends),
// sigma = -ln(1 - a f) / unitDistanceMm, over ng gradient nodes up to the last point's magnitude.
// Errors: buildTransferTable's; checkGradientPoints'.
Result<TransferTable2D> buildGradientTable(const std::vector<TfPoint>& points, double unitDistanceMm,
                                           const std::vector<GradientPoint>& gradient, int nv = 1024,
                                           int ng = 64);

}  // namespace cvx
