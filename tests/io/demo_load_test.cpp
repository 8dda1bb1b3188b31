// The demo study through cvx::io (scan, planSeries, loadSeries): every series loads with the
// geometry and content that docs/demo.md gives analytically.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include <cvx/io/dicom.h>

#include "demo_test_util.h"

namespace cvx::test {
namespace {

struct Loaded {
  io::ScanResult scan;
  std::map<std::string, io::SeriesPlan> byDescriptionPrefix;  // "CT", "PET", "MR4D", "OBLIQUE", "MONO1"
};

const Loaded& loaded() {
  static Loaded l = [] {
    Loaded out;
    auto s = io::scan(DemoStudy::get().dir());
    if (!s.ok()) return out;
    out.scan = std::move(s.value());
    for (auto& p : io::planSeries(out.scan).series) {
      const std::string& d = p.info.seriesDescription;
      const std::string key = d.find("PET") != std::string::npos        ? "PET"
                              : d.find("4D") != std::string::npos       ? "MR4D"
                              : d.find("oblique") != std::string::npos  ? "OBLIQUE"
                              : d.find("MONOCHROME1") != std::string::npos ? "MONO1"
                                                                          : "CT";
      out.byDescriptionPrefix[key] = std::move(p);
    }
    return out;
  }();
  return l;
}

std::shared_ptr<Volume> load(const std::string& key) {
  const auto& l = loaded();
  auto it = l.byDescriptionPrefix.find(key);
  if (it == l.byDescriptionPrefix.end()) return nullptr;
  auto v = io::loadSeries(l.scan, it->second);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().str());
  return v.ok() ? v.value() : nullptr;
}

// Modality value of the voxel whose centre is nearest to patient point p (NaN outside).
double valueAt(const Volume& v, Vec3 p, int64_t t = 0) {
  const Vec3 ijk = v.geometry.voxelFromWorld().applyPoint(p);
  const int64_t i = std::lround(ijk.x), j = std::lround(ijk.y), k = std::lround(ijk.z);
  const auto& d = v.dims();
  if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2]) return NAN;
  const double s = v.valueAt(i, j, k, t);
  return v.info.rescaleApplied ? s : s * v.info.rescaleSlope + v.info.rescaleIntercept;
}

// Patient-space centroid (via worldFromVoxel) of the voxels holding exactly `value`.
Vec3 centroidOf(const Volume& v, double value, int64_t t, int& count) {
  const auto& d = v.dims();
  Vec3 sum;
  count = 0;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i)
        if (v.valueAt(i, j, k, t) == value) sum = sum + Vec3{double(i), double(j), double(k)}, ++count;
  if (count == 0) return {};
  return v.geometry.worldFromVoxel().applyPoint(sum * (1.0 / count));
}

TEST(DemoLoad, ScanFindsFiveSeriesAndSkipsNothing) {
  CVX_REQUIRE_DEMO(DemoStudy::get());
  const auto& l = loaded();
  EXPECT_EQ(l.scan.files.size(), 120u + 60u + 240u + 40u + 8u);
  EXPECT_TRUE(l.scan.skipped.empty());
  ASSERT_EQ(l.byDescriptionPrefix.size(), 5u);
  const std::map<std::string, std::array<int64_t, 4>> dims = {{"CT", {256, 256, 120, 1}},
      {"PET", {128, 128, 60, 1}}, {"MR4D", {96, 96, 24, 10}}, {"OBLIQUE", {160, 200, 40, 1}},
      {"MONO1", {128, 128, 8, 1}}};
  for (const auto& [key, d] : dims) EXPECT_EQ(l.byDescriptionPrefix.at(key).dims, d) << key;
}

