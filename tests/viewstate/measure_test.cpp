// SPDX-License-Identifier: MIT
// Measurement shapes: lengths, angles and areas against the grid's definition and closed forms
// (expected values computed here), pixels when the spacing is unknown, checks, and on which view
// planes a measurement is drawn.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/state.h>

#include "measure_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::axialAt;
using cvx::test::floatVolume;
using cvx::test::shape;

namespace {

constexpr double kPi = std::numbers::pi;

// An orthonormal frame turned 20 degrees about z, then 10 about x (an oblique acquisition).
std::array<Vec3, 3> obliqueDirections() {
  const double a = 20 * kPi / 180, b = 10 * kPi / 180;
  const Vec3 r{std::cos(a), std::sin(a), 0};
  const Vec3 c{-std::sin(a) * std::cos(b), std::cos(a) * std::cos(b), std::sin(b)};
  return {r, c, cross(r, c)};
}

std::shared_ptr<Volume> zeros(Vec3 spacing, std::array<Vec3, 3> dir = {Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}}) {
  return floatVolume({16, 16, 8}, spacing, {-30, 12, 100}, [](int64_t, int64_t, int64_t) { return 0.0; }, dir);
}

}  // namespace

TEST(Measure, DistanceBetweenVoxelCentresIsIndexDistanceTimesSpacing) {
  const Vec3 sp{0.7, 0.9, 2.5};
  for (const auto& dir : {std::array<Vec3, 3>{Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}}, obliqueDirections()}) {
    const auto v = zeros(sp, dir);
    const Vec3 a = v->geometry.worldAt(2, 3, 1), b = v->geometry.worldAt(7, 11, 4);
    const auto r = measure(shape(MeasureKind::Distance, axialAt(a), {a, b}), *v);
    ASSERT_TRUE(r.ok()) << r.error().str();
    const double expected = std::sqrt(std::pow(5 * 0.7, 2) + std::pow(8 * 0.9, 2) + std::pow(3 * 2.5, 2));
    EXPECT_NEAR(r->value, expected, 1e-9);
    EXPECT_EQ(r->unit, "mm");
    EXPECT_FALSE(r->inPixels);
    EXPECT_FALSE(r->stats.has_value());
  }
}

TEST(Measure, AnglesOfKnownTriangles) {
  const auto v = zeros({1, 1, 1});
  const Vec3 o{5, 5, 5};
  auto angle = [&](Vec3 a, Vec3 b) {
    const auto r = measure(shape(MeasureKind::Angle, axialAt(o), {o + a, o, o + b}), *v);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->unit, "deg");
    return r->value;
  };
  EXPECT_NEAR(angle({3, 0, 0}, {0, 4, 0}), 90, 1e-12);
  EXPECT_NEAR(angle({2, 0, 0}, {1, 1, 0}), 45, 1e-12);
  EXPECT_NEAR(angle({1, 0, 0}, {-3, 0, 0}), 180, 1e-12);
  EXPECT_NEAR(angle({1, 0, 0}, {1, std::sqrt(3.0), 0}), 60, 1e-12);
  // A tiny angle stays accurate (atan2, not acos, whose 1 - 5e-15 would be off by about 1%):
  // tan(t) = 1e-7 / 1, to 2e-7 of itself (the points' own rounding at 5 mm is about 3e-9).
  EXPECT_NEAR(angle({1, 0, 0}, {1, 1e-7, 0}), std::atan(1e-7) * 180 / kPi, 1e-12);
  // The order of the arms does not matter.
  EXPECT_NEAR(angle({0, 4, 0}, {3, 3, 0}), angle({3, 3, 0}, {0, 4, 0}), 1e-12);
}

