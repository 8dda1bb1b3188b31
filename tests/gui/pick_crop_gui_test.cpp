// SPDX-License-Identifier: MIT
// Picking and cropping in the 3D view (issue 11), through the real main window under Xvfb on the
// CT: a click where bone is drawn moves the session cursor onto bone (the CT value there, read from
// the state's volume, is above ct-bone's first visible value, 150 HU); a click on the black
// background leaves the cursor and says so; the Crop button shows the box's handles, dragging the
// patient's-left face handle (the image's right from the front) towards the middle pulls that face
// in and the right part of the picture goes dark; Reset crop restores the whole volume.
#include <gtest/gtest.h>

#include <QAction>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/render_3d.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_pixels.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

using test::findPatch;
using test::huAt;
using test::isBlack;
using test::isBone;

int boneIn(const QImage& im, int x0, int x1) {
  int n = 0;
  for (int y = 40; y < im.height() - 40; ++y)
    for (int x = x0; x < x1; ++x) n += isBone(im.pixel(x, y));
  return n;
}

}  // namespace

TEST(PickCropGui, ClickPicksBoneOnTheCtAndCropHandlesCutTheVolume) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  ASSERT_EQ(w.state().preset3d(), "ct-bone");
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage front = cvx::viewer::grabShown(v3d);
  const auto& volume = *w.state().layers().front().volume;

  // A click on bone: the cursor moves onto bone.
  const QPoint bone = findPatch(front, isBone, QPoint(front.width() / 2, front.height() / 2));
  ASSERT_GE(bone.x(), 0) << "no bone patch in the 3D view";
  const Vec3 before = w.state().cursor();
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, bone);
  const Vec3 picked = w.state().cursor();
  EXPECT_GT(norm(picked - before), 1.0);
  EXPECT_GT(huAt(volume, picked), 150) << picked.x << " " << picked.y << " " << picked.z;
  // ... and it is the first bone along the ray: from where the ray enters the volume to 3 mm before
  // the pick no voxel reaches 700 HU (ct-bone's opacity is 0.8 per mm there).
  {
    const Camera3D eye = view::orbitCamera(volume, w.state().camera3d(), v3d->width(), v3d->height());
    const double dist = norm(picked - eye.eye);
    const Vec3 dir = (picked - eye.eye) * (1.0 / dist);
    const Mat4 toVoxel = volume.geometry.voxelFromWorld();
    int inside = 0;
    double highest = -1e9;
    for (double t = 0; t < dist - 3; t += 0.5) {
      const Vec3 q = eye.eye + dir * t, i = toVoxel.applyPoint(q);
      bool in = true;
      for (int a = 0; a < 3; ++a) in = in && i[a] >= 0 && i[a] <= volume.dims()[static_cast<size_t>(a)] - 1;
      if (!in) continue;
      ++inside;
      highest = std::max(highest, huAt(volume, q));
    }
    EXPECT_GT(inside, 100);  // the ray crossed the volume for more than 50 mm before the pick
    EXPECT_LT(highest, 700);
  }
  EXPECT_TRUE(v3d->pickText().startsWith("picked")) << v3d->pickText().toStdString();
  // ... and the cursor projects back to where we clicked (the crosshair sits on the click).
  const auto at = view::projectToPixel(view::orbitCamera(volume, w.state().camera3d(), v3d->width(), v3d->height()), picked, v3d->width(),
                                       v3d->height());
  ASSERT_TRUE(at.has_value());
  EXPECT_LT(std::hypot((*at)[0] - bone.x() - 0.5, (*at)[1] - bone.y() - 0.5), 3.0);

  // A click on the black background: nothing picked, the cursor stays.
  const QPoint black = findPatch(front, isBlack, QPoint(front.width() - 40, front.height() / 2));
  ASSERT_GE(black.x(), 0) << "no background in the 3D view";
  QTest::mouseClick(v3d, Qt::LeftButton, Qt::NoModifier, black);
  EXPECT_EQ(norm(w.state().cursor() - picked), 0.0);
  EXPECT_EQ(v3d->pickText(), "nothing under the cursor");

  // Crop: the button shows the box; the patient's-left face (voxel x hi, face 1) is on the image's
  // right from the front. Dragging its handle 1/4 of the view towards the middle pulls it in.
  auto* crop = w.findChild<QAction*>("crop3d");
  ASSERT_NE(crop, nullptr);
  crop->trigger();
  EXPECT_TRUE(w.state().crop3d().shown);
  const Camera3D cam = view::orbitCamera(volume, w.state().camera3d(), v3d->width(), v3d->height());
  const auto handle = view::projectToPixel(cam, view::cropFaceCentres(volume, w.state().crop3d())[1],
                                           v3d->width(), v3d->height());
  ASSERT_TRUE(handle.has_value());
  ASSERT_GT((*handle)[0], v3d->width() / 2.0);
  const QPoint h(static_cast<int>((*handle)[0]), static_cast<int>((*handle)[1]));
  const int shift = v3d->width() / 4;
  QTest::mousePress(v3d, Qt::LeftButton, Qt::NoModifier, h);
  for (int s = 1; s <= 4; ++s) QTest::mouseMove(v3d, h - QPoint(shift * s / 4, 0));
  QTest::mouseRelease(v3d, Qt::LeftButton, Qt::NoModifier, h - QPoint(shift, 0));
  const view::CropBox3D cut = w.state().crop3d();
  EXPECT_LT(cut.hi[0], 0.8);  // a quarter of the view is about half of the box (its bounding sphere fits)
  EXPECT_GT(cut.hi[0], 0.3);
  EXPECT_EQ(cut.lo[0], 0);
  EXPECT_EQ(cut.hi[1], 1);
  EXPECT_EQ(w.state().camera3d().azimuthDeg, 0);  // a handle drag does not rotate
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage cropped = cvx::viewer::grabShown(v3d);
  EXPECT_NE(cropped, front);
  // Right of everything the cropped box projects to (its corners, drawn edges included) the bone is
  // gone; left of its cut face's centre it stays.
  double right = 0;
  for (const Vec3& c : view::cropCorners(volume, cut)) {
    const auto p = view::projectToPixel(cam, c, v3d->width(), v3d->height());
    ASSERT_TRUE(p.has_value());
    right = std::max(right, (*p)[0]);
  }
  const int cutX = static_cast<int>(right) + 3;
  ASSERT_LT(cutX, front.width() - 20);
  const int boneBefore = boneIn(front, cutX, front.width()),
            boneAfter = boneIn(cropped, cutX, cropped.width());
  EXPECT_GT(boneBefore, 200);
  EXPECT_EQ(boneAfter, 0);
  const int keptX = static_cast<int>((*handle)[0]) - shift - 30;
  EXPECT_GT(boneIn(cropped, 0, keptX), boneIn(front, 0, keptX) * 9 / 10);  // the kept part stays
  test::saveTour(&w, "ct_3d_crop");

  // Reset crop: the whole volume again.
  auto* reset = w.findChild<QAction*>("resetCrop3d");
  ASSERT_NE(reset, nullptr);
  reset->trigger();
  EXPECT_TRUE(w.state().crop3d().full());
  EXPECT_TRUE(w.state().crop3d().shown);
  v3d->setFocus();
  QTest::keyClick(v3d, Qt::Key_C);  // the key hides the box
  EXPECT_FALSE(w.state().crop3d().shown);
}
