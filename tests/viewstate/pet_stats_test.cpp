// SPDX-License-Identifier: MIT
// A segment's PET uptake (cvx/viewstate/pet_stats.h) on a phantom whose SUV falls linearly from a
// peak: SUV(p) = 10 - 0.2 |p - c| on a grid of 4 mm voxels, c a voxel centre, stored as Bq/ml
// (SUV / factor) with a rescale. Expected values from the geometry, written out here:
// - SUVmax 10 (the voxel at c);
// - SUVpeak: the 1 cm^3 ball (r = 6.2035 mm) about c holds c, its 6 face neighbours (4 mm) and its
//   12 edge neighbours (4 sqrt 2 = 5.657 mm), not the corners (6.93 mm):
//   (10 + 6 (10 - 0.8) + 12 (10 - 0.2 * 5.657)) / 19;
// - SUVmean over a 30 mm ball: 10 - 0.2 * 3/4 * 30 = 5.5 for the continuous ball (the mean distance
//   from the centre of a ball is 3/4 of its radius), within the voxelisation's error;
// - SUVsd over the 30 mm ball: the SD of the distance from the centre of a ball of radius R is
//   R sqrt(3/5 - 9/16) = R sqrt(3/80) (E r = 3R/4, E r^2 = 3R^2/5), so 0.2 x 30 x sqrt(3/80) = 1.1619;
// - TLG = SUVmean x MTV, MTV the segment's volume.
// The same ball drawn on a finer grid (a CT's, 1 x 1 x 2 mm, shifted so that c is none of its voxel
// centres) gives the same SUVmax and SUVpeak (both are read at the PET voxel centres that lie in the
// segment), and SUVmean and MTV within the voxelisation's error.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/viewstate/pet_stats.h>

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr double kFactor = 0.0025;  // SUV per Bq/ml
constexpr int kN = 31;              // PET voxels per axis; c at voxel 15
const Vec3 kOrigin{-60, -60, -60};  // so c = (0, 0, 0)

double suvAt(Vec3 p) { return 10 - 0.2 * norm(p); }

