// The demo study, read back with DCMTK: SOP classes, shared UIDs, window presets, and the analytic
// content of each phantom (docs/demo.md) at known patient positions.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmimgle/dcmimage.h>

#include "demo_test_util.h"
#include "temp_dir.h"

namespace cvx::test {
namespace {

struct SeriesSpec {
  const char* folder;
  size_t files;
  const char* sopClass;
};
constexpr SeriesSpec kSeries[] = {
    {"CT", 120, "1.2.840.10008.5.1.4.1.1.2"},    {"PET", 60, "1.2.840.10008.5.1.4.1.1.128"},
    {"MR4D", 240, "1.2.840.10008.5.1.4.1.1.4"},  {"OBLIQUE", 40, "1.2.840.10008.5.1.4.1.1.4"},
    {"MONO1", 8, "1.2.840.10008.5.1.4.1.1.2"}};

// "HHMMSS.frac" -> seconds of day, written here independently of cvx::io.
double tmSeconds(const std::string& tm) {
  return std::stoi(tm.substr(0, 2)) * 3600.0 + std::stoi(tm.substr(2, 2)) * 60.0 + std::stod(tm.substr(4));
}

TEST(DemoStudy, OneFolderPerSeriesAllExplicitLittleEndianWithTheirSopClass) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  std::set<std::string> studyUids, seriesUids, sopUids;
  size_t total = 0;
  for (const auto& spec : kSeries) {
    const auto files = filesIn(study.dir(spec.folder));
    ASSERT_EQ(files.size(), spec.files) << spec.folder;
    std::set<std::string> seriesHere;
    for (const auto& f : files) {
      DcmFileFormat ff;
      ASSERT_TRUE(ff.loadFile(f.c_str()).good()) << f;
      DcmMetaInfo& meta = *ff.getMetaInfo();
      DcmDataset& d = *ff.getDataset();
      EXPECT_EQ(tagStr(meta, DCM_TransferSyntaxUID), "1.2.840.10008.1.2.1") << f;
      EXPECT_EQ(tagStr(meta, DCM_MediaStorageSOPClassUID), spec.sopClass) << f;
      EXPECT_EQ(tagStr(d, DCM_SOPClassUID), spec.sopClass) << f;
      EXPECT_EQ(tagStr(d, DCM_PatientName), "CineVox^Demo");
      studyUids.insert(tagStr(d, DCM_StudyInstanceUID));
      seriesHere.insert(tagStr(d, DCM_SeriesInstanceUID));
      sopUids.insert(tagStr(d, DCM_SOPInstanceUID));
    }
    EXPECT_EQ(seriesHere.size(), 1u) << spec.folder;
    seriesUids.insert(seriesHere.begin(), seriesHere.end());
    total += files.size();
  }
  EXPECT_EQ(studyUids.size(), 1u);
  EXPECT_EQ(seriesUids.size(), 5u);
  EXPECT_EQ(sopUids.size(), total);  // every SOPInstanceUID unique
}

TEST(DemoStudy, CtAndPetShareFrameOfReferenceOthersDoNot) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  std::map<std::string, std::set<std::string>> frames;
  for (const auto& spec : kSeries)
    for (const auto& f : filesIn(study.dir(spec.folder))) {
      DcmFileFormat ff;
      ASSERT_TRUE(ff.loadFile(f.c_str()).good());
      frames[spec.folder].insert(tagStr(*ff.getDataset(), DCM_FrameOfReferenceUID));
    }
  for (const auto& [folder, uids] : frames) EXPECT_EQ(uids.size(), 1u) << folder;
  EXPECT_EQ(*frames["CT"].begin(), *frames["PET"].begin());
  EXPECT_NE(*frames["CT"].begin(), *frames["MR4D"].begin());
  EXPECT_NE(*frames["CT"].begin(), *frames["OBLIQUE"].begin());
}

