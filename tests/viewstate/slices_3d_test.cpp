// SPDX-License-Identifier: MIT
// The MPR views' slices in the 3D view (slices_3d.h, VolumeRenderer::setSlices), against geometry
// and grey levels worked out here: the section of the volume's box by the view's plane, its pixel
// frame, the DICOM window's grey levels at known voxels; drawn in 3D, the slice hides what is behind
// it, the ball in front is composited over it, a cut keeping the half behind it shows the slice
// as the cut face (3D MPR), clip planes cut slices unless told not to, picking finds the slice, and
// what lies below the window is see-through.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/clip_3d.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/slices_3d.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::opaqueWhite;
using cvx::test::plane;

namespace {

constexpr double kBall = 8;  // radius (mm) about the origin, value 1000; elsewhere 200
constexpr double kCenter = 600, kWidth = 1600;

// 41 x 31 x 21 voxels of 1 x 1 x 2 mm centred on the origin (voxel (20, 15, 10)): the box's edges
// at x +-20.5, y +-15.5, z +-21.
std::shared_ptr<Volume> ballVolume(const std::string& frame = "1.2.3") {
  auto v = Volume::create(PixelType::Int16, {41, 31, 21, 1}).value();
  v->geometry.spacingMm = {1, 1, 2};
  v->geometry.originMm = {-20, -15, -20};
  v->info.frameOfReferenceUid = frame;
  v->info.modality = "CT";
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 21; ++k)
    for (int j = 0; j < 31; ++j)
      for (int i = 0; i < 41; ++i) *p++ = norm(v->geometry.worldAt(i, j, k)) <= kBall ? 1000 : 200;
  return v;
}

DisplayMapping window() {
  DisplayMapping m;
  m.center = kCenter, m.width = kWidth;
  return m;
}

// DICOM's linear VOI (PS3.3 C.11.2.1.2) to 0..255.
double grey(double value) {
  const double g = (value - (kCenter - 0.5)) / (kWidth - 1) + 0.5;
  return 255 * std::clamp(g, 0.0, 1.0);
}

uint32_t channel(uint32_t px, int c) { return (px >> (8 * c)) & 0xFFu; }

ViewerState stateWith(const std::shared_ptr<Volume>& v) {
  ViewerState s;  // axial, coronal, sagittal
  s.addLayer(v, window());
  return s;
}

}  // namespace

TEST(Slices3d, TheCoronalSliceCoversTheBoxSectionWithTheWindowsGreys) {
  ViewerState s = stateWith(ballVolume());
  EXPECT_TRUE(Slices3D().update(s)->empty());  // none shown
  s.setShownIn3d(1, true);
  auto slices = Slices3D().update(s);
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 1u);
  const Slice3D& c = slices->front();
  EXPECT_EQ(c.view, 1);
  // The section of the box by y = 0 (the cursor): x in [-20.5, 20.5], z in [-21, 21].
  ASSERT_EQ(c.outline.size(), 4u);
  for (const Vec3& q : c.outline) {
    EXPECT_NEAR(std::abs(q.x), 20.5, 1e-9);
    EXPECT_NEAR(q.y, 0, 1e-9);
    EXPECT_NEAR(std::abs(q.z), 21, 1e-9);
  }
  // Coronal: right is L (+x), down is I (-z). 512 pixels over the 42 mm side, square pixels.
  const PixelFrame& f = c.frame;
  EXPECT_EQ(f.height, 512);
  EXPECT_NEAR(f.mmPerPixel, 42.0 / 511, 1e-12);
  EXPECT_EQ(f.width, 500);  // the last pixel centre at -20.5 + 499 x 42/511 = 20.51, past the edge
  EXPECT_GE(f.worldAt(f.width - 1, 0).x, 20.5);
  EXPECT_LT(f.worldAt(f.width - 2, 0).x, 20.5);
  cvx::test::expectVec(f.worldAt(0, 0), {-20.5, 0, 21});
  cvx::test::expectVec(f.worldAt(0, 511), {-20.5, 0, -21});
  ASSERT_EQ(c.image->width, f.width);
  ASSERT_EQ(c.image->height, f.height);
  // The ball's centre (1000) and a point far from it (200), in the window's greys.
  auto at = [&](Vec3 w) {
    const auto p = f.pixelOf(w);
    return c.image->pixels[static_cast<size_t>(std::lround(p[1])) * f.width + static_cast<size_t>(std::lround(p[0]))];
  };
  EXPECT_NEAR(channel(at({0, 0, 0}), 0), grey(1000), 1.01);
  EXPECT_NEAR(channel(at({15, 0, 15}), 1), grey(200), 1.01);
  EXPECT_NEAR(channel(at({-15, 0, -15}), 2), grey(200), 1.01);
}

