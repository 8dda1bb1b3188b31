// SPDX-License-Identifier: MIT
// The 3D view's clip planes drawn (VolumeRenderer::setClipPlanes, clip_3d.h's outline), against
// geometry worked out here: a ball on a turned, anisotropic grid is cut where a plane given in
// patient space says (the kept side drawn, the other black, the cut face where the rays start), a
// slab of two planes keeps a band, a fused layer is cut too, picking stops at the cut, and the
// outline is where the plane crosses the box. The state's side: clip_3d_state_test.cpp.
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
using cvx::test::plane;

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

// A slab as the state gives it (two half-spaces): a free 10 mm slab about z = 0 keeps the band
// |z| <= 5 of the turned ball.
TEST(Clip3d, AStatesSlabIsDrawnAsABand) {
  ClipPlane3D freeSlab = plane({0, 0, 0}, {0, 0, 1});
  freeSlab.slab = true;
  auto v = turnedBall();
  ViewerState d;
  d.addLayer(v);
  freeSlab.slabMm = 10;
  ASSERT_TRUE(d.setClipPlanes3d({freeSlab}).ok());
  EXPECT_GT(checkCut(v, d.cutPlanes3d(), [](double, double z) { return 5 - std::abs(z); }), 300);
}
