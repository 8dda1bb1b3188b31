// SPDX-License-Identifier: MIT
// Segments in the 3D view (Qt-free): a surface inside a uniform translucent medium is seen through
// exactly the medium in front of it (composite = medium x (1 - e^(-sigma L)) + surface x e^(-sigma L)
// with L the path from the volume's face to the surface), rays stop there (depth), picking finds
// it; and SegmentSurfaces builds the visible segments' surfaces once per revision, off the UI
// thread, drops hidden and removed ones, and (with VTK) gives a ball's surface in patient space.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include <cvx/render/mesh_raster.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/seg_surfaces.h>
#include <cvx/viewstate/state.h>

#include "viewstate_test_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

// A 41^3 mm cube of value 500, voxel centres at -20..20 mm: its box is [-20.5, 20.5] per axis.
std::shared_ptr<Volume> uniform() {
  auto v = Volume::create(PixelType::Int16, {41, 41, 41, 1}).value();
  v->geometry.originMm = {-20, -20, -20};
  std::fill(v->as<int16_t>(), v->as<int16_t>() + v->voxelCount(), int16_t{500});
  return v;
}

// A green square of side 20 mm at y = 0 facing the front (-y).
std::shared_ptr<const Mesh> square() { return test::greenSquare(); }

}  // namespace

TEST(SegSurfaces3d, SurfaceInsideATranslucentMediumCompositesAnalytically) {
  const double alpha = 0.02;  // red medium: opacity 0.02 per mm, sigma = -ln(0.98)
  TransferPreset t;
  t.name = "test-red-medium";
  t.points = {{0, 1, 0, 0, static_cast<float>(alpha)}, {1000, 1, 0, 0, static_cast<float>(alpha)}};
  Camera3DView c;  // from the front
  c.perspective = false;
  Quality3D q;
  q.jitter = false;
  q.stepMm = 0.5;
  VolumeRenderer r;
  r.setMeshes({square()});
  const int n = 64;
  ASSERT_TRUE(r.draw(uniform(), 0, t, c, n, n, q).ok());
  const size_t centre = static_cast<size_t>(n / 2) * n + n / 2;
  // From the front face (y = -20.5) to the square (y = 0): L = 20.5 mm of medium.
  const double sigma = -std::log(1 - alpha), keep = std::exp(-sigma * 20.5);
  // The square faces the headlight: colour x (ambient + diffuse) + specular, at most 1 (mesh_raster.h).
  const render::MeshLight l;
  const double g = std::min(1.0f, l.ambient + l.diffuse + l.specular), rb = l.specular;
  const float* px = &r.rgba()[4 * centre];
  EXPECT_NEAR(px[0], (1 - keep) + keep * rb, 2e-3);
  EXPECT_NEAR(px[1], keep * g, 2e-3);
  EXPECT_NEAR(px[2], keep * rb, 2e-3);
  EXPECT_NEAR(px[3], 1.0, 1e-6);
  // Outside the square the whole 41 mm of medium and nothing behind it.
  const float* edge = &r.rgba()[4 * (static_cast<size_t>(n / 2) * n + n / 2 - 14)];  // 1.1 mm pixels: 15.5 mm left
  EXPECT_NEAR(edge[3], 1 - std::exp(-sigma * 41), 2e-3);
  EXPECT_NEAR(edge[1], 0.0, 1e-6);

  // The medium never reaches opacity 0.5 in front of the square: the depth is the square's. A
  // parallel camera's rays start on the plane through the eye, the box's bounding sphere's radius +
  // 1 mm from the orbit's centre, here the box's (camera_3d.h, orbitCamera).
  const double eye = std::sqrt(3.0) * 20.5 + 1;
  EXPECT_NEAR(r.depth()[centre], eye, 1e-3);
  const auto hit = r.pick(uniform(), 0, t, c, n, n, n / 2, n / 2);
  ASSERT_TRUE(hit.has_value());
  EXPECT_NEAR(hit->y, 0.0, 1e-3);

  // Without surfaces the ray crosses all 41 mm.
  r.setMeshes({});
  ASSERT_TRUE(r.draw(uniform(), 0, t, c, n, n, q).ok());
  EXPECT_NEAR(r.rgba()[4 * centre + 3], 1 - std::exp(-sigma * 41), 2e-3);
}