TEST(Slices3d, OnlyLinkedViewsWhosePlaneMeetsTheBoxAreDrawn) {
  auto v = ballVolume();
  ViewerState s = stateWith(v);
  const int other = s.addLayer(ballVolume("9.9.9"), window());
  s.setViewLayers(2, {other});  // the sagittal view shows another frame of reference: unlinked
  for (int i = 0; i < 3; ++i) s.setShownIn3d(i, true);
  EXPECT_TRUE(s.view(2).shownIn3d);
  auto slices = Slices3D().update(s);
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 2u);
  EXPECT_EQ((*slices)[0].view, 0);
  EXPECT_EQ((*slices)[1].view, 1);
  // A crop box that ends below the cursor's axial plane: the axial slice misses it.
  CropBox3D crop;
  crop.hi[2] = 0.3;
  s.setCrop3d(crop);
  slices = Slices3D().update(s);
  ASSERT_EQ(slices->size(), 1u);
  EXPECT_EQ(slices->front().view, 1);
  for (const Vec3& q : slices->front().outline) EXPECT_LE(q.z, -21 + 0.3 * 42 + 1e-9);  // the coronal one, cropped
  s.setViews({Orientation::Axial});  // a new layout shows none
  EXPECT_FALSE(s.anyShownIn3d());
}

TEST(Slices3d, CutsTrimTheOutlineExceptTheirOwnPlane) {
  const std::vector<Vec3> square = {{-10, 0, -10}, {10, 0, -10}, {10, 0, 10}, {-10, 0, 10}};
  // Keep x >= 4: the square's right strip, x in [4, 10].
  const auto right = cutOutline(square, {plane({4, 0, 0}, {1, 0, 0})});
  ASSERT_EQ(right.size(), 4u);
  for (const Vec3& q : right) EXPECT_TRUE(std::abs(q.x - 4) < 1e-12 || std::abs(q.x - 10) < 1e-12);
  EXPECT_EQ(cutOutline(square, {plane({0, 0, 0}, {0, 1, 0})}).size(), 4u);  // in the cut's own plane: whole
  EXPECT_EQ(cutOutline(square, {plane({0, 0, 0}, {0, 1, 0}, true)}).size(), 4u);  // either side of it
  EXPECT_TRUE(cutOutline(square, {plane({0, 1, 0}, {0, 1, 0})}).empty());  // all of it cut away
  // The corner x + z >= 15: a triangle (10, 5), (10, 10), (5, 10).
  EXPECT_EQ(cutOutline(square, {plane({10, 0, 5}, {1, 0, 1})}).size(), 3u);
}

