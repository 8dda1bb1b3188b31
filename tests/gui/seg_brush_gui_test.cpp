// SPDX-License-Identifier: MIT
// The brush (issue 12) through the real main window under Xvfb, on the CT: Sphere paints a ball
// through the neighbouring slices where a 2D dab paints a disk in one; Only limits the brush to a
// value range, which starts from the window; in the 3D view, Paint dabs balls onto what the
// rendering shows under the mouse and Erase takes them off (a PET/CT's: seg_pet_gui_test.cpp).
// Expected voxels are counted here by brute force over the grid, from the rules in seg_edit.h (a
// voxel centre within the radius; its HU, stored * slope + intercept, within the range).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QTest>

#include <cvx/core/raycast.h>
#include <cvx/viewstate/render_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

double huOf(const Volume& v, int64_t x, int64_t y, int64_t z) { return test::modalityAt(v, x, y, z); }

// Voxels of the grid whose centres lie within r of c and whose HU is in [lo, hi].
std::vector<uint8_t> ball(const Volume& v, Vec3 c, double r, double lo = -1e9, double hi = 1e9) {
  const auto& d = v.dims();
  std::vector<uint8_t> m(static_cast<size_t>(v.voxelsPerPhase()), 0);
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        const Vec3 p = v.geometry.originMm + v.geometry.direction[0] * (x * v.geometry.spacingMm.x) +
                       v.geometry.direction[1] * (y * v.geometry.spacingMm.y) +
                       v.geometry.direction[2] * (z * v.geometry.spacingMm.z);
        if (norm(p - c) > r) continue;
        const double hu = huOf(v, x, y, z);
        m[static_cast<size_t>(i)] = hu >= lo && hu <= hi;
      }
  return m;
}

int64_t count(const std::vector<uint8_t>& m) {
  int64_t n = 0;
  for (uint8_t b : m) n += b != 0;
  return n;
}

// The slices (z) that hold any voxel of m.
std::pair<int64_t, int64_t> slabOf(const Volume& v, const std::vector<uint8_t>& m) {
  int64_t lo = v.dims()[2], hi = -1;
  for (size_t i = 0; i < m.size(); ++i)
    if (m[i]) {
      const int64_t z = static_cast<int64_t>(i) / v.voxelsPerSlice();
      lo = std::min(lo, z), hi = std::max(hi, z);
    }
  return {lo, hi};
}

using test::newSegment;

void click(QWidget* v, QPoint at) {
  QTest::mousePress(v, Qt::LeftButton, Qt::NoModifier, at);
  QTest::mouseRelease(v, Qt::LeftButton, Qt::NoModifier, at);
}

}  // namespace

TEST(SegBrushGui, SpherePaintsABallThroughTheSlicesWhereADiskPaintsOne) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  auto* panel = newSegment(w, "toolPaint");
  ASSERT_NE(panel, nullptr);
  ASSERT_EQ(w.state().activeSegment().first, 0);
  panel->findChild<QDoubleSpinBox*>("segBrush")->setValue(7.5);
  const Volume& ct = *w.state().layers().front().volume;
  const auto& seg = *w.state().segmentations()[0].segmentation;
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const int vw = axial->width(), vh = axial->height();
  const QPoint at(vw * 45 / 100, vh * 50 / 100);
  const Vec3 c = w.state().pixelFrame(0, vw, vh).worldAt(at.x(), at.y());

  click(axial, at);  // a disk: one slice
  const auto disk = seg.mask(0);
  EXPECT_GT(count(disk), 150);  // pi 7.5^2 / 0.977^2 ~ 185
  const auto [d0, d1] = slabOf(ct, disk);
  EXPECT_EQ(d0, d1) << "a disk in an axial view paints one slice";
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg.voxelCount(0), 0);

  auto* sphere = panel->findChild<QCheckBox*>("segBrushSphere");
  ASSERT_NE(sphere, nullptr);
  sphere->setChecked(true);
  click(axial, at);
  const auto want = ball(ct, c, 7.5);
  const auto got = seg.mask(0);
  EXPECT_EQ(count(got), count(want));
  EXPECT_TRUE(got == want) << "the painted voxels are those within 7.5 mm of the dab";
  const auto [s0, s1] = slabOf(ct, got);
  EXPECT_GE(s1 - s0, 4) << "3 mm slices: a 7.5 mm ball reaches two slices each side";
  EXPECT_GT(count(got), 3 * count(disk));
  // The dock's mL and statistics follow once the edits pause (not at every dab: passes over the layer).
  const Geometry& g = ct.geometry;
  const double ml = count(want) * g.spacingMm.x * g.spacingMm.y * g.spacingMm.z / 1000;
  EXPECT_TRUE(QTest::qWaitFor([&] { return panel->statsText().startsWith(QString("Segment 1: %1 mL").arg(ml, 0, 'f', 1)); }, 5000))
      << panel->statsText().toStdString() << " against " << ml;
  EXPECT_NEAR(panel->table()->item(0, 1)->text().toDouble(), ml, 0.051);
}

