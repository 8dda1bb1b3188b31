// SPDX-License-Identifier: MIT
// Measurements in the 3D view (measure_3d.h): a distance between two picked points is exactly |b - a|
// and an angle between picked arms the angle in space (60 degrees by construction)
// (measure(), the 2D tools' own measuring), on a plane through both ends facing the camera (worked out
// here by hand); only measurements in the reference's frame of reference are drawn; outlines project
// where the camera's definition puts them (a parallel camera from the front, 1 mm pixels).
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/measure_3d.h>

#include "measure_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

std::shared_ptr<Volume> volumeIn(const std::string& frame, const std::string& series) {
  auto v = test::floatVolume({8, 8, 8}, {1, 1, 1}, {0, 0, 0}, [](int64_t, int64_t, int64_t) { return 0.0; });
  v->info.frameOfReferenceUid = frame;
  v->info.seriesInstanceUid = series;
  return v;
}

}  // namespace

TEST(Measure3d, DistanceBetweenPickedPointsIsExactOnAPlaneFacingTheCamera) {
  ViewerState s;
  EXPECT_EQ(distanceIn3d(s, {0, 0, 0}, {1, 0, 0}, {0, 1, 0}).error().code, "render.bad_request");
  s.addLayer(volumeIn("1.2.9", "1.2.3"));
  const Vec3 a{1, 2, 3}, b{4, 6, 3};  // 3-4-5: 5 mm
  auto m = distanceIn3d(s, a, b, {0, 1, 0});
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(m->kind, MeasureKind::Distance);
  EXPECT_EQ(m->layer, 0);
  EXPECT_EQ(m->seriesUid, "1.2.3");
  ASSERT_EQ(m->points.size(), 2u);
  EXPECT_EQ(m->points[0].x, a.x);
  EXPECT_EQ(m->points[1].y, b.y);
  const auto r = measure(*m, *s.layers()[0].volume);
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_NEAR(r->value, 5.0, 1e-12);
  EXPECT_EQ(r->unit, "mm");
  // Along u = (0.6, 0.8, 0), the line of sight y less its part along u: (-0.48, 0.36, 0), unit
  // (-0.8, 0.6, 0); the plane holds both ends.
  const Vec3 n = m->plane.normal();
  EXPECT_NEAR(std::abs(dot(n, Vec3{-0.8, 0.6, 0})), 1.0, 1e-12);
  EXPECT_NEAR(dot(n, a - m->plane.center), 0.0, 1e-12);
  EXPECT_NEAR(dot(n, b - m->plane.center), 0.0, 1e-12);
  EXPECT_TRUE(validate(*m).ok());

  // Ends in line with the eye: still a distance, of the same length.
  auto along = distanceIn3d(s, {0, 0, 0}, {0, 7, 0}, {0, 1, 0});
  ASSERT_TRUE(along.ok());
  EXPECT_NEAR(measure(*along, *s.layers()[0].volume)->value, 7.0, 1e-12);
  EXPECT_EQ(distanceIn3d(s, a, a, {0, 1, 0}).error().code, "measure.bad_shape");
  EXPECT_EQ(distanceIn3d(s, a, {NAN, 0, 0}, {0, 1, 0}).error().code, "measure.bad_shape");
  EXPECT_EQ(distanceIn3d(s, a, b, {0, 0, 0}).error().code, "measure.bad_shape");
}

TEST(Measure3d, AngleBetweenPickedPointsIsTheAngleInSpace) {
  ViewerState s;
  s.addLayer(volumeIn("1.2.9", "1.2.3"));
  // Arms from (2, 3, 4) along (3, 0, 0) and along 2 x (1/2, 0, sqrt(3)/2): 60 degrees, in y = 3.
  const Vec3 v{2, 3, 4}, a = v + Vec3{3, 0, 0}, b = v + Vec3{1, 0, std::sqrt(3.0)};
  auto m = angleIn3d(s, a, v, b, {0, 1, 0});
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(m->kind, MeasureKind::Angle);
  ASSERT_EQ(m->points.size(), 3u);
  EXPECT_EQ(m->points[1].z, v.z);
  const auto r = measure(*m, *s.layers()[0].volume);
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_NEAR(r->value, 60.0, 1e-9);
  EXPECT_EQ(r->unit, "deg");
  EXPECT_NEAR(std::abs(m->plane.normal().y), 1.0, 1e-12);  // the plane of the three points
  // In line (180 degrees): the plane through them facing the camera, here along z.
  auto straight = angleIn3d(s, {1, 0, 0}, {0, 0, 0}, {-2, 0, 0}, {0, 0, 1});
  ASSERT_TRUE(straight.ok());
  EXPECT_NEAR(measure(*straight, *s.layers()[0].volume)->value, 180.0, 1e-9);
  EXPECT_NEAR(std::abs(straight->plane.normal().z), 1.0, 1e-12);
  EXPECT_EQ(angleIn3d(s, v, v, b, {0, 1, 0}).error().code, "measure.bad_shape");  // an arm of no length
}