TEST(DemoLoad, CtAndPetShareFrameAndPointToTheSameLesion) {
  CVX_REQUIRE_DEMO(DemoStudy::get());
  const auto ct = load("CT"), pet = load("PET");
  ASSERT_TRUE(ct && pet);
  EXPECT_EQ(ct->info.frameOfReferenceUid, pet->info.frameOfReferenceUid);
  EXPECT_EQ(ct->info.studyInstanceUid, pet->info.studyInstanceUid);
  EXPECT_NEAR(ct->geometry.spacingMm.x, 0.9, 1e-9);
  EXPECT_NEAR(ct->geometry.spacingMm.y, 0.9, 1e-9);
  EXPECT_NEAR(ct->geometry.spacingMm.z, 2.0, 1e-9);
  EXPECT_EQ(valueAt(*ct, {-50, -5, 0}), 60);      // lesion
  EXPECT_EQ(valueAt(*ct, {-45, -5, -22}), 100);   // liver, patient right
  EXPECT_EQ(valueAt(*ct, {50, -15, -10}), 30);    // stomach, patient left
  EXPECT_EQ(valueAt(*ct, {55, -10, 80}), 30);     // lung nodule
  EXPECT_EQ(valueAt(*ct, {50, 0, 100}), -800);    // left lung
  // SUVbw from the loaded header: decayed dose over weight (docs/demo.md: 3377.5224 Bq/ml per SUV).
  const auto& dose = pet->info.pet;
  ASSERT_TRUE(dose.patientWeightKg && dose.injectedDoseBq && dose.halfLifeS);
  const double bqmlPerSuv = *dose.injectedDoseBq * std::exp2(-3600.0 / *dose.halfLifeS) / (*dose.patientWeightKg * 1000);
  EXPECT_NEAR(bqmlPerSuv, 3377.5224, 1e-3);
  EXPECT_NEAR(valueAt(*pet, {-50, -5, 0}) / bqmlPerSuv, 8.0, 1e-3);
  EXPECT_NEAR(valueAt(*pet, {-45, -5, -22}) / bqmlPerSuv, 2.0, 1e-3);
  EXPECT_NEAR(valueAt(*pet, {55, -10, 80}) / bqmlPerSuv, 4.0, 1e-3);
}

TEST(DemoLoad, FourDSeriesHasTenPhasesAndTheBlobMoves) {
  CVX_REQUIRE_DEMO(DemoStudy::get());
  const auto mr = load("MR4D");
  ASSERT_TRUE(mr);
  ASSERT_EQ(mr->dims()[3], 10);
  ASSERT_EQ(mr->timesMs.size(), 10u);
  for (int t = 0; t < 10; ++t) {
    EXPECT_NEAR(mr->timesMs[t] - mr->timesMs[0], 80.0 * t, 1e-6) << t;
    int n = 0;
    const Vec3 c = centroidOf(*mr, 800, t, n);
    ASSERT_GT(n, 0) << t;
    EXPECT_LT(norm(c - Vec3{-40.0 + 8.0 * t, 40, 0}), 1.25) << "phase " << t;  // half a 2.5 mm voxel
  }
  // Beating: the blood pool (1000) holds more voxels at t = 0 (r 35 mm) than at t = 5 (r 15 mm).
  int n0 = 0, n5 = 0;
  centroidOf(*mr, 1000, 0, n0);
  centroidOf(*mr, 1000, 5, n5);
  EXPECT_GT(n0, 5 * n5);
}

TEST(DemoLoad, ObliqueMarkersMapToTheirPatientPositions) {
  CVX_REQUIRE_DEMO(DemoStudy::get());
  const auto v = load("OBLIQUE");
  ASSERT_TRUE(v);
  EXPECT_NEAR(v->geometry.spacingMm.x, 0.8, 1e-9);  // between columns
  EXPECT_NEAR(v->geometry.spacingMm.y, 0.5, 1e-9);  // between rows
  EXPECT_NEAR(v->geometry.spacingMm.z, 2.5, 1e-6);
  const std::pair<double, Vec3> markers[] = {{1000, {30, 0, 0}}, {700, {0, -30, 0}}, {400, {0, 0, 30}}};
  for (const auto& [value, where] : markers) {
    int n = 0;
    const Vec3 c = centroidOf(*v, value, 0, n);
    ASSERT_GT(n, 0) << value;
    EXPECT_LT(norm(c - where), 0.25) << "marker " << value;  // half the smallest spacing
  }
  EXPECT_EQ(valueAt(*v, {30, 0, 0}), 1000);
  EXPECT_EQ(valueAt(*v, {-30, 0, 0}), 100);  // no sphere on the patient's right
  EXPECT_EQ(valueAt(*v, {-41, 20, 0}), 500);  // the L's stem
  EXPECT_EQ(valueAt(*v, {-25, 37, 10}), 500); // the L's foot
}

TEST(DemoLoad, Monochrome1KeepsStoredValuesAndSaysSo) {
  CVX_REQUIRE_DEMO(DemoStudy::get());
  const auto v = load("MONO1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->info.photometric, "MONOCHROME1");
  EXPECT_EQ(v->valueAt(0, 100, 0), 0);
  EXPECT_EQ(v->valueAt(127, 100, 0), 3584);
  EXPECT_EQ(v->valueAt(64, 64, 0), 4000);
  EXPECT_EQ(v->valueAt(5, 5, 0), 4000);
}

}  // namespace
}  // namespace cvx::test