// A translucent green square (opacity 0.5) at y = 0 in front of an opaque blue one at y = 10, both
// in the red medium: along the central ray the medium over 20.5 mm, the green at half, the medium
// over 10 mm, the blue; composited front to back by hand.
TEST(SegSurfaces3d, TranslucentSurfaceHasTheVolumeBehindItComposited) {
  const double alpha = 0.02;
  TransferPreset t;
  t.name = "test-red-medium";
  t.points = {{0, 1, 0, 0, static_cast<float>(alpha)}, {1000, 1, 0, 0, static_cast<float>(alpha)}};
  Camera3DView c;
  c.perspective = false;
  Quality3D q;
  q.jitter = false;
  q.stepMm = 0.5;
  auto blue = std::make_shared<Mesh>(*square());
  for (auto& p : blue->points) p[1] = 10;
  blue->rgb = {0, 0, 255};
  VolumeRenderer r;
  r.setMeshes({square(), blue}, {0.5f, 1.0f});
  const int n = 64;
  ASSERT_TRUE(r.draw(uniform(), 0, t, c, n, n, q).ok());
  const size_t centre = static_cast<size_t>(n / 2) * n + n / 2;
  const double sigma = -std::log(1 - alpha), e1 = std::exp(-sigma * 20.5), e2 = std::exp(-sigma * 10);
  const render::MeshLight l;
  const double lit = std::min(1.0f, l.ambient + l.diffuse + l.specular), spec = l.specular, a = 0.5;
  const double green[3] = {spec, lit, spec}, blueLit[3] = {spec, spec, lit};
  const double medium[3] = {1, 0, 0};
  const float* px = &r.rgba()[4 * centre];
  for (int k = 0; k < 3; ++k) {
    const double want = medium[k] * (1 - e1) + e1 * a * green[k] + e1 * (1 - a) * medium[k] * (1 - e2) +
                        e1 * (1 - a) * e2 * blueLit[k];
    EXPECT_NEAR(px[k], want, 2e-3) << k;
  }
  EXPECT_NEAR(px[3], 1.0, 1e-6);
  // Opaque, the green square hides the medium and the blue behind it.
  r.setMeshes({square(), blue}, {1.0f, 1.0f});
  ASSERT_TRUE(r.draw(uniform(), 0, t, c, n, n, q).ok());
  EXPECT_NEAR(r.rgba()[4 * centre + 2], e1 * spec, 2e-3);
}

TEST(SegSurfaces3d, BuiltOncePerRevisionForVisibleSegmentsOnly) {
  std::atomic<int> calls{0};
  SegmentSurfaces surfaces([&](const std::vector<uint8_t>& mask, std::array<int64_t, 3>, const Geometry&,
                               Progress*) -> Result<Mesh> {
    ++calls;
    Mesh m = *square();
    m.name = std::to_string(std::count(mask.begin(), mask.end(), uint8_t{1}));  // the snapshot's voxels
    return m;
  });
  ViewerState s;
  auto v = uniform();
  s.addLayer(v);
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*v));
  std::vector<uint8_t> a(static_cast<size_t>(v->voxelsPerPhase()), 0), b = a;
  std::fill(a.begin(), a.begin() + 100, uint8_t{1});
  std::fill(b.end() - 7, b.end(), uint8_t{1});
  Segment sa, sb;
  sa.rgb = {10, 20, 30};
  sa.name = "a";
  sb.name = "b";
  ASSERT_TRUE(seg->addSegment(sa, a.data()).ok());
  ASSERT_TRUE(seg->addSegment(sb, b.data()).ok());
  const int index = s.addSegmentation(seg, 0, "test").value();

  surfaces.buildNow(s);
  EXPECT_EQ(calls, 2);
  auto meshes = surfaces.meshes(s);
  ASSERT_EQ(meshes.size(), 2u);
  EXPECT_EQ(meshes[0]->name, "a");  // named and coloured as the segment
  EXPECT_EQ(meshes[0]->rgb, (std::array<uint8_t, 3>{10, 20, 30}));
  surfaces.buildNow(s);  // nothing changed: nothing built
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(surfaces.opacities(s), (std::vector<float>{1, 1}));  // opaque by default
  s.setSegmentDisplay(index, 0, {true, 0.5, 0.3});  // a's surface translucent: nothing to rebuild
  EXPECT_EQ(surfaces.opacities(s), (std::vector<float>{0.3f, 1}));
  s.setSegmentDisplay(index, 0, {true, 0.5, 7.0});  // clamped
  EXPECT_EQ(surfaces.opacities(s)[0], 1.0f);
  surfaces.buildNow(s);
  EXPECT_EQ(calls, 2);

  s.setSegmentDisplay(index, 1, {false, 0.5});  // hidden: not drawn, not rebuilt
  EXPECT_EQ(surfaces.meshes(s).size(), 1u);
  EXPECT_EQ(surfaces.opacities(s).size(), 1u);
  s.segmentationEdited(index);
  surfaces.buildNow(s);
  EXPECT_EQ(calls, 3);

  s.removeSegmentation(index);
  EXPECT_TRUE(surfaces.meshes(s).empty());
  EXPECT_FALSE(surfaces.update(s));
}

