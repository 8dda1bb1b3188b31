// SPDX-License-Identifier: MIT
// cvx::mesh::segmentSurface on voxelised spheres whose voxels the test decides from the analytic
// sphere, on anisotropic oblique grids (a rotation, and a direction matrix with a negative
// determinant): the mesh is closed and consistently wound, encloses 4/3 pi R^3 (and the voxel
// count's volume) within a few %, every vertex lies within a voxel of the analytic sphere in LPS
// mm, normals point out and agree with the winding. A shell's inner surface faces its cavity; a
// mask that fills the whole grid still closes (padding); decimation removes about the target.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include <cvx/core/segmentation.h>
#include <cvx/mesh/surface.h>

#include "mesh_test_util.h"

using namespace cvx;
using cvx::test::Phantom;

namespace {

constexpr double kR = 15;  // mm
const Vec3 kCentre{-40.5, 102.25, 310.75};
const Vec3 kSpacing{0.8, 1.1, 1.6};

Phantom rotated() { return test::sphere(kCentre, kR, 0, kSpacing, test::rotation({1, 2, 3}, 35)); }
Phantom mirrored() {  // a rotation times a flip of the slice axis: det = -1
  auto d = test::rotation({-2, 1, 0.5}, 50);
  d[2] = d[2] * -1.0;
  return test::sphere(kCentre, kR, 0, kSpacing, d);
}

// Fraction of vertices whose normal is unit and points away from the centre (sign = +1) or to it.
double fractionFacing(const Mesh& m, Vec3 c, double sign, double splitR = -1, bool outerPart = true) {
  size_t good = 0, n = 0;
  for (size_t i = 0; i < m.points.size(); ++i) {
    const Vec3 d = test::v3(m.points[i]) - c;
    if (splitR > 0 && (norm(d) > splitR) != outerPart) continue;
    ++n;
    const Vec3 q = test::v3(m.normals[i]);
    good += std::abs(norm(q) - 1) < 1e-4 && sign * dot(q, d) > 0;
  }
  return n ? double(good) / double(n) : 0;
}

void expectSphere(const Phantom& p, const char* what) {
  SCOPED_TRACE(what);
  auto m = mesh::segmentSurface(p.mask.data(), p.dims, p.g);
  ASSERT_TRUE(m.ok()) << m.error().str();
  ASSERT_GT(m->triangles.size(), 1000u);
  ASSERT_EQ(m->normals.size(), m->points.size());
  const auto edges = test::checkEdges(*m);
  EXPECT_TRUE(edges.closed);
  EXPECT_TRUE(edges.oriented);
  // Euler characteristic of a sphere: V - E + F = 2.
  EXPECT_EQ(int64_t(m->points.size()) - int64_t(edges.edges) + int64_t(m->triangles.size()), 2);

  const double analytic = 4.0 / 3.0 * M_PI * kR * kR * kR;
  const double voxels = double(p.count) * test::voxelVolume(p.g);
  const double v = test::signedVolume(*m);  // positive: counter-clockwise from outside
  EXPECT_NEAR(v / analytic, 1.0, 0.02);
  EXPECT_NEAR(v / voxels, 1.0, 0.02);
  EXPECT_NEAR(voxels / analytic, 1.0, 0.02);  // the phantom itself

  const double halfCoarsestSpacing = 0.8;  // mm
  double worst = 0;
  for (const auto& q : m->points) worst = std::max(worst, std::abs(norm(test::v3(q) - kCentre) - kR));
  EXPECT_LT(worst, halfCoarsestSpacing);

  EXPECT_GT(fractionFacing(*m, kCentre, +1), 0.999);
  double cosSum = 0;  // normals along the radius (a normal placed by A instead of A^-T is not)
  for (size_t i = 0; i < m->points.size(); ++i)
    cosSum += dot(test::v3(m->normals[i]), normalized(test::v3(m->points[i]) - kCentre));
  EXPECT_GT(cosSum / double(m->points.size()), 0.98);
  size_t agree = 0;  // the winding's normal against the mean of the vertex normals
  for (const auto& t : m->triangles) {
    const Vec3 vn = test::v3(m->normals[t[0]]) + test::v3(m->normals[t[1]]) + test::v3(m->normals[t[2]]);
    agree += dot(test::faceNormal(*m, t), vn) > 0;
  }
  EXPECT_GT(double(agree) / double(m->triangles.size()), 0.995);
}

}  // namespace

