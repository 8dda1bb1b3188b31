// SPDX-License-Identifier: MIT
// render::rasterizeMeshes against analytic geometry: a tessellated sphere's silhouette and depth
// seen in parallel projection, a plane's depth along perspective rays (from the camera's own
// definition, written out here), occlusion in either drawing order, the headlight shading rule,
// the compositing of a volume over the surfaces, and surfaces cut open by clip planes.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <vector>

#include <cvx/render/mesh_raster.h>

namespace cvx {
namespace {

using P3 = std::array<float, 3>;

// An icosphere: the icosahedron's faces split `levels` times, every vertex pushed onto the sphere.
Mesh icosphere(Vec3 c, double r, int levels) {
  const double g = (1 + std::sqrt(5.0)) / 2;
  std::vector<Vec3> v = {{-1, g, 0}, {1, g, 0}, {-1, -g, 0}, {1, -g, 0}, {0, -1, g}, {0, 1, g},
                         {0, -1, -g}, {0, 1, -g}, {g, 0, -1}, {g, 0, 1}, {-g, 0, -1}, {-g, 0, 1}};
  std::vector<std::array<uint32_t, 3>> f = {{0, 11, 5}, {0, 5, 1},  {0, 1, 7},   {0, 7, 10}, {0, 10, 11},
                                            {1, 5, 9},  {5, 11, 4}, {11, 10, 2}, {10, 7, 6}, {7, 1, 8},
                                            {3, 9, 4},  {3, 4, 2},  {3, 2, 6},   {3, 6, 8},  {3, 8, 9},
                                            {4, 9, 5},  {2, 4, 11}, {6, 2, 10},  {8, 6, 7},  {9, 8, 1}};
  for (auto& p : v) p = normalized(p);
  for (int l = 0; l < levels; ++l) {
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> mid;
    auto half = [&](uint32_t a, uint32_t b) {
      const auto key = std::minmax(a, b);
      auto it = mid.find(key);
      if (it != mid.end()) return it->second;
      v.push_back(normalized(v[a] + v[b]));
      return mid[key] = static_cast<uint32_t>(v.size() - 1);
    };
    std::vector<std::array<uint32_t, 3>> next;
    for (const auto& t : f) {
      const uint32_t a = half(t[0], t[1]), b = half(t[1], t[2]), cc = half(t[2], t[0]);
      next.push_back({t[0], a, cc}), next.push_back({t[1], b, a}), next.push_back({t[2], cc, b});
      next.push_back({a, b, cc});
    }
    f = std::move(next);
  }
  Mesh m;
  for (const auto& p : v) {
    const Vec3 q = c + p * r;
    m.points.push_back({static_cast<float>(q.x), static_cast<float>(q.y), static_cast<float>(q.z)});
    m.normals.push_back({static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.z)});
  }
  m.triangles = f;
  return m;
}

// A square of side 2h centred at c, facing -y (towards a camera in front of the patient).
Mesh square(Vec3 c, double h, std::array<uint8_t, 3> rgb) {
  Mesh m;
  for (auto [dx, dz] : {std::pair{-h, -h}, {h, -h}, {h, h}, {-h, h}})
    m.points.push_back({static_cast<float>(c.x + dx), static_cast<float>(c.y), static_cast<float>(c.z + dz)});
  m.triangles = {{0, 1, 2}, {0, 2, 3}};
  m.rgb = rgb;
  return m;
}

struct Image {
  int w, h;
  std::vector<float> rgba, depth;
  Image(int w_, int h_) : w(w_), h(h_), rgba(4 * static_cast<size_t>(w_ * h_)), depth(static_cast<size_t>(w_ * h_)) {}
  float t(int x, int y) const { return depth[static_cast<size_t>(y * w + x)]; }
  const float* px(int x, int y) const { return &rgba[4 * static_cast<size_t>(y * w + x)]; }
};

Image draw(std::vector<const Mesh*> meshes, const Camera3D& cam, int w, int h) {
  Image im(w, h);
  EXPECT_TRUE(render::rasterizeMeshes(meshes, cam, w, h, im.rgba.data(), im.depth.data()).ok());
  return im;
}

TEST(MeshRaster, SphereSilhouetteAndDepthInParallelProjection) {
  const double R = 40;
  const Vec3 c{10, 20, -30};
  const Mesh s = icosphere(c, R, 5);
  Camera3D cam;
  cam.perspective = false;
  cam.eye = c + Vec3{0, -200, 0}, cam.center = c, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 60;
  const int n = 240;  // 0.5 mm pixels
  const Image im = draw({&s}, cam, n, n);
  int covered = 0;
  double worst = 0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      if (!(im.t(x, y) < std::numeric_limits<float>::infinity())) continue;
      ++covered;
      EXPECT_EQ(im.px(x, y)[3], 1.0f);
      // The analytic sphere along this ray: distance r from the axis, t = 200 - sqrt(R^2 - r^2).
      const double u = (x + 0.5 - n / 2.0) * 0.5, v = (y + 0.5 - n / 2.0) * 0.5, r = std::hypot(u, v);
      if (r < 0.9 * R) worst = std::max(worst, std::abs(im.t(x, y) - (200 - std::sqrt(R * R - r * r))));
    }
  // The silhouette: a disc of radius R / 0.5 mm pixels (the inscribed polyhedron a little inside).
  const double disc = std::numbers::pi * (R / 0.5) * (R / 0.5);
  EXPECT_NEAR(covered, disc, 0.01 * disc);
  EXPECT_LT(worst, 0.1);  // the chord error of 1.2-degree edges on a 40 mm sphere is 0.01 mm
  EXPECT_NEAR(im.t(n / 2, n / 2), 160, 0.05);
}