// Drawn from the front in parallel projection (every ray along +y): the coronal slice at y = 0.
TEST(Slices3d, DrawnInThe3dViewBehindTheBallAndAsTheCutFace) {
  auto v = ballVolume();
  ViewerState s = stateWith(v);
  s.setShownIn3d(1, true);
  ASSERT_TRUE(s.setClipPlanes3d({plane({0, 0, 0}, {0, 1, 0})}).ok());  // keeps y >= 0: the ball's front half cut away
  const auto cutSlices = Slices3D().update(s);
  ASSERT_TRUE(cutSlices.ok());
  ASSERT_TRUE(s.setClipPlanes3d({}).ok());
  const auto slices = Slices3D().update(s);
  const int n = 101;
  Camera3DView front;
  front.perspective = false;
  const Camera3D cam = orbitCamera(*v, front, n, n);
  const double mm = 2 * cam.parallelHalfHeightMm / n;
  // Pixel of world (x, z), and the depth of the plane y = 0 (from the plane through the eye).
  auto pixel = [&](double x, double z) {
    return std::pair{static_cast<int>(std::floor((x - cam.center.x) / mm + n / 2.0)),
                     static_cast<int>(std::floor(n / 2.0 - (z - cam.center.z) / mm))};
  };
  const double planeT = -cam.eye.y;
  const auto [bx, by] = pixel(0, 0);        // over the ball's centre
  const auto [ox, oy] = pixel(14, -14);     // beside the ball, inside the section
  auto px = [&](const RgbaImage& im, int x, int y) { return im.pixels[static_cast<size_t>(y) * n + x]; };
  VolumeRenderer r;
  Quality3D q;
  q.jitter = false;
  // Without the slice: the ball on black.
  auto plain = r.draw(v, 0, opaqueWhite(), front, n, n, q);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(channel(px(**plain, ox, oy), 0), 0u);
  EXPECT_GT(channel(px(**plain, bx, by), 0), 150u);
  // With it: beside the ball the slice's grey at y = 0; over the ball its front (y = -8) in white.
  r.setSlices(*slices);
  auto im = r.draw(v, 0, opaqueWhite(), front, n, n, q);
  ASSERT_TRUE(im.ok());
  EXPECT_NEAR(channel(px(**im, ox, oy), 0), grey(200), 2);
  EXPECT_NEAR(r.depth()[static_cast<size_t>(oy) * n + ox], planeT, 1e-3);
  // (the ball is opaque: at most a trace of the slice behind it)
  EXPECT_NEAR(channel(px(**im, bx, by), 0), channel(px(**plain, bx, by), 0), 3.0);
  EXPECT_NEAR(r.depth()[static_cast<size_t>(by) * n + bx], planeT - kBall, 1.0);
  // Picking beside the ball finds the slice.
  const auto picked = r.pick(v, 0, opaqueWhite(), front, n, n, ox, oy);
  ASSERT_TRUE(picked.has_value());
  EXPECT_NEAR(picked->y, 0, 1e-3);
  // Cut at y = 0 keeping the back: over the ball, the slice is the cut face: the ball's grey.
  r.setClipPlanes({plane({0, 0, 0}, {0, 1, 0})});
  r.setSlices(*cutSlices);
  im = r.draw(v, 0, opaqueWhite(), front, n, n, q);
  EXPECT_NEAR(channel(px(**im, bx, by), 0), grey(1000), 2);
  EXPECT_NEAR(channel(px(**im, ox, oy), 0), grey(200), 2);
  // A cut keeping y >= 5 leaves the slice by default; told to cut surfaces, it removes it.
  r.setClipPlanes({plane({0, 5, 0}, {0, 1, 0})});
  r.setSlices(*slices);
  im = r.draw(v, 0, opaqueWhite(), front, n, n, q);
  EXPECT_NEAR(channel(px(**im, ox, oy), 0), grey(200), 2);
  r.setClipSurfaces(true);
  im = r.draw(v, 0, opaqueWhite(), front, n, n, q);
  EXPECT_EQ(channel(px(**im, ox, oy), 0), 0u);
}

// In a window whose lower edge lies above the background (200), the slice is see-through there: cut
// at y = 0 keeping the back, the ball's section is the slice's white and beside it the rays go on
// (nothing drawn: the background is transparent in the preset). Inverted, the same: the background,
// white now, is see-through, and the ball, black now, is opaque.
class Slices3dSeeThrough : public ::testing::TestWithParam<bool> {};

TEST_P(Slices3dSeeThrough, WhatLiesBelowTheWindowIsSeeThrough) {
  const bool inverted = GetParam();
  auto v = ballVolume();
  ViewerState s;
  DisplayMapping narrow;
  narrow.center = 700, narrow.width = 200;  // 200 below, 1000 above
  narrow.invert = inverted;
  s.addLayer(v, narrow);
  s.setShownIn3d(1, true);
  ASSERT_TRUE(s.setClipPlanes3d({plane({0, 0, 0}, {0, 1, 0})}).ok());
  const auto slices = Slices3D().update(s);
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 1u);
  const int n = 101;
  Camera3DView front;
  front.perspective = false;
  const Camera3D cam = orbitCamera(*v, front, n, n);
  const double mm = 2 * cam.parallelHalfHeightMm / n;
  const int bx = static_cast<int>(std::floor(-cam.center.x / mm + n / 2.0)), by = static_cast<int>(std::floor(n / 2.0 + cam.center.z / mm));
  const int ox = static_cast<int>(std::floor((14 - cam.center.x) / mm + n / 2.0));
  VolumeRenderer r;
  r.setClipPlanes(s.cutPlanes3d());
  r.setSlices(*slices);
  Quality3D q;
  q.jitter = false;
  auto im = r.draw(v, 0, opaqueWhite(), front, n, n, q);
  ASSERT_TRUE(im.ok());
  EXPECT_EQ(channel((*im)->pixels[static_cast<size_t>(by) * n + bx], 0), inverted ? 0u : 255u);
  EXPECT_NEAR(r.depth()[static_cast<size_t>(by) * n + bx], -cam.eye.y, 1e-3);
  EXPECT_EQ(channel((*im)->pixels[static_cast<size_t>(by) * n + ox], 0), 0u);
  EXPECT_EQ(r.depth()[static_cast<size_t>(by) * n + ox], std::numeric_limits<float>::infinity());
}