// Closing the window while a large segment's surface builds: the destructor cancels the build (the
// maker sees its Progress cancelled) instead of waiting it out, and the segments not yet started are
// not built.
TEST(SegSurfaces3d, TheDestructorCancelsABuildInFlight) {
  std::atomic<int> calls{0};
  std::atomic<bool> started{false}, sawCancel{false};
  {
    SegmentSurfaces surfaces([&](const std::vector<uint8_t>&, std::array<int64_t, 3>, const Geometry&,
                                 Progress* cancel) -> Result<Mesh> {
      ++calls;
      started = true;
      // A build as long as it is let run: a minute, unless cancelled.
      for (int i = 0; i < 6000 && !(cancel && cancel->cancelled()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      sawCancel = cancel && cancel->cancelled();
      return *square();
    });
    ViewerState s;
    auto v = uniform();
    s.addLayer(v);
    auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*v));
    std::vector<uint8_t> a(static_cast<size_t>(v->voxelsPerPhase()), 0);
    std::fill(a.begin(), a.begin() + 10, uint8_t{1});
    ASSERT_TRUE(seg->addSegment({}, a.data()).ok());
    ASSERT_TRUE(seg->addSegment({}, a.data()).ok());  // overlapping: a second layer, a second task
    ASSERT_TRUE(s.addSegmentation(seg, 0, "test").ok());
    ASSERT_TRUE(surfaces.update(s));
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }  // destroyed mid-build
  EXPECT_TRUE(sawCancel);
  EXPECT_EQ(calls, 1);  // the second segment's surface was not started
}

TEST(SegSurfaces3d, DefaultMakerGivesABallInPatientSpace) {
  SegmentSurfaces surfaces;
  if (!surfaces.available()) GTEST_SKIP() << "built without VTK: no surfaces";
  ViewerState s;
  auto v = uniform();
  v->geometry.spacingMm = {0.9, 1.0, 1.3};
  s.addLayer(v);
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*v));
  const Vec3 centre = v->geometry.worldAt(20, 21, 19);
  std::vector<uint8_t> ball(static_cast<size_t>(v->voxelsPerPhase()));
  for (int k = 0; k < 41; ++k)
    for (int j = 0; j < 41; ++j)
      for (int i = 0; i < 41; ++i) ball[(k * 41 + j) * 41 + i] = norm(v->geometry.worldAt(i, j, k) - centre) <= 10;
  Segment m;
  m.rgb = {200, 100, 50};
  ASSERT_TRUE(seg->addSegment(m, ball.data()).ok());
  ASSERT_TRUE(s.addSegmentation(seg, 0, "ball").ok());
  surfaces.buildNow(s);
  EXPECT_EQ(surfaces.error(), "");
  const auto meshes = surfaces.meshes(s);
  ASSERT_EQ(meshes.size(), 1u);
  ASSERT_FALSE(meshes[0]->empty());
  for (const auto& p : meshes[0]->points) {  // within about a voxel of the 10 mm sphere
    const double r = norm(Vec3{p[0], p[1], p[2]} - centre);
    EXPECT_GT(r, 8.5);
    EXPECT_LT(r, 11.0);
  }
}
