// SPDX-License-Identifier: MIT
// Segments in the 3D view (issue 12), through the real main window under Xvfb: a ball segment in
// the CT's mediastinum appears in the bone rendering as a green surface, a click on it moves the
// MPR cursor onto the ball's surface, a cut through it with the surfaces cut too is capped in the
// segment's colour (a click lands on the cap), the Segments dock's 3D opacity makes it translucent
// (the spine behind shows through), and hiding the segment takes it out of the 3D view.
#include <gtest/gtest.h>

#include <QAction>
#include <QSlider>
#include <QTest>

#include <cmath>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/seg_surfaces.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

bool isGreen(QRgb p) { return qGreen(p) > 120 && qGreen(p) > 2 * qRed(p) && qGreen(p) > 2 * qBlue(p); }

// The ball's own surface, no bone in front of it: green with hardly any red or blue.
bool isPureGreen(QRgb p) { return qGreen(p) > 120 && qRed(p) < qGreen(p) / 4 && qBlue(p) < qGreen(p) / 4; }

// The green pixels of the 3D view, and the pure green one nearest `near` (the ball's centre on the
// image).
int greens(const QImage& im, QPoint* any = nullptr, QPoint near = {}) {
  int n = 0;
  bool found = false;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x)
      if (isGreen(im.pixel(x, y))) {
        ++n;
        if (!any || !isPureGreen(im.pixel(x, y))) continue;
        if (!found || (QPoint(x, y) - near).manhattanLength() < (*any - near).manhattanLength()) *any = QPoint(x, y);
        found = true;
      }
  return n;
}

}  // namespace

TEST(SegSurfacesGui, ABallSegmentIsASurfaceInThe3dViewThatPicksAndHides) {
  if (!view::SegmentSurfaces::defaultMaker()) GTEST_SKIP() << "built without VTK: no segment surfaces";
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  const Volume& ct = *w.state().layers().front().volume;
  const auto& d = ct.dims();
  // A ball of radius 45 mm at the middle of the volume (the mediastinum, inside the ribs).
  const Vec3 centre = ct.geometry.worldAt((d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0);
  const double radius = 45;
  std::vector<uint8_t> ball(static_cast<size_t>(ct.voxelsPerPhase()));
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i)
        ball[static_cast<size_t>((k * d[1] + j) * d[0] + i)] = norm(ct.geometry.worldAt(i, j, k) - centre) <= radius;
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(ct));
  Segment s;
  s.name = "ball";
  s.rgb = {0, 230, 0};
  ASSERT_TRUE(seg->addSegment(s, ball.data()).ok());
  auto index = w.state().addSegmentation(seg, 0, "ball");
  ASSERT_TRUE(index.ok());

  ASSERT_TRUE(test::refined(v3d, 120000));
  QTest::qWait(50);
  QPoint at;
  const QImage shown = cvx::viewer::grabShown(v3d);
  test::saveTour(v3d, "seg_surfaces_3d");
  // The ball's centre is the cursor's (the volume's middle), where the crosshair leaves a gap.
  const auto mid = view::projectToPixel(view::orbitCamera(ct, w.state().camera3d(), v3d->width(), v3d->height()),
                                        centre, v3d->width(), v3d->height());
  ASSERT_TRUE(mid.has_value());
  const int green = greens(shown, &at, QPoint(static_cast<int>((*mid)[0]), static_cast<int>((*mid)[1])));
  // The ball's disc is about pi (45 mm / ~2 mm per pixel)^2 = 1600 pixels; the sternum and ribs in
  // front hide much of it.
  EXPECT_GT(green, 300) << "the ball's surface is drawn";

  // A click on it moves the cursor onto the ball's surface (within a voxel or two of smoothing).
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, at);
  const double r = norm(w.state().cursor() - centre);
  EXPECT_NEAR(r, radius, 2.5) << "picked " << w.state().cursor().x << ", " << w.state().cursor().y << ", "
                              << w.state().cursor().z;

  // Cut through the ball's centre facing the camera (keeping P), the surfaces cut too: the cut is
  // capped in the segment's colour, and a click there lands on the cap, on the plane inside the ball.
  view::ClipPlane3D facing;
  facing.point = centre, facing.normal = {0, 1, 0};
  ASSERT_TRUE(w.state().setClipPlanes3d({facing}).ok());
  w.state().setClipSurfaces3d(true);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  test::saveTour(v3d, "seg_surfaces_3d_capped");
  EXPECT_GT(greens(cvx::viewer::grabShown(v3d)), green) << "the whole cap shows, the ribs in front cut away";
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, at);
  EXPECT_NEAR(w.state().cursor().y, centre.y, 1.0);
  EXPECT_LT(norm(w.state().cursor() - centre), radius - 5);
  ASSERT_TRUE(w.state().setClipPlanes3d({}).ok());
  w.state().setClipSurfaces3d(false);

  // At a 3D opacity of 30 % the ball is translucent: the spine behind it shows through.
  w.state().setSegmentDisplay(*index, 0, {true, 0.5, 0.3});
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage translucent = cvx::viewer::grabShown(v3d);
  test::saveTour(v3d, "seg_surfaces_3d_translucent");
  EXPECT_LT(greens(translucent), green / 2) << "a translucent surface is no longer solid green";
  EXPECT_GT(qRed(translucent.pixel(at)), qRed(shown.pixel(at)) + 20) << "the bone behind shows through";
  // The Segments dock's "3D" slider sets it.
  w.state().setActiveSegment(*index, 0);
  w.findChild<QAction*>("showSegments")->trigger();  // the dock opens
  auto* opacity3d = w.findChild<QSlider*>("segOpacity3d");
  ASSERT_NE(opacity3d, nullptr);
  EXPECT_EQ(opacity3d->value(), 30);
  opacity3d->setValue(100);
  EXPECT_NEAR(w.state().segmentations()[static_cast<size_t>(*index)].segments[0].opacity3d, 1.0, 1e-9);

  w.state().setSegmentDisplay(*index, 0, {false, 0.5});
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  // What stays green is the crosshair's few pixels.
  EXPECT_LT(greens(cvx::viewer::grabShown(v3d)), green / 10) << "a hidden segment is not drawn in 3D";
}
