// SPDX-License-Identifier: MIT
// SUVbw of loaded PET series against a hand computation from the header, read here with DCMTK:
// the demo PET (docs/demo.md: SUV 1 = 3377.5224 Bq/ml, lesion SUV 8, liver SUV 2) and the real
// GE FDG PET of ../shared/data/pet_ct/PT (its README.md gives the inputs and the factor).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/io/dicom.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/suv.h>

#include "../io/demo_test_util.h"
#include "test_data.h"

namespace {

using cvx::test::filesIn;
using cvx::test::tagNum;
using cvx::test::tagStr;

// HHMMSS[.frac] as seconds of the day, written out for the test.
double hhmmss(const std::string& t) {
  return std::stod(t.substr(0, 2)) * 3600 + std::stod(t.substr(2, 2)) * 60 + std::stod(t.substr(4));
}

// The modality value of the voxel nearest to the world point p; NaN outside.
double valueAtWorld(const cvx::Volume& v, cvx::Vec3 p) {
  const cvx::Vec3 ijk = v.geometry.voxelFromWorld().applyPoint(p);
  const int64_t i = std::lround(ijk.x), j = std::lround(ijk.y), k = std::lround(ijk.z);
  const auto& d = v.dims();
  if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2]) return NAN;
  return cvx::view::modalityValue(v, v.valueAt(i, j, k));
}

// What the first file of a PET folder says, read with DCMTK (not cvx::io).
struct Header {
  double weightKg = NAN, doseBq = NAN, halfLifeS = NAN, decayS = NAN;
};

Header readHeader(const std::string& file) {
  Header h;
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) return h;
  DcmDataset& d = *ff.getDataset();
  DcmItem* radio = nullptr;
  if (d.findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, radio, 0).bad()) return h;
  h.weightKg = tagNum(d, DCM_PatientWeight);
  h.doseBq = tagNum(*radio, DCM_RadionuclideTotalDose);
  h.halfLifeS = tagNum(*radio, DCM_RadionuclideHalfLife);
  h.decayS = hhmmss(tagStr(d, DCM_SeriesTime)) - hhmmss(tagStr(*radio, DCM_RadiopharmaceuticalStartTime));
  return h;
}

TEST(SuvDemo, LesionAndLiverMatchTheAnalyticValues) {
  const auto& study = cvx::test::DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  const std::string dir = study.dir("PET");
  auto vol = cvx::io::loadPath(dir);
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const cvx::Volume& v = **vol;
  const auto f = cvx::view::suvBodyWeight(v.info);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_TRUE(f->warnings.empty());
  EXPECT_EQ(f->referenceTime, "series");

  // By hand from the header: 75 kg, 370 MBq, T1/2 6586.2 s, 09:00:00 -> 10:00:00.
  const Header h = readHeader(filesIn(dir).front());
  EXPECT_DOUBLE_EQ(h.weightKg, 75.0);
  EXPECT_DOUBLE_EQ(h.doseBq, 370e6);
  EXPECT_DOUBLE_EQ(h.halfLifeS, 6586.2);
  EXPECT_DOUBLE_EQ(h.decayS, 3600.0);
  const double hand = h.weightKg * 1000.0 / (h.doseBq * std::exp2(-h.decayS / h.halfLifeS));
  EXPECT_NEAR(f->factor / hand - 1.0, 0.0, 1e-12);
  EXPECT_NEAR(f->decaySeconds, 3600.0, 1e-9);
  EXPECT_NEAR(1.0 / f->factor, 3377.5224, 1e-4);  // docs/demo.md: SUV 1 in Bq/ml

  EXPECT_NEAR(valueAtWorld(v, {-50, -5, 0}) * f->factor, 8.0, 1e-3);    // liver lesion
  EXPECT_NEAR(valueAtWorld(v, {-45, -5, -22}) * f->factor, 2.0, 1e-3);  // liver
  EXPECT_NEAR(valueAtWorld(v, {-50, -5, 0}), 27020.18, 0.5);             // Bq/ml
}

