// SPDX-License-Identifier: MIT
// Picking in the 3D view and its crop box (issue 11), against analytic geometry: a ball of known
// centre and radius is picked on its near surface, a pixel beside it picks nothing, MIP picks the
// maximum; a uniform cube cropped to a half draws only where that half projects; dragging a face
// handle moves the face by the mouse motion over the face axis's screen length.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/render_3d.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr int kN = 41;  // voxels per axis, 1 mm, centred on the origin: voxel i at i - 20 mm

// Voxel (i, j, k) holds value(its LPS position); spacing s, centred on the origin.
template <class F>
std::shared_ptr<Volume> phantom(F value, Vec3 s = {1, 1, 1}) {
  auto v = Volume::create(PixelType::Int16, {kN, kN, kN, 1}).value();
  v->geometry.originMm = {-20 * s.x, -20 * s.y, -20 * s.z};
  v->geometry.spacingMm = s;
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < kN; ++k)
    for (int j = 0; j < kN; ++j)
      for (int i = 0; i < kN; ++i)
        *p++ = static_cast<int16_t>(value(Vec3{(i - 20.0) * s.x, (j - 20.0) * s.y, (k - 20.0) * s.z}));
  return v;
}

std::shared_ptr<Volume> ball(Vec3 centre, double radius) {
  return phantom([=](Vec3 w) { return norm(w - centre) <= radius ? 1000 : 0; });
}

using cvx::test::opaqueWhite;

Camera3DView camera(double azimuth, double elevation, bool perspective) {
  Camera3DView c;
  c.azimuthDeg = azimuth;
  c.elevationDeg = elevation;
  c.perspective = perspective;
  return c;
}

// Half a voxel (the interpolated edge of a binary ball) and one step (half the spacing).
constexpr double kTolMm = 0.5 + 0.5;

}  // namespace

// The central pixel of an odd image looks through the volume's centre (the orbit's centre) along
// the view: from the front (eye at -y) a ball centred at (0, 6, 0) of radius 9 is first met at
// (0, -3, 0); from the patient's left (eye at +x) a ball at (5, 0, 0) at (14, 0, 0); from above (eye
// at +z) a ball at (0, 0, -4) at (0, 0, 5). Both projections.
TEST(PickCrop3d, CentralPixelPicksTheNearSurfaceOfTheBall) {
  struct Case {
    double azimuth, elevation;
    Vec3 centre, expected;
  };
  const Case cases[] = {
      {0, 0, {0, 6, 0}, {0, -3, 0}}, {90, 0, {5, 0, 0}, {14, 0, 0}}, {0, 90, {0, 0, -4}, {0, 0, 5}}};
  for (const Case& c : cases)
    for (bool perspective : {false, true}) {
      VolumeRenderer r;
      const auto picked = r.pick(ball(c.centre, 9), 0, opaqueWhite(),
                                 camera(c.azimuth, c.elevation, perspective), 65, 65, 32, 32);
      ASSERT_TRUE(picked.has_value()) << c.azimuth << " " << c.elevation << " " << perspective;
      EXPECT_LT(norm(*picked - c.expected), kTolMm)
          << c.azimuth << " " << c.elevation << " " << perspective << ": " << picked->x << " " << picked->y
          << " " << picked->z;
      EXPECT_NEAR(norm(*picked - c.centre), 9, kTolMm);  // on the sphere
    }
}

// The same on an anisotropic grid (0.6 x 0.8 x 1.5 mm, as a CT's thicker slices): depth is in mm
// along the ray whatever the spacing. Tolerance: half the largest spacing and one step.
TEST(PickCrop3d, AnisotropicGridPicksTheSurfaceInMillimetres) {
  const Vec3 s{0.6, 0.8, 1.5};
  const double tol = 0.5 * 1.5 + 0.5 * 0.6;
  struct Case {
    double azimuth, elevation;
    Vec3 expected;
  };
  const Vec3 centre{0, 0, 0};
  const Case cases[] = {{0, 0, {0, -10, 0}}, {90, 0, {10, 0, 0}}, {0, 90, {0, 0, 10}}, {0, -90, {0, 0, -10}}};
  auto v = phantom([&](Vec3 w) { return norm(w - centre) <= 10 ? 1000 : 0; }, s);
  for (const Case& c : cases)
    for (bool perspective : {false, true}) {
      VolumeRenderer r;
      const auto picked =
          r.pick(v, 0, opaqueWhite(), camera(c.azimuth, c.elevation, perspective), 65, 65, 32, 32);
      ASSERT_TRUE(picked.has_value()) << c.azimuth << " " << c.elevation << " " << perspective;
      EXPECT_LT(norm(*picked - c.expected), tol) << c.azimuth << " " << c.elevation << " " << perspective
                                                 << ": " << picked->x << " " << picked->y << " " << picked->z;
    }
}

