// SPDX-License-Identifier: MIT
// Measuring in the 3D view, through the real main window under Xvfb on the CT: with the Distance
// tool, a left drag from bone on the image's left to bone on its right adds one distance to the
// session's measurements. Each end lies on bone (the CT value there, read from the state's volume,
// is above ct-bone's first visible value, 150 HU) and projects back to where the mouse pressed or
// released; the length is |b - a|; the MPR cursor stays where it was. The 3D view draws the line in
// the selected measurement's colour. Its end's handle dragged onto other bone moves that end there
// (picked again) and keeps the other; undo brings it back; dropped on air it does not move. Delete in
// the 3D view removes it. Three clicks of the Angle
// tool on bone add the angle between the picked arms.
#include <gtest/gtest.h>

#include <QTest>

#include <cmath>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/measure.h>

#include "../../viewer/src/grab_shown.h"
#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_pixels.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// Whether any pixel within 2 of (x, y) is the selected measurement's orange (antialiased lines).
bool orangeNear(const QImage& im, QPointF at) {
  for (int dy = -2; dy <= 2; ++dy)
    for (int dx = -2; dx <= 2; ++dx) {
      const QRgb p = im.pixel(static_cast<int>(at.x()) + dx, static_cast<int>(at.y()) + dy);
      if (qRed(p) > 200 && qGreen(p) > 90 && qGreen(p) < 190 && qBlue(p) < 60) return true;
    }
  return false;
}

}  // namespace