INSTANTIATE_TEST_SUITE_P(Slices3d, Slices3dSeeThrough, ::testing::Bool());

TEST(Slices3d, StateNotifiesTheView) {
  ViewerState s = stateWith(ballVolume());
  std::vector<ChangeEvent> seen;
  auto sub = s.subscribe([&](const ChangeEvent& e) { seen.push_back(e); });
  s.setShownIn3d(2, true);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].what & kView3d);
  EXPECT_EQ(seen[0].view, 2);
  s.setShownIn3d(2, true);  // no change, no event
  s.setShownIn3d(7, true);  // no such view
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_FALSE(s.clipSurfaces3d());  // off by default: a structure stays whole
  s.setClipSurfaces3d(true);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(s.clipSurfaces3d());
}

TEST(Slices3d, TheOutlineDragsTheSliceAlongItsNormalByWholeSteps) {
  ViewerState s = stateWith(ballVolume());
  s.setShownIn3d(0, true);  // axial, through the origin: the box's section x +-20.5, y +-15.5
  s.setShownIn3d(1, true);  // coronal: x +-20.5, z +-21
  s.setShownIn3d(2, true);  // sagittal: y +-15.5, z +-21
  auto slices = Slices3D().update(s);
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 3u);
  ASSERT_EQ((*slices)[0].view, 0);
  ASSERT_EQ((*slices)[2].view, 2);
  // From the front, parallel, 64 x 64 pixels of 1 mm: patient (x, z) at pixel (32 + x, 32 - z). The
  // axial section is seen edge-on, row 32 from x = 11.5 to 52.5; the sagittal one too, column 32
  // from y = 11 to 53; both meet at the cursor, where their outlines stay apart. The coronal one
  // faces the camera: it cannot be dragged, and its outline (the box's silhouette) is not caught.
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 32;
  const SliceGrab axial = sliceOutlineAt(s, *slices, cam, 64, 64, 40, 34, 4);  // 2 px below the axial line
  EXPECT_EQ(axial.index, 0);
  EXPECT_EQ(axial.view, 0);
  EXPECT_NEAR(axial.at.x, 8, 1e-9);  // the point of its outline grabbed: x = 40 - 32, on the plane
  EXPECT_NEAR(axial.at.z, 0, 1e-9);
  EXPECT_NEAR(std::abs(axial.at.y), 15.5, 1e-9);  // an edge seen edge-on: its front or its back
  const SliceGrab sagittal = sliceOutlineAt(s, *slices, cam, 64, 64, 33, 24, 4);  // 1 px right of the sagittal line
  EXPECT_EQ(sagittal.index, 2);
  EXPECT_EQ(sagittal.view, 2);
  EXPECT_NEAR(sagittal.at.x, 0, 1e-9);
  EXPECT_NEAR(sagittal.at.z, 8, 1e-9);
  EXPECT_EQ(sliceOutlineAt(s, *slices, cam, 64, 64, 35, 34, 4).index, 0);  // 2 px from the axial, 3 from the sagittal
  EXPECT_EQ(sliceOutlineAt(s, *slices, cam, 64, 64, 34, 35, 4).index, 2);  // and the other way round
  EXPECT_EQ(sliceOutlineAt(s, *slices, cam, 64, 64, 40, 37, 4).index, -1);  // 5 px: beyond the radius
  EXPECT_EQ(sliceOutlineAt(s, *slices, cam, 64, 64, 12, 40, 4).index, -1);  // on the coronal's edge: face-on
  EXPECT_EQ(sliceOutlineAt(s, *slices, cam, 64, 64, 58, 32, 4).index, -1);  // past the axial line's end (52.5)
  // 10 px up the screen is 10 mm towards S: along the axial view's normal, or against it.
  const Vec3 from = s.viewCursor(0);
  const Vec3 n = s.view(0).plane.normal();
  ASSERT_NEAR(std::abs(n.z), 1.0, 1e-12);
  const auto up = dragSteps(cam, 64, 64, from, from + n, 0, -10);
  ASSERT_TRUE(up.has_value());
  EXPECT_NEAR(*up, 10 * n.z, 1e-9);
  // Seen from above the axial slice faces the camera: no drag, and its outline is not caught.
  Camera3D above = cam;
  above.eye = {0, 0, 500}, above.up = {0, -1, 0};
  EXPECT_FALSE(dragSteps(above, 64, 64, from, from + n, 0, -10).has_value());
  // From above (the image's right is the patient's right), patient (x, y) at pixel (32 - x, 32 + y):
  // the coronal section edge-on along row 32, the axial one face-on, its edges at columns 11.5 and
  // 52.5, rows 16.5 and 47.5.
  EXPECT_EQ(sliceOutlineAt(s, *slices, above, 64, 64, 20, 33, 4).view, 1);  // 1 px from the coronal line
  EXPECT_EQ(sliceOutlineAt(s, *slices, above, 64, 64, 11.5, 40, 4).index, -1);  // on the axial's edge: face-on
  // Nearly face-on: from above tilted by a towards the front, the axial normal moves sin(a) px a mm
  // on the screen: 3 degrees (0.052) is under kMinSlicePxPerMm, 10 degrees (0.174) is not. The
  // outline's edge x = +20.5 is at column 11.5 whatever the tilt; the axial slice alone is shown.
  ViewerState only = stateWith(ballVolume());
  only.setShownIn3d(0, true);
  const auto axialOnly = Slices3D().update(only);
  ASSERT_TRUE(axialOnly.ok());
  auto tilted = [&](double deg) {
    const double a = deg * std::acos(-1.0) / 180;
    Camera3D c = above;
    c.eye = {0, -500 * std::sin(a), 500 * std::cos(a)};
    return sliceOutlineAt(only, *axialOnly, c, 64, 64, 11.8, 32, 4).index;
  };
  EXPECT_EQ(tilted(3), -1);
  EXPECT_EQ(tilted(10), 0);
  // The cursor moves by whole slice steps (2 mm here), the nearest: 5.2 mm is 3 steps, 4.9 mm 2.
  ASSERT_NEAR(s.sliceStepMm(0), 2.0, 1e-12);
  cvx::test::expectVec(sliceDraggedCursor(s, 0, from, 5.2), from + n * 6.0);
  cvx::test::expectVec(sliceDraggedCursor(s, 0, from, 4.9), from + n * 4.0);
  cvx::test::expectVec(sliceDraggedCursor(s, 0, from, -0.9), from);
  cvx::test::expectVec(sliceDraggedCursor(s, 0, from, NAN), from);
  // Set there, the slice follows: its outline at z = 6 n.z.
  s.setCursor(sliceDraggedCursor(s, 0, from, 5.2), 0);
  slices = Slices3D().update(s);
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 3u);
  for (const Vec3& q : (*slices)[0].outline) EXPECT_NEAR(q.z, 6 * n.z, 1e-9);
}

