// SPDX-License-Identifier: MIT
// ROI values on synthetic volumes with analytic patterns: a constant disc, a linear ramp (mean and
// sample SD in closed form), lattice counts done here point by point, an oblique plane through a
// linear field, the rescale, the volume's edge, 4D phases and SUVbw.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <cvx/viewstate/measure.h>
#include <cvx/viewstate/suv.h>

#include "measure_test_util.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::axialAt;
using cvx::test::floatVolume;
using cvx::test::shape;

namespace {

// Ellipse test written out: inside when ((x - cx) / a)^2 + ((y - cy) / b)^2 <= 1.
bool inEllipse(double x, double y, double cx, double cy, double a, double b) {
  return std::pow((x - cx) / a, 2) + std::pow((y - cy) / b, 2) <= 1;
}

}  // namespace

TEST(MeasureStats, ConstantDiscGivesItsValueWithNoSpread) {
  // 100 HU inside a 10-voxel radius around (20, 20), -50 outside; 1 mm voxels.
  const auto v = floatVolume({40, 40, 5}, {1, 1, 1}, {0, 0, 0}, [](int64_t i, int64_t j, int64_t) {
    return (i - 20) * (i - 20) + (j - 20) * (j - 20) <= 100 ? 100.0 : -50.0;
  });
  // A circle of radius 5 mm centred on voxel (20, 20, 2), drawn by its box's corners.
  const auto r = measure(shape(MeasureKind::Ellipse, axialAt({20, 20, 2}), {{15, 15, 2}, {25, 25, 2}}), *v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  ASSERT_TRUE(r->stats.has_value());
  int64_t lattice = 0;  // voxel centres with i^2 + j^2 <= 25 around the centre
  for (int i = -5; i <= 5; ++i)
    for (int j = -5; j <= 5; ++j) lattice += i * i + j * j <= 25;
  EXPECT_EQ(lattice, 81);
  EXPECT_EQ(r->stats->count, lattice);
  EXPECT_EQ(r->stats->mean, 100);
  EXPECT_EQ(r->stats->sd, 0);
  EXPECT_EQ(r->stats->min, 100);
  EXPECT_EQ(r->stats->max, 100);
  EXPECT_EQ(r->statsUnit, "HU");
  EXPECT_NEAR(r->value, std::numbers::pi * 25, 1e-9);
  EXPECT_EQ(r->unit, "mm2");
}

TEST(MeasureStats, LinearRampMeanAndSampleSdInClosedForm) {
  // Stored int16 2i + j, modality value 0.5 * stored - 10 = i + j/2 - 10 (slope and intercept).
  auto v0 = Volume::create(PixelType::Int16, {16, 12, 3, 1});
  ASSERT_TRUE(v0.ok());
  Volume& v = **v0;
  v.geometry.spacingMm = {0.8, 1.3, 2.0};
  v.geometry.originMm = {-5, 7, 30};
  v.info.rescaleSlope = 0.5;
  v.info.rescaleIntercept = -10;
  v.info.units = "HU";
  for (int64_t k = 0; k < 3; ++k)
    for (int64_t j = 0; j < 12; ++j)
      for (int64_t i = 0; i < 16; ++i) v.as<int16_t>()[(k * 12 + j) * 16 + i] = static_cast<int16_t>(2 * i + j);
  // The rectangle from voxel centre (3, 4, 1) to (12, 9, 1): i in 3..12, j in 4..9.
  const Vec3 a = v.geometry.worldAt(3, 4, 1), b = v.geometry.worldAt(12, 9, 1);
  const auto r = measure(shape(MeasureKind::Rectangle, axialAt(a), {a, b}), v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const double n = 10 * 6;
  EXPECT_EQ(r->stats->count, 60);
  // Mean: i averages 7.5, j averages 6.5. Variance over the product grid: var(i) + var(j)/4 with
  // var of m consecutive integers (m^2 - 1) / 12; the sample SD scales it by n / (n - 1).
  EXPECT_NEAR(r->stats->mean, 7.5 + 6.5 / 2 - 10, 1e-9);
  const double population = (100.0 - 1) / 12 + (36.0 - 1) / 12 / 4;
  EXPECT_NEAR(r->stats->sd, std::sqrt(population * n / (n - 1)), 1e-9);
  EXPECT_NEAR(r->stats->min, 3 + 2 - 10, 1e-9);
  EXPECT_NEAR(r->stats->max, 12 + 4.5 - 10, 1e-9);
  EXPECT_NEAR(r->value, (9 * 0.8) * (5 * 1.3), 1e-9);
}

TEST(MeasureStats, EllipseCountsTheVoxelCentresInsideIt) {
  // An ellipse not aligned with voxel centres, anisotropic voxels: counted here point by point.
  const Vec3 sp{0.7, 0.9, 3};
  const auto v = floatVolume({40, 40, 3}, sp, {0, 0, 0}, [](int64_t i, int64_t j, int64_t) { return i + 100.0 * j; });
  const double cx = 10.3, cy = 12.1, a = 4.1, b = 3.3, z = 3;
  const auto r = measure(shape(MeasureKind::Ellipse, axialAt({0, 0, z}), {{cx - a, cy - b, z}, {cx + a, cy + b, z}}), *v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  int64_t count = 0;
  double sum = 0;
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j)
      if (inEllipse(i * sp.x, j * sp.y, cx, cy, a, b)) ++count, sum += i + 100.0 * j;
  EXPECT_GT(count, 50);
  EXPECT_EQ(r->stats->count, count);
  EXPECT_NEAR(r->stats->mean, sum / count, 1e-6);
}

TEST(MeasureStats, FreehandPolygonCountsTheVoxelsItEncloses) {
  // An L with its vertices between voxel centres: 6 x 6 voxels less the 3 x 3 corner, 27 voxels.
  const auto v = floatVolume({20, 20, 1}, {1, 1, 1}, {0, 0, 0}, [](int64_t i, int64_t j, int64_t) { return 3.0 * i - j; });
  const double z = 0;
  const auto r = measure(shape(MeasureKind::Freehand, axialAt({0, 0, z}),
                               {{1.5, 2.5, z}, {7.5, 2.5, z}, {7.5, 5.5, z}, {4.5, 5.5, z}, {4.5, 8.5, z}, {1.5, 8.5, z}}),
                         *v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  int64_t count = 0;
  double sum = 0, lo = 1e9, hi = -1e9;
  for (int i = 2; i <= 7; ++i)
    for (int j = 3; j <= 8; ++j) {
      if (i >= 5 && j >= 6) continue;  // the missing corner
      ++count, sum += 3.0 * i - j, lo = std::min(lo, 3.0 * i - j), hi = std::max(hi, 3.0 * i - j);
    }
  EXPECT_EQ(count, 27);
  EXPECT_EQ(r->stats->count, 27);
  EXPECT_NEAR(r->stats->mean, sum / 27, 1e-9);
  EXPECT_EQ(r->stats->min, lo);
  EXPECT_EQ(r->stats->max, hi);
  EXPECT_NEAR(r->value, 27, 1e-12);
}

TEST(MeasureStats, ObliquePlaneThroughALinearFieldAveragesToItsCentre) {
  // f = 2x + 3y - z (mm) is linear, so trilinear sampling reproduces it, and the mean over points
  // placed symmetrically about the ROI's centre is f at the centre.
  const auto v = floatVolume({40, 40, 40}, {1, 1, 1}, {0, 0, 0},
                             [](int64_t i, int64_t j, int64_t k) { return 2.0 * i + 3.0 * j - 1.0 * k; });
  const double t = 30 * std::numbers::pi / 180;
  Plane pl;
  pl.center = {20, 20, 20};  // a voxel centre
  pl.right = {std::cos(t), 0, std::sin(t)};
  pl.down = {0, 1, 0};
  const Vec3 c = pl.center;
  const auto r = measure(shape(MeasureKind::Ellipse, pl, {c - pl.right * 6.0 - pl.down * 4.0, c + pl.right * 6.0 + pl.down * 4.0}), *v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const double fc = 2 * 20 + 3 * 20 - 20;
  EXPECT_NEAR(r->stats->mean, fc, 1e-3);
  // Along right f changes 2cos t - sin t per mm, along down 3: the extremes lie within the ellipse.
  const double reach = std::hypot(6 * (2 * std::cos(t) - std::sin(t)), 4 * 3.0);
  EXPECT_GE(r->stats->min, fc - reach - 1e-3);
  EXPECT_LE(r->stats->max, fc + reach + 1e-3);
  // One point per voxel step: along right the step is 1/cos(30) mm (x changes fastest), down 1 mm.
  EXPECT_NEAR(gridStepMm(v->geometry, pl.right), 1 / std::cos(t), 1e-12);
}

TEST(MeasureStats, OnlyPointsInsideTheVolumeCount) {
  const auto v = floatVolume({10, 10, 1}, {1, 1, 1}, {0, 0, 0}, [](int64_t, int64_t, int64_t) { return 7.0; });
  const auto r = measure(shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{-5, -5, 0}, {4, 4, 0}}), *v);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats->count, 25);  // voxels 0..4 x 0..4
  EXPECT_EQ(r->stats->mean, 7);
  const auto out = measure(shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{-9, -9, 0}, {-3, -3, 0}}), *v);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->stats->count, 0);
  EXPECT_TRUE(std::isnan(out->stats->mean));
  // One point: no sample SD.
  const auto one = measure(shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{3, 3, 0}, {3.2, 3.2, 0}}), *v);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->stats->count, 1);
  EXPECT_TRUE(std::isnan(one->stats->sd));
}