TEST(DemoStudy, CtHounsfieldUnitsAtAnatomyPositions) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  const auto ct = readSeries(study.dir("CT"));
  ASSERT_EQ(ct.size(), 120u);
  EXPECT_DOUBLE_EQ(ct[0].slope, 1.0);
  EXPECT_DOUBLE_EQ(ct[0].intercept, -1024.0);
  EXPECT_EQ(valueNear(ct, {-50, -5, 0}), 60);     // liver lesion centre
  EXPECT_EQ(valueNear(ct, {-45, -5, -22}), 100);  // liver (patient right)
  EXPECT_EQ(valueNear(ct, {50, -15, -10}), 30);   // stomach (patient left)
  EXPECT_EQ(valueNear(ct, {50, -45, -10}), -1000);  // gas in the stomach, anterior
  EXPECT_EQ(valueNear(ct, {55, -10, 80}), 30);    // lung nodule
  EXPECT_EQ(valueNear(ct, {-50, 0, 100}), -800);  // right lung
  EXPECT_EQ(valueNear(ct, {0, 45, 0}), 700);      // vertebral body
  EXPECT_EQ(valueNear(ct, {-110, -110, 0}), -1000);  // air outside the body
  // Stored values fit in 12 bits: 0..4095.
  for (const auto& s : ct)
    for (int32_t v : s.stored) ASSERT_TRUE(v >= 0 && v <= 4095);
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(filesIn(study.dir("CT")).front().c_str()).good());
  DcmDataset& d = *ff.getDataset();
  EXPECT_EQ(tagStr(d, DCM_WindowCenter), "40\\-600\\400");
  EXPECT_EQ(tagStr(d, DCM_WindowWidth), "400\\1500\\1800");
  EXPECT_EQ(tagStr(d, DCM_WindowCenterWidthExplanation), "ABDOMEN\\LUNG\\BONE");
}

// SUVbw = C[Bq/ml] * weight[g] / (dose[Bq] * 2^(-(seriesTime - injectionTime) / halfLife)),
// the standard formula for DecayCorrection START, computed from the files' own tags.
TEST(DemoStudy, PetSuvFromHeaderIsAnalytic) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  const auto files = filesIn(study.dir("PET"));
  ASSERT_EQ(files.size(), 60u);
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(files.front().c_str()).good());
  DcmDataset& d = *ff.getDataset();
  EXPECT_EQ(tagStr(d, DCM_Units), "BQML");
  EXPECT_EQ(tagStr(d, DCM_DecayCorrection), "START");
  EXPECT_NE(tagStr(d, DCM_CorrectedImage).find("DECY"), std::string::npos);
  DcmItem* radio = nullptr;
  ASSERT_TRUE(d.findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, radio, 0).good());
  const double dose = tagNum(*radio, DCM_RadionuclideTotalDose);
  const double halfLife = tagNum(*radio, DCM_RadionuclideHalfLife);
  EXPECT_DOUBLE_EQ(halfLife, 6586.2);
  const double delay = tmSeconds(tagStr(d, DCM_SeriesTime)) - tmSeconds(tagStr(*radio, DCM_RadiopharmaceuticalStartTime));
  EXPECT_GT(delay, 0.0);
  const double suvPerBqml = tagNum(d, DCM_PatientWeight) * 1000.0 / (dose * std::exp2(-delay / halfLife));

  const auto pet = readSeries(study.dir("PET"));
  ASSERT_EQ(pet.size(), 60u);
  std::set<double> slopes;
  double maxSuv = 0;
  Vec3 maxAt;
  for (const auto& s : pet) {
    slopes.insert(s.slope);
    for (int r = 0; r < s.rows; ++r)
      for (int c = 0; c < s.cols; ++c)
        if (const double suv = s.at(c, r) * s.slope * suvPerBqml; suv > maxSuv) maxSuv = suv, maxAt = s.patientAt(c, r);
  }
  EXPECT_GE(slopes.size(), 4u);  // per-slice RescaleSlope (slice maximum / 32767)
  EXPECT_NEAR(maxSuv, 8.0, 1e-3);  // the liver lesion
  EXPECT_LE(norm(maxAt - Vec3{-50, -5, 0}), 7.5);
  EXPECT_NEAR(valueNear(pet, {-45, -5, -22}) * suvPerBqml, 2.0, 1e-3);  // liver
  EXPECT_NEAR(valueNear(pet, {55, -10, 80}) * suvPerBqml, 4.0, 1e-3);   // lung nodule
  EXPECT_NEAR(valueNear(pet, {0, -60, -10}) * suvPerBqml, 1.0, 1e-3);   // soft tissue
}

TEST(DemoStudy, Mr4dHasTenPhasesWithTriggerTimes) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  std::map<int, std::set<double>> triggerByPhase;
  std::map<int, int> slicesByPhase;
  for (const auto& f : filesIn(study.dir("MR4D"))) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(f.c_str()).good());
    DcmDataset& d = *ff.getDataset();
    EXPECT_EQ(tagStr(d, DCM_NumberOfTemporalPositions), "10");
    const int phase = std::stoi(tagStr(d, DCM_TemporalPositionIdentifier));
    triggerByPhase[phase].insert(tagNum(d, DCM_TriggerTime));
    ++slicesByPhase[phase];
  }
  ASSERT_EQ(slicesByPhase.size(), 10u);
  for (int p = 1; p <= 10; ++p) {
    EXPECT_EQ(slicesByPhase[p], 24) << p;
    ASSERT_EQ(triggerByPhase[p].size(), 1u) << p;
    EXPECT_DOUBLE_EQ(*triggerByPhase[p].begin(), 80.0 * (p - 1));
  }
}