TEST(MeshSurface, SphereOnARotatedAnisotropicGrid) { expectSphere(rotated(), "rotation"); }

TEST(MeshSurface, SphereOnAMirroredGridKeepsOutwardWinding) { expectSphere(mirrored(), "det < 0"); }

TEST(MeshSurface, SphereOnAShearedGantryTiltGrid) {
  // The stack direction tilted 20 degrees from the slice normal (a gantry-tilt grid kept sheared).
  std::array<Vec3, 3> d{Vec3{1, 0, 0}, Vec3{0, 1, 0}, normalized(Vec3{0, std::tan(20 * M_PI / 180), 1})};
  Phantom p = test::sphere(kCentre, kR, 0, kSpacing, d, 8);
  p.g.sheared = true;
  expectSphere(p, "sheared");
}

TEST(MeshSurface, ShellInnerSurfaceFacesTheCavity) {
  const double inner = 7;
  const Phantom p = test::sphere(kCentre, kR, inner, kSpacing, test::rotation({0, 1, 1}, 20));
  auto m = mesh::segmentSurface(p.mask.data(), p.dims, p.g);
  ASSERT_TRUE(m.ok()) << m.error().str();
  const auto edges = test::checkEdges(*m);
  EXPECT_TRUE(edges.closed);
  EXPECT_TRUE(edges.oriented);
  const double analytic = 4.0 / 3.0 * M_PI * (kR * kR * kR - inner * inner * inner);
  EXPECT_NEAR(test::signedVolume(*m) / analytic, 1.0, 0.04);
  const double mid = (kR + inner) / 2;
  EXPECT_GT(fractionFacing(*m, kCentre, +1, mid, true), 0.999);   // outer surface: away from the centre
  EXPECT_GT(fractionFacing(*m, kCentre, -1, mid, false), 0.999);  // inner surface: into the cavity
}

TEST(MeshSurface, AMaskThatFillsTheGridClosesAtItsBorder) {
  const std::array<int64_t, 3> dims{12, 10, 8};
  std::vector<uint8_t> mask(12 * 10 * 8, 1);
  Geometry g;  // identity: voxel = mm; the iso-surface at 0.5 spans -0.5 .. dims - 0.5
  mesh::SurfaceOptions o;
  o.smoothingIterations = 0;
  o.targetReduction = 0;
  auto m = mesh::segmentSurface(mask.data(), dims, g, o);
  ASSERT_TRUE(m.ok()) << m.error().str();
  const auto edges = test::checkEdges(*m);
  EXPECT_TRUE(edges.closed);
  EXPECT_TRUE(edges.oriented);
  for (const auto& q : m->points)
    for (int a = 0; a < 3; ++a) {
      EXPECT_GE(q[a], -0.5f - 1e-4f);
      EXPECT_LE(q[a], float(dims[a]) - 0.5f + 1e-4f);
    }
  // Unsmoothed, the box loses only its corners' and edges' chamfers (one half-voxel wide).
  const double box = 12.0 * 10 * 8;
  EXPECT_LT(test::signedVolume(*m), box);
  EXPECT_GT(test::signedVolume(*m), 0.9 * box);
}