std::shared_ptr<Volume> pet() {
  auto v = Volume::create(PixelType::Int16, {kN, kN, kN, 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = {4, 4, 4};
  (*v)->geometry.originMm = kOrigin;
  (*v)->info.rescaleSlope = 2;  // Bq/ml = 2 * stored
  int16_t* p = (*v)->as<int16_t>();
  for (int z = 0, i = 0; z < kN; ++z)
    for (int y = 0; y < kN; ++y)
      for (int x = 0; x < kN; ++x, ++i) {
        const double bq = std::max(0.0, suvAt((*v)->geometry.worldAt(x, y, z))) / kFactor;
        p[i] = static_cast<int16_t>(std::lround(bq / 2));  // SUV 10: 4000 Bq/ml: 2000 stored, exact
      }
  return *v;
}

// A segmentation on g holding the 30 mm ball about c.
Segmentation ballOn(const std::array<int64_t, 3>& dims, const Geometry& g) {
  Segmentation s(dims, g);
  std::vector<uint8_t> m(static_cast<size_t>(dims[0] * dims[1] * dims[2]), 0);
  for (int64_t z = 0, i = 0; z < dims[2]; ++z)
    for (int64_t y = 0; y < dims[1]; ++y)
      for (int64_t x = 0; x < dims[0]; ++x, ++i) m[static_cast<size_t>(i)] = norm(g.worldAt(double(x), double(y), double(z))) <= 30;
  Segment meta;
  meta.name = "lesion";
  EXPECT_TRUE(s.addSegment(meta, m.data()).ok());
  return s;
}

const double kPeak = (10 + 6 * (10 - 0.8) + 12 * (10 - 0.2 * 4 * std::sqrt(2.0))) / 19;
const double kBallMl = 4.0 / 3.0 * M_PI * 30 * 30 * 30 / 1000;
const double kBallSd = 0.2 * 30 * std::sqrt(3.0 / 80.0);

}  // namespace

TEST(PetStats, OnThePetsGridPeakMaxMeanAndTlgFollowTheGeometry) {
  const auto v = pet();
  const Segmentation s = ballOn({kN, kN, kN}, v->geometry);
  auto r = petStats(s, 0, *v, 0, kFactor);
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_NEAR(r->suvMax, 10, 1e-9);
  EXPECT_NEAR(r->suvPeak, kPeak, 2e-3);  // stored values rounded to 2 Bq/ml: 0.005 SUV
  EXPECT_NEAR(r->suvMean, 5.5, 0.1);
  EXPECT_NEAR(r->suvSd, kBallSd, 0.04 * kBallSd);
  EXPECT_LT(norm(r->maxAt), 1e-9) << "SUVmax at c, the origin";
  EXPECT_LT(norm(r->peakAt), 1e-9) << "the hottest 1 cm^3 ball is centred on c";
  EXPECT_NEAR(r->mtvMl, kBallMl, 0.03 * kBallMl);
  EXPECT_NEAR(r->tlg, r->suvMean * r->mtvMl, 1e-9);
  EXPECT_EQ(r->voxels, s.voxelCount(0));
}

TEST(PetStats, OnAFinerGridOfTheSameFrameTheSameBallGivesTheSameUptake) {
  const auto v = pet();
  Geometry ct;
  ct.spacingMm = {1, 1, 2};
  ct.originMm = {-40.3, -40.6, -40.5};  // c between voxel centres on every axis
  const Segmentation s = ballOn({81, 81, 41}, ct);
  auto r = petStats(s, 0, *v, 0, kFactor);
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_NEAR(r->suvMax, 10, 1e-9);
  EXPECT_NEAR(r->suvPeak, kPeak, 2e-3);
  EXPECT_NEAR(r->suvMean, 5.5, 0.1);
  EXPECT_NEAR(r->suvSd, kBallSd, 0.02 * kBallSd);
  EXPECT_LT(norm(r->maxAt), 1e-9) << "a PET voxel centre: c, whatever grid the segment is on";
  EXPECT_LT(norm(r->peakAt), 1e-9);
  EXPECT_NEAR(r->mtvMl, kBallMl, 0.01 * kBallMl);
  // A segment reaching past the PET's box: only its centres inside the box count, in MTV too.
  Geometry wide = ct;
  wide.originMm = {-100.75, -40, -40};  // x from -100.75 mm: the PET's box starts at -62 mm, between two
  Segmentation s2(std::array<int64_t, 3>{81, 81, 41}, wide);
  std::vector<uint8_t> all(static_cast<size_t>(81 * 81 * 41), 1);
  ASSERT_TRUE(s2.addSegment(Segment{}, all.data()).ok());
  auto r2 = petStats(s2, 0, *v, 0, kFactor);
  ASSERT_TRUE(r2.ok());
  int64_t inside = 0;
  for (int64_t x = 0; x < 81; ++x) inside += wide.worldAt(double(x), 0, 0).x >= -62;
  EXPECT_EQ(r2->voxels, inside * 81 * 41);
  EXPECT_NEAR(r2->mtvMl, r2->voxels * 2.0 / 1000, 1e-9);
  EXPECT_NEAR(r2->tlg, r2->suvMean * r2->mtvMl, 1e-9);
  // It ends at x = -20.75 mm: its PET voxel centre nearest c is (-24, 0, 0) (its nearest voxel of
  // it is 0.25 mm away); (-20, 0, 0) is 0.75 mm past its last voxel centre.
  EXPECT_NEAR(r2->suvMax, 10 - 0.2 * 24, 2e-3);
  EXPECT_LT(norm(r2->maxAt - Vec3{-24, 0, 0}), 1e-9) << "there";
}

TEST(PetStats, ErrorsAndAnEmptySegment) {
  const auto v = pet();
  Segmentation s = ballOn({kN, kN, kN}, v->geometry);
  EXPECT_EQ(petStats(s, 1, *v, 0, kFactor).error().code, "seg.edit_bad_segment");
  EXPECT_EQ(petStats(s, 0, *v, 1, kFactor).error().code, "seg.stats_grid_mismatch");
  EXPECT_EQ(petStats(s, 0, *v, 0, 0).error().code, "seg.stats_grid_mismatch");
  std::vector<uint8_t> none(static_cast<size_t>(kN * kN * kN), 0);
  ASSERT_TRUE(s.addSegment(Segment{}, none.data()).ok());
  auto r = petStats(s, 1, *v, 0, kFactor);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->voxels, 0);
  EXPECT_EQ(r->suvMax, 0);
  EXPECT_EQ(r->tlg, 0);
}