TEST(Measure, AreasOfEllipseRectangleAndPolygon) {
  const auto v = zeros({1, 1, 1});
  const Plane pl = axialAt({0, 0, 102});
  const auto area = [&](MeasureKind k, std::vector<Vec3> pts) {
    const auto r = measure(shape(k, pl, std::move(pts)), *v);
    EXPECT_TRUE(r.ok()) << r.error().str();
    EXPECT_EQ(r->unit, "mm2");
    return r->value;
  };
  // Corners (-27, 14) and (-19, 20): an 8 x 6 box.
  EXPECT_NEAR(area(MeasureKind::Rectangle, {{-27, 14, 102}, {-19, 20, 102}}), 48, 1e-12);
  EXPECT_NEAR(area(MeasureKind::Rectangle, {{-19, 20, 102}, {-27, 14, 102}}), 48, 1e-12);  // either diagonal
  EXPECT_NEAR(area(MeasureKind::Ellipse, {{-27, 14, 102}, {-19, 20, 102}}), kPi * 4 * 3, 1e-12);
  // A right triangle with legs 4 and 3, drawn either way round; an L of 6 x 6 less 3 x 3.
  EXPECT_NEAR(area(MeasureKind::Freehand, {{-25, 15, 102}, {-21, 15, 102}, {-25, 18, 102}}), 6, 1e-12);
  EXPECT_NEAR(area(MeasureKind::Freehand, {{-25, 18, 102}, {-21, 15, 102}, {-25, 15, 102}}), 6, 1e-12);
  EXPECT_NEAR(area(MeasureKind::Freehand, {{-28, 13, 102}, {-22, 13, 102}, {-22, 16, 102}, {-25, 16, 102},
                                           {-25, 19, 102}, {-28, 19, 102}}),
              27, 1e-12);
}

TEST(Measure, UnknownSpacingMeasuresInPixels) {
  // The loader put 1 x 1 mm in place of a missing PixelSpacing; the slices are 5 mm apart.
  auto v = zeros({1, 1, 5});
  v->geometry.spacingKnown = false;
  const Geometry& g = v->geometry;
  const Vec3 a = g.worldAt(0, 0, 0), b = g.worldAt(3, 4, 2);
  const auto d = measure(shape(MeasureKind::Distance, axialAt(a), {a, b}), *v);
  ASSERT_TRUE(d.ok());
  EXPECT_NEAR(d->value, std::sqrt(9.0 + 16.0 + 4.0), 1e-12);  // voxel steps, not mm
  EXPECT_EQ(d->unit, "px");
  EXPECT_TRUE(d->inPixels);
  // A coronal rectangle 4 voxels wide and 2 slices high: 40 mm^2 in the grid, 8 px^2.
  Plane coronal;
  coronal.center = g.worldAt(0, 3, 0);
  coronal.right = {1, 0, 0};
  coronal.down = {0, 0, -1};
  const auto r = measure(shape(MeasureKind::Rectangle, coronal, {g.worldAt(1, 3, 1), g.worldAt(5, 3, 3)}), *v);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->value, 8, 1e-12);
  EXPECT_EQ(r->unit, "px2");
  // Angles in the pixel grid: the diagonal of 1 x 1 voxels of an axial slice is 45 degrees.
  const auto an = measure(shape(MeasureKind::Angle, axialAt(a), {g.worldAt(1, 0, 0), a, g.worldAt(1, 1, 0)}), *v);
  ASSERT_TRUE(an.ok());
  EXPECT_NEAR(an->value, 45, 1e-12);
  EXPECT_EQ(an->unit, "deg");
}

TEST(Measure, ValidateRefusesBadShapes) {
  const Plane pl = axialAt({0, 0, 0});
  EXPECT_TRUE(validate(shape(MeasureKind::Distance, pl, {{0, 0, 0}, {1, 0, 0}})).ok());
  EXPECT_EQ(validate(shape(MeasureKind::Distance, pl, {{0, 0, 0}})).error().code, "measure.bad_shape");
  EXPECT_EQ(validate(shape(MeasureKind::Angle, pl, {{0, 0, 0}, {1, 0, 0}})).error().code, "measure.bad_shape");
  EXPECT_EQ(validate(shape(MeasureKind::Ellipse, pl, {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}})).error().code,
            "measure.bad_shape");
  EXPECT_EQ(validate(shape(MeasureKind::Freehand, pl, {{0, 0, 0}, {1, 0, 0}})).error().code, "measure.bad_shape");
  EXPECT_TRUE(validate(shape(MeasureKind::Freehand, pl, {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}})).ok());
  EXPECT_EQ(validate(shape(MeasureKind::Distance, pl, {{0, 0, 0}, {NAN, 0, 0}})).error().code, "measure.bad_shape");
  Plane skew = pl;
  skew.down = {0.5, 1, 0};  // neither unit nor perpendicular to right
  EXPECT_EQ(validate(shape(MeasureKind::Distance, skew, {{0, 0, 0}, {1, 0, 0}})).error().code, "measure.bad_shape");
  const auto v = zeros({1, 1, 1});
  EXPECT_EQ(measure(shape(MeasureKind::Distance, pl, {{0, 0, 0}}), *v).error().code, "measure.bad_shape");
}