// The oblique phantom's markers, located with the DICOM pixel-to-patient formula applied to the
// tags DCMTK reads, are where docs/demo.md places them.
TEST(DemoStudy, ObliqueMarkersSitAtTheirPatientPositions) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  const auto obl = readSeries(study.dir("OBLIQUE"));
  ASSERT_EQ(obl.size(), 40u);
  EXPECT_EQ(obl[0].rows, 200);
  EXPECT_EQ(obl[0].cols, 160);
  EXPECT_DOUBLE_EQ(obl[0].rowSpacing, 0.5);
  EXPECT_DOUBLE_EQ(obl[0].colSpacing, 0.8);
  EXPECT_NEAR(dot(obl[0].rowDir, obl[0].colDir), 0.0, 1e-9);
  EXPECT_GT(std::acos(std::abs(obl[0].rowDir.x)) * 180 / M_PI, 15.0);  // oblique, not axial
  const std::pair<int, Vec3> markers[] = {{1000, {30, 0, 0}}, {700, {0, -30, 0}}, {400, {0, 0, 30}}};
  for (const auto& [value, where] : markers) {
    Vec3 sum;
    int n = 0;
    for (const auto& s : obl)
      for (int r = 0; r < s.rows; ++r)
        for (int c = 0; c < s.cols; ++c)
          if (s.at(c, r) == value) sum = sum + s.patientAt(c, r), ++n;
    ASSERT_GT(n, 0) << value;
    EXPECT_LT(norm(sum * (1.0 / n) - where), 0.25) << value;
  }
  EXPECT_EQ(valueNear(obl, {-41, 20, 0}, false), 500);  // the stem of the L
  EXPECT_EQ(valueNear(obl, {-25, 37, 10}, false), 500);  // its foot, toward patient left
  EXPECT_EQ(valueNear(obl, {-25, 20, 0}, false), 100);  // inside the L's corner: body
  EXPECT_EQ(valueNear(obl, {-30, 0, 0}, false), 100);   // mirror of the left sphere: body
}

// MONOCHROME1: DCMTK's own display pipeline shows stored 0 as white.
TEST(DemoStudy, Monochrome1StoredZeroDisplaysWhite) {
  const auto& study = DemoStudy::get();
  CVX_REQUIRE_DEMO(study);
  const auto files = filesIn(study.dir("MONO1"));
  ASSERT_EQ(files.size(), 8u);
  DcmSlice s;
  ASSERT_TRUE(readSlice(files.front(), s));
  EXPECT_EQ(s.at(0, 100), 0);
  EXPECT_EQ(s.at(127, 100), 3584);
  EXPECT_EQ(s.at(64, 64), 4000);
  DicomImage img(files.front().c_str());
  ASSERT_EQ(img.getStatus(), EIS_Normal);
  EXPECT_TRUE(img.isMonochrome());
  ASSERT_TRUE(img.setWindow(2048, 4096));
  const auto* px = static_cast<const Uint8*>(img.getOutputData(8));
  ASSERT_NE(px, nullptr);
  EXPECT_GT(px[100 * 128 + 0], 250);    // left band: white
  EXPECT_LT(px[100 * 128 + 127], 40);   // right band: dark
  EXPECT_LT(px[64 * 128 + 64], 10);     // centre disc: black
  EXPECT_LT(px[5 * 128 + 5], 10);       // top-left square: black
}

TEST(DemoStudy, BadOutputPathsGiveCodedErrors) {
  const Status empty = demo::writeDemoStudy("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "demo.bad_path");
  const TempDir tmp("cvx_demo_bad");
  ASSERT_TRUE(tmp.ok());
  const std::string file = tmp.file("plain.txt");
  std::ofstream(file) << "x";
  const Status onFile = demo::writeDemoStudy(file);
  ASSERT_FALSE(onFile.ok());
  EXPECT_EQ(onFile.error().code, "demo.bad_path");
  const Status under = demo::writeDemoStudy(file + "/sub");
  ASSERT_FALSE(under.ok());
  EXPECT_EQ(under.error().code, "demo.mkdir_failed");
}

}  // namespace
}  // namespace cvx::test
