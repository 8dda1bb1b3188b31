// The PET follow-up study (writeDemoFollowUp, FOLLOWUP_PET/) next to the demo study, through
// cvx::io (scan, planSeries, loadSeries) and DCMTK: a second study of the same patient, its own
// frame of reference, same grid, and the liver lesion at SUV 4.0 where the baseline has 8.0.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>

#include <cvx/io/dicom.h>

#include "demo_test_util.h"
#include "temp_dir.h"

namespace cvx::test {
namespace {

// The demo study and the follow-up written into one fresh folder (not DemoStudy's: other tests
// count that folder's series), scanned once, both PET series loaded.
struct FollowUp {
  TempDir tmp{"cvx_demo_followup"};
  std::string error;
  bool followUpBeforeWrite = true;  // did writeDemoStudy alone create FOLLOWUP_PET/?
  io::ScanResult scan;
  size_t seriesCount = 0;
  std::shared_ptr<Volume> baseline, followUp;
};

std::shared_ptr<Volume> loadPet(const io::ScanResult& scan, const io::SeriesPlan& plan, std::string& error) {
  auto v = io::loadSeries(scan, plan);
  if (!v.ok()) error += v.error().str() + "; ";
  return v.ok() ? v.value() : nullptr;
}

void fill(FollowUp& out) {
  if (!out.tmp.ok()) return void(out.error = "no temp folder");
  const std::string dir = out.tmp.path();
  if (const Status s = demo::writeDemoStudy(dir); !s.ok()) return void(out.error = s.error().str());
  out.followUpBeforeWrite = std::filesystem::exists(dir + "/FOLLOWUP_PET");
  if (const Status s = demo::writeDemoFollowUp(dir); !s.ok()) return void(out.error = s.error().str());
  auto sc = io::scan(dir);
  if (!sc.ok()) return void(out.error = sc.error().str());
  out.scan = std::move(sc.value());
  const auto groups = io::planSeries(out.scan);
  out.seriesCount = groups.series.size();
  for (const auto& p : groups.series) {
    if (p.info.modality != "PT") continue;
    const bool isFollowUp = p.info.seriesDescription.find("follow-up") != std::string::npos;
    (isFollowUp ? out.followUp : out.baseline) = loadPet(out.scan, p, out.error);
  }
}

const FollowUp& followUp() {
  static const std::unique_ptr<FollowUp> f = [] {
    auto out = std::make_unique<FollowUp>();
    fill(*out);
    return out;
  }();
  return *f;
}

#define CVX_REQUIRE_FOLLOW_UP(f)                                   \
  do {                                                             \
    ASSERT_TRUE((f).error.empty()) << (f).error;                   \
    ASSERT_TRUE((f).baseline && (f).followUp) << "PET series not found"; \
  } while (0)

// Modality value (Bq/ml) of the voxel whose centre is nearest to patient point p (NaN outside).
double valueAt(const Volume& v, Vec3 p) {
  const Vec3 ijk = v.geometry.voxelFromWorld().applyPoint(p);
  const int64_t i = std::lround(ijk.x), j = std::lround(ijk.y), k = std::lround(ijk.z);
  const auto& d = v.dims();
  if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2]) return NAN;
  const double s = v.valueAt(i, j, k, 0);
  return v.info.rescaleApplied ? s : s * v.info.rescaleSlope + v.info.rescaleIntercept;
}

// "HHMMSS.frac" -> seconds of day, written here independently of cvx::io.
double tmSeconds(const std::string& tm) {
  return std::stoi(tm.substr(0, 2)) * 3600.0 + std::stoi(tm.substr(2, 2)) * 60.0 + std::stod(tm.substr(4));
}

// SUVbw per Bq/ml from the loaded header: weight[g] / (dose * 2^(-(series - injection) / T)).
double suvPerBqml(const Volume& v) {
  const PetDose& p = v.info.pet;
  if (!p.patientWeightKg || !p.injectedDoseBq || !p.halfLifeS || p.seriesTime.empty() || p.injectionTime.empty())
    return NAN;
  const double delay = tmSeconds(p.seriesTime) - tmSeconds(p.injectionTime);
  return *p.patientWeightKg * 1000.0 / (*p.injectedDoseBq * std::exp2(-delay / *p.halfLifeS));
}

