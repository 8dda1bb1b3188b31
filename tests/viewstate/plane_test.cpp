// SPDX-License-Identifier: MIT
// View planes: the display conventions (expected axes written from the radiology convention, not
// from the code), direction labels, rotation.
#include <gtest/gtest.h>

#include <cmath>

#include "viewstate_test_util.h"
#include <cvx/viewstate/plane.h>

using namespace cvx;
using namespace cvx::view;
using cvx::test::expectVec;

// Radiological: the patient's left (+x in LPS) on the screen's right; anterior at the top of the
// axial image; head at the top of coronal and sagittal; sagittal seen from the patient's left,
// anterior on the screen's left.
TEST(Plane, RadiologicalAxesAreThoseOfTheReadingRoom) {
  const Plane ax = standardPlane(Orientation::Axial, Convention::Radiological, {});
  expectVec(ax.right, {1, 0, 0});   // screen right = L
  expectVec(ax.down, {0, 1, 0});    // screen down = P
  expectVec(ax.normal(), {0, 0, 1});  // looking from the feet: into the screen = S
  const Plane co = standardPlane(Orientation::Coronal, Convention::Radiological, {});
  expectVec(co.right, {1, 0, 0});
  expectVec(co.down, {0, 0, -1});   // screen down = I
  expectVec(co.normal(), {0, 1, 0});  // looking from the front: into the screen = P
  const Plane sa = standardPlane(Orientation::Sagittal, Convention::Radiological, {});
  expectVec(sa.right, {0, 1, 0});   // screen right = P
  expectVec(sa.down, {0, 0, -1});
  expectVec(sa.normal(), {-1, 0, 0});  // looking from the left: into the screen = R
}

TEST(Plane, NeurologicalMirrorsAxialAndCoronalOnly) {
  expectVec(standardPlane(Orientation::Axial, Convention::Neurological, {}).right, {-1, 0, 0});
  expectVec(standardPlane(Orientation::Coronal, Convention::Neurological, {}).right, {-1, 0, 0});
  expectVec(standardPlane(Orientation::Sagittal, Convention::Neurological, {}).right, {0, 1, 0});
}

TEST(Plane, DirectionLabelsNameTheDominantPatientDirection) {
  EXPECT_EQ(directionLabel({1, 0, 0}), "L");
  EXPECT_EQ(directionLabel({-1, 0, 0}), "R");
  EXPECT_EQ(directionLabel({0, 1, 0}), "P");
  EXPECT_EQ(directionLabel({0, -1, 0}), "A");
  EXPECT_EQ(directionLabel({0, 0, 1}), "S");
  EXPECT_EQ(directionLabel({0, 0, -1}), "I");
  EXPECT_EQ(directionLabel({std::cos(0.5), -std::sin(0.5), 0}), "LA");  // 28.6 deg towards anterior
  EXPECT_EQ(directionLabel({std::cos(0.2), std::sin(0.2), 0}), "L");    // 11.5 deg: not enough
}

TEST(Plane, RotateAboutFollowsTheRightHandRule) {
  expectVec(rotateAbout({1, 0, 0}, {0, 0, 1}, M_PI / 2), {0, 1, 0});
  expectVec(rotateAbout({0, 1, 0}, {0, 0, 2}, M_PI / 2), {-1, 0, 0});  // axis need not be unit
  expectVec(rotateAbout({0, 0, 1}, {0, 0, 1}, 1.0), {0, 0, 1});
}

TEST(Plane, PixelFrameMapsBothWays) {
  PixelFrame f;
  f.origin = {10, 20, 30};
  f.du = {0.5, 0, 0};
  f.dv = {0, 0, -0.5};
  const Vec3 w = f.worldAt(4, 6);
  expectVec(w, {12, 20, 27});
  const auto p = f.pixelOf(w + Vec3{0, 3, 0});
  EXPECT_NEAR(p[0], 4, 1e-12);
  EXPECT_NEAR(p[1], 6, 1e-12);
  EXPECT_NEAR(std::abs(p[2]), 3, 1e-12);
}