TEST(MeasureStats, MeasuresItsOwnPhase) {
  auto v0 = Volume::create(PixelType::Float32, {4, 4, 1, 3});
  ASSERT_TRUE(v0.ok());
  Volume& v = **v0;
  v.info.rescaleApplied = true;
  for (int64_t t = 0; t < 3; ++t)
    for (int64_t i = 0; i < 16; ++i) v.as<float>()[t * 16 + i] = static_cast<float>(10 * t + 1);
  auto m = shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{0, 0, 0}, {3, 3, 0}});
  m.phase = 2;
  const auto r = measure(m, v);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats->mean, 21);
  m.phase = 3;
  EXPECT_EQ(measure(m, v).error().code, "measure.bad_phase");
}

namespace {
// A PET of 5000 + 100 i Bq/ml with the SUV inputs: ADMIN (no decay), SUV = Bq/ml * 75000 g / 370e6 Bq.
std::shared_ptr<Volume> petRamp() {
  auto v = floatVolume({10, 10, 1}, {4, 4, 3}, {0, 0, 0}, [](int64_t i, int64_t, int64_t) { return 5000.0 + 100 * i; });
  v->info.modality = "PT";
  v->info.units = "BQML";
  v->info.pet.units = "BQML";
  v->info.pet.patientWeightKg = 75.0;
  v->info.pet.injectedDoseBq = 370e6;
  v->info.pet.decayCorrection = "ADMIN";
  return v;
}
}  // namespace