TEST(MeshSurface, SmoothingNeverLeavesTheGridsExtent) {
  // A ball cut by the grid's faces (a third of it outside): smoothing would round the cut faces
  // outward by a fraction of a voxel; vertices stay within -0.5 .. dims - 0.5 in voxel space.
  Phantom p = test::sphere({0, 0, 0}, 10, 0, {1, 1, 1}, test::rotation({0, 0, 1}, 0));
  const std::array<int64_t, 3> dims{p.dims[0] * 2 / 3, p.dims[1], p.dims[2] * 3 / 4};
  std::vector<uint8_t> cut(static_cast<size_t>(dims[0] * dims[1] * dims[2]));
  for (int64_t k = 0; k < dims[2]; ++k)
    for (int64_t j = 0; j < dims[1]; ++j)
      for (int64_t i = 0; i < dims[0]; ++i)
        cut[static_cast<size_t>((k * dims[1] + j) * dims[0] + i)] =
            p.mask[static_cast<size_t>((k * p.dims[1] + j) * p.dims[0] + i)];
  Geometry g;  // identity: the extent is exactly -0.5 .. dims - 0.5 mm
  mesh::SurfaceOptions o;
  o.smoothingIterations = 40;
  o.passBand = 0.01;
  auto m = mesh::segmentSurface(cut.data(), dims, g, o);
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_TRUE(test::checkEdges(*m).closed);
  float lo[3] = {1e9f, 1e9f, 1e9f}, hi[3] = {-1e9f, -1e9f, -1e9f};
  for (const auto& q : m->points)
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], q[a]), hi[a] = std::max(hi[a], q[a]);
  EXPECT_LE(hi[0], float(dims[0]) - 0.5f);
  EXPECT_LE(hi[2], float(dims[2]) - 0.5f);
  EXPECT_GE(hi[0], float(dims[0]) - 0.5f - 1e-4f);  // the cut face lies on the extent
  EXPECT_GE(hi[2], float(dims[2]) - 0.5f - 1e-4f);
  for (int a = 0; a < 3; ++a) EXPECT_GE(lo[a], -0.5f);
}

TEST(MeshSurface, DecimationRemovesAboutTheTargetAndTheCapHolds) {
  const Phantom p = rotated();
  mesh::SurfaceOptions o;
  o.targetReduction = 0;
  auto full = mesh::segmentSurface(p.mask.data(), p.dims, p.g, o);
  ASSERT_TRUE(full.ok()) << full.error().str();
  for (double r : {0.5, 0.8}) {
    o.targetReduction = r;
    auto m = mesh::segmentSurface(p.mask.data(), p.dims, p.g, o);
    ASSERT_TRUE(m.ok()) << m.error().str();
    EXPECT_NEAR(double(m->triangles.size()) / double(full->triangles.size()), 1 - r, 0.05) << r;
    EXPECT_TRUE(test::checkEdges(*m).closed) << r;
  }
  o.targetReduction = 0.5;
  o.maxTriangles = 2000;
  auto capped = mesh::segmentSurface(p.mask.data(), p.dims, p.g, o);
  ASSERT_TRUE(capped.ok()) << capped.error().str();
  EXPECT_LE(capped->triangles.size(), 2000u);
  EXPECT_GT(capped->triangles.size(), 1500u);
  EXPECT_TRUE(test::checkEdges(*capped).closed);
}

TEST(MeshSurface, SegmentationFormNamesAndColoursTheMesh) {
  const Phantom p = rotated();
  Segmentation s(p.dims, p.g);
  Segment meta;
  meta.name = "Sphere";
  meta.rgb = {10, 200, 30};
  auto added = s.addSegment(meta, p.mask.data());
  ASSERT_TRUE(added.ok()) << added.error().str();
  auto m = mesh::segmentSurface(s, *added);
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(m->name, "Sphere");
  EXPECT_EQ(m->rgb, (std::array<uint8_t, 3>{10, 200, 30}));
  auto direct = mesh::segmentSurface(p.mask.data(), p.dims, p.g);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(m->triangles, direct->triangles);
  EXPECT_EQ(m->points, direct->points);
  auto all = mesh::segmentSurfaces(s);
  ASSERT_TRUE(all.ok()) << all.error().str();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].triangles.size(), m->triangles.size());
  auto missing = mesh::segmentSurface(s, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "mesh.bad_input");
}

