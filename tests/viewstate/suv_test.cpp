// SPDX-License-Identifier: MIT
// SUVbw factor rules on synthetic headers; every expected value is written out by hand from
// SUVbw = C * weight[g] / (dose * 2^(-t / T1/2)), independently of suv.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/dicom_time.h>
#include <cvx/viewstate/suv.h>

#include "pet_header_util.h"

namespace {

using cvx::view::suvBodyWeight;

bool hasWarning(const cvx::view::SuvFactor& f, const std::string& code) {
  return std::any_of(f.warnings.begin(), f.warnings.end(), [&](const cvx::Diagnostic& d) { return d.code == code; });
}

cvx::SeriesInfo fdg() { return cvx::test::fdgHeader(); }

TEST(SuvBodyWeight, StartDecaysToSeriesTime) {
  const auto f = suvBodyWeight(fdg());
  ASSERT_TRUE(f.ok()) << f.error().str();
  // 3600 s after the injection: 370e6 * 2^(-3600/6586.2) = 253 314 180.2 Bq (docs/demo.md).
  const double decayed = 370e6 * std::exp2(-3600.0 / 6586.2);
  EXPECT_NEAR(decayed, 253314180.2, 0.1);
  EXPECT_DOUBLE_EQ(f->decaySeconds, 3600.0);
  EXPECT_NEAR(f->decayedDoseBq, decayed, 1e-6);
  EXPECT_NEAR(f->factor, 75000.0 / decayed, 1e-15);
  EXPECT_NEAR(1.0 / f->factor, 3377.5224, 1e-4);  // SUV 1 in Bq/ml
  EXPECT_EQ(f->weightKg, 75.0);
  EXPECT_EQ(f->injectedDoseBq, 370e6);
  EXPECT_EQ(f->halfLifeS, 6586.2);
  EXPECT_EQ(f->referenceTime, "series");
  EXPECT_TRUE(f->warnings.empty());
  EXPECT_NE(f->rule.find("START"), std::string::npos) << f->rule;
  EXPECT_NE(f->rule.find("09:00:00"), std::string::npos) << f->rule;
}

TEST(SuvBodyWeight, OneHalfLifeHalvesTheDose) {
  auto s = fdg();
  s.pet.halfLifeS = 6000;
  s.pet.injectionTime = "083000";
  s.pet.seriesTime = "101000";  // 6000 s later
  s.pet.acquisitionTime = "101000";
  const auto f = suvBodyWeight(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_NEAR(f->decayedDoseBq, 185e6, 1e-6);
  EXPECT_NEAR(f->factor, 75000.0 / 185e6, 1e-18);
}

TEST(SuvBodyWeight, AdminHasNoDecay) {
  auto s = fdg();
  s.pet.decayCorrection = "ADMIN";
  s.pet.halfLifeS.reset();  // not needed
  s.pet.injectionTime.clear();
  const auto f = suvBodyWeight(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_EQ(f->decaySeconds, 0.0);
  EXPECT_EQ(f->decayedDoseBq, 370e6);
  EXPECT_NEAR(f->factor, 75000.0 / 370e6, 1e-18);
  EXPECT_EQ(f->referenceTime, "administration");
}

TEST(SuvBodyWeight, MidnightCrossing) {
  auto s = fdg();
  s.pet.injectionTime = "235000";
  s.pet.seriesTime = "004000";
  s.pet.acquisitionTime = "004000";
  const auto f = suvBodyWeight(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_DOUBLE_EQ(f->decaySeconds, 3000.0);  // 50 min
  EXPECT_NEAR(f->factor, 75000.0 / (370e6 * std::exp2(-3000.0 / 6586.2)), 1e-15);
}

TEST(SuvBodyWeight, StartDateTimeWinsOverStartTime) {
  auto s = fdg();
  s.studyDate = "20240106";
  s.pet.injectionTime = "091500";  // ignored
  s.pet.injectionDateTime = "20240105235000.000000+0100";
  s.pet.seriesTime = "004000";
  const auto f = suvBodyWeight(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_DOUBLE_EQ(f->decaySeconds, 3000.0);
  EXPECT_NE(f->rule.find("RadiopharmaceuticalStartDateTime"), std::string::npos) << f->rule;
}

TEST(SuvBodyWeight, DatesTooFarApartAreBadTimes) {
  auto s = fdg();
  s.pet.injectionDateTime = "20240103090000";  // two days before the study date
  const auto f = suvBodyWeight(s);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "suv.bad_times");
  s.pet.injectionDateTime = "20240106090000";  // the day after the study: negative
  const auto g = suvBodyWeight(s);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "suv.bad_times");
}

TEST(SuvBodyWeight, UnparsableTimeIsBadTimes) {
  auto s = fdg();
  s.pet.seriesTime = "10h00";
  const auto f = suvBodyWeight(s);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "suv.bad_times");
}

TEST(SuvBodyWeight, AcquisitionTimeWhenNoSeriesTime) {
  auto s = fdg();
  s.pet.seriesTime.clear();
  s.pet.acquisitionTime = "093000";
  const auto f = suvBodyWeight(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_DOUBLE_EQ(f->decaySeconds, 1800.0);
  EXPECT_EQ(f->referenceTime, "acquisition");
  EXPECT_TRUE(hasWarning(*f, "suv.acquisition_time"));
}

TEST(SuvBodyWeight, SeriesAfterAcquisitionWarns) {
  auto s = fdg();
  s.pet.acquisitionTime = "095000";
  const auto f = suvBodyWeight(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_DOUBLE_EQ(f->decaySeconds, 3600.0);  // still SeriesTime
  EXPECT_TRUE(hasWarning(*f, "suv.series_after_acquisition"));
}

TEST(SuvBodyWeight, MissingInputsAreNamed) {
  auto s = fdg();
  s.pet.patientWeightKg.reset();
  s.pet.halfLifeS.reset();
  const auto f = suvBodyWeight(s);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "suv.missing_input");
  EXPECT_NE(f.error().message.find("PatientWeight"), std::string::npos) << f.error().message;
  EXPECT_NE(f.error().message.find("RadionuclideHalfLife"), std::string::npos) << f.error().message;
  EXPECT_EQ(f.error().message.find("RadionuclideTotalDose"), std::string::npos) << f.error().message;
  auto z = fdg();
  z.pet.patientWeightKg = 0.0;  // as some exports write it
  const auto g = suvBodyWeight(z);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "suv.missing_input");
  auto t = fdg();
  t.pet.injectionTime.clear();
  t.pet.injectedDoseBq.reset();
  const auto h = suvBodyWeight(t);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error().message.find("RadiopharmaceuticalStartTime"), std::string::npos) << h.error().message;
  EXPECT_NE(h.error().message.find("RadionuclideTotalDose"), std::string::npos) << h.error().message;
}

TEST(SuvBodyWeight, NotBqmlIsRefused) {
  auto s = fdg();
  s.pet.units = "CNTS";
  s.units = "CNTS";
  const auto f = suvBodyWeight(s);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "suv.not_bqml");
  EXPECT_EQ(f.error().path, "1.2.3");
  auto g = fdg();
  g.pet.units = "GML";  // already SUV
  EXPECT_EQ(suvBodyWeight(g).error().code, "suv.not_bqml");
}