TEST(MeshRaster, PlaneDepthAlongPerspectiveRays) {
  const double d = 300;
  const Mesh sq = square({0, d - 500, 0}, 400, {255, 255, 255});
  Camera3D cam;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1}, cam.fovYDeg = 40;
  const int w = 64, h = 48;
  const Image im = draw({&sq}, cam, w, h);
  // The camera's definition (core/raycast.h): pixel (x, y)'s ray leaves the eye along
  // f + right u + up v with u = (x + 0.5 - w/2) p, v = -(y + 0.5 - h/2) p, p = 2 tan(fov/2) / h.
  const double p = 2 * std::tan(20 * std::numbers::pi / 180) / h;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double u = (x + 0.5 - w / 2.0) * p, v = (y + 0.5 - h / 2.0) * p;
      ASSERT_NEAR(im.t(x, y), d * std::sqrt(1 + u * u + v * v), 1e-4 * d) << x << "," << y;
    }
}

TEST(MeshRaster, NearerSurfaceWinsInEitherOrder) {
  const Mesh near = square({0, -100, 0}, 50, {255, 0, 0}), far = square({0, 100, 0}, 80, {0, 255, 0});
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1}, cam.parallelHalfHeightMm = 100;
  for (const auto& order : {std::vector<const Mesh*>{&near, &far}, std::vector<const Mesh*>{&far, &near}}) {
    const Image im = draw(order, cam, 40, 40);
    // 5 mm pixels: pixel (20, 20) at (2.5, -2.5) mm from the axis, on the red square (y = -100).
    EXPECT_NEAR(im.t(20, 20), 400, 1e-3);
    EXPECT_GT(im.px(20, 20)[0], im.px(20, 20)[1] + 0.5f);  // red (the white specular adds to all)
    EXPECT_NEAR(im.t(5, 20), 600, 1e-3);  // (-72.5, -2.5) mm: outside the red square, on the green
    EXPECT_GT(im.px(5, 20)[1], im.px(5, 20)[0] + 0.5f);  // green
    EXPECT_FALSE(im.t(0, 0) < 1e30f);  // (-97.5, 97.5) mm: outside both
  }
}

