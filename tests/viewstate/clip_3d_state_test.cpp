// SPDX-License-Identifier: MIT
// The 3D view's clip planes in the viewer state (state.h ClipPlane3D, clip_3d.h), against geometry
// worked out here: a plane that follows an MPR view moves with its scroll and its crosshair's turn
// and keeps the side its normal points to; a slab takes the view's own thickness; a new layout keeps
// the cut where it was; the menu's toggles and Ctrl+wheel's push; bad planes are refused with a code.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/clip_3d.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::expectVec;
using cvx::test::plane;

namespace {

std::shared_ptr<Volume> grid() {
  auto v = Volume::create(PixelType::Int16, {10, 12, 14, 1}).value();
  v->geometry.spacingMm = {0.5, 0.8, 2.0};
  v->info.frameOfReferenceUid = "1.2.3";
  v->info.modality = "CT";
  return v;
}

ClipPlane3D following(int view, bool flip = false) {
  ClipPlane3D c;
  c.view = view;
  c.flip = flip;
  return c;
}


ClipPlane3D slabOf(int view, double mm = 0) {
  ClipPlane3D c = following(view);
  c.slab = true;
  c.slabMm = mm;
  return c;
}
}  // namespace

// A plane following a view is that view's plane through the cursor with its normal (axial: L x P = S;
// coronal: L x I = P; sagittal: P x I = R, plane.h), reversed when flipped; scrolling the axial view
// by 3 slices of 2 mm moves it 6 mm up; turning the axial crosshair by 30 degrees turns the coronal
// view's normal (and its plane) about S.
TEST(Clip3d, APlaneFollowingAViewMovesWithIt) {
  ViewerState s;  // axial, coronal, sagittal
  s.addLayer(grid());
  ASSERT_TRUE(s.setClipPlanes3d({following(0), following(1), following(2, true)}).ok());
  EXPECT_TRUE(s.clipFollowsViews());
  auto cut = s.cutPlanes3d();
  ASSERT_EQ(cut.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    expectVec(cut[static_cast<size_t>(i)].point, s.cursor());
    EXPECT_EQ(cut[static_cast<size_t>(i)].view, i);  // for its colour
    EXPECT_FALSE(cut[static_cast<size_t>(i)].flip);
  }
  expectVec(cut[0].normal, {0, 0, 1});
  expectVec(cut[1].normal, {0, 1, 0});
  expectVec(cut[2].normal, {1, 0, 0});  // R (-x) flipped
  EXPECT_EQ(clipLine(s), "clip: axial S, coronal P, sagittal L");
  EXPECT_EQ(viewClipSide(s, 0, false), "S");
  EXPECT_EQ(viewClipSide(s, 0, true), "I");
  const Vec3 c0 = s.cursor();
  s.scroll(0, 3);
  expectVec(s.cutPlanes3d()[0].point, c0 + Vec3{0, 0, 6});
  const double a = 30 * M_PI / 180;
  s.rotateCrosshair(0, a);
  expectVec(s.cutPlanes3d()[1].normal, {-std::sin(a), std::cos(a), 0}, 1e-12);
  EXPECT_EQ(clipLine(s), "clip: axial S, oblique PR, oblique LP");
}

// A new layout keeps the cut where it was (as free planes); toggling a view's side adds, swaps and
// removes; the cut through the cursor facing the camera keeps what lies beyond (from the front: P).
TEST(Clip3d, ANewLayoutKeepsTheCutAndTheMenusHelpersToggle) {
  ViewerState s;
  s.addLayer(grid());
  const Vec3 c0 = s.cursor();
  s.scroll(1, 2);  // coronal: 2 steps of 0.8 mm posterior
  ASSERT_TRUE(s.setClipPlanes3d({following(1)}).ok());
  int notified = 0;
  auto sub = s.subscribe([&](const ChangeEvent& e) { notified += (e.what & kView3d) != 0; });
  s.setViews({Orientation::Axial});
  EXPECT_EQ(notified, 1);
  ASSERT_EQ(s.clipPlanes3d().size(), 1u);
  EXPECT_EQ(s.clipPlanes3d()[0].view, -1);
  EXPECT_FALSE(s.clipFollowsViews());
  expectVec(s.cutPlanes3d()[0].point, c0 + Vec3{0, 1.6, 0});
  expectVec(s.cutPlanes3d()[0].normal, {0, 1, 0});
  EXPECT_EQ(clipLine(s), "clip: free P");

  auto planes = toggleViewClip({}, 0, false);
  ASSERT_EQ(planes.size(), 1u);
  EXPECT_EQ(planes[0].view, 0);
  planes = toggleViewClip(planes, 0, true);  // the other side instead
  ASSERT_EQ(planes.size(), 1u);
  EXPECT_TRUE(planes[0].flip);
  EXPECT_TRUE(toggleViewClip(planes, 0, true).empty());
  EXPECT_FALSE(flippedClips(planes)[0].flip);

  const ClipPlane3D here = clipFacingCamera(s);  // the 3D camera from the front: eye at -y
  expectVec(here.point, s.cursor());
  expectVec(here.normal, {0, 1, 0}, 1e-12);
  EXPECT_EQ(clipSide(s, here), "P");
  s.setCamera3d(cameraPreset(s.camera3d(), 'L'));
  expectVec(clipFacingCamera(s).normal, {-1, 0, 0}, 1e-12);
}