// A pixel beside the ball (the image's corner) and a pixel outside the image pick nothing.
TEST(PickCrop3d, APixelOffTheBallPicksNothing) {
  VolumeRenderer r;
  auto v = ball({0, 0, 0}, 9);
  for (bool perspective : {false, true}) {
    EXPECT_FALSE(r.pick(v, 0, opaqueWhite(), camera(0, 0, perspective), 65, 65, 2, 2).has_value());
    EXPECT_FALSE(r.pick(v, 0, opaqueWhite(), camera(0, 0, perspective), 65, 65, 5, 32).has_value());
    EXPECT_FALSE(r.pick(v, 0, opaqueWhite(), camera(0, 0, perspective), 65, 65, 65, 32).has_value());
  }
  EXPECT_FALSE(r.pick(v, 1, opaqueWhite(), camera(0, 0, false), 65, 65, 32, 32).has_value());  // no phase 1
}

// MIP: a cone of values peaking (1000) at (0, 6, 0) on the central ray from the front: the pick is
// the maximum's position, not the first surface.
TEST(PickCrop3d, MipPicksTheMaximum) {
  const Vec3 peak{0, 6, 0};
  auto v = phantom([&](Vec3 w) { return std::max(0.0, 1000 - 40 * norm(w - peak)); });
  TransferPreset mip = opaqueWhite();
  mip.mip = true;
  VolumeRenderer r;
  for (bool perspective : {false, true}) {
    const auto picked = r.pick(v, 0, mip, camera(0, 0, perspective), 65, 65, 32, 32);
    ASSERT_TRUE(picked.has_value());
    EXPECT_LT(norm(*picked - peak), 0.5) << picked->x << " " << picked->y << " " << picked->z;
  }
}

// A uniform cube (voxels -20..20 mm, extent +-20.5 mm) cropped to x >= 0 (lo.x = 0.5: voxel index
// 20, x = 0 mm), seen from the front in parallel projection: the image's right is +x and zoom 1
// fits the bounding sphere (radius 20.5 sqrt 3) to the image height. Pixels whose centre lies
// left of x = 0 stay black; those right of it within the cube's face are drawn.
TEST(PickCrop3d, CropToAHalfDrawsOnlyWhereTheKeptHalfProjects) {
  auto v = phantom([](Vec3) { return 1000; });
  VolumeRenderer r;
  const int n = 120;
  CropBox3D crop;
  crop.lo[0] = 0.5;
  auto im = r.draw(v, 0, opaqueWhite(), camera(0, 0, false), n, n, {}, crop);
  ASSERT_TRUE(im.ok());
  const double mmPerPixel = 2 * 20.5 * std::sqrt(3.0) / n;
  int drawnKept = 0, kept = 0, drawnCut = 0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const double wx = (x + 0.5 - n / 2.0) * mmPerPixel, wz = (n / 2.0 - y - 0.5) * mmPerPixel;
      const bool drawn = ((*im)->pixels[static_cast<size_t>(y) * n + x] & 0xFF) > 64;
      if (std::abs(wz) > 20.5 - mmPerPixel) continue;  // the top and bottom rim
      if (wx < -mmPerPixel) drawnCut += drawn;
      if (wx > mmPerPixel && wx < 20.5 - mmPerPixel) ++kept, drawnKept += drawn;
    }
  EXPECT_GT(kept, 1000);
  EXPECT_EQ(drawnKept, kept);
  EXPECT_EQ(drawnCut, 0);
  // Uncropped, the left half is drawn too; and the pick through the cut half lands on the cut.
  auto full = r.draw(v, 0, opaqueWhite(), camera(0, 0, false), n, n);
  ASSERT_TRUE(full.ok());
  EXPECT_NE((*full)->pixels[static_cast<size_t>(n / 2) * n + n / 4] & 0xFF, 0u);
  crop = {};
  crop.lo[1] = 0.75;  // y >= 10.25 mm (index -0.5 + 0.75 * 41 = 30.25)
  const auto picked = r.pick(v, 0, opaqueWhite(), camera(0, 0, false), n + 1, n + 1, n / 2, n / 2, crop);
  ASSERT_TRUE(picked.has_value());
  EXPECT_NEAR(picked->y, 10.25, kTolMm);
}

