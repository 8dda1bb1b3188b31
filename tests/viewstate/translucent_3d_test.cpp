// SPDX-License-Identifier: MIT
// Translucent surfaces with the real ray caster (render_3d.h, setMeshes with opacities): a half-opaque
// square through the middle of a shaded ball, rendered with jitter and empty-space skipping, equals
// the ball rendered in two halves by clip planes (an independent path: the rays cut at the square's
// plane) composited by hand with the square between them; with an MIP preset the surfaces are drawn
// opaque; a surface at opacity 0 is not drawn.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/render/mesh_raster.h>
#include <cvx/viewstate/render_3d.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

// 41^3 voxels of 1 mm centred on the origin: a ball of radius 15 mm at 1000, 0 elsewhere.
std::shared_ptr<Volume> ball() {
  auto v = Volume::create(PixelType::Int16, {41, 41, 41, 1}).value();
  v->geometry.originMm = {-20, -20, -20};
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 41; ++k)
    for (int j = 0; j < 41; ++j)
      for (int i = 0; i < 41; ++i) *p++ = std::hypot(i - 20, j - 20, k - 20) <= 15 ? 1000 : 0;
  return v;
}

// Clear below 400, red of opacity 0.05 per mm from 600 (the ball), shaded.
TransferPreset redBall() {
  TransferPreset t;
  t.name = "test-red-ball";
  t.points = {{0, 1, 0, 0, 0}, {400, 1, 0, 0, 0}, {600, 1, 0, 0, 0.05f}, {1000, 1, 0, 0, 0.05f}};
  return t;
}

// A green square of side 20 mm at y = 0 facing the front (-y).
std::shared_ptr<const Mesh> square() { return test::greenSquare(); }

constexpr int kN = 64;

std::vector<float> drawn(VolumeRenderer& r, const TransferPreset& t) {
  Camera3DView c;
  c.perspective = false;
  Quality3D q;  // jitter and skipping on
  q.stepMm = 0.5;
  EXPECT_TRUE(r.draw(ball(), 0, t, c, kN, kN, q).ok());
  return r.rgba();
}

}  // namespace

TEST(Translucent3d, AHalfOpaqueSquareInABallEqualsTheBallsHalvesCompositedAroundIt) {
  const TransferPreset t = redBall();
  VolumeRenderer with;
  with.setMeshes({square()}, {0.5f});
  const std::vector<float> got = drawn(with, t);
  ClipPlane3D front, back;  // the ball in front of the square's plane, and behind it
  front.normal = {0, -1, 0}, back.normal = {0, 1, 0};
  VolumeRenderer halves;
  halves.setClipPlanes({front});
  const std::vector<float> f = drawn(halves, t);
  halves.setClipPlanes({back});
  const std::vector<float> b = drawn(halves, t);
  // The square faces the headlight: green x (ambient + diffuse) + specular, at most 1 (mesh_raster.h).
  const render::MeshLight l;
  const float lit[3] = {l.specular, std::min(1.0f, l.ambient + l.diffuse + l.specular), l.specular}, a = 0.5f;
  double worst = 0, sum = 0;
  int n = 0;
  // The square covers pixels 22..41 (1.1 mm pixels over the 70 mm box's bounding sphere); its inner
  // part, away from its edges.
  for (int y = 26; y < 38; ++y)
    for (int x = 26; x < 38; ++x) {
      const size_t i = 4 * static_cast<size_t>(y * kN + x);
      for (int c = 0; c < 3; ++c) {
        const double want = f[i + c] + (1 - f[i + 3]) * (a * lit[c] + (1 - a) * b[i + c]);
        worst = std::max(worst, std::abs(got[i + c] - want));
        sum += std::abs(got[i + c] - want), ++n;
      }
      EXPECT_NEAR(got[i + 3], 1 - (1 - f[i + 3]) * (1 - a) * (1 - b[i + 3]), 1e-4);
    }
  // The halves' rays start at the plane, so their samples sit elsewhere along the rays; pre-integrated
  // segments make that matter little (measured: 1.2e-7 at worst on this machine).
  EXPECT_LT(worst, 1e-4);
  EXPECT_LT(sum / n, 1e-5);
  // The ball does show, in front of and behind the square: the test is not of an empty volume.
  EXPECT_GT(f[4 * static_cast<size_t>(32 * kN + 32)], 0.3f);
  EXPECT_GT(b[4 * static_cast<size_t>(32 * kN + 32)], 0.3f);
}

TEST(Translucent3d, MipDrawsSurfacesOpaqueAndOpacityZeroHidesThem) {
  TransferPreset mip = redBall();
  mip.mip = true;
  VolumeRenderer translucent, opaque, none;
  translucent.setMeshes({square()}, {0.5f});
  opaque.setMeshes({square()}, {1.0f});
  EXPECT_EQ(drawn(translucent, mip), drawn(opaque, mip));
  VolumeRenderer zero;
  zero.setMeshes({square()}, {0.0f});
  EXPECT_EQ(drawn(zero, redBall()), drawn(none, redBall()));
}