TEST(SuvPetCt, FactorEqualsTheHandComputation) {
  CVX_REQUIRE_FOLDER("pet_ct/PT");
  const std::string dir = cvx::test::dataPath("pet_ct/PT");
  const auto files = filesIn(dir);
  ASSERT_EQ(files.size(), 40u);

  const Header h = readHeader(files.front());
  // README.md: 71 kg, 3.88777472e8 Bq, T1/2 6588 s, 10:35:00 -> SeriesTime 11:20:11 (2711 s), START.
  EXPECT_DOUBLE_EQ(h.weightKg, 71.0);
  EXPECT_DOUBLE_EQ(h.doseBq, 3.88777472e8);
  EXPECT_DOUBLE_EQ(h.halfLifeS, 6588.0);
  EXPECT_DOUBLE_EQ(h.decayS, 2711.0);
  const double hand = h.weightKg * 1000.0 / (h.doseBq * std::exp2(-h.decayS / h.halfLifeS));

  auto scanned = cvx::io::scan(dir);
  ASSERT_TRUE(scanned.ok()) << scanned.error().str();
  const auto groups = cvx::io::planSeries(*scanned);
  ASSERT_EQ(groups.series.size(), 1u);
  const cvx::SeriesInfo& info = groups.series.front().info;
  EXPECT_EQ(info.pet.decayCorrection, "START");
  const auto f = cvx::view::suvBodyWeight(info);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_TRUE(f->warnings.empty());
  EXPECT_NEAR(f->factor / hand - 1.0, 0.0, 1e-9);
  EXPECT_NEAR(f->factor / (71000.0 / (3.88777472e8 * std::exp2(-2711.0 / 6588.0))) - 1.0, 0.0, 1e-9);
  EXPECT_DOUBLE_EQ(f->weightKg, 71.0);
  EXPECT_DOUBLE_EQ(f->injectedDoseBq, 3.88777472e8);
  EXPECT_DOUBLE_EQ(f->halfLifeS, 6588.0);
  EXPECT_DOUBLE_EQ(f->decaySeconds, 2711.0);
  // README.md's rounded figures: decayed dose 2.92298e8 Bq, factor 2.42903e-4 g/Bq.
  EXPECT_NEAR(f->decayedDoseBq, 2.92298e8, 0.0005e8);
  EXPECT_NEAR(f->factor, 2.42903e-4, 0.000005e-4);
  // The brief's rounded dose (3.888e8 Bq) is within 6e-5 relative of the file's.
  EXPECT_NEAR(f->factor / (71000.0 / (3.888e8 * std::exp2(-2711.0 / 6588.0))) - 1.0, 0.0, 1e-4);
}

TEST(SuvPetCt, SuvMaxOfTheLoadedSlices) {
  CVX_REQUIRE_FOLDER("pet_ct/PT");
  auto vol = cvx::io::loadPath(cvx::test::dataPath("pet_ct/PT"));
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const cvx::Volume& v = **vol;
  const auto f = cvx::view::suvBodyWeight(v.info);
  ASSERT_TRUE(f.ok()) << f.error().str();
  double maxBqml = 0;
  const auto& d = v.dims();
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) maxBqml = std::max(maxBqml, cvx::view::modalityValue(v, v.valueAt(i, j, k)));
  // README.md: stored 32767 x RescaleSlope of PT/1-239.dcm = 32567.2 Bq/ml, SUVbw max ~ 7.911.
  EXPECT_NEAR(maxBqml, 32567.2, 0.1);
  EXPECT_NEAR(maxBqml * f->factor, 7.911, 1e-3);
}

TEST(SuvPetCt, SulOfTheRealHeader) {
  CVX_REQUIRE_FOLDER("pet_ct/PT");
  const std::string dir = cvx::test::dataPath("pet_ct/PT");
  const auto files = filesIn(dir);
  ASSERT_FALSE(files.empty());
  // The header read with DCMTK: PatientSize 1.63 m, PatientSex M, 71 kg.
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(files.front().c_str()).good());
  DcmDataset& d = *ff.getDataset();
  const double h = tagNum(d, DCM_PatientSize), w = tagNum(d, DCM_PatientWeight);
  ASSERT_DOUBLE_EQ(h, 1.63);
  ASSERT_DOUBLE_EQ(w, 71.0);
  const std::string sex = tagStr(d, DCM_PatientSex);
  ASSERT_TRUE(sex == "M") << sex;
  // Janmahasatian (male), by hand: BMI 71 / 1.63^2 = 26.7229; LBM 658170 / (6680 + 216 x 26.7229)
  // = 658170 / 12452.14 = 52.8560 kg; SUL = SUVbw x 0.744450.
  auto scanned = cvx::io::scan(dir);
  ASSERT_TRUE(scanned.ok()) << scanned.error().str();
  const auto groups = cvx::io::planSeries(*scanned);
  ASSERT_EQ(groups.series.size(), 1u);
  const auto sul = cvx::view::suvLeanBodyMass(groups.series.front().info);
  ASSERT_TRUE(sul.ok()) << sul.error().str();
  EXPECT_NEAR(sul->bmi, 26.7229, 1e-4);
  EXPECT_NEAR(sul->leanKg, 52.8560, 1e-4);
  EXPECT_NEAR(sul->perSuv(), 0.744450, 1e-6);
  // The SUVbw maximum 7.911 (README.md) is SUL 5.889.
  EXPECT_NEAR(32567.2 * sul->factor, 5.889, 1e-3);
}

}  // namespace