// Crop geometry: the voxel box of fractions, and a drag of the lo-x face (face 0) from the front by
// d pixels to the right moves it by d / (pixels per mm) voxels; a vertical drag does not move it;
// a long drag stops one voxel short of the hi face.
TEST(PickCrop3d, DraggingAFaceHandleFollowsTheMouseAlongItsAxis) {
  auto v = phantom([](Vec3) { return 0; });
  const CropBox3D full;
  const auto box = cropVoxelBox(*v, full);
  EXPECT_DOUBLE_EQ(box[0].x, -0.5);
  EXPECT_DOUBLE_EQ(box[1].z, 40.5);
  const int n = 200;
  const Camera3D cam = orbitCamera(*v, camera(0, 0, false), n, n);
  // camera_3d.h's parallel fit of the cube's cylinder (radius 20.5 sqrt 2 mm about z, half-height
  // 20.5 mm) in a square image: half the image height is 1.05 times the radius.
  const double pixelsPerMm = n / (2 * 1.05 * 20.5 * std::sqrt(2.0));
  // The handle of face 0 sits on the cube's left face centre: x = -20.5 mm, the image's left.
  const auto faces = cropFaceCentres(*v, full);
  EXPECT_NEAR(faces[0].x, -20.5, 1e-9);
  EXPECT_NEAR(faces[5].z, 20.5, 1e-9);
  const double hx = n / 2.0 - 20.5 * pixelsPerMm;
  EXPECT_EQ(cropHandleAt(*v, cam, n, n, full, hx + 2, n / 2.0 - 1, 6), 0);
  EXPECT_EQ(cropHandleAt(*v, cam, n, n, full, 5, 5, 6), -1);
  const CropBox3D moved = dragCropFace(*v, cam, n, n, full, 0, 30, 0);
  EXPECT_NEAR(moved.lo[0], 30 / pixelsPerMm / kN, 1e-6);
  EXPECT_EQ(moved.hi[0], 1);
  EXPECT_EQ(moved.lo[1], 0);
  EXPECT_EQ(dragCropFace(*v, cam, n, n, full, 0, 0, 40).lo[0], 0);   // across the axis: no motion
  EXPECT_EQ(dragCropFace(*v, cam, n, n, full, 0, -50, 0).lo[0], 0);  // clamped to the volume
  EXPECT_NEAR(dragCropFace(*v, cam, n, n, full, 0, 1000, 0).lo[0], 1 - 1.0 / kN, 1e-12);
  EXPECT_NEAR(dragCropFace(*v, cam, n, n, full, 5, 0, 20).hi[2], 1 - 20 / pixelsPerMm / kN,
              1e-6);  // top face down
  // The y faces are along the view from the front: they do not move.
  EXPECT_EQ(dragCropFace(*v, cam, n, n, full, 2, 30, 30).lo[1], 0);
  // The state clamps a box to [0, 1] with lo <= hi.
  ViewerState s;
  CropBox3D bad;
  bad.lo = {-1, 0.7, 0.2};
  bad.hi = {2, 0.3, 0.9};
  s.setCrop3d(bad);
  EXPECT_EQ(s.crop3d().lo[0], 0);
  EXPECT_EQ(s.crop3d().hi[0], 1);
  EXPECT_EQ(s.crop3d().hi[1], 0.7);
  s.resetCrop3d();
  EXPECT_TRUE(s.crop3d().full());
}
