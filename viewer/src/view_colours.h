// SPDX-License-Identifier: MIT
// The colour that stands for a view's orientation wherever its plane is drawn: the reference lines
// in the other MPR views, the 3D view's outline of a cut that follows it (as peers do: axial red,
// coronal green, sagittal yellow; oblique blue).
#pragma once
#include <QColor>

#include <cvx/viewstate/plane.h>

namespace cvx::viewer {

inline QColor orientationColour(view::Orientation o) {
  switch (o) {
    case view::Orientation::Axial: return QColor(230, 60, 60);
    case view::Orientation::Coronal: return QColor(60, 200, 90);
    case view::Orientation::Sagittal: return QColor(230, 200, 40);
    case view::Orientation::Oblique: break;
  }
  return QColor(90, 160, 255);
}

}  // namespace cvx::viewer