TEST(Slices3d, ASlabsFacesAreOutlinedEitherSideOfItsPlane) {
  ViewerState s = stateWith(ballVolume());
  s.setShownIn3d(1, true);  // coronal, through the origin
  auto thin = Slices3D().update(s);
  ASSERT_TRUE(thin.ok());
  ASSERT_EQ(thin->size(), 1u);
  EXPECT_TRUE(thin->front().slabFaces.empty());
  s.setSlab(1, 10, SlabMode::Mip);  // 10 mm: faces at y = -5 and +5, the box's x +-20.5 and z +-21
  auto slab = Slices3D().update(s);
  ASSERT_TRUE(slab.ok());
  ASSERT_EQ(slab->size(), 1u);
  const auto& faces = slab->front().slabFaces;
  ASSERT_EQ(faces.size(), 2u);
  double ys[2];
  for (size_t f = 0; f < 2; ++f) {
    ASSERT_EQ(faces[f].size(), 4u);
    for (const Vec3& q : faces[f]) {
      EXPECT_NEAR(std::abs(q.x), 20.5, 1e-9);
      EXPECT_NEAR(std::abs(q.z), 21, 1e-9);
      EXPECT_NEAR(q.y, faces[f].front().y, 1e-9);
    }
    ys[f] = faces[f].front().y;
  }
  EXPECT_NEAR(std::min(ys[0], ys[1]), -5, 1e-9);
  EXPECT_NEAR(std::max(ys[0], ys[1]), 5, 1e-9);
  for (const Vec3& q : slab->front().outline) EXPECT_NEAR(q.y, 0, 1e-9);  // the image stays on the centre plane
  // A slab thicker than the box (40 mm about y = 0, the box's y +-15.5): its faces miss it, none drawn.
  s.setSlab(1, 40, SlabMode::Mip);
  EXPECT_TRUE(Slices3D().update(s)->front().slabFaces.empty());
}
