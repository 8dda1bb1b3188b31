// SPDX-License-Identifier: MIT
#include "render_tf.h"

namespace cvx::bench {

std::vector<TfPoint> boneTransferFunction() {
  // Air and soft tissue transparent; bone from 150 HU, ivory at 400 HU, white and nearly opaque
  // (per mm) from 1500 HU.
  return {{-1000, 0.0f, 0.0f, 0.0f, 0.0f},
          {150, 0.55f, 0.25f, 0.15f, 0.0f},
          {400, 0.95f, 0.88f, 0.70f, 0.25f},
          {1500, 1.0f, 1.0f, 1.0f, 0.85f},
          {3071, 1.0f, 1.0f, 1.0f, 0.85f}};
}

std::vector<TfPoint> mipTransferFunction() {
  // A grey ramp from air to dense bone, opaque everywhere (a MIP shows the maximum's colour).
  return {{-1000, 0.0f, 0.0f, 0.0f, 1.0f}, {2000, 1.0f, 1.0f, 1.0f, 1.0f}, {3071, 1.0f, 1.0f, 1.0f, 1.0f}};
}

}  // namespace cvx::bench