TEST(Measure3dGui, DistanceDraggedBetweenTwoBonesInThe3dView) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = test::openWith3d(w, test::dataPath("ct"));
  ASSERT_NE(v3d, nullptr);
  ASSERT_NE(w.tools().measurements, nullptr);
  view::MeasurementSet& set = *w.tools().measurements;
  const size_t before = set.all().size();
  QTest::qWait(50);
  const QImage front = viewer::grabShown(v3d);
  const QPoint a = test::findPatch(front, test::isBone, QPoint(0, front.height() / 2));
  const QPoint b = test::findPatch(front, test::isBone, QPoint(front.width(), front.height() / 2));
  ASSERT_GE(a.x(), 0) << "no bone on the left";
  ASSERT_GE(b.x(), 0) << "no bone on the right";
  ASSERT_GT(b.x() - a.x(), 100);

  w.setTool(viewer::Tool::Distance);
  const Vec3 cursor = w.state().cursor();
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, a);
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, a + (b - a) * s / 4);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, b);
  ASSERT_EQ(set.all().size(), before + 1) << v3d->pickText().toStdString();
  const int64_t id = w.tools().selected;
  ASSERT_TRUE(set.all().count(id));
  const view::Measurement m = set.all().at(id);
  EXPECT_EQ(m.kind, view::MeasureKind::Distance);
  ASSERT_EQ(m.points.size(), 2u);
  EXPECT_EQ(norm(w.state().cursor() - cursor), 0.0);  // measuring does not move the MPR views

  const auto& volume = *w.state().layers().front().volume;
  const Camera3D cam = view::orbitCamera(volume, w.state().camera3d(), v3d->width(), v3d->height());
  const QPoint ends[2] = {a, b};
  for (int k = 0; k < 2; ++k) {
    const Vec3 p = m.points[static_cast<size_t>(k)];
    EXPECT_GT(test::huAt(volume, p), 150) << k << ": " << p.x << " " << p.y << " " << p.z;
    const auto at = view::projectToPixel(cam, p, v3d->width(), v3d->height());
    ASSERT_TRUE(at.has_value());
    EXPECT_LT(std::hypot((*at)[0] - ends[k].x() - 0.5, (*at)[1] - ends[k].y() - 0.5), 1.0) << k;
  }
  const auto r = view::measure(m, volume);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->value, norm(m.points[1] - m.points[0]), 1e-9);
  EXPECT_GT(r->value, 50.0);  // left and right bones of the chest
  EXPECT_EQ(r->unit, "mm");
  EXPECT_TRUE(v3d->pickText().startsWith("distance")) << v3d->pickText().toStdString();

  // Drawn in 3D, in the selected colour, along the line between its ends.
  QTest::qWait(100);
  const QImage drawn = viewer::grabShown(v3d);
  const auto p0 = view::projectToPixel(cam, m.points[0], v3d->width(), v3d->height());
  const auto p1 = view::projectToPixel(cam, m.points[1], v3d->width(), v3d->height());
  int orange = 0;
  for (double f : {0.3, 0.5, 0.7})
    orange += orangeNear(drawn,
                         QPointF((*p0)[0] + f * ((*p1)[0] - (*p0)[0]), (*p0)[1] + f * ((*p1)[1] - (*p0)[1])));
  EXPECT_EQ(orange, 3);
  test::saveTour(w.viewports(), "measure_3d");

  // Its end's handle dragged (with Navigate: handles drag in every tool) onto another bone: the end is
  // picked again there, the other end stays, the length is the new |b - a|; one undo brings it back.
  const QPoint c = test::findPatch(front, test::isBone, QPoint(front.width() / 2, front.height() * 3 / 4));
  ASSERT_GE(c.x(), 0) << "no bone below the middle";
  ASSERT_GT(std::hypot(c.x() - b.x(), c.y() - b.y()), 40);
  w.setTool(viewer::Tool::Navigate);
  const view::Camera3DView cameraBefore = w.state().camera3d();
  const QPoint handle(static_cast<int>(std::floor((*p1)[0])), static_cast<int>(std::floor((*p1)[1])));
  // Hovering over the handle shows an open hand (it can be dragged); away from it, the arrow.
  // (QTest moves the real pointer too, and its own moves arrive later: the shape settles on the last.)
  auto settles = [&](Qt::CursorShape shape) {
    return QTest::qWaitFor([&] { return v3d->cursor().shape() == shape; }, 3000);
  };
  QTest::mouseMove(v3d, handle);
  EXPECT_TRUE(settles(Qt::OpenHandCursor));
  QTest::mouseMove(v3d, QPoint(handle.x(), 3));
  EXPECT_TRUE(settles(Qt::ArrowCursor));
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, handle);
  EXPECT_EQ(v3d->cursor().shape(), Qt::ClosedHandCursor);  // held
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, handle + (c - handle) * s / 4);
  test::saveTour(w.viewports(), "measure_3d_handle_drag");  // the end following the mouse
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, c);
  ASSERT_EQ(set.all().size(), before + 1);
  const view::Measurement moved = set.all().at(id);
  EXPECT_EQ(w.tools().selected, id);
  EXPECT_EQ(moved.points[0].x, m.points[0].x);  // the other end stays exactly
  EXPECT_EQ(moved.points[0].z, m.points[0].z);
  EXPECT_GT(test::huAt(volume, moved.points[1]), 150);
  const auto movedAt = view::projectToPixel(cam, moved.points[1], v3d->width(), v3d->height());
  ASSERT_TRUE(movedAt.has_value());
  EXPECT_LT(std::hypot((*movedAt)[0] - c.x() - 0.5, (*movedAt)[1] - c.y() - 0.5), 1.0);
  EXPECT_NEAR(view::measure(moved, volume)->value, norm(moved.points[1] - moved.points[0]), 1e-9);
  EXPECT_GT(norm(moved.points[1] - m.points[1]), 10.0);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, cameraBefore.azimuthDeg);  // the drag did not rotate
  EXPECT_EQ(norm(w.state().cursor() - cursor), 0.0);                    // nor pick
  EXPECT_TRUE(v3d->pickText().startsWith("distance")) << v3d->pickText().toStdString();
  ASSERT_TRUE(set.undo().ok());
  EXPECT_EQ(set.all().at(id).points[1].x, m.points[1].x);
  EXPECT_EQ(set.all().at(id).points[1].z, m.points[1].z);
  // A click on a handle only selects it; Escape during a drag drops it: nothing moves either way.
  w.tools().selected = 0;
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, handle);
  EXPECT_EQ(w.tools().selected, id);
  EXPECT_EQ(set.all().at(id).points[1].z, m.points[1].z);
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, handle);
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, handle + (c - handle) * s / 4);
  QTest::keyClick(v3d, Qt::Key_Escape);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, c);
  EXPECT_EQ(set.all().at(id).points[1].z, m.points[1].z);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, cameraBefore.azimuthDeg);
  // A handle dropped where nothing is picked: nothing moves.
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, handle);
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, handle + QPoint(0, -handle.y() + 3) * s / 4);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, QPoint(handle.x(), 3));
  EXPECT_EQ(set.all().at(id).points[1].z, m.points[1].z);
  EXPECT_TRUE(v3d->pickText().contains("not moved")) << v3d->pickText().toStdString();
  w.setTool(viewer::Tool::Distance);

  // Delete in the 3D view removes the selected measurement.
  QTest::keyClick(v3d, Qt::Key_Delete);
  EXPECT_EQ(set.all().size(), before);
  EXPECT_FALSE(set.all().count(id));

  // The Angle tool: three clicks on bone; the angle is the one between the picked arms in space.
  w.setTool(viewer::Tool::Angle);
  const QPoint mid = test::findPatch(front, test::isBone, QPoint(front.width() / 2, front.height() / 3));
  ASSERT_GE(mid.x(), 0);
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, a);
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, mid);
  EXPECT_EQ(set.all().size(), before);  // two points: nothing yet
  EXPECT_TRUE(v3d->pickText().startsWith("angle")) << v3d->pickText().toStdString();
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, b);
  ASSERT_EQ(set.all().size(), before + 1) << v3d->pickText().toStdString();
  const view::Measurement angle = set.all().at(w.tools().selected);
  ASSERT_EQ(angle.kind, view::MeasureKind::Angle);
  const QPoint clicked[3] = {a, mid, b};
  for (int k = 0; k < 3; ++k) {
    const Vec3 p = angle.points[static_cast<size_t>(k)];
    EXPECT_GT(test::huAt(volume, p), 150) << k;
    const auto at = view::projectToPixel(cam, p, v3d->width(), v3d->height());
    ASSERT_TRUE(at.has_value());
    EXPECT_LT(std::hypot((*at)[0] - clicked[k].x() - 0.5, (*at)[1] - clicked[k].y() - 0.5), 1.0) << k;
  }
  const Vec3 u = angle.points[0] - angle.points[1], t = angle.points[2] - angle.points[1];
  EXPECT_NEAR(view::measure(angle, volume)->value,
              std::acos(dot(u, t) / (norm(u) * norm(t))) * 180 / std::acos(-1.0), 1e-6);
  EXPECT_EQ(norm(w.state().cursor() - cursor), 0.0);
}
