// SPDX-License-Identifier: MIT
// Caps of cut meshes where pixel centres fall exactly on the mesh's edges and vertices: a closed box
// whose faces are fans of four triangles round their centres, placed so that its diagonals and face
// centres lie on pixel centres, is cut in half; every pixel inside the box's outline must see the
// cap at the plane (each crossing of the far face counted once, whichever triangle takes it), and
// cuts beyond the sixth (the crop box's faces after six clip planes) are capped too.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include <cvx/render/mesh_raster.h>

#include "front_camera.h"

namespace cvx {
namespace {

// The box c +- h, each face a fan of four triangles round its centre (6 x 5 points, 24 triangles).
Mesh fanBox(Vec3 c, double h, std::array<uint8_t, 3> rgb) {
  Mesh m;
  auto add = [&](Vec3 p) {
    m.points.push_back(
        {static_cast<float>(c.x + p.x), static_cast<float>(c.y + p.y), static_cast<float>(c.z + p.z)});
    return static_cast<uint32_t>(m.points.size() - 1);
  };
  for (int axis = 0; axis < 3; ++axis)
    for (double side : {-h, h}) {
      const int u = (axis + 1) % 3, v = (axis + 2) % 3;
      Vec3 centre{0, 0, 0};
      centre[axis] = side;
      const uint32_t mid = add(centre);
      std::array<uint32_t, 4> ring;
      const double su[4] = {-h, h, h, -h}, sv[4] = {-h, -h, h, h};
      for (int k = 0; k < 4; ++k) {
        Vec3 p = centre;
        p[u] = su[k], p[v] = sv[k];
        ring[static_cast<size_t>(k)] = add(p);
      }
      for (size_t k = 0; k < 4; ++k) m.triangles.push_back({mid, ring[k], ring[(k + 1) % 4]});
    }
  m.rgb = rgb;
  return m;
}

Camera3D front() { return test::frontCamera(); }
constexpr int kN = test::kFrontPixels;

struct Drawn {
  std::vector<float> rgba, depth;
};

Drawn draw(const Mesh& m, const std::vector<render::CutPlane>& cuts) {
  Drawn d{std::vector<float>(4 * kN * kN), std::vector<float>(kN * kN)};
  const Mesh* list[] = {&m};
  EXPECT_TRUE(
      render::rasterizeMeshes(list, front(), kN, kN, d.rgba.data(), d.depth.data(), {}, nullptr, cuts).ok());
  return d;
}

// The box centred at (0.5, 0, 0.5) with h = 10: its corners project to the centres of pixels 22 and
// 42 in x and 21 and 41 in y, its face centres to pixel (32, 31), its diagonals through the centres
// of (x, x - 1) and (x, 63 - x). Inside its outline: x in 23..41, y in 22..40 (19 x 19 pixels).
constexpr int kX0 = 23, kX1 = 41, kY0 = 22, kY1 = 40;
const Vec3 kCentre{0.5, 0, 0.5};

// Counts the capped pixels at depth t (mm) inside the outline, and any drawn pixel outside it (the
// outline's own pixels, whose rays graze the side faces, are left out).
void expectCapInsideOnly(const Drawn& d, double t, int& capped, int& outside) {
  capped = outside = 0;
  for (int y = 0; y < kN; ++y)
    for (int x = 0; x < kN; ++x) {
      const float z = d.depth[static_cast<size_t>(y * kN + x)];
      const bool in = x >= kX0 && x <= kX1 && y >= kY0 && y <= kY1;
      const bool rim = x >= kX0 - 1 && x <= kX1 + 1 && y >= kY0 - 1 && y <= kY1 + 1;
      if (in && std::abs(z - t) < 1e-3) ++capped;
      if (!rim && std::isfinite(z)) ++outside;
    }
}

TEST(MeshCaps, EveryPixelOnTheFarFacesEdgesAndCentreIsCapped) {
  const Mesh box = fanBox(kCentre, 10, {0, 200, 0});
  // Uncut, the front face at y = -10: 490 mm from the eye's plane, on the diagonals too.
  int capped = 0, outside = 0;
  expectCapInsideOnly(draw(box, {}), 490, capped, outside);
  EXPECT_EQ(capped, 19 * 19);
  EXPECT_EQ(outside, 0);
  // Cut at y = 0 keeping +y: the plane at 500 mm is inside the box for every pixel inside its outline,
  // including the far face's diagonals (38 pixels) and its centre vertex, each crossed once.
  const std::vector<render::CutPlane> cut = {{{0, 0, 0}, {0, 1, 0}}};
  const Drawn d = draw(box, cut);
  expectCapInsideOnly(d, 500, capped, outside);
  EXPECT_EQ(capped, 19 * 19);
  EXPECT_EQ(outside, 0);
  // The cap's colour: green, lit by the plane's normal facing the headlight.
  const render::MeshLight l;
  const float* centre = &d.rgba[4 * static_cast<size_t>(31 * kN + 32)];
  EXPECT_NEAR(centre[1], std::min(1.0f, 200 / 255.0f * (l.ambient + l.diffuse) + l.specular), 1e-5);
  EXPECT_NEAR(centre[0], l.specular, 1e-5);
  // meshDepthAt agrees on the diagonal and at the centre vertex.
  const Mesh* list[] = {&box};
  for (auto [x, y] : {std::pair{32, 31}, {30, 29}, {30, 33}, {kX0, kY0}, {kX1, kY1}})
    EXPECT_NEAR(render::meshDepthAt(list, front(), kN, kN, x, y, cut), 500, 1e-3) << x << "," << y;
}

TEST(MeshCaps, CutsBeyondTheSixthAreCapped) {
  const Mesh box = fanBox(kCentre, 10, {200, 0, 0});
  // Six clip planes that keep the whole box, then the cut (the crop box's first face comes 7th).
  std::vector<render::CutPlane> cuts;
  for (int k = 0; k < 6; ++k) cuts.push_back({{0, 0, -100.0 - k}, {0, 0, 1}});
  cuts.push_back({{0, 2, 0}, {0, 1, 0}});
  int capped = 0, outside = 0;
  expectCapInsideOnly(draw(box, cuts), 502, capped, outside);
  EXPECT_EQ(capped, 19 * 19);
  EXPECT_EQ(outside, 0);
  // Twelve cuts: five more that keep everything, then at the 12th one that caps: x <= 5 kept, seen
  // from the front its cap is edge-on, so the 7th cut's cap (y = 2) must stop there, and a 12th cut
  // facing the camera (y >= 4 kept, as the 7th) caps at 504 where it lies inside the box.
  for (int k = 0; k < 4; ++k) cuts.push_back({{0, 0, -200.0 - k}, {0, 0, 1}});
  cuts.push_back({{5, 0, 0}, {-1, 0, 0}});
  ASSERT_EQ(cuts.size(), 12u);
  const Drawn d = draw(box, cuts);
  for (int y = kY0; y <= kY1; ++y)
    for (int x = kX0; x <= kX1; ++x) {
      const float z = d.depth[static_cast<size_t>(y * kN + x)];
      // Pixel column x's centre is at patient x - 31.5: columns to 36 kept (x <= 4.5), from 37 cut.
      if (x < 36)
        EXPECT_NEAR(z, 502, 1e-3) << x << "," << y;
      else if (x > 37)
        EXPECT_FALSE(std::isfinite(z)) << x << "," << y;
    }
  cuts.back() = {{0, 4, 0}, {0, 1, 0}};
  expectCapInsideOnly(draw(box, cuts), 504, capped, outside);
  EXPECT_EQ(capped, 19 * 19);
  EXPECT_EQ(outside, 0);
}

}  // namespace
}  // namespace cvx
