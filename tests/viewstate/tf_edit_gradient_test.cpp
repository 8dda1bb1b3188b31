// SPDX-License-Identifier: MIT
// The transfer-function editor's gradient-opacity curve (TfEdit) and the gradient magnitudes'
// histogram that scales its plot, against analytic values: a linear ramp has one gradient.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/tf_edit.h>

using namespace cvx;
using namespace cvx::view;

namespace {

// v = a x + c z on a float grid with spacing (sx, sy, sz): every interior gradient is
// (a / sx, 0, c / sz) per mm.
std::shared_ptr<Volume> ramp(double a, double c, Vec3 spacing) {
  auto v = Volume::create(PixelType::Float32, {20, 12, 9, 1}).value();
  v->geometry.spacingMm = spacing;
  float* p = v->as<float>();
  for (int z = 0; z < 9; ++z)
    for (int y = 0; y < 12; ++y)
      for (int x = 0; x < 20; ++x) *p++ = static_cast<float>(a * x + c * z);
  return v;
}

TEST(TfEditGradient, HistogramOfARampIsOneMagnitude) {
  const auto v = ramp(3, 4, {0.5, 1, 2});
  const double g = std::hypot(3 / 0.5, 4 / 2.0);  // 6.3246 per mm
  const ValueHistogram h = gradientHistogram(*v, 0, 16);
  ASSERT_EQ(h.counts.size(), 16u);
  EXPECT_NEAR(h.hi, g, 1e-9);
  EXPECT_EQ(h.lo, 0);
  EXPECT_EQ(h.counts.back(), 18 * 10 * 7) << "every interior voxel, in the top bin";
  EXPECT_EQ(h.above, 0);
  // Flat: every magnitude 0, the range 1.
  const ValueHistogram flat = gradientHistogram(*ramp(0, 0, {1, 1, 1}), 0, 4);
  EXPECT_EQ(flat.hi, 1);
  EXPECT_EQ(flat.counts.front(), 18 * 10 * 7);
  // Bad requests: no counts.
  EXPECT_TRUE(gradientHistogram(*v, 1, 16).counts.empty());
  EXPECT_TRUE(gradientHistogram(*v, 0, 0).counts.empty());
}

TEST(TfEditGradient, AddMoveRemoveKeepTheCurveOrderedAndTheFunction) {
  TfEdit e;
  EXPECT_EQ(e.gradientSize(), 0);
  ASSERT_EQ(e.addGradientPoint(100), 0);
  EXPECT_EQ(e.gradientPoints()[0].factor, 1) << "an empty curve is 1 everywhere";
  ASSERT_TRUE(e.moveGradientPoint(0, 100, 0.2));
  ASSERT_EQ(e.addGradientPoint(300), 1);
  EXPECT_FLOAT_EQ(e.gradientPoints()[1].factor, 0.2f) << "held beyond the last point";
  ASSERT_TRUE(e.moveGradientPoint(1, 300, 1.0));
  ASSERT_EQ(e.addGradientPoint(150), 1);  // a quarter of the way from 100 to 300
  EXPECT_NEAR(e.gradientPoints()[1].factor, 0.2 + 0.25 * 0.8, 1e-6);
  ASSERT_EQ(e.addGradientPoint(-5), 0);
  EXPECT_EQ(e.gradientPoints()[0].magnitude, 0) << "magnitudes are not negative";
  EXPECT_FLOAT_EQ(e.gradientPoints()[0].factor, 0.2f);
  // Moves stay between the neighbours, factors in [0, 1].
  ASSERT_TRUE(e.moveGradientPoint(2, 1000, 7));
  EXPECT_EQ(e.gradientPoints()[2].magnitude, 300);
  EXPECT_EQ(e.gradientPoints()[2].factor, 1);
  ASSERT_TRUE(e.moveGradientPoint(2, 50, -1));
  EXPECT_EQ(e.gradientPoints()[2].magnitude, 100);
  EXPECT_EQ(e.gradientPoints()[2].factor, 0);
  EXPECT_FALSE(e.moveGradientPoint(9, 1, 1));
  EXPECT_FALSE(e.moveGradientPoint(0, std::nan(""), 1));
  EXPECT_EQ(e.addGradientPoint(std::nan("")), -1);
  EXPECT_EQ(checkGradientPoints(e.gradientPoints()).ok(), true);
  // Hit testing in a plot of 0..400 per mm over 400 px.
  TfPlot pl;
  pl.lo = 0, pl.hi = 400, pl.width = 400, pl.height = 100;
  EXPECT_EQ(e.hitTestGradient(pl, 300, 0, 6), 3);  // (300, 1)
  EXPECT_EQ(e.hitTestGradient(pl, 200, 50, 6), -1);
  // Removing every point leaves no curve: opacity by value alone.
  while (e.gradientSize() > 0) ASSERT_TRUE(e.removeGradientPoint(0));
  EXPECT_FALSE(e.removeGradientPoint(0));
}

}  // namespace
