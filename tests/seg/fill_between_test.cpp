// SPDX-License-Identifier: MIT
// Fill between slices (cvx::seg::fillBetweenSlices): discs drawn on two slices, whose in-between
// slices must be the discs of the linearly interpolated radius (the signed distance of a disc is
// rho - r: their weighted mean's zero set is the disc of the weighted radius), equal shapes copied
// exactly whatever the spacing, a shifted disc centred on the way by symmetry, and what is never
// touched. The expected values are the analytic discs, counted by the test's own loops.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/core/progress.h>
#include <cvx/seg/segment.h>

#include "seg_phantom.h"

namespace {

using cvx::test::phantom;

double rho(int64_t x, int64_t y, double cx, double cy, double s) { return std::hypot(x * s - cx, y * s - cy); }

TEST(FillBetweenSlices, ADiscGrowingBetweenTwoDrawnSlicesHasTheInterpolatedRadius) {
  const double s = 0.8, r0 = 8, r1 = 16, c = 32;  // mm: 80 x 80 pixels of 0.8 mm, centre (32, 32) mm
  auto m = phantom<uint8_t>(80, 80, 11, {s, s, 2.5}, [&](int64_t x, int64_t y, int64_t z) {
    if (z == 0) return rho(x, y, c, c, s) <= r0 ? 1.0 : 0.0;
    if (z == 10) return rho(x, y, c, c, s) <= r1 ? 1.0 : 0.0;
    return 0.0;
  });
  auto axis = cvx::seg::fillAxis(*m);
  ASSERT_TRUE(axis.ok()) << axis.error().str();
  EXPECT_EQ(*axis, 2);
  auto out = cvx::seg::fillBetweenSlices(*m);
  ASSERT_TRUE(out.ok()) << out.error().str();
  const uint8_t* o = (*out)->as<uint8_t>();
  const uint8_t* in = m->as<uint8_t>();
  for (int64_t z = 0; z < 11; ++z) {
    const double r = r0 + (r1 - r0) * static_cast<double>(z) / 10;
    int64_t filled = 0, wrongIn = 0, wrongOut = 0;
    for (int64_t y = 0; y < 80; ++y)
      for (int64_t x = 0; x < 80; ++x) {
        const size_t i = static_cast<size_t>((z * 80 + y) * 80 + x);
        const double d = rho(x, y, c, c, s);
        if (z == 0 || z == 10) {
          ASSERT_EQ(o[i], in[i]) << "a drawn slice changed at " << x << "," << y << "," << z;
        }
        filled += o[i];
        wrongOut += d <= r - 1.2 && !o[i];  // well inside the expected disc, not filled
        wrongIn += d >= r + 1.2 && o[i];    // well outside it, filled
      }
    EXPECT_EQ(wrongOut, 0) << "slice " << z << " radius " << r;
    EXPECT_EQ(wrongIn, 0) << "slice " << z << " radius " << r;
    const double area = M_PI * r * r / (s * s);
    EXPECT_NEAR(static_cast<double>(filled), area, 0.05 * area) << "slice " << z;
  }
}

// The same square drawn on rows y = 2, 5 and 8 (planes across j) of an anisotropic grid: the rows
// between become that square exactly (both maps equal, so their mean is too), the rows before
// and after stay empty, and auto picks j (its rows have gaps; the slices and columns have none).
TEST(FillBetweenSlices, EqualShapesAreCopiedExactlyAcrossTheAxisWithGaps) {
  auto square = [](int64_t x, int64_t z) { return x >= 3 && x <= 9 && z >= 1 && z <= 4; };
  auto m = phantom<uint8_t>(14, 12, 7, {0.5, 1.0, 2.0}, [&](int64_t x, int64_t y, int64_t z) {
    return (y == 2 || y == 5 || y == 8) && square(x, z) ? 255.0 : 0.0;
  });
  auto axis = cvx::seg::fillAxis(*m);
  ASSERT_TRUE(axis.ok());
  EXPECT_EQ(*axis, 1);
  auto out = cvx::seg::fillBetweenSlices(*m);
  ASSERT_TRUE(out.ok()) << out.error().str();
  const uint8_t* o = (*out)->as<uint8_t>();
  for (int64_t z = 0; z < 7; ++z)
    for (int64_t y = 0; y < 12; ++y)
      for (int64_t x = 0; x < 14; ++x) {
        const uint8_t want = y >= 2 && y <= 8 && square(x, z) ? 1 : 0;
        ASSERT_EQ(o[(z * 12 + y) * 14 + x], want) << x << "," << y << "," << z;
      }
  // Across another axis there are no gaps: nothing to fill, said with the code.
  auto across = cvx::seg::fillBetweenSlices(*m, 2);
  ASSERT_FALSE(across.ok());
  EXPECT_EQ(across.error().code, "seg.no_gaps");
}

// The in-plane spacing is the distances': discs in mm on 0.5 x 1 mm pixels (ellipses in pixels),
// 5 mm on slice 0 and 10 mm on slice 6, give discs in mm of the interpolated radius (pixels taken
// as 1 x 0.5 mm, or as squares, would miss by millimetres along one axis).
TEST(FillBetweenSlices, TheInPlaneSpacingIsHonoured) {
  const double sx = 0.5, sy = 1.0, c = 20;
  auto d = [&](int64_t x, int64_t y) { return std::hypot(x * sx - c, y * sy - c); };
  auto m = phantom<uint8_t>(80, 40, 7, {sx, sy, 2}, [&](int64_t x, int64_t y, int64_t z) {
    return (z == 0 && d(x, y) <= 5) || (z == 6 && d(x, y) <= 10) ? 1.0 : 0.0;
  });
  auto out = cvx::seg::fillBetweenSlices(*m);
  ASSERT_TRUE(out.ok()) << out.error().str();
  for (int64_t z = 1; z < 6; ++z) {
    const double r = 5 + 5 * static_cast<double>(z) / 6;
    int64_t wrong = 0;
    for (int64_t y = 0; y < 40; ++y)
      for (int64_t x = 0; x < 80; ++x) {
        const bool in = (*out)->as<uint8_t>()[(z * 40 + y) * 80 + x] != 0;
        wrong += (d(x, y) <= r - 1.1 && !in) || (d(x, y) >= r + 1.1 && in);
      }
    EXPECT_EQ(wrong, 0) << "slice " << z << " radius " << r;
  }
}

// The same on a disc that moves along x (5 mm, centres 6 mm apart): half way, the zero set of
// (|p - a| - r + |p - b| - r) / 2 is the ellipse with foci a and b, semi-axes 5 mm along x and 4 mm
// along y. Discs of one size (above) would come out right under any scaled metric; this shape
// does not.
TEST(FillBetweenSlices, AMovingDiscOnNonSquarePixelsGivesTheFociEllipse) {
  const double sx = 0.5, sy = 1.0, r = 5;
  const double ax = 17, bx = 23, cy = 20;  // mm
  auto m = phantom<uint8_t>(80, 40, 7, {sx, sy, 2}, [&](int64_t x, int64_t y, int64_t z) {
    const double cx = z == 0 ? ax : bx;
    return (z == 0 || z == 6) && std::hypot(x * sx - cx, y * sy - cy) <= r ? 1.0 : 0.0;
  });
  auto out = cvx::seg::fillBetweenSlices(*m, 2);
  ASSERT_TRUE(out.ok()) << out.error().str();
  int64_t wrong = 0, filled = 0;
  for (int64_t y = 0; y < 40; ++y)
    for (int64_t x = 0; x < 80; ++x) {
      const double sum = std::hypot(x * sx - ax, y * sy - cy) + std::hypot(x * sx - bx, y * sy - cy) - 2 * r;
      const bool in = (*out)->as<uint8_t>()[(3 * 40 + y) * 80 + x] != 0;
      filled += in;
      wrong += (sum <= -1.6 && !in) || (sum >= 1.6 && in);
    }
  EXPECT_EQ(wrong, 0);
  EXPECT_NEAR(static_cast<double>(filled), M_PI * 5 * 4 / (sx * sy), 0.08 * M_PI * 5 * 4 / (sx * sy));
}

// A slice drawn whole (beyond its edge is outside, not "nothing"): the slices between it and a
// small disc are filled about the disc's centre, not to their edges.
TEST(FillBetweenSlices, ASliceDrawnWholeDoesNotFloodTheGap) {
  auto m = phantom<uint8_t>(30, 30, 9, {1, 1, 1}, [](int64_t x, int64_t y, int64_t z) {
    return z == 0 || (z == 8 && std::hypot(x - 14.5, y - 14.5) <= 4) ? 1.0 : 0.0;
  });
  auto out = cvx::seg::fillBetweenSlices(*m, 2);
  ASSERT_TRUE(out.ok()) << out.error().str();
  auto at = [&](int64_t x, int64_t y, int64_t z) { return (*out)->as<uint8_t>()[(z * 30 + y) * 30 + x]; };
  for (int64_t z = 1; z < 8; ++z) {
    EXPECT_EQ(at(14, 14, z), 1) << z;
    EXPECT_EQ(at(0, 0, z), 0) << z;
    EXPECT_EQ(at(29, 15, z), 0) << z;
  }
}

// A disc of 6 mm drawn at x = 20 mm on slice 0 and at x = 24 mm on slice 8: by the mirror symmetry
// about x = 22 mm and slice 4, slice 4's fill is centred on x = 22 mm.
TEST(FillBetweenSlices, AShiftedDiscIsCentredHalfWayOnTheMiddleSlice) {
  auto m = phantom<uint8_t>(48, 40, 9, {1, 1, 3}, [&](int64_t x, int64_t y, int64_t z) {
    if (z == 0) return rho(x, y, 20, 20, 1) <= 6 ? 1.0 : 0.0;
    if (z == 8) return rho(x, y, 24, 20, 1) <= 6 ? 1.0 : 0.0;
    return 0.0;
  });
  auto out = cvx::seg::fillBetweenSlices(*m, 2);
  ASSERT_TRUE(out.ok());
  double sx = 0, n = 0;
  for (int64_t y = 0; y < 40; ++y)
    for (int64_t x = 0; x < 48; ++x)
      if ((*out)->as<uint8_t>()[(4 * 40 + y) * 48 + x]) sx += static_cast<double>(x), ++n;
  ASSERT_GT(n, 50);
  EXPECT_NEAR(sx / n, 22.0, 1e-9);
}

TEST(FillBetweenSlices, BadInputsAndACancelHaveTheirCodes) {
  auto solid = phantom<uint8_t>(6, 6, 6, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1.0; });
  auto none = cvx::seg::fillBetweenSlices(*solid);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "seg.no_gaps");
  auto empty = phantom<uint8_t>(6, 6, 6, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 0.0; });
  EXPECT_EQ(cvx::seg::fillAxis(*empty).error().code, "seg.no_gaps");
  auto badAxis = cvx::seg::fillBetweenSlices(*solid, 3);
  ASSERT_FALSE(badAxis.ok());
  EXPECT_EQ(badAxis.error().code, "seg.bad_parameter");
  auto notMask = phantom<int16_t>(6, 6, 6, {1, 1, 1}, [](int64_t, int64_t, int64_t) { return 1.0; });
  EXPECT_FALSE(cvx::seg::fillBetweenSlices(*notMask, 2).ok());
  auto gaps = phantom<uint8_t>(6, 6, 6, {1, 1, 1}, [](int64_t, int64_t, int64_t z) { return z % 3 == 0 ? 1.0 : 0.0; });
  cvx::Progress p;
  p.cancel();
  auto cancelled = cvx::seg::fillBetweenSlices(*gaps, 2, &p);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, "seg.cancelled");
}

}  // namespace