TEST(MeasureStats, PetRoiAlsoInSuvWhenTheFactorIsKnown) {
  auto v = petRamp();
  const auto m = shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{4, 4, 0}, {12, 8, 0}});  // i 1..3, j 1..2
  const auto r = measure(m, *v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const double f = 75000.0 / 370e6;
  EXPECT_EQ(r->stats->count, 6);
  EXPECT_NEAR(r->stats->mean, 5200, 1e-9);
  EXPECT_EQ(r->statsUnit, "BQML");
  ASSERT_TRUE(r->suv.has_value());
  EXPECT_NEAR(r->suv->mean, 5200 * f, 1e-9);
  EXPECT_NEAR(r->suv->min, 5100 * f, 1e-9);
  EXPECT_NEAR(r->suv->max, 5300 * f, 1e-9);
  EXPECT_NEAR(r->suv->sd, r->stats->sd * f, 1e-12);
  EXPECT_TRUE(r->suvError.empty());
  v->info.pet.patientWeightKg.reset();
  const auto noWeight = measure(m, *v);
  ASSERT_TRUE(noWeight.ok());
  EXPECT_FALSE(noWeight->suv.has_value());
  EXPECT_EQ(noWeight->suvError, "suv.missing_input");
  EXPECT_FALSE(noWeight->sul.has_value());  // SUVbw's error comes first
  EXPECT_EQ(noWeight->sulError, "suv.missing_input");
}

TEST(MeasureStats, PetRoiAlsoInSulWhenHeightAndSexAreKnown) {
  auto v = petRamp();  // SUVbw factor 75000 g / 370e6 Bq
  v->info.pet.patientHeightM = 1.75;
  v->info.patientSex = "M";
  // Janmahasatian, male, by hand: BMI = 75 / 1.75^2 = 75 / 3.0625 = 24.4897959;
  // 216 x BMI = 5289.79592, 6680 + 5289.79592 = 11969.79592;
  // LBM = 9270 x 75 / 11969.79592 = 695250 / 11969.79592 = 58.0836971 kg.
  const double lbm = 58.0836971;
  // SUL factor = SUVbw factor x LBM / W = (75000 / 370e6) x 58.0836971 / 75 = 58083.6971 / 370e6.
  const double k = 58083.6971 / 370e6;  // 1.56982965e-4 g/Bq
  EXPECT_NEAR(k, 75000.0 / 370e6 * lbm / 75.0, 1e-13);
  const auto m = shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{4, 4, 0}, {12, 8, 0}});  // i 1..3, j 1..2
  const auto r = measure(m, *v);
  ASSERT_TRUE(r.ok()) << r.error().str();
  // Values 5100, 5200, 5300 twice: mean 5200, sample SD sqrt(4 x 100^2 / 5) = sqrt(8000).
  EXPECT_EQ(r->stats->count, 6);
  EXPECT_NEAR(r->stats->sd, std::sqrt(8000.0), 1e-9);
  ASSERT_TRUE(r->sul.has_value()) << r->sulError;
  EXPECT_TRUE(r->sulError.empty());
  EXPECT_EQ(r->sul->count, 6);
  EXPECT_NEAR(r->sul->mean, 5200 * k, 1e-8);  // 0.816311
  EXPECT_NEAR(r->sul->min, 5100 * k, 1e-8);   // 0.800613
  EXPECT_NEAR(r->sul->max, 5300 * k, 1e-8);   // 0.832010
  EXPECT_NEAR(r->sul->sd, std::sqrt(8000.0) * k, 1e-9);  // 0.0140410
  ASSERT_TRUE(r->suv.has_value());  // SUVbw unchanged beside it
  EXPECT_NEAR(r->suv->mean, 5200 * 75000.0 / 370e6, 1e-9);
  v->info.patientSex = "O";  // the formula has no other sex
  const auto other = measure(m, *v);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->sul.has_value());
  EXPECT_EQ(other->sulError, "suv.sul_missing_input");
  EXPECT_TRUE(other->suv.has_value());
}
