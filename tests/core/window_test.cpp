// SPDX-License-Identifier: MIT
// hd::applyWindow against the DICOM linear VOI formula (PS3.3 C.11.2.1.2.1), worked by hand;
// hd::displayByte against std::lround.
#include <cvx/core/hd/window.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

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

// displayByte is std::lround(clamp(x, 0, 1) * 255) (the viewer's old rule): every 61st float of
// [0, 1] by bit pattern, every byte's rounding edge and its neighbours, and the ends.
TEST(DisplayByte, EqualsRoundedClampedScale) {
  auto reference = [](float x) { return static_cast<int>(std::lround(std::clamp(x, 0.0f, 1.0f) * 255.0f)); };
  const uint32_t one = std::bit_cast<uint32_t>(1.0f);
  for (uint32_t b = 0; b <= one; b += 61) {
    const float x = std::bit_cast<float>(b);
    ASSERT_EQ(cvx::hd::displayByte(x), reference(x)) << x;
  }
  for (int k = 0; k < 255; ++k) {
    float x = (k + 0.5f) / 255.0f;
    for (int i = 0; i < 8; ++i) x = std::nextafter(x, 0.0f);
    for (int i = 0; i < 16; ++i, x = std::nextafter(x, 1.0f)) ASSERT_EQ(cvx::hd::displayByte(x), reference(x)) << x;
  }
  EXPECT_EQ(cvx::hd::displayByte(-0.25f), 0);
  EXPECT_EQ(cvx::hd::displayByte(1.0f), 255);
  EXPECT_EQ(cvx::hd::displayByte(7.0f), 255);
  EXPECT_EQ(cvx::hd::displayByte(std::nanf("")), 0);
}
