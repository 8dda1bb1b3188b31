// SPDX-License-Identifier: MIT
// Drawing and picking: outlines in patient space, handles and outlines under the mouse on a pixel
// frame made here (2 mm pixels), and the text beside a measurement.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/measure_draw.h>

#include "measure_test_util.h"
#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::axialAt;
using cvx::test::expectVec;
using cvx::test::shape;

namespace {

// Pixel (x, y) at (2x, 2y, 0) mm.
PixelFrame frame() {
  PixelFrame f;
  f.origin = {0, 0, 0};
  f.du = {2, 0, 0};
  f.dv = {0, 2, 0};
  f.width = f.height = 100;
  f.mmPerPixel = 2;
  return f;
}

}  // namespace

TEST(MeasureDraw, OutlinesOfEachKind) {
  const Plane pl = axialAt({0, 0, 0});
  const auto rect = outlineWorld(shape(MeasureKind::Rectangle, pl, {{10, 20, 0}, {4, 8, 0}}));
  ASSERT_EQ(rect.size(), 4u);
  expectVec(rect[0], {4, 8, 0});
  expectVec(rect[1], {10, 8, 0});
  expectVec(rect[2], {10, 20, 0});
  expectVec(rect[3], {4, 20, 0});
  const auto ell = outlineWorld(shape(MeasureKind::Ellipse, pl, {{0, 0, 0}, {10, 4, 0}}), 32);
  ASSERT_EQ(ell.size(), 32u);
  for (const Vec3& p : ell) EXPECT_NEAR(std::pow((p.x - 5) / 5, 2) + std::pow((p.y - 2) / 2, 2), 1, 1e-12);
  const auto ang = outlineWorld(shape(MeasureKind::Angle, pl, {{1, 0, 0}, {0, 0, 0}, {0, 1, 0}}));
  EXPECT_EQ(ang.size(), 3u);
  EXPECT_TRUE(outlineClosed(MeasureKind::Freehand));
  EXPECT_FALSE(outlineClosed(MeasureKind::Distance));
}

TEST(MeasureDraw, HandlesAndOutlinesUnderTheMouse) {
  const PixelFrame f = frame();
  const auto line = shape(MeasureKind::Distance, axialAt({}), {{20, 20, 0}, {60, 20, 0}});  // pixels (10,10)-(30,10)
  EXPECT_EQ(handleAt(line, f, 10.5, 10.5, 2), 0);
  EXPECT_EQ(handleAt(line, f, 29, 11, 2), 1);
  EXPECT_EQ(handleAt(line, f, 20, 10, 2), -1);
  EXPECT_TRUE(hitOutline(line, f, 20, 11.5, 2));
  EXPECT_FALSE(hitOutline(line, f, 20, 12.5, 2));
  EXPECT_FALSE(hitOutline(line, f, 33, 10, 2));  // beyond the end
  const auto box = shape(MeasureKind::Rectangle, axialAt({}), {{20, 20, 0}, {60, 60, 0}});  // pixels 10..30
  EXPECT_TRUE(hitOutline(box, f, 20, 20, 1));   // inside
  EXPECT_TRUE(hitOutline(box, f, 30.5, 15, 1)); // near the edge, outside
  EXPECT_FALSE(hitOutline(box, f, 35, 15, 1));
}

TEST(MeasureDraw, TextBesideAMeasurement) {
  Measurement d = shape(MeasureKind::Distance, axialAt({}), {{0, 0, 0}, {3, 4, 0}});
  MeasureResult r;
  r.value = 5;
  r.unit = "mm";
  EXPECT_EQ(resultText(d, r), std::vector<std::string>{"5.0 mm"});
  d.label = "aorta";
  r.unit = "px";
  EXPECT_EQ(resultText(d, r), (std::vector<std::string>{"aorta", "5.0 px"}));
  const Measurement roi = shape(MeasureKind::Ellipse, axialAt({}), {{0, 0, 0}, {3, 4, 0}});
  MeasureResult s;
  s.value = 314.159;
  s.unit = "mm2";
  s.stats = RoiStats{81, 40.06, 3.24, -5, 88};
  s.statsUnit = "HU";
  EXPECT_EQ(resultText(roi, s),
            (std::vector<std::string>{"area 314.2 mm2", "mean 40.1  SD 3.2 HU", "min -5.0  max 88.0  n 81"}));
  s.suv = RoiStats{81, 2.1, 0.2, 1.0, 3.5};
  EXPECT_EQ(resultText(roi, s).back(), "SUVbw mean 2.10  max 3.50");
  for (const std::string& line : resultText(roi, s)) EXPECT_EQ(line.rfind("SUL", 0), std::string::npos) << line;
  s.sul = RoiStats{81, 1.564, 0.134, 0.7, 2.6};  // PERCIST's liver reference: SUL mean and SD
  const auto withSul = resultText(roi, s);
  ASSERT_EQ(withSul.size(), 5u);
  EXPECT_EQ(withSul[3], "SUVbw mean 2.10  max 3.50");
  EXPECT_EQ(withSul[4], "SUL mean 1.56  SD 0.13");
}
