// SPDX-License-Identifier: MIT
// What the transfer-function editor's parts share (tf_editor.cpp, tf_editor_paint.cpp, tf_editor_gradient.cpp).
#pragma once
#include <QColor>

#include <algorithm>
#include <cmath>

#include <cvx/core/transfer.h>

namespace cvx::viewer::tfui {

constexpr int kBins = 256;           // histogram bins over a plot's range
constexpr double kHandleRadius = 5;  // px
constexpr double kPickRadius = 8;    // px: a press this near a handle takes it
constexpr int kMargin = 10, kBarHeight = 12, kAxisHeight = 16;

// A step of 1, 2 or 5 times a power of ten giving about `count` ticks over `span`.
inline double niceStep(double span, int count) {
  const double raw = span / std::max(1, count);
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

// A control point's colour.
inline QColor colorOf(const TfPoint& p) { return QColor::fromRgbF(p.r, p.g, p.b); }

}  // namespace cvx::viewer::tfui
