// SPDX-License-Identifier: MIT
// The 3D view's clip planes (state.h ClipPlane3D, clip_3d.h, VolumeRenderer::setClipPlanes), against
// geometry worked out here: a ball on a turned, anisotropic grid is cut where a plane given in
// patient space says (the kept side drawn, the other black, the cut face where the rays start), a
// slab of two planes keeps a band, picking stops at the cut; a plane that follows an MPR view moves
// with its scroll and its crosshair's turn, keeps the side its normal points to and survives a new
// layout where it was.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <optional>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/clip_3d.h>
#include <cvx/viewstate/render_3d.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::expectVec;
using cvx::test::opaqueWhite;

namespace {

constexpr int kN = 41;
constexpr double kRadius = 16;  // the ball's, about the patient-space origin
// Half the largest voxel (the interpolated edge of a binary volume) and a step.
constexpr double kTolMm = 0.5 * 1.3 + 0.5;

// A grid turned 30 degrees about z and 20 about x (its axes no longer patient axes), 0.9 x 1.1 x 1.3
// mm, centred on the origin; voxels within kRadius of the origin hold 1000.
std::shared_ptr<Volume> turnedBall() {
  const Vec3 s{0.9, 1.1, 1.3};
  const double a = 30 * M_PI / 180, b = 20 * M_PI / 180;
  const Vec3 d0 = normalized(rotateAbout(rotateAbout({1, 0, 0}, {0, 0, 1}, a), {1, 0, 0}, b));
  const Vec3 d1 = normalized(rotateAbout(rotateAbout({0, 1, 0}, {0, 0, 1}, a), {1, 0, 0}, b));
  const Vec3 d2 = normalized(rotateAbout(rotateAbout({0, 0, 1}, {0, 0, 1}, a), {1, 0, 0}, b));
  auto v = Volume::create(PixelType::Int16, {kN, kN, kN, 1}).value();
  v->geometry.spacingMm = s;
  v->geometry.direction = {d0, d1, d2};
  v->geometry.originMm = (d0 * s.x + d1 * s.y + d2 * s.z) * -20.0;
  v->info.frameOfReferenceUid = "1.2.3";
  v->info.modality = "CT";
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < kN; ++k)
    for (int j = 0; j < kN; ++j)
      for (int i = 0; i < kN; ++i) *p++ = norm(v->geometry.worldAt(i, j, k)) <= kRadius ? 1000 : 0;
  return v;
}

Camera3DView front(bool perspective) {
  Camera3DView c;
  c.perspective = perspective;
  return c;
}

ClipPlane3D plane(Vec3 point, Vec3 normal, bool flip = false) {
  ClipPlane3D c;
  c.point = point;
  c.normal = normal;
  c.flip = flip;
  return c;
}

// Draws v from the front in parallel projection (the image's right is +x, its up +z; every ray
// along +y) with the planes, and checks each pixel: where `keep` (of the pixel centre's x and z, on
// the plane through the orbit's centre) is above tol and the pixel lies within the ball's disc by
// tol, it is drawn; where keep is below -tol or the pixel lies outside the disc, it is black.
// Returns how many pixels were checked as drawn (the caller checks it is many).
// With a fused layer, v is drawn with `preset` and the layer over it.
int checkCut(const std::shared_ptr<Volume>& v, const std::vector<ClipPlane3D>& planes,
             const std::function<double(double, double)>& keep, bool skipEmpty = true,
             const TransferPreset& preset = opaqueWhite(), std::optional<Fused3D> fused = std::nullopt) {
  const int n = 101;
  VolumeRenderer r;
  r.setClipPlanes(planes);
  r.setFused(fused);
  Quality3D q;
  q.skipEmpty = skipEmpty;
  auto im = r.draw(v, 0, preset, front(false), n, n, q);
  EXPECT_TRUE(im.ok());
  if (!im.ok()) return 0;
  const Camera3D cam = orbitCamera(*v, front(false), n, n);
  const double mmPerPixel = 2 * cam.parallelHalfHeightMm / n;
  // The camera model's own placement of one point (its tests are elsewhere): the origin projects to
  // where the pixel grid below puts it.
  const auto o = projectToPixel(cam, {0, 0, 0}, n, n);
  EXPECT_TRUE(o.has_value());
  int drawnKept = 0, wrong = 0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const double wx = cam.center.x + (x + 0.5 - n / 2.0) * mmPerPixel;
      const double wz = cam.center.z - (y + 0.5 - n / 2.0) * mmPerPixel;
      if (o) {
        EXPECT_NEAR((*o)[0], n / 2.0 - cam.center.x / mmPerPixel, 1e-6);
        EXPECT_NEAR((*o)[1], n / 2.0 + cam.center.z / mmPerPixel, 1e-6);
      }
      const double r2 = std::hypot(wx, wz), k = keep(wx, wz);
      const bool drawn = ((*im)->pixels[static_cast<size_t>(y) * n + x] & 0xFF) > 64;
      if (r2 < kRadius - kTolMm && k > kTolMm) {
        wrong += !drawn;
        drawnKept += drawn;
      } else if (r2 > kRadius + kTolMm || k < -kTolMm) {
        wrong += drawn;
      }
    }
  EXPECT_EQ(wrong, 0);
  return drawnKept;
}

}  // namespace