TEST(Measure3d, DrawnOnlyInTheReferencesFrameOfReferenceFoundBySeries) {
  ViewerState s;
  s.addLayer(volumeIn("1.2.9", "1.1"));
  s.addLayer(volumeIn("1.2.9", "1.2"));  // a PET in the CT's frame
  s.addLayer(volumeIn("1.2.7", "1.3"));  // another frame: its points are elsewhere
  Measurement m;
  m.layer = 2;  // the index it had in an earlier session: the series decides
  m.seriesUid = "1.1";
  EXPECT_EQ(layerIn3d(m, s), 0);
  m.seriesUid = "1.2";
  EXPECT_EQ(layerIn3d(m, s), 1);
  m.seriesUid = "1.3";
  EXPECT_EQ(layerIn3d(m, s), -1);
  m.layer = 0;  // a series of the study that is not open (the study opened again on another series)
  m.seriesUid = "7.7";
  EXPECT_EQ(layerIn3d(m, s), -1);
}

TEST(Measure3d, OutlinesProjectThroughTheCamera) {
  // From the front, parallel, 64 x 64 pixels of 1 mm: patient (x, z) at pixel (32 + x, 32 - z).
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 32;
  Plane coronal;  // right L (+x), down I (-z)
  coronal.right = {1, 0, 0}, coronal.down = {0, 0, -1};
  const auto d =
      projectOutline(test::shape(MeasureKind::Distance, coronal, {{-10, 0, 0}, {10, 0, 5}}), cam, 64, 64);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_NEAR((*d)[0][0], 22, 1e-9);
  EXPECT_NEAR((*d)[0][1], 32, 1e-9);
  EXPECT_NEAR((*d)[1][0], 42, 1e-9);
  EXPECT_NEAR((*d)[1][1], 27, 1e-9);
  // An ellipse on an axial plane at z = 5, seen edge-on from the front: a closed line on row 27,
  // spanning its box's x from -6 to 8.
  Plane axial;
  axial.center = {0, 0, 5}, axial.right = {1, 0, 0}, axial.down = {0, 1, 0};
  const auto e =
      projectOutline(test::shape(MeasureKind::Ellipse, axial, {{-6, -3, 5}, {8, 9, 5}}), cam, 64, 64);
  ASSERT_TRUE(e.has_value());
  ASSERT_GT(e->size(), 8u);
  EXPECT_EQ(e->front(), e->back());  // closed
  double lo = 1e9, hi = -1e9;
  for (const auto& p : *e) {
    EXPECT_NEAR(p[1], 27, 1e-9);
    lo = std::min(lo, p[0]), hi = std::max(hi, p[0]);
  }
  EXPECT_NEAR(lo, 32 - 6, 0.01);  // 64 segments: within 7 x (1 - cos(pi / 64))
  EXPECT_NEAR(hi, 32 + 8, 0.01);
  // A point behind a perspective eye: not drawn.
  cam.perspective = true;
  EXPECT_FALSE(
      projectOutline(test::shape(MeasureKind::Distance, coronal, {{0, -600, 0}, {1, -600, 0}}), cam, 64, 64));
}

TEST(Measure3d, HandlesAreTheDistancesAndAnglesPointsUnderTheMouse) {
  // The camera of OutlinesProjectThroughTheCamera: patient (x, z) at pixel (32 + x, 32 - z).
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 32;
  Plane coronal;
  coronal.right = {1, 0, 0}, coronal.down = {0, 0, -1};
  const Measurement d = test::shape(MeasureKind::Distance, coronal, {{-10, 0, 0}, {10, 0, 5}});  // (22, 32), (42, 27)
  EXPECT_EQ(handleIn3d(d, cam, 64, 64, 22, 32, 6), 0);
  EXPECT_EQ(handleIn3d(d, cam, 64, 64, 41, 29, 6), 1);   // 2.2 px from the end
  EXPECT_EQ(handleIn3d(d, cam, 64, 64, 32, 30, 6), -1);  // the middle of the line: no handle
  EXPECT_EQ(handleIn3d(d, cam, 64, 64, 27.9, 32, 6), 0);  // within the radius
  EXPECT_EQ(handleIn3d(d, cam, 64, 64, 28.1, 32, 6), -1);  // beyond it
  // Two handles within reach: the nearer.
  const Measurement close = test::shape(MeasureKind::Distance, coronal, {{0, 0, 0}, {4, 0, 0}});  // (32, 32), (36, 32)
  EXPECT_EQ(handleIn3d(close, cam, 64, 64, 33.9, 32, 6), 0);
  EXPECT_EQ(handleIn3d(close, cam, 64, 64, 34.1, 32, 6), 1);
  // An ROI's points are no handles in 3D (its shape lies in its plane).
  Plane axial;
  axial.center = {0, 0, 5}, axial.right = {1, 0, 0}, axial.down = {0, 1, 0};
  EXPECT_EQ(handleIn3d(test::shape(MeasureKind::Ellipse, axial, {{-6, -3, 5}, {8, 9, 5}}), cam, 64, 64, 26, 27, 6), -1);
}