// viewer.bad_clip, and nothing changed, for more than 6 planes, a zero or non-finite normal, a point
// not finite, a view the layout does not have.
TEST(Clip3d, BadPlanesAreRefusedWithACode) {
  ViewerState s;
  s.addLayer(grid());
  ASSERT_TRUE(s.setClipPlanes3d({following(0)}).ok());
  const auto refused = [&](std::vector<ClipPlane3D> planes) {
    const Status st = s.setClipPlanes3d(std::move(planes));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "viewer.bad_clip") << st.error().str();
    EXPECT_EQ(s.clipPlanes3d().size(), 1u);
  };
  refused(std::vector<ClipPlane3D>(7, plane({0, 0, 0}, {0, 0, 1})));
  refused({plane({0, 0, 0}, {0, 0, 0})});
  refused({plane({0, 0, 0}, {NAN, 0, 1})});
  refused({plane({INFINITY, 0, 0}, {0, 0, 1})});
  refused({following(3)});
  refused({following(-2)});
  EXPECT_TRUE(s.setClipPlanes3d(std::vector<ClipPlane3D>(6, plane({0, 0, 0}, {0, 0, 1}))).ok());
  EXPECT_TRUE(s.setClipPlanes3d({}).ok());
  EXPECT_EQ(clipLine(s), "");
}

// Ctrl+wheel's push (pushLastClip): a free plane facing +y moves 2 steps of the grid's 0.8 mm along
// y; one that keeps -x (flipped +x normal) 3 steps of 0.5 mm towards -x; the axial view's cut (the
// last plane) scrolls that view, and so the cursor, 2 slices of 2 mm up when it keeps S and down
// when it keeps I. Nothing happens without planes.
TEST(Clip3d, PushingTheLastCutMovesItTowardsTheSideItKeeps) {
  ViewerState s;
  s.addLayer(grid());
  const Vec3 c0 = s.cursor();
  pushLastClip(s, 2);  // no planes
  expectVec(s.cursor(), c0);
  ASSERT_TRUE(s.setClipPlanes3d({plane({1, 2, 3}, {0, 5, 0})}).ok());
  pushLastClip(s, 2);
  expectVec(s.clipPlanes3d()[0].point, {1, 2 + 2 * 0.8, 3});
  ASSERT_TRUE(s.setClipPlanes3d({plane({1, 2, 3}, {0, 5, 0}), plane({1, 2, 3}, {1, 0, 0}, true)}).ok());
  pushLastClip(s, 3);
  expectVec(s.clipPlanes3d()[0].point, {1, 2, 3});
  expectVec(s.clipPlanes3d()[1].point, {1 - 3 * 0.5, 2, 3});
  ASSERT_TRUE(s.setClipPlanes3d({following(0)}).ok());
  pushLastClip(s, 2);
  expectVec(s.cursor(), c0 + Vec3{0, 0, 4});
  expectVec(s.cutPlanes3d()[0].point, s.cursor());
  ASSERT_TRUE(s.setClipPlanes3d({following(0, true)}).ok());
  pushLastClip(s, 2);
  expectVec(s.cursor(), c0);
}