TEST(SegBrushGui, OnlyStartsFromTheWindowAndPaintsOnlyValuesInRange) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  auto* panel = newSegment(w, "toolPaint");
  ASSERT_NE(panel, nullptr);
  auto* only = panel->findChild<QCheckBox*>("segBrushOnly");
  auto* lo = panel->findChild<QDoubleSpinBox*>("segBrushLow");
  auto* hi = panel->findChild<QDoubleSpinBox*>("segBrushHigh");
  ASSERT_TRUE(only && lo && hi);
  const view::DisplayMapping& m = w.state().layers()[0].mapping;
  only->setChecked(true);
  EXPECT_NEAR(lo->value(), m.center - m.width / 2, 0.01);  // the window: W 400 / L 40 is -160..240 HU
  EXPECT_NEAR(hi->value(), m.center + m.width / 2, 0.01);
  lo->setValue(200);  // bone
  hi->setValue(3000);
  panel->findChild<QCheckBox*>("segBrushSphere")->setChecked(true);
  panel->findChild<QDoubleSpinBox*>("segBrush")->setValue(10);

  // The first voxel of 300 HU or more on the cursor's axial slice, walking back from the centre:
  // the spine, where a 10 mm ball holds bone and the soft tissue round it.
  const Volume& ct = *w.state().layers().front().volume;
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const int vw = axial->width(), vh = axial->height();
  const auto frame = w.state().pixelFrame(0, vw, vh);
  const Vec3 cur = ct.geometry.voxelFromWorld().applyPoint(w.state().cursor());
  const int64_t cx = ct.dims()[0] / 2, cz = std::llround(cur.z);
  int64_t by = -1;
  for (int64_t y = ct.dims()[1] / 2; y < ct.dims()[1] && by < 0; ++y)
    if (huOf(ct, cx, y, cz) >= 300) by = y + 3;  // a few voxels into it
  ASSERT_GE(by, 0);
  const auto px = frame.pixelOf(ct.geometry.worldAt(double(cx), double(by), double(cz)));
  const QPoint at(static_cast<int>(px[0]), static_cast<int>(px[1]));
  const Vec3 c = frame.worldAt(at.x(), at.y());
  click(axial, at);
  const auto& seg = *w.state().segmentations()[0].segmentation;
  const auto want = ball(ct, c, 10, 200, 3000);
  const auto all = ball(ct, c, 10);
  EXPECT_GT(count(want), 100);
  EXPECT_GT(count(all) - count(want), 100) << "the ball also holds soft tissue, left unpainted";
  EXPECT_TRUE(seg.mask(0) == want) << count(seg.mask(0)) << " painted, " << count(want) << " in range";

  only->setChecked(false);  // the whole ball now
  click(axial, at);
  EXPECT_EQ(seg.voxelCount(0), count(all));
}