TEST(Measure3d, MovingAHandleMeasuresAgainKeepingWhatItIs) {
  ViewerState s;
  s.addLayer(volumeIn("1.2.9", "1.1"));
  s.addLayer(volumeIn("1.2.9", "1.2"));
  auto m = distanceIn3d(s, {1, 2, 3}, {4, 6, 3}, {0, 1, 0});
  ASSERT_TRUE(m.ok());
  m->id = 42, m->label = "aorta", m->layer = 1, m->seriesUid = "1.2";
  // The end moved to (1, 2, 7): 4 mm straight up from the other end.
  const auto moved = moveHandleIn3d(s, *m, 1, {1, 2, 7}, {0, 1, 0});
  ASSERT_TRUE(moved.ok()) << moved.error().str();
  EXPECT_EQ(moved->id, 42);
  EXPECT_EQ(moved->label, "aorta");
  EXPECT_EQ(moved->layer, 1);
  EXPECT_EQ(moved->seriesUid, "1.2");
  EXPECT_EQ(moved->phase, 0);
  ASSERT_EQ(moved->points.size(), 2u);
  EXPECT_EQ(moved->points[0].x, 1);
  EXPECT_EQ(moved->points[1].z, 7);
  const auto length = measure(*moved, *s.layers()[1].volume);
  ASSERT_TRUE(length.ok()) << length.error().str();
  EXPECT_NEAR(length->value, 4.0, 1e-12);
  // Its plane holds both ends and faces the line of sight (y): the distance runs along z, so the
  // normal is y itself.
  EXPECT_NEAR(std::abs(moved->plane.normal().y), 1.0, 1e-12);
  EXPECT_TRUE(validate(*moved).ok());
  Measurement later = *m;  // measured on another phase of a 4D series: that phase is kept
  later.phase = 3;
  EXPECT_EQ(moveHandleIn3d(s, later, 0, {2, 2, 3}, {0, 1, 0})->phase, 3);

  // An angle's vertex moved: the angle between the new arms, in space. Arms (6, 0, 0) and (0, 0, 6)
  // from (0, 0, 0): 90 degrees; the vertex moved to (3, 3, 3): arms (3, -3, -3) and (-3, -3, 3),
  // cos = (-9 + 9 - 9) / 27 = -1/3.
  auto angle = angleIn3d(s, {6, 0, 0}, {0, 0, 0}, {0, 0, 6}, {0, 1, 0});
  ASSERT_TRUE(angle.ok());
  EXPECT_NEAR(measure(*angle, *s.layers()[0].volume)->value, 90.0, 1e-9);
  const auto bent = moveHandleIn3d(s, *angle, 1, {3, 3, 3}, {0, 1, 0});
  ASSERT_TRUE(bent.ok()) << bent.error().str();
  EXPECT_NEAR(measure(*bent, *s.layers()[0].volume)->value, std::acos(-1.0 / 3.0) * 180 / std::acos(-1.0), 1e-9);

  // Refused: a handle that does not exist, an end moved onto the other, an ROI.
  EXPECT_EQ(moveHandleIn3d(s, *m, 2, {0, 0, 0}, {0, 1, 0}).error().code, "measure.bad_shape");
  EXPECT_EQ(moveHandleIn3d(s, *m, -1, {0, 0, 0}, {0, 1, 0}).error().code, "measure.bad_shape");
  EXPECT_EQ(moveHandleIn3d(s, *m, 1, {1, 2, 3}, {0, 1, 0}).error().code, "measure.bad_shape");
  Plane axial;
  axial.right = {1, 0, 0}, axial.down = {0, 1, 0};
  EXPECT_EQ(moveHandleIn3d(s, test::shape(MeasureKind::Rectangle, axial, {{0, 0, 0}, {5, 5, 0}}), 1, {9, 9, 0},
                           {0, 1, 0})
                .error()
                .code,
            "measure.bad_shape");
}