TEST(SuvBodyWeight, NotDecayCorrectedIsRefused) {
  auto s = fdg();
  s.pet.decayCorrection = "NONE";
  EXPECT_EQ(suvBodyWeight(s).error().code, "suv.not_decay_corrected");
  auto c = fdg();
  c.pet.correctedImage = "ATTN\\SCAT";
  EXPECT_EQ(suvBodyWeight(c).error().code, "suv.not_decay_corrected");
  auto u = fdg();
  u.pet.decayCorrection = "LATER";
  EXPECT_EQ(suvBodyWeight(u).error().code, "suv.unknown_decay_correction");
}

TEST(SuvBodyWeight, DicomTimesAndDates) {
  using cvx::dicomDateDays;
  using cvx::dicomTimeOfDay;
  EXPECT_DOUBLE_EQ(*dicomTimeOfDay("112011.00"), 11 * 3600 + 20 * 60 + 11.0);
  EXPECT_DOUBLE_EQ(*dicomTimeOfDay("103500"), 10 * 3600 + 35 * 60.0);
  EXPECT_DOUBLE_EQ(*dicomTimeOfDay("1035"), 10 * 3600 + 35 * 60.0);
  EXPECT_DOUBLE_EQ(*dicomTimeOfDay("10"), 36000.0);
  EXPECT_DOUBLE_EQ(*dicomTimeOfDay("10:35:00.5 "), 10 * 3600 + 35 * 60 + 0.5);
  EXPECT_FALSE(dicomTimeOfDay("").has_value());
  EXPECT_FALSE(dicomTimeOfDay("256000").has_value());
  EXPECT_FALSE(dicomTimeOfDay("10a500").has_value());
  EXPECT_EQ(*dicomDateDays("19700101"), 0);
  EXPECT_EQ(*dicomDateDays("20000907"), 11207);  // 30 years (7 leap days) + 250 days
  EXPECT_EQ(*dicomDateDays("20240301") - *dicomDateDays("20240228"), 2);  // 2024 is a leap year
  EXPECT_FALSE(dicomDateDays("2024013").has_value());
}

}  // namespace