TEST(SegBrushGui, PaintInThe3dViewPutsBallsOnTheRenderingAndEraseTakesThemOff) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1600, 1100, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_TRUE(test::refined(v3d));
  auto* panel = newSegment(w, "toolPaint");
  ASSERT_NE(panel, nullptr);
  panel->findChild<QDoubleSpinBox*>("segBrush")->setValue(6);
  // Only bone (ct-bone draws from about 150 HU): every painted voxel must then be bone.
  panel->findChild<QCheckBox*>("segBrushOnly")->setChecked(true);
  panel->findChild<QDoubleSpinBox*>("segBrushLow")->setValue(150);
  panel->findChild<QDoubleSpinBox*>("segBrushHigh")->setValue(4000);
  QApplication::processEvents();     // laid out again beside the dock,
  ASSERT_TRUE(test::refined(v3d));  // and drawn at that size
  const Volume& ct = *w.state().layers().front().volume;
  const auto& seg = *w.state().segmentations()[0].segmentation;
  const auto camera = w.state().camera3d();
  const int vw = v3d->width(), vh = v3d->height();
  const Camera3D cam = view::orbitCamera(ct, camera, vw, vh);

  // A stroke across the middle of the front view: sternum, ribs, spine behind.
  const QPoint from(vw * 40 / 100, vh / 2), to(vw * 60 / 100, vh / 2);
  QTest::mouseMove(v3d, from);
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, from);
  for (int k = 1; k <= 20; ++k) QTest::mouseMove(v3d, from + (to - from) * k / 20);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, to);
  const auto painted = seg.mask(0);
  const int64_t n = count(painted);
  ASSERT_GT(n, 200) << v3d->pickText().toStdString();
  EXPECT_EQ(w.state().camera3d().azimuthDeg, camera.azimuthDeg) << "painting does not turn the camera";
  // Every painted voxel is bone, and projects within the brush's reach of the stroke: its row within
  // 6 mm of the middle one, its column between the stroke's ends give or take 6 mm, at the depth of
  // the front of the chest or beyond (mm per pixel from the camera at the volume's centre).
  const double mmPerPx = 2 * std::tan(cam.fovYDeg * M_PI / 360) * norm(cam.center - cam.eye) / vh;
  const double reachPx = 6 / mmPerPx * 1.5 + 2;  // nearer the eye a millimetre covers more pixels
  const auto& d = ct.dims();
  int64_t notBone = 0, astray = 0;
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) {
        if (!painted[static_cast<size_t>(i)]) continue;
        const double hu = huOf(ct, x, y, z);
        notBone += !(hu >= 150 && hu <= 4000);
        const auto p = projectToPixel(cam, ct.geometry.worldAt(double(x), double(y), double(z)), vw, vh);
        const bool off = !p || std::fabs((*p)[1] - vh / 2.0) > reachPx || (*p)[0] < from.x() - reachPx ||
                         (*p)[0] > to.x() + reachPx;
        astray += off;
      }
  EXPECT_EQ(notBone, 0);
  EXPECT_EQ(astray, 0) << "reach " << reachPx << " px, view " << vw << "x" << vh << " now " << v3d->width() << "x"
                       << v3d->height();

  // One stroke, one undo step.
  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg.voxelCount(0), 0);
  w.findChild<QAction*>("redo")->trigger();
  EXPECT_EQ(seg.voxelCount(0), n);

  // Erase along the same stroke, without the range: what was painted goes.
  panel->findChild<QCheckBox*>("segBrushOnly")->setChecked(false);
  w.findChild<QAction*>("toolErase")->trigger();
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, from);
  for (int k = 1; k <= 20; ++k) QTest::mouseMove(v3d, from + (to - from) * k / 20);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, to);
  EXPECT_LT(seg.voxelCount(0), n / 4) << "erased along the same line";
  EXPECT_EQ(w.state().camera3d().azimuthDeg, camera.azimuthDeg);

  // The user guide's picture: a 12 mm bone-only stroke over the sternum and the ribs beside it.
  panel->findChild<QCheckBox*>("segBrushOnly")->setChecked(true);
  panel->findChild<QDoubleSpinBox*>("segBrush")->setValue(12);
  w.findChild<QAction*>("toolPaint")->trigger();
  const QPoint a(vw * 30 / 100, vh * 42 / 100), b(vw * 70 / 100, vh * 42 / 100);
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, a);
  for (int k = 1; k <= 30; ++k) QTest::mouseMove(v3d, a + (b - a) * k / 30);
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, b);
  QTest::mouseMove(v3d, b + QPoint(0, vh / 10));  // the circle where the mouse rests
  EXPECT_GT(seg.voxelCount(0), n);
  EXPECT_TRUE(test::refined(v3d));
  test::saveTour(&w, "seg_paint_3d");
}