// A slab keeps what lies within half its thickness of the plane: following the coronal view while
// it is thin, 20 mm (two half-spaces at y -+ 10 mm of the cursor facing each other); as thick as the
// view's slab when it has one (30 mm); a new layout keeps it as a free slab of 30 mm where it was.
// A slab counts as two planes: three are the most.
TEST(Clip3d, ASlabFollowsTheViewsOwnThickness) {
  ViewerState s;
  s.addLayer(grid());
  ASSERT_TRUE(s.setClipPlanes3d({slabOf(1)}).ok());
  const Vec3 c = s.cursor();
  auto cut = s.cutPlanes3d();
  ASSERT_EQ(cut.size(), 2u);
  expectVec(cut[0].point, c - Vec3{0, 10, 0});
  expectVec(cut[0].normal, {0, 1, 0});
  expectVec(cut[1].point, c + Vec3{0, 10, 0});
  expectVec(cut[1].normal, {0, -1, 0});
  EXPECT_EQ(cut[0].view, 1);
  EXPECT_FALSE(cut[0].slab);
  EXPECT_EQ(clipLine(s), "clip: coronal slab 20 mm");
  s.setSlab(1, 30, SlabMode::Mip);
  cut = s.cutPlanes3d();
  expectVec(cut[0].point, c - Vec3{0, 15, 0});
  expectVec(cut[1].point, c + Vec3{0, 15, 0});
  EXPECT_EQ(clipLine(s), "clip: coronal slab 30 mm");
  s.setViews({Orientation::Axial});
  ASSERT_EQ(s.clipPlanes3d().size(), 1u);
  const ClipPlane3D fixed = s.clipPlanes3d()[0];
  EXPECT_EQ(fixed.view, -1);
  EXPECT_TRUE(fixed.slab);
  EXPECT_EQ(fixed.slabMm, 30);
  expectVec(fixed.point, c);
  EXPECT_EQ(clipLine(s), "clip: free slab 30 mm");

  // Three slabs are six planes; one plane more, or a slab without a thickness, is refused.
  ViewerState t;
  t.addLayer(grid());
  EXPECT_TRUE(t.setClipPlanes3d({slabOf(0), slabOf(1), slabOf(2)}).ok());
  auto refused = [&](std::vector<ClipPlane3D> planes) {
    const Status st = t.setClipPlanes3d(std::move(planes));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "viewer.bad_clip");
  };
  refused({slabOf(0), slabOf(1), slabOf(2), following(0)});
  ClipPlane3D freeSlab = plane({0, 0, 0}, {0, 0, 1});
  freeSlab.slab = true;
  refused({freeSlab});  // a free slab needs its thickness
  freeSlab.slabMm = -4;
  refused({freeSlab});
  freeSlab.slabMm = NAN;
  refused({freeSlab});
  EXPECT_EQ(t.clipPlanes3d().size(), 3u);

  // The menu's toggles: a view's slab in place of its side, and off again.
  auto planes = toggleViewClip({following(1, true)}, 1, false, true);
  ASSERT_EQ(planes.size(), 1u);
  EXPECT_TRUE(planes[0].slab);
  EXPECT_TRUE(toggleViewClip(planes, 1, false, true).empty());
  EXPECT_FALSE(toggleViewClip(planes, 1, false)[0].slab);
}

// The neurological convention mirrors the axial and coronal views (their normals turn round): the
// planes following them keep the side they kept (S, P), the sagittal one too. A view showing another
// frame of reference linked by an offset of 100 mm along x cuts through the cursor of the reference's
// frame, not its own plane's centre (the cursor + 100 mm); unlinked, it cuts nothing.
TEST(Clip3d, TheConventionAndOtherFramesKeepTheCutWhereItIs) {
  ViewerState s;
  s.addLayer(grid());
  ASSERT_TRUE(s.setClipPlanes3d({following(0), following(1), following(2)}).ok());
  EXPECT_EQ(clipLine(s), "clip: axial S, coronal P, sagittal R");
  s.setConvention(Convention::Neurological);
  EXPECT_EQ(clipLine(s), "clip: axial S, coronal P, sagittal R");
  expectVec(s.cutPlanes3d()[0].normal, {0, 0, 1});
  expectVec(s.cutPlanes3d()[1].normal, {0, 1, 0});
  s.setConvention(Convention::Neurological);  // no change: no flip
  EXPECT_EQ(clipLine(s), "clip: axial S, coronal P, sagittal R");
  s.setConvention(Convention::Radiological);
  expectVec(s.cutPlanes3d()[0].normal, {0, 0, 1});

  ViewerState t;
  t.addLayer(grid());
  auto other = grid();
  other->info.frameOfReferenceUid = "9.9";
  const int layer = t.addLayer(other);
  t.setViewLayers(1, {layer});
  ASSERT_TRUE(t.setClipPlanes3d({following(1)}).ok());
  EXPECT_EQ(t.linkOf(1), LinkKind::Unlinked);
  EXPECT_TRUE(t.cutPlanes3d().empty());
  t.linkFrameByOffset("9.9", {100, 0, 0});
  EXPECT_EQ(t.linkOf(1), LinkKind::ManualOffset);
  expectVec(t.view(1).plane.center, t.cursor() + Vec3{100, 0, 0});
  ASSERT_EQ(t.cutPlanes3d().size(), 1u);
  expectVec(t.cutPlanes3d()[0].point, t.cursor());
  expectVec(t.cutPlanes3d()[0].normal, {0, 1, 0});
}