// A plane x >= 3 (the patient's left of it) on the turned grid: the image's right of x = 3 is drawn,
// its left black; flipped, the other way about. Unclipped, both halves are drawn.
TEST(Clip3d, APlaneInPatientSpaceCutsATurnedGridWhereItLies) {
  auto v = turnedBall();
  EXPECT_GT(checkCut(v, {plane({3, 0, 0}, {1, 0, 0})}, [](double x, double) { return x - 3; }), 300);
  EXPECT_GT(checkCut(v, {plane({3, 0, 0}, {1, 0, 0}, true)}, [](double x, double) { return 3 - x; }), 300);
  EXPECT_GT(checkCut(v, {plane({3, 0, 0}, {2, 0, 0})}, [](double x, double) { return x - 3; }), 300);  // any length
  EXPECT_GT(checkCut(v, {}, [](double, double) { return 1e9; }), 1000);
}

// An oblique plane through (0, 0, 2) with normal (1, 0, 1) keeps x + z >= 2 (its line at 45 degrees
// on the image, signed distance (x + z - 2) / sqrt 2); with and without empty-space skipping.
TEST(Clip3d, AnObliquePlaneCutsAlongItsLine) {
  auto v = turnedBall();
  const auto keep = [](double x, double z) { return (x + z - 2) / std::sqrt(2.0); };
  for (bool skip : {true, false})
    EXPECT_GT(checkCut(v, {plane({0, 0, 2}, {1, 0, 1})}, keep, skip), 300) << skip;
}

// Two planes facing each other (z >= -5 and z <= 5) keep a slab 10 mm thick: a band of rows.
TEST(Clip3d, TwoPlanesKeepASlab) {
  auto v = turnedBall();
  const auto keep = [](double, double z) { return 5 - std::abs(z); };
  EXPECT_GT(checkCut(v, {plane({0, 0, -5}, {0, 0, 1}), plane({0, 0, 5}, {0, 0, -1})}, keep), 300);
}

// A fused layer (PET on CT) is cut with the volume: the reference drawn transparent, the same ball
// fused over it, the plane x >= 3 keeps only the image's right of x = 3 (with and without skipping).
TEST(Clip3d, AFusedLayerIsCutToo) {
  auto v = turnedBall();
  TransferPreset clear = opaqueWhite();
  for (TfPoint& q : clear.points) q.alpha = 0;
  for (bool skip : {true, false})
    EXPECT_GT(checkCut(v, {plane({3, 0, 0}, {1, 0, 0})}, [](double x, double) { return x - 3; }, skip, clear,
                       Fused3D{turnedBall(), 0, opaqueWhite()}),
              300)
        << skip;
}

// The cut face is where the rays start: from the front, a plane y >= 4 (keeping the posterior part)
// puts the central pixel's pick on the plane (y = 4) instead of the ball's front (y = -16); flipped,
// the front is kept and the pick is the ball's surface again. A pixel over the cut-away half of a
// plane x >= 3 picks nothing, one over the kept half the ball. Both projections.
TEST(Clip3d, PickingStopsAtTheCutFace) {
  auto v = turnedBall();
  for (bool perspective : {false, true}) {
    VolumeRenderer r;
    const auto at = [&](int x, int y) { return r.pick(v, 0, opaqueWhite(), front(perspective), 101, 101, x, y); };
    const auto bare = at(50, 50);
    ASSERT_TRUE(bare.has_value());
    EXPECT_NEAR(bare->y, -kRadius, kTolMm);
    r.setClipPlanes({plane({0, 4, 0}, {0, 1, 0})});
    const auto cut = at(50, 50);
    ASSERT_TRUE(cut.has_value()) << perspective;
    EXPECT_NEAR(cut->y, 4, kTolMm) << perspective;
    r.setClipPlanes({plane({0, 4, 0}, {0, 1, 0}, true)});
    const auto kept = at(50, 50);
    ASSERT_TRUE(kept.has_value());
    EXPECT_NEAR(kept->y, -kRadius, kTolMm);
    r.setClipPlanes({plane({3, 0, 0}, {1, 0, 0})});
    EXPECT_FALSE(at(40, 50).has_value()) << perspective;  // the image's left: x about -8 mm
    EXPECT_TRUE(at(60, 50).has_value()) << perspective;
  }
}

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
  s.scroll(1, 2);  // coronal: 1.6 mm posterior
  ASSERT_TRUE(s.setClipPlanes3d({following(1)}).ok());
  const ClipPlane3D before = s.cutPlanes3d()[0];
  int notified = 0;
  auto sub = s.subscribe([&](const ChangeEvent& e) { notified += (e.what & kView3d) != 0; });
  s.setViews({Orientation::Axial});
  EXPECT_EQ(notified, 1);
  ASSERT_EQ(s.clipPlanes3d().size(), 1u);
  EXPECT_EQ(s.clipPlanes3d()[0].view, -1);
  EXPECT_FALSE(s.clipFollowsViews());
  expectVec(s.cutPlanes3d()[0].point, before.point);
  expectVec(s.cutPlanes3d()[0].normal, before.normal);
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