TEST(MeshSurface, EmptyMaskBadInputAndCancel) {
  const std::array<int64_t, 3> dims{5, 6, 7};
  std::vector<uint8_t> zeros(5 * 6 * 7, 0);
  auto empty = mesh::segmentSurface(zeros.data(), dims, Geometry{});
  ASSERT_TRUE(empty.ok()) << empty.error().str();
  EXPECT_TRUE(empty->empty());
  EXPECT_TRUE(empty->points.empty());

  auto bad = mesh::segmentSurface(zeros.data(), {5, 0, 7}, Geometry{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "mesh.bad_dims");
  auto null = mesh::segmentSurface(nullptr, dims, Geometry{});
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().code, "mesh.bad_input");
  Geometry flat;
  flat.spacingMm.z = 0;
  std::vector<uint8_t> one(zeros);
  one[100] = 1;
  auto singular = mesh::segmentSurface(one.data(), dims, flat);
  ASSERT_FALSE(singular.ok());
  EXPECT_EQ(singular.error().code, "mesh.bad_input");
  mesh::SurfaceOptions o;
  o.targetReduction = 1;
  auto badOption = mesh::segmentSurface(one.data(), dims, Geometry{}, o);
  ASSERT_FALSE(badOption.ok());
  EXPECT_EQ(badOption.error().code, "mesh.bad_options");

  Progress progress;
  progress.cancel();
  auto cancelled = mesh::segmentSurface(one.data(), dims, Geometry{}, {}, &progress);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, "mesh.cancelled");
  Progress fresh;
  auto done = mesh::segmentSurface(one.data(), dims, Geometry{}, {}, &fresh);
  ASSERT_TRUE(done.ok()) << done.error().str();
  EXPECT_FALSE(done->empty());  // a single voxel still has a closed surface
  EXPECT_TRUE(test::checkEdges(*done).closed);
  EXPECT_EQ(fresh.done(), fresh.total());
}

// A cancel while the decimation runs stops it inside its loop, not after it (VTK 9.1's decimation
// checks AbortExecute as it goes; its windowed-sinc smoothing does not, so a cancel there waits for
// the smoothing's end). A ball of 60 voxels' radius (about 90,000 triangles), no smoothing, 90 %
// of the triangles removed; a watcher notes when the progress reaches the decimation's start (3)
// and end (4). Whole, the decimation takes D; cancelled at its start, the call returns within a
// quarter of D (without the abort it would run all of D), with mesh.cancelled and no mesh.
TEST(MeshSurface, ACancelStopsTheDecimationInsideItsLoop) {
  using Clock = std::chrono::steady_clock;
  const std::array<int64_t, 3> dims{128, 128, 128};
  std::vector<uint8_t> ball(static_cast<size_t>(dims[0] * dims[1] * dims[2]), 0);
  for (int64_t z = 0; z < dims[2]; ++z)
    for (int64_t y = 0; y < dims[1]; ++y)
      for (int64_t x = 0; x < dims[0]; ++x) {
        const double dx = x - 63.5, dy = y - 63.5, dz = z - 63.5;
        ball[static_cast<size_t>((z * dims[1] + y) * dims[0] + x)] = dx * dx + dy * dy + dz * dz <= 60.0 * 60.0;
      }
  mesh::SurfaceOptions o;
  o.smoothingIterations = 0;
  o.targetReduction = 0.9;
  // Runs the surface while a watcher notes the times of steps 3 and 4 (cancelling at 3 if asked).
  auto run = [&](bool cancelAtDecimation, Clock::time_point& at3, Clock::time_point& at4) {
    Progress progress;
    std::atomic<bool> finished{false};
    at3 = at4 = Clock::time_point{};
    std::thread watcher([&] {
      while (!finished && progress.done() < 4) {
        if (progress.done() >= 3 && at3 == Clock::time_point{}) {
          at3 = Clock::now();
          if (cancelAtDecimation) progress.cancel();
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      if (progress.done() >= 4) at4 = Clock::now();
    });
    auto m = mesh::segmentSurface(ball.data(), dims, Geometry{}, o, &progress);
    const auto end = Clock::now();
    finished = true;
    watcher.join();
    if (at4 == Clock::time_point{}) at4 = end;
    return std::make_pair(std::move(m), end);
  };
  Clock::time_point s3, s4, c3, c4;
  auto whole = run(false, s3, s4);
  ASSERT_TRUE(whole.first.ok()) << whole.first.error().str();
  ASSERT_NE(s3, Clock::time_point{});
  const double decimation = std::chrono::duration<double>(s4 - s3).count();
  ASSERT_GT(decimation, 0.05) << "the decimation is too short to tell an abort from its end";
  auto cancelled = run(true, c3, c4);
  ASSERT_FALSE(cancelled.first.ok());
  EXPECT_EQ(cancelled.first.error().code, "mesh.cancelled");
  ASSERT_NE(c3, Clock::time_point{});
  const double afterCancel = std::chrono::duration<double>(cancelled.second - c3).count();
  EXPECT_LT(afterCancel, decimation / 4) << "decimation " << decimation << " s, returned " << afterCancel
                                         << " s after the cancel";
}