// SUL (PERCIST's lean body mass normalisation, Janmahasatian 2005). The expected lean body masses
// are worked out by hand from the published formula: male 9270 W / (6680 + 216 BMI), female
// 9270 W / (8780 + 244 BMI), BMI = W / H^2.
TEST(SuvLeanBodyMass, MaleAndFemaleByJanmahasatian) {
  auto s = fdg();  // 75 kg
  s.pet.patientHeightM = 1.75;
  s.patientSex = "M";
  // BMI 75 / 1.75^2 = 24.4898; LBM 695250 / (6680 + 5289.796) = 58.0837 kg.
  const auto m = cvx::view::suvLeanBodyMass(s);
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_NEAR(m->bmi, 24.4898, 1e-4);
  EXPECT_NEAR(m->leanKg, 58.0837, 1e-4);
  EXPECT_EQ(m->sex, 'M');
  EXPECT_EQ(m->heightM, 1.75);
  const auto bw = suvBodyWeight(s);
  ASSERT_TRUE(bw.ok());
  EXPECT_NEAR(m->factor, bw->factor * 58.0837 / 75.0, bw->factor * 1e-5);
  EXPECT_NEAR(m->perSuv(), 58.0837 / 75.0, 1e-5);
  EXPECT_NE(m->rule.find("Janmahasatian"), std::string::npos) << m->rule;
  // Female: LBM 695250 / (8780 + 244 x 24.4898) = 695250 / 14755.51 = 47.1180 kg.
  s.patientSex = "F ";  // CS padding
  const auto f = cvx::view::suvLeanBodyMass(s);
  ASSERT_TRUE(f.ok()) << f.error().str();
  EXPECT_NEAR(f->leanKg, 47.1180, 1e-4);
  EXPECT_EQ(f->sex, 'F');
}

TEST(SuvLeanBodyMass, MissingOrImplausibleInputsSayWhy) {
  auto s = fdg();
  s.patientSex = "O";
  auto r = cvx::view::suvLeanBodyMass(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "suv.sul_missing_input");
  EXPECT_NE(r.error().message.find("PatientSize"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("PatientSex"), std::string::npos) << r.error().message;
  s.patientSex = "M";
  s.pet.patientHeightM = 175.0;  // centimetres: not guessed
  r = cvx::view::suvLeanBodyMass(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "suv.bad_height");
  s.pet.patientHeightM = 1.75;
  s.pet.patientWeightKg.reset();  // SUVbw's own error comes first
  r = cvx::view::suvLeanBodyMass(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "suv.missing_input");
}