TEST(DemoFollowUp, IsASecondStudyOfTheSamePatientWithItsOwnFrame) {
  const auto& f = followUp();
  CVX_REQUIRE_FOLLOW_UP(f);
  EXPECT_FALSE(f.followUpBeforeWrite);  // writeDemoStudy does not write it
  EXPECT_EQ(f.seriesCount, 6u);         // the demo's five and the follow-up PET
  EXPECT_TRUE(f.scan.skipped.empty());
  const SeriesInfo &b = f.baseline->info, &u = f.followUp->info;
  EXPECT_EQ(b.studyDate, "20250102");
  EXPECT_EQ(u.studyDate, "20250402");
  EXPECT_EQ(u.studyTime, "090000");
  EXPECT_NE(u.studyInstanceUid, b.studyInstanceUid);
  EXPECT_NE(u.frameOfReferenceUid, b.frameOfReferenceUid);
  EXPECT_NE(u.seriesInstanceUid, b.seriesInstanceUid);
  EXPECT_NE(u.studyDescription, b.studyDescription);
  EXPECT_EQ(u.patientName, b.patientName);
  EXPECT_EQ(u.patientId, b.patientId);
  EXPECT_EQ(u.patientSex, "M");
  EXPECT_EQ(u.pet.patientWeightKg, b.pet.patientWeightKg);
  EXPECT_EQ(u.pet.patientHeightM, b.pet.patientHeightM);
  EXPECT_EQ(u.pet.injectedDoseBq, b.pet.injectedDoseBq);
  EXPECT_EQ(u.pet.halfLifeS, b.pet.halfLifeS);
  EXPECT_EQ(u.pet.injectionDateTime.substr(0, 14), "20250402090000");
  EXPECT_EQ(b.pet.injectionDateTime.substr(0, 14), "20250102090000");
  EXPECT_EQ(u.pet.seriesTime, "100000");
  EXPECT_EQ(u.units, "BQML");
  // Same grid and geometry as the baseline.
  EXPECT_EQ(f.followUp->dims(), f.baseline->dims());
  for (const Vec3 ijk : {Vec3{0, 0, 0}, Vec3{127, 127, 59}, Vec3{10, 90, 30}})
    EXPECT_LT(norm(f.followUp->geometry.worldFromVoxel().applyPoint(ijk) -
                   f.baseline->geometry.worldFromVoxel().applyPoint(ijk)), 1e-6);
}

TEST(DemoFollowUp, LesionHalvesToSuv4LiverStaysAt2) {
  const auto& f = followUp();
  CVX_REQUIRE_FOLLOW_UP(f);
  const double kb = suvPerBqml(*f.baseline), ku = suvPerBqml(*f.followUp);
  EXPECT_NEAR(1.0 / ku, 3377.5224, 1e-3);  // docs/demo.md: SUV 1 = 3377.5224 Bq/ml
  EXPECT_NEAR(valueAt(*f.followUp, {-50, -5, 0}), 13510.09, 0.5);  // lesion, Bq/ml (docs/demo.md)
  EXPECT_NEAR(valueAt(*f.followUp, {-50, -5, 0}) * ku, 4.0, 1e-3);   // lesion
  EXPECT_NEAR(valueAt(*f.followUp, {-45, -5, -22}) * ku, 2.0, 1e-3); // liver
  EXPECT_NEAR(valueAt(*f.followUp, {55, -10, 80}) * ku, 4.0, 1e-3);  // lung nodule, unchanged
  EXPECT_NEAR(valueAt(*f.followUp, {0, -60, -10}) * ku, 1.0, 1e-3);  // soft tissue, unchanged
  EXPECT_NEAR(valueAt(*f.baseline, {-50, -5, 0}) * kb, 8.0, 1e-3);   // the baseline's lesion
  EXPECT_NEAR(valueAt(*f.baseline, {-45, -5, -22}) * kb, 2.0, 1e-3);
}

// The follow-up's own tags as DCMTK reads them (the PET module's dates follow the study's).
TEST(DemoFollowUp, DatesAndStudyTagsInTheFiles) {
  const auto& f = followUp();
  CVX_REQUIRE_FOLLOW_UP(f);
  const auto files = filesIn(f.tmp.path() + "/FOLLOWUP_PET");
  ASSERT_EQ(files.size(), 60u);
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(files.front().c_str()).good());
  DcmDataset& d = *ff.getDataset();
  EXPECT_EQ(tagStr(d, DCM_SOPClassUID), "1.2.840.10008.5.1.4.1.1.128");
  EXPECT_EQ(tagStr(d, DCM_StudyDate), "20250402");
  EXPECT_EQ(tagStr(d, DCM_SeriesDate), "20250402");
  EXPECT_EQ(tagStr(d, DCM_AcquisitionDate), "20250402");
  EXPECT_EQ(tagStr(d, DCM_AcquisitionTime), "100000");
  EXPECT_EQ(tagStr(d, DCM_PatientSize), "1.75");
  DcmItem* radio = nullptr;
  ASSERT_TRUE(d.findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, radio, 0).good());
  EXPECT_EQ(tagStr(*radio, DCM_RadiopharmaceuticalStartDateTime), "20250402090000.00");
  EXPECT_EQ(tagStr(*radio, DCM_RadiopharmaceuticalStartTime), "090000.00");
}

TEST(DemoFollowUp, BadOutputPathsGiveCodedErrors) {
  EXPECT_EQ(demo::writeDemoFollowUp("").error().code, "demo.bad_path");
  const TempDir tmp("cvx_demo_followup_bad");
  ASSERT_TRUE(tmp.ok());
  const std::string file = tmp.file("plain.txt");
  std::ofstream(file) << "x";
  EXPECT_EQ(demo::writeDemoFollowUp(file).error().code, "demo.bad_path");
  EXPECT_EQ(demo::writeDemoFollowUp(file + "/sub").error().code, "demo.mkdir_failed");
}

}  // namespace
}  // namespace cvx::test