// The outline where a plane crosses the box (voxels -20..20 mm, faces at +-20.5): a plane z = 3 is
// a square of side 41 at that height; the plane through the centre with normal (1, 1, 1) the regular
// hexagon through the midpoints of six edges (one coordinate 0, two +-20.5; side 20.5 sqrt 2), in
// order round it; a plane beyond the box nothing; the crop box x >= 0 halves the square.
TEST(Clip3d, TheOutlineIsWhereThePlaneCrossesTheBox) {
  auto v = Volume::create(PixelType::Int16, {kN, kN, kN, 1}).value();
  v->geometry.originMm = {-20, -20, -20};
  const double h = 20.5;
  const auto square = clipOutline(*v, {}, plane({0, 0, 3}, {0, 0, 1}));
  ASSERT_EQ(square.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(std::abs(square[i].x), h, 1e-9);
    EXPECT_NEAR(std::abs(square[i].y), h, 1e-9);
    EXPECT_NEAR(square[i].z, 3, 1e-9);
    EXPECT_NEAR(norm(square[(i + 1) % 4] - square[i]), 2 * h, 1e-9) << i;  // neighbours, not diagonals
  }
  const auto hexagon = clipOutline(*v, {}, plane({0, 0, 0}, {1, 1, 1}, true));
  ASSERT_EQ(hexagon.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    const Vec3 p = hexagon[i];
    EXPECT_NEAR(p.x + p.y + p.z, 0, 1e-9);
    int zeros = 0, faces = 0;
    for (int a = 0; a < 3; ++a) {
      zeros += std::abs(p[a]) < 1e-9;
      faces += std::abs(std::abs(p[a]) - h) < 1e-9;
    }
    EXPECT_EQ(zeros, 1) << i;
    EXPECT_EQ(faces, 2) << i;
    EXPECT_NEAR(norm(hexagon[(i + 1) % 6] - p), h * std::sqrt(2.0), 1e-9) << i;
  }
  EXPECT_TRUE(clipOutline(*v, {}, plane({30, 0, 0}, {1, 0, 0})).empty());
  CropBox3D half;
  half.lo[0] = 0.5;  // x >= 0 mm
  const auto cropped = clipOutline(*v, half, plane({0, 0, 3}, {0, 0, 1}));
  ASSERT_EQ(cropped.size(), 4u);
  for (const Vec3& p : cropped) {
    EXPECT_TRUE(std::abs(p.x) < 1e-9 || std::abs(p.x - h) < 1e-9) << p.x;
    EXPECT_NEAR(std::abs(p.y), h, 1e-9);
  }
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

namespace {
ClipPlane3D slabOf(int view, double mm = 0) {
  ClipPlane3D c = following(view);
  c.slab = true;
  c.slabMm = mm;
  return c;
}
}  // namespace

// A slab keeps what lies within half its thickness of the plane: following the coronal view while
// it is thin, 20 mm (two half-spaces at y -+ 10 mm of the cursor facing each other); as thick as the
// view's slab when it has one (30 mm); a new layout keeps it as a free slab of 30 mm where it was.
// A slab counts as two planes: three are the most. Drawn, a free 10 mm slab about z = 0 keeps the
// band |z| <= 5 of the turned ball.
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

  // Drawn: a free 10 mm slab about z = 0.
  auto v = turnedBall();
  ViewerState d;
  d.addLayer(v);
  freeSlab.slabMm = 10;
  ASSERT_TRUE(d.setClipPlanes3d({freeSlab}).ok());
  EXPECT_GT(checkCut(v, d.cutPlanes3d(), [](double, double z) { return 5 - std::abs(z); }), 300);
}