TEST(Measure, KindNamesRoundTrip) {
  for (MeasureKind k : {MeasureKind::Distance, MeasureKind::Angle, MeasureKind::Ellipse, MeasureKind::Rectangle,
                        MeasureKind::Freehand})
    EXPECT_EQ(measureKindFromString(toString(k)), k);
  EXPECT_FALSE(measureKindFromString("circle").has_value());
  EXPECT_TRUE(isRoi(MeasureKind::Freehand));
  EXPECT_FALSE(isRoi(MeasureKind::Angle));
}

TEST(Measure, GridStepIsTheSpacingAlongAnAxisAndShorterObliquely) {
  const auto v = zeros({0.7, 0.9, 2.5});
  EXPECT_NEAR(gridStepMm(v->geometry, {1, 0, 0}), 0.7, 1e-12);
  EXPECT_NEAR(gridStepMm(v->geometry, {0, -1, 0}), 0.9, 1e-12);
  EXPECT_NEAR(gridStepMm(v->geometry, {0, 0, 1}), 2.5, 1e-12);
  // 45 degrees in x-y: index steps cos45/0.7 and cos45/0.9 per mm; the larger one limits.
  const double c = std::sqrt(0.5);
  EXPECT_NEAR(gridStepMm(v->geometry, {c, c, 0}), 0.7 / c, 1e-12);
}

TEST(Measure, ShownOnlyOnTheSliceItWasDrawnOn) {
  const Plane drawn = axialAt({0, 0, 10});
  const auto m = shape(MeasureKind::Distance, drawn, {{1, 2, 10}, {5, 7, 10}});
  EXPECT_TRUE(shownOn(m, drawn, 2.0));
  EXPECT_TRUE(shownOn(m, axialAt({40, -3, 10.99}), 2.0));   // same slice, within half a step
  EXPECT_FALSE(shownOn(m, axialAt({0, 0, 11.01}), 2.0));    // the next slice
  EXPECT_FALSE(shownOn(m, axialAt({0, 0, 8}), 2.0));
  Plane neuro = drawn;  // the neurological convention: right flipped, so is the normal
  neuro.right = {-1, 0, 0};
  EXPECT_TRUE(shownOn(m, neuro, 2.0));
  Plane coronal;
  coronal.center = {0, 2, 10};
  coronal.right = {1, 0, 0};
  coronal.down = {0, 0, -1};
  EXPECT_FALSE(shownOn(m, coronal, 2.0));  // not parallel, though the line's first point is on it
  // Tilted about x through the line's middle: 0.3 degrees is the same plane, 1 degree is not.
  for (double deg : {0.3, 1.0}) {
    const double t = deg * kPi / 180;
    Plane tilted = axialAt({3, 4.5, 10});
    tilted.down = {0, std::cos(t), std::sin(t)};
    EXPECT_EQ(shownOn(m, tilted, 2.0), deg < kShownAngleDeg) << deg;
  }
}

TEST(Measure, ShownOnTheViewerStatesAxialViewUntilItScrolls) {
  ViewerState s;  // axial, coronal, sagittal
  s.addLayer(zeros({0.7, 0.9, 2.5}));
  const Plane axial = s.view(0).plane;
  const Vec3 c = s.cursor();
  const auto m = shape(MeasureKind::Distance, axial, {c, c + axial.right * 5.0 + axial.down * 2.0});
  EXPECT_TRUE(shownOn(m, s.view(0).plane, s.sliceStepMm(0)));
  EXPECT_FALSE(shownOn(m, s.view(1).plane, s.sliceStepMm(1)));  // coronal
  s.scroll(0, 1);
  EXPECT_FALSE(shownOn(m, s.view(0).plane, s.sliceStepMm(0)));
  s.scroll(0, -1);
  EXPECT_TRUE(shownOn(m, s.view(0).plane, s.sliceStepMm(0)));
}
