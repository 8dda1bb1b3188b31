// SPDX-License-Identifier: MIT
// The crop box cuts the segment surfaces when ViewerState::clipSurfaces3d is on (issue 11, the 3D
// view): cropCuts gives each face inside the volume as a half-space, checked against the grid's own
// positions (Geometry::worldAt) on an oblique, a sheared (gantry-tilt) and a left-handed grid; and the renderer
// caps a closed surface at the crop face, 10 mm behind its front face, only when cutting is on.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/render/mesh_raster.h>
#include <cvx/viewstate/crop_3d.h>
#include <cvx/viewstate/render_3d.h>

using namespace cvx;
using namespace cvx::view;

namespace {

double side(const ClipPlane3D& c, Vec3 p) { return dot(c.keptNormal(), p - c.point); }

// Faces lo of axis 0 at fraction 0.25 (index -0.5 + 0.25 x 41 = 9.75) and hi of axis 2 at 0.75
// (index 30.25): each cut's plane holds the grid's points at that index, keeps the voxel centres on
// the box's side and cuts those beyond.
void expectFaces(const Geometry& g) {
  auto v = Volume::create(PixelType::Int16, {41, 41, 41, 1}).value();
  v->geometry = g;
  CropBox3D c;
  c.lo[0] = 0.25, c.hi[2] = 0.75;
  const auto cuts = cropCuts(*v, c);
  ASSERT_EQ(cuts.size(), 2u);
  for (double a : {0.0, 17.0, 40.0})
    for (double b : {0.0, 23.0, 40.0}) {
      EXPECT_NEAR(side(cuts[0], g.worldAt(9.75, a, b)), 0, 1e-9);
      EXPECT_GT(side(cuts[0], g.worldAt(10, a, b)), 0.1);
      EXPECT_LT(side(cuts[0], g.worldAt(9, a, b)), -0.1);
      EXPECT_NEAR(side(cuts[1], g.worldAt(a, b, 30.25)), 0, 1e-9);
      EXPECT_GT(side(cuts[1], g.worldAt(a, b, 30)), 0.1);
      EXPECT_LT(side(cuts[1], g.worldAt(a, b, 31)), -0.1);
    }
  EXPECT_TRUE(cropCuts(*v, CropBox3D{}).empty());  // the whole volume: nothing to cut
}

TEST(CropCuts, FacesInsideTheVolumeOnObliqueShearedAndLeftHandedGrids) {
  Geometry oblique;
  const double a = 30 * std::acos(-1.0) / 180;
  oblique.spacingMm = {0.7, 1.3, 2.5};
  oblique.originMm = {-12, 40, 7};
  oblique.direction = {Vec3{std::cos(a), std::sin(a), 0}, Vec3{-std::sin(a), std::cos(a), 0}, Vec3{0, 0, 1}};
  expectFaces(oblique);
  Geometry sheared = oblique;  // a 20 degree gantry tilt: the stack leans towards y
  const double t = 20 * std::acos(-1.0) / 180;
  sheared.direction[2] = Vec3{0, std::sin(t), std::cos(t)};
  sheared.sheared = true;
  expectFaces(sheared);
  Geometry flipped = oblique;  // a left-handed grid: slices stacked towards the feet
  flipped.direction[2] = Vec3{0, 0, -1};
  expectFaces(flipped);
}

// A transparent 41^3 mm volume (voxel centres at -20..20 mm) and an opaque closed cube of side 20 mm
// at its centre, seen from the front in parallel projection.
std::shared_ptr<Volume> empty41() {
  auto v = Volume::create(PixelType::Int16, {41, 41, 41, 1}).value();
  v->geometry.originMm = {-20, -20, -20};
  return v;
}

std::shared_ptr<const Mesh> cube() {
  auto m = std::make_shared<Mesh>();
  for (int k = 0; k < 8; ++k)
    m->points.push_back({k & 1 ? 10.0f : -10.0f, k & 2 ? 10.0f : -10.0f, k & 4 ? 10.0f : -10.0f});
  m->triangles = {{0, 1, 3}, {0, 3, 2}, {4, 5, 7}, {4, 7, 6}, {0, 1, 5}, {0, 5, 4},
                  {2, 3, 7}, {2, 7, 6}, {0, 2, 6}, {0, 6, 4}, {1, 3, 7}, {1, 7, 5}};
  m->rgb = {0, 0, 255};
  return m;
}

TEST(CropCuts, TheCropBoxCapsASurfaceOnlyWhenCuttingIsOn) {
  TransferPreset t;
  t.name = "test-clear";
  t.points = {{0, 1, 1, 1, 0}, {1000, 1, 1, 1, 0}};
  Camera3DView cam;
  cam.perspective = false;
  Quality3D q;
  q.jitter = false;
  CropBox3D crop;
  crop.lo[1] = 0.5;  // y index >= -0.5 + 20.5 = 20: y >= 0 mm
  const int n = 64;
  const size_t centre = static_cast<size_t>(n / 2) * n + n / 2;
  VolumeRenderer r;
  r.setMeshes({cube()});
  ASSERT_TRUE(r.draw(empty41(), 0, t, cam, n, n, q, crop).ok());
  const float front = r.depth()[centre];  // the cube's face at y = -10: the crop box crops the volume only
  ASSERT_TRUE(std::isfinite(front));

  r.setClipSurfaces(true);
  ASSERT_TRUE(r.draw(empty41(), 0, t, cam, n, n, q, crop).ok());
  EXPECT_NEAR(r.depth()[centre], front + 10, 1e-3);  // the cap on the crop face, y = 0
  const render::MeshLight l;
  EXPECT_NEAR(r.rgba()[4 * centre + 2], std::min(1.0f, l.ambient + l.diffuse + l.specular), 1e-5);
  const auto hit = r.pick(empty41(), 0, t, cam, n, n, n / 2, n / 2, crop);
  ASSERT_TRUE(hit.has_value());
  EXPECT_NEAR(hit->y, 0.0, 1e-3);

  // The whole volume: nothing cut, the same picture with cutting on or off.
  ASSERT_TRUE(r.draw(empty41(), 0, t, cam, n, n, q, CropBox3D{}).ok());
  const float whole = r.depth()[centre];
  r.setClipSurfaces(false);
  ASSERT_TRUE(r.draw(empty41(), 0, t, cam, n, n, q, CropBox3D{}).ok());
  EXPECT_EQ(r.depth()[centre], whole);
}

}  // namespace