TEST(MeshRaster, HeadlightShadingOfAFacingPlane) {
  Mesh sq = square({0, 0, 0}, 50, {200, 100, 0});
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -500, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1}, cam.parallelHalfHeightMm = 100;
  const render::MeshLight l;
  const Image im = draw({&sq}, cam, 20, 20);
  // n.l = 1: colour x (ambient + diffuse) + specular, at most 1.
  const float k = l.ambient + l.diffuse;
  EXPECT_NEAR(im.px(10, 10)[0], std::min(1.0f, 200 / 255.0f * k + l.specular), 1e-6);
  EXPECT_NEAR(im.px(10, 10)[1], std::min(1.0f, 100 / 255.0f * k + l.specular), 1e-6);
  EXPECT_NEAR(im.px(10, 10)[2], l.specular, 1e-6);
  // Turned by 60 degrees about z: n.l = cos 60 = 0.5, whichever way the triangles wind.
  for (auto& q : sq.points) {
    const float x = q[0], y = q[1];
    q[0] = x * 0.5f - y * std::sqrt(3.0f) / 2, q[1] = x * std::sqrt(3.0f) / 2 + y * 0.5f;
  }
  const Image turned = draw({&sq}, cam, 20, 20);
  EXPECT_NEAR(turned.px(10, 10)[1], 100 / 255.0f * (l.ambient + l.diffuse * 0.5f) + l.specular * std::pow(0.5f, l.power),
              1e-5);
}

TEST(MeshRaster, BadIndexIsAnError) {
  Mesh m = square({0, 0, 0}, 10, {1, 2, 3});
  m.triangles.push_back({0, 1, 7});
  Camera3D cam;
  Image im(8, 8);
  const Mesh* list[] = {&m};
  const Status s = render::rasterizeMeshes(list, cam, 8, 8, im.rgba.data(), im.depth.data());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "render.bad_mesh");
  EXPECT_EQ(render::rasterizeMeshes(list, cam, 0, 8, im.rgba.data(), im.depth.data()).error().code,
            "render.bad_request");
}

TEST(MeshRaster, VolumeCompositesOverTheSurface) {
  const float inf = std::numeric_limits<float>::infinity();
  // Pixel 0: a volume of opacity 0.25 in front of a mesh; pixel 1: no volume; pixel 2: no mesh.
  std::vector<float> vol = {0.1f, 0.2f, 0.05f, 0.25f, 0, 0, 0, 0, 0.3f, 0.3f, 0.3f, 0.6f};
  std::vector<float> vdepth = {inf, inf, 42};
  const std::vector<float> mesh = {1, 0.5f, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0}, mdepth = {80, 90, inf};
  render::compositeOverMeshes(vol.data(), vdepth.data(), mesh.data(), mdepth.data(), 3);
  EXPECT_FLOAT_EQ(vol[0], 0.1f + 0.75f * 1);
  EXPECT_FLOAT_EQ(vol[1], 0.2f + 0.75f * 0.5f);
  EXPECT_FLOAT_EQ(vol[3], 1.0f);
  EXPECT_FLOAT_EQ(vol[5], 1.0f);
  EXPECT_FLOAT_EQ(vol[7], 1.0f);
  EXPECT_FLOAT_EQ(vol[8], 0.3f);
  EXPECT_FLOAT_EQ(vol[11], 0.6f);
  EXPECT_EQ(vdepth[0], 80);
  EXPECT_EQ(vdepth[1], 90);
  EXPECT_EQ(vdepth[2], 42);
}

