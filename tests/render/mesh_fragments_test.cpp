// SPDX-License-Identifier: MIT
// Translucent surfaces (mesh_raster.h, MeshFragments): squares facing a parallel camera give their
// fragments at their analytic depths, nearest first, lit and weighted by their opacity; the nearest
// four are kept; one behind the opaque surface is not counted; and compositeWithFragments equals an
// independent front-to-back walk over the segments (the volume's prefix passes turned back into the
// segments between the fragments, then composited one after the other).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include <cvx/render/mesh_raster.h>

#include "front_camera.h"

namespace cvx {
namespace {

// A square of side 40 mm centred on the view's axis at depth y, facing the camera (-y).
Mesh square(double y, std::array<uint8_t, 3> rgb) {
  Mesh m;
  for (auto [x, z] : {std::pair{-20.0, -20.0}, {20.0, -20.0}, {20.0, 20.0}, {-20.0, 20.0}})
    m.points.push_back({static_cast<float>(x), static_cast<float>(y), static_cast<float>(z)});
  m.triangles = {{0, 1, 2}, {0, 2, 3}};
  m.rgb = rgb;
  return m;
}

Camera3D front() { return test::frontCamera(); }
constexpr int kN = test::kFrontPixels;
constexpr size_t kCentre = static_cast<size_t>(32 * kN + 32);

// A surface facing the headlight: colour x (ambient + diffuse) + specular, each channel at most 1.
std::array<float, 3> litFacing(std::array<uint8_t, 3> rgb) {
  const render::MeshLight l;
  std::array<float, 3> c;
  for (size_t k = 0; k < 3; ++k)
    c[k] = std::min(1.0f, rgb[k] / 255.0f * (l.ambient + l.diffuse) + l.specular);
  return c;
}

struct Scene {
  std::vector<float> rgba = std::vector<float>(4 * kN * kN), depth = std::vector<float>(kN * kN);
  render::MeshFragments f;
};

Scene draw(const std::vector<Mesh>& meshes, const std::vector<float>& opacity) {
  Scene s;
  std::vector<const Mesh*> list;
  for (const Mesh& m : meshes) list.push_back(&m);
  EXPECT_TRUE(render::rasterizeMeshes(list, front(), kN, kN, s.rgba.data(), s.depth.data(), {}, nullptr, {},
                                      opacity, &s.f)
                  .ok());
  return s;
}

TEST(MeshFragments, TranslucentSquaresAreFragmentsNearestFirstInFrontOfTheOpaqueOne) {
  const std::array<uint8_t, 3> red{255, 0, 0}, green{0, 255, 0}, blue{0, 0, 255};
  // Drawn out of order: the opaque blue at y = 20, a translucent one behind it at 30, red 0.5 at 0,
  // green 0.25 at 10.
  const Scene s =
      draw({square(20, blue), square(30, red), square(0, red), square(10, green)}, {1, 0.5f, 0.5f, 0.25f});
  EXPECT_EQ(s.f.layers, 2);
  EXPECT_NEAR(s.depth[kCentre], 520, 1e-3);
  EXPECT_EQ(s.f.inFront(kCentre, s.depth[kCentre]), 2);
  EXPECT_NEAR(s.f.depth[kCentre * render::kMaxFragments], 500, 1e-3);
  EXPECT_NEAR(s.f.depth[kCentre * render::kMaxFragments + 1], 510, 1e-3);
  const auto r = litFacing(red), g = litFacing(green);
  const float* f0 = &s.f.rgba[4 * kCentre * render::kMaxFragments];
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_NEAR(f0[c], 0.5f * r[c], 1e-6);
    EXPECT_NEAR(f0[4 + c], 0.25f * g[c], 1e-6);
  }
  EXPECT_EQ(f0[3], 0.5f);
  EXPECT_EQ(f0[7], 0.25f);
  // Without fragments to draw into, every mesh is opaque: the red square in front.
  std::vector<float> rgba(4 * kN * kN), depth(kN * kN);
  const Mesh a = square(0, red), b = square(20, blue);
  const Mesh* list[] = {&a, &b};
  const std::vector<float> half = {0.5f, 1.0f};
  ASSERT_TRUE(
      render::rasterizeMeshes(list, front(), kN, kN, rgba.data(), depth.data(), {}, nullptr, {}, half).ok());
  EXPECT_NEAR(depth[kCentre], 500, 1e-3);
}

// A closed box of half-size h centred on the view's axis, 12 triangles.
Mesh box(double h, std::array<uint8_t, 3> rgb) {
  Mesh m;
  for (int k = 0; k < 8; ++k)
    m.points.push_back({static_cast<float>(k & 1 ? h : -h), static_cast<float>(k & 2 ? h : -h),
                        static_cast<float>(k & 4 ? h : -h)});
  m.triangles = {{0, 1, 3}, {0, 3, 2}, {4, 5, 7}, {4, 7, 6}, {0, 1, 5}, {0, 5, 4},
                 {2, 3, 7}, {2, 7, 6}, {0, 2, 6}, {0, 6, 4}, {1, 3, 7}, {1, 7, 5}};
  m.rgb = rgb;
  return m;
}

TEST(MeshFragments, ATranslucentMeshInsideAnOpaqueOneKeepsTheOpaqueCap) {
  // An opaque blue box (half-size 10) holding a half-opaque red one (half-size 5), cut at y = 0
  // keeping +y: the opaque box's cap at 500 mm everywhere inside it, the red section on it as a
  // fragment at the same depth where the red box is cut.
  const Mesh outer = box(10, {0, 0, 255}), inner = box(5, {255, 0, 0});
  const Mesh* list[] = {&outer, &inner};
  const std::vector<float> opacity = {1.0f, 0.5f};
  const std::vector<render::CutPlane> cuts = {{{0, 0, 0}, {0, 1, 0}}};
  Scene s;
  ASSERT_TRUE(render::rasterizeMeshes(list, front(), kN, kN, s.rgba.data(), s.depth.data(), {}, nullptr, cuts,
                                      opacity, &s.f)
                  .ok());
  const auto blue = litFacing({0, 0, 255}), red = litFacing({255, 0, 0});
  for (int x : {32, 35, 39}) {  // inside the red box's outline (|x - 31.5| < 5) and outside it
    const size_t i = static_cast<size_t>(32 * kN + x);
    EXPECT_NEAR(s.depth[i], 500, 1e-3) << x;
    EXPECT_NEAR(s.rgba[4 * i + 2], blue[2], 1e-5) << x;
    const bool inRed = std::abs(x + 0.5 - 32) < 5;
    ASSERT_EQ(s.f.inFront(i, s.depth[i]), inRed ? 1 : 0) << x;
    if (inRed) {
      EXPECT_NEAR(s.f.depth[i * render::kMaxFragments], 500, 1e-3);
      EXPECT_NEAR(s.f.rgba[4 * i * render::kMaxFragments], 0.5f * red[0], 1e-5);
    }
  }
}

TEST(MeshFragments, PickingGoesThroughASurfaceLessThanHalfOpaque) {
  const Mesh front30 = square(0, {255, 0, 0}), back = square(20, {0, 0, 255});
  const Mesh* list[] = {&front30, &back};
  EXPECT_NEAR(render::meshDepthAt(list, front(), kN, kN, 32, 32, {}, std::vector<float>{0.3f, 1}), 520, 1e-3);
  EXPECT_NEAR(render::meshDepthAt(list, front(), kN, kN, 32, 32, {}, std::vector<float>{0.6f, 1}), 500, 1e-3);
  EXPECT_NEAR(render::meshDepthAt(list, front(), kN, kN, 32, 32), 500, 1e-3);
}

TEST(MeshFragments, TheNearestFourAreKept) {
  std::vector<Mesh> ms;
  std::vector<float> op;
  for (int k = 5; k >= 0; --k) ms.push_back(square(10.0 * k, {200, 200, 200})), op.push_back(0.1f);
  const Scene s = draw(ms, op);
  EXPECT_EQ(s.f.layers, render::kMaxFragments);
  for (int k = 0; k < render::kMaxFragments; ++k)
    EXPECT_NEAR(s.f.depth[kCentre * render::kMaxFragments + static_cast<size_t>(k)], 500 + 10.0 * k, 1e-3);
  EXPECT_FALSE(std::isfinite(s.depth[kCentre]));  // nothing opaque
}

TEST(MeshFragments, CompositingEqualsAWalkOverTheSegments) {
  const std::array<uint8_t, 3> red{255, 0, 0}, green{0, 255, 0}, blue{0, 0, 255};
  Scene s = draw({square(0, red), square(10, green), square(20, blue)}, {0.5f, 0.25f, 1});
  ASSERT_EQ(s.f.layers, 2);
  // The volume up to each fragment and up to the opaque surface (premultiplied, as a ray caster
  // accumulates them: each prefix holds the one before).
  const size_t n = kN * kN;
  std::vector<float> p0(4 * n), p1(4 * n), vol(4 * n);
  const float a0[4] = {0.10f, 0.02f, 0.04f, 0.20f}, a1[4] = {0.15f, 0.05f, 0.04f, 0.30f},
              a2[4] = {0.23f, 0.05f, 0.10f, 0.42f};
  for (size_t i = 0; i < n; ++i)
    for (size_t c = 0; c < 4; ++c) p0[4 * i + c] = a0[c], p1[4 * i + c] = a1[c], vol[4 * i + c] = a2[c];
  std::vector<float> out = vol, outDepth(n, std::numeric_limits<float>::infinity());
  const float* passes[] = {p0.data(), p1.data()};
  std::vector<uint8_t> counts(n);
  for (size_t i = 0; i < n; ++i) counts[i] = static_cast<uint8_t>(s.f.inFront(i, s.depth[i]));
  render::compositeWithFragments(out.data(), outDepth.data(), passes, s.f, counts.data(), s.rgba.data(),
                                 s.depth.data(), n);

  // The walk: each volume segment as its own (colour, opacity) before anything in front attenuates it:
  // opacity 1 - (1 - A_k) / (1 - A_{k-1}), colour (C_k - C_{k-1}) / (1 - A_{k-1}); then every item
  // composited front to back, C += (1 - A) c, A += (1 - A) a.
  struct Item {
    float c[3], a;
  };
  auto segment = [](const float* before, const float* after) {
    Item it;
    const float t = 1 - before[3];
    it.a = 1 - (1 - after[3]) / t;
    for (int c = 0; c < 3; ++c) it.c[c] = (after[c] - before[c]) / t;
    return it;
  };
  const float zero[4] = {0, 0, 0, 0};
  const auto r = litFacing(red), g = litFacing(green), b = litFacing(blue);
  const Item items[] = {segment(zero, a0), {{0.5f * r[0], 0.5f * r[1], 0.5f * r[2]}, 0.5f},
                        segment(a0, a1),   {{0.25f * g[0], 0.25f * g[1], 0.25f * g[2]}, 0.25f},
                        segment(a1, a2),   {{b[0], b[1], b[2]}, 1}};
  float C[3] = {0, 0, 0}, A = 0;
  for (const Item& it : items) {
    for (int c = 0; c < 3; ++c) C[c] += (1 - A) * it.c[c];
    A += (1 - A) * it.a;
  }
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(out[4 * kCentre + static_cast<size_t>(c)], C[c], 1e-5) << c;
  EXPECT_NEAR(out[4 * kCentre + 3], A, 1e-5);
  EXPECT_NEAR(outDepth[kCentre], 500, 1e-3);  // the volume never reached 0.5: the nearest fragment
  // A pixel with no surface keeps the volume as it was.
  EXPECT_NEAR(out[0], a2[0], 1e-6);
  EXPECT_NEAR(out[3], a2[3], 1e-6);
}

}  // namespace
}  // namespace cvx
