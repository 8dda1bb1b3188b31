// SPDX-License-Identifier: MIT
// hd::applyWindow against the DICOM linear VOI formula (PS3.3 C.11.2.1.2.1), worked by hand.
#include <cvx/core/hd/window.h>

#include <gtest/gtest.h>

namespace {

using cvx::hd::applyWindow;

TEST(ApplyWindow, DicomBoundaries) {
  // c = 40, w = 400: linear for 40 - 0.5 - 199.5 = -160 < x <= 239.
  EXPECT_FLOAT_EQ(applyWindow(-160.0f, 40, 400), 0.0f);
  EXPECT_FLOAT_EQ(applyWindow(-1000.0f, 40, 400), 0.0f);
  EXPECT_FLOAT_EQ(applyWindow(239.5f, 40, 400), 1.0f);
  EXPECT_FLOAT_EQ(applyWindow(3000.0f, 40, 400), 1.0f);
  // Mid-point: x = c - 0.5 gives 0.5; x = 0 gives (0 - 39.5)/399 + 0.5.
  EXPECT_FLOAT_EQ(applyWindow(39.5f, 40, 400), 0.5f);
  EXPECT_NEAR(applyWindow(0.0f, 40, 400), 0.5 - 39.5 / 399.0, 1e-6);
}

TEST(ApplyWindow, MonotoneAndInRange) {
  for (float w : {1.0f, 2.0f, 80.0f, 4095.0f}) {
    float prev = -1;
    for (float x = -2000; x <= 2000; x += 0.25f) {
      const float y = applyWindow(x, 50, w);
      ASSERT_GE(y, 0.0f);
      ASSERT_LE(y, 1.0f);
      ASSERT_GE(y, prev) << "x=" << x << " w=" << w;
      prev = y;
    }
  }
}

TEST(ApplyWindow, WidthBelowOneIsAThreshold) {
  EXPECT_FLOAT_EQ(applyWindow(9.5f, 10, 0), 0.0f);
  EXPECT_FLOAT_EQ(applyWindow(9.51f, 10, 0), 1.0f);
  EXPECT_FLOAT_EQ(applyWindow(9.51f, 10, -5), 1.0f);
}

}  // namespace