// A sphere cut by the plane y >= 0 (the half away from a camera in front): where the front half was,
// the cut is capped: the ray meets the plane y = 0 inside the sphere, at t = 200, in the sphere's
// colour lit square on; every point drawn lies on the kept side. A cut keeping x >= 10 is seen edge
// on (no cap) and leaves the left of the image empty. meshDepthAt agrees.
TEST(MeshRaster, CutsASurfaceAndCapsIt) {
  const double R = 40;
  const Mesh s = icosphere({0, 0, 0}, R, 5);
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -200, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 60;
  const int n = 120;  // 1 mm pixels
  const Mesh* list[] = {&s};
  for (const bool sideways : {false, true}) {
    const render::CutPlane cut = sideways ? render::CutPlane{{10, 0, 0}, {2, 0, 0}} : render::CutPlane{{0, 0, 0}, {0, 1, 0}};
    Image im(n, n);
    ASSERT_TRUE(render::rasterizeMeshes(list, cam, n, n, im.rgba.data(), im.depth.data(), {}, nullptr, {&cut, 1}).ok());
    int inside = 0, outside = 0;
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const double u = x + 0.5 - n / 2.0, v = n / 2.0 - (y + 0.5), r = std::hypot(u, v);
        if (r > 0.95 * R) continue;  // near the silhouette the polyhedron is inside the sphere
        const double back = 200 + std::sqrt(R * R - r * r), frontT = 200 - std::sqrt(R * R - r * r);
        if (!sideways) {
          ASSERT_NEAR(im.t(x, y), 200, 1e-3) << x << "," << y;  // the cap, not the inside at `back`
          EXPECT_LT(im.t(x, y), back - 1);
          ++inside;
        } else if (u < 10 - 0.5) {
          EXPECT_FALSE(im.t(x, y) < 1e30f) << x << "," << y;  // all of it cut away
          ++outside;
        } else if (u > 10 + 0.5) {
          EXPECT_NEAR(im.t(x, y), frontT, 0.1) << x << "," << y;  // the front, uncut
          ++inside;
        }
        if (x % 7 == 0 && y % 7 == 0) {
          EXPECT_EQ(render::meshDepthAt(list, cam, n, n, x, y, {&cut, 1}), im.t(x, y)) << x << "," << y;
        }
        // Every point drawn lies on the kept side: (u, t - 200, v) in patient space.
        if (im.t(x, y) < 1e30f) {
          const double px = u, py = im.t(x, y) - 200.0;
          EXPECT_GE(sideways ? px - 10 : py, -1e-3) << x << "," << y;
        }
      }
    if (sideways) {
      EXPECT_GT(inside, 1200);  // the disc of 38 mm beyond x = 10.5: about 1450
      EXPECT_GT(outside, 1500);
    } else {
      EXPECT_GT(inside, 4000);
    }
  }
}

// Two spheres cut by one plane: each cap in its own colour, lit square on (n.l = 1), nothing between
// them (the ray crosses no surface before the plane there); without the cut, their fronts.
TEST(MeshRaster, CapsTakeTheirMeshesColours) {
  Mesh red = icosphere({-30, 0, 0}, 20, 4), green = icosphere({30, 0, 0}, 20, 4);
  red.rgb = {200, 0, 0}, green.rgb = {0, 180, 0};
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -200, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 60;
  const int n = 120;  // 1 mm pixels: world x = pixel x + 0.5 - 60, z = 60 - (y + 0.5)
  const Mesh* list[] = {&red, &green};
  const render::CutPlane cut{{0, 0, 0}, {0, 1, 0}};
  Image im(n, n);
  ASSERT_TRUE(render::rasterizeMeshes(list, cam, n, n, im.rgba.data(), im.depth.data(), {}, nullptr, {&cut, 1}).ok());
  const render::MeshLight l;
  const float k = l.ambient + l.diffuse;
  EXPECT_NEAR(im.t(30, 60), 200, 1e-3);  // x = -29.5: in the red disc
  EXPECT_NEAR(im.px(30, 60)[0], std::min(1.0f, 200 / 255.0f * k + l.specular), 1e-5);
  EXPECT_NEAR(im.px(30, 60)[1], l.specular, 1e-5);
  EXPECT_NEAR(im.t(90, 60), 200, 1e-3);  // x = 30.5: green
  EXPECT_NEAR(im.px(90, 60)[1], std::min(1.0f, 180 / 255.0f * k + l.specular), 1e-5);
  EXPECT_FALSE(im.t(60, 60) < 1e30f);  // x = 0.5: between them
  EXPECT_FALSE(im.t(30, 20) < 1e30f);  // z = 39.5: above the red one
  EXPECT_EQ(render::meshDepthAt(list, cam, n, n, 30, 60, {&cut, 1}), im.t(30, 60));
  EXPECT_EQ(render::meshDepthAt(list, cam, n, n, 60, 60, {&cut, 1}), im.t(60, 60));
  Image whole(n, n);
  ASSERT_TRUE(render::rasterizeMeshes(list, cam, n, n, whole.rgba.data(), whole.depth.data()).ok());
  EXPECT_NEAR(whole.t(30, 60), 180, 0.1);  // the red sphere's front, 20 mm before the plane
}

