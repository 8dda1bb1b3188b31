// SPDX-License-Identifier: MIT
// Two-dimensional transfer functions for CPU and GPU alike: colour and extinction over a sample's
// value and its gradient magnitude (boundaries: an edge between tissues has a large gradient, the
// inside of an organ a small one; Kniss et al. 2002, VTK's gradient opacity).
#pragma once
#include <cvx/core/hd/config.h>
#include <cvx/core/hd/math.h>
#include <cvx/core/hd/transfer.h>

namespace cvx::hd {

// The rules (docs/volume-rendering.md, "Two-dimensional transfer functions"):
// - nv x ng nodes, value fastest: node (i, k) sits at value lo + i (hi - lo) / (nv - 1) and gradient
//   magnitude k gMax / (ng - 1) (modality units per mm, in patient space). Between nodes the table
//   interpolates bilinearly; beyond the ends it holds the end nodes (as TransferFunction1D).
// - A ray gates every segment through a 1D envelope table over the same value nodes whose sigma is
//   the largest over gradient magnitude (TransferTable2D::envelope): a segment the envelope makes
//   transparent is transparent, so empty-space skipping and clearBelow hold unchanged. Any other
//   segment takes the 2D table's colour and extinction at the sample (value, |gradient|), with
//   opacity 1 - exp(-sigma * step) (no pre-integration in 2D), shaded with that same gradient.
struct TransferFunction2D {
  const TfNode* nodes = nullptr;  // nv * ng entries; null: no 2D table
  int nv = 0, ng = 0;
  float lo = 0, hi = 1, gMax = 1;
  unsigned long long tex = 0;  // on the device: a CUDA texture object over nodes (TransferFunction1D's)
};

CVX_HD_INLINE TfNode tf2Lookup(const TransferFunction2D& t, float v, float g) {
  const TransferFunction1D axisV{nullptr, nullptr, t.nv, t.lo, t.hi};
  const TransferFunction1D axisG{nullptr, nullptr, t.ng, 0.0f, t.gMax};
  const TfPos pv = tfPos(axisV, v), pg = tfPos(axisG, g);
  const int64_t r0 = static_cast<int64_t>(pg.i) * t.nv + pv.i, r1 = r0 + t.nv;
  auto at = [&](int64_t i) { return tfNodeAt(t.nodes, t.tex, i); };
  return lerpNode(lerpNode(at(r0), at(r0 + 1), pv.f), lerpNode(at(r1), at(r1 + 1), pv.f), pg.f);
}

}  // namespace cvx::hd