// The cap rule's cases: the innermost of nested meshes gives the colour; a mesh entirely cut away in
// front of the plane leaves no cap; a kept surface in front of the cap hides it; a second cut removes
// the cap where it cuts; an eye inside the mesh (zoomed in) still caps what is inside.
TEST(MeshRaster, CapsOfNestedWedgedAndSurroundingMeshes) {
  Camera3D cam;
  cam.perspective = false;
  cam.eye = {0, -200, 0}, cam.center = {0, 0, 0}, cam.up = {0, 0, 1};
  cam.parallelHalfHeightMm = 60;
  const int n = 120;  // 1 mm pixels: world x = pixel x + 0.5 - 60, z = 60 - (y + 0.5)
  auto draw = [&](std::vector<const Mesh*> list, std::vector<render::CutPlane> cuts) {
    Image im(n, n);
    EXPECT_TRUE(render::rasterizeMeshes(list, cam, n, n, im.rgba.data(), im.depth.data(), {}, nullptr, cuts).ok());
    return im;
  };
  const render::CutPlane keepBack{{0, 0, 0}, {0, 1, 0}};
  // A liver (red, listed first) holding a tumour (green): the tumour's cap at the centre, the liver's
  // beside it.
  Mesh liver = icosphere({0, 0, 0}, 40, 4), tumour = icosphere({0, 0, 0}, 10, 4);
  liver.rgb = {200, 0, 0}, tumour.rgb = {0, 200, 0};
  Image im = draw({&liver, &tumour}, {keepBack});
  EXPECT_NEAR(im.t(60, 60), 200, 1e-3);
  EXPECT_GT(im.px(60, 60)[1], im.px(60, 60)[0] + 0.5f);  // x = 0.5: green
  EXPECT_NEAR(im.t(85, 60), 200, 1e-3);
  EXPECT_GT(im.px(85, 60)[0], im.px(85, 60)[1] + 0.5f);  // x = 25.5: red
  // A ball wholly in front of the plane (cut away) and one behind it (kept): no cap, the back ball's
  // front at y = 40.
  const Mesh front = icosphere({0, -60, 0}, 20, 4), back = icosphere({0, 60, 0}, 20, 4);
  im = draw({&front, &back}, {keepBack});
  EXPECT_NEAR(im.t(60, 60), 240, 0.1);
  // Keeping the front half (y <= 0): its surface hides the cap behind it.
  im = draw({&liver}, {{{0, 0, 0}, {0, -1, 0}}});
  EXPECT_NEAR(im.t(60, 60), 160, 0.1);
  // A wedge, y >= 0 and x >= 0: the cap only right of x = 0.
  im = draw({&liver}, {keepBack, {{0, 0, 0}, {1, 0, 0}}});
  EXPECT_NEAR(im.t(70, 60), 200, 1e-3);
  EXPECT_FALSE(im.t(50, 60) < 1e30f);
  // The eye inside the liver, looking along +y, the cut keeping y >= 10: every ray meets the plane
  // inside it (the rays within 60 degrees of the axis meet y = 10 within 17.4 mm of it, the section's
  // radius is 38.7 mm): the cap at 10 / cos(angle), in front of the far wall at 40.
  Camera3D inside;
  inside.eye = {0, 0, 0}, inside.center = {0, 100, 0}, inside.up = {0, 0, 1}, inside.fovYDeg = 60;
  Image in(64, 64);
  const render::CutPlane beyond{{0, 10, 0}, {0, 1, 0}};
  const Mesh* list[] = {&liver};
  ASSERT_TRUE(render::rasterizeMeshes(list, inside, 64, 64, in.rgba.data(), in.depth.data(), {}, nullptr, {&beyond, 1}).ok());
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) ASSERT_LT(in.t(x, y), 20.0f) << x << "," << y;
  EXPECT_NEAR(in.t(32, 32), 10, 0.01);
  EXPECT_NEAR(render::meshDepthAt(list, inside, 64, 64, 32, 32, {&beyond, 1}), in.t(32, 32), 1e-6);
}

TEST(MeshRaster, CutToleranceKeepsAPointOnThePlane) {
  const render::CutPlane cut{{0, 5, 0}, {0, 3, 0}};
  EXPECT_TRUE(render::keptByCuts({&cut, 1}, {7, 5 - 0.5 * render::kCutToleranceMm, 1}));
  EXPECT_FALSE(render::keptByCuts({&cut, 1}, {7, 5 - 2 * render::kCutToleranceMm, 1}));
  EXPECT_TRUE(render::keptByCuts({}, {7, -100, 1}));
}

}  // namespace
}  // namespace cvx
