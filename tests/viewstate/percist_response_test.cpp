// SPDX-License-Identifier: MIT
// PERCIST's response between a baseline and a follow-up PET (percist_response.h). Expected values
// from the rules' arithmetic, written out here: change = (follow-up SULpeak - baseline) / baseline,
// SULpeak = SUVpeak x SUL/SUV, threshold = 1.5 x liver SULmean + 2 x SD. Edges are chosen so that the
// double arithmetic agrees with the exact one (e.g. (2.8 - 4.0) / 4.0 = -0.30000000000000004, a fall
// of 30 % however it is computed), or tested just inside and just outside.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include <cvx/viewstate/percist_response.h>

using namespace cvx;
using namespace cvx::view;

namespace {

PetScan when(const char* date, const char* time = "100000", double uptakeS = 3600) {
  PetScan s;
  s.studyDate = date;
  s.seriesTime = time;
  s.studyDescription = "PET/CT";
  s.uptakeS = uptakeS;
  return s;
}

// One PET's rows (as percist_test.cpp's row(): the uptake set by hand). With sulPerSuv 1, SUL = SUV.
struct Pet {
  uint64_t serial = 0;
  PetScan info;
  double sulPerSuv = 1;
  size_t next = 0;

  SegmentReportRow row(Segment meta, double suvPeak, double suvMean, double suvSd) {
    SegmentReportRow r;
    r.segmentation = static_cast<int>(serial);
    r.segment = next++;
    r.meta = std::move(meta);
    r.modality = "PT";
    r.units = "SUVbw";
    PetStats p;
    p.voxels = 100;
    p.suvPeak = suvPeak, p.suvMax = suvPeak, p.suvMean = suvMean, p.suvSd = suvSd;
    r.pet = p;
    r.petMeasured = true;
    r.sulPerSuv = sulPerSuv;
    r.petSerial = serial;
    r.petScan = info;
    return r;
  }
  static Segment liverSegment(const char* name) {
    Segment s;
    s.name = name;
    s.type = {"10200004", "SCT", "Liver"};
    return s;
  }
  // The liver reference: SULmean suvMean x sulPerSuv, SD suvSd x sulPerSuv.
  SegmentReportRow liver(double suvMean, double suvSd = 0.1) {
    return row(liverSegment(kPercistReferenceName), suvMean * 1.2, suvMean, suvSd);
  }
  // A TotalSegmentator-like whole liver: liver-typed, no reference, never a lesion.
  SegmentReportRow wholeLiver(double suvPeak) {
    return row(liverSegment("Liver"), suvPeak, suvPeak / 2, 0.5);
  }
  SegmentReportRow lesion(double suvPeak, const std::string& name = "Lesion") {
    Segment s;
    s.name = name;
    return row(s, suvPeak, suvPeak * 0.6, suvPeak * 0.2);
  }
};

bool has(const PercistResponse& r, const std::string& code) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

// Baseline 2025-01-02 and follow-up 2025-04-02, both with liver SULmean 1.0, SD 0.1 (threshold
// 1.5 + 0.2 = 1.7), uptake 3600 s, one lesion each of the given SULpeaks: no warning.
std::optional<PercistResponse> twoScans(double base, double follow) {
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  return percistResponse({b.liver(1.0), b.lesion(base), f.liver(1.0), f.lesion(follow)});
}

void expectCategory(double base, double follow, const std::string& category, double change,
                    double changeSul) {
  SCOPED_TRACE("SULpeak " + std::to_string(base) + " -> " + std::to_string(follow));
  const auto r = twoScans(base, follow);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, category);
  EXPECT_NEAR(r->change, change, 1e-9);
  EXPECT_NEAR(r->changeSul, changeSul, 1e-9);
  EXPECT_TRUE(r->notAssessable.code.empty()) << r->notAssessable.str();
  EXPECT_TRUE(r->warnings.empty());
}

}  // namespace

TEST(PercistResponse, FewerThanTwoScansGiveNoResponse) {
  EXPECT_FALSE(percistResponse({}).has_value());
  EXPECT_TRUE(percistScans({}).empty());
  Pet a{1, when("20250102")}, noRef{2, when("20250402")}, wholeOnly{3, when("20250501")},
      noSul{4, when("20250601")};
  noSul.sulPerSuv = 0;  // no height or sex: its liver ball is no reference
  SegmentReportRow ct;  // a segment on a CT without PET
  ct.segmentation = 9;
  ct.meta.name = "Nodule";
  std::vector<SegmentReportRow> rows = {ct,
                                        a.liver(1.0),
                                        a.lesion(5.0),
                                        noRef.lesion(3.0),
                                        noRef.lesion(4.0),
                                        wholeOnly.wholeLiver(3.0),
                                        wholeOnly.lesion(2.0),
                                        noSul.liver(1.0),
                                        noSul.lesion(6.0)};
  // Only PET 1 has a liver reference: one scan.
  const auto scans = percistScans(rows);
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_EQ(scans[0].petSerial, 1u);
  EXPECT_EQ(scans[0].reference.segmentation, 1);
  EXPECT_NEAR(scans[0].reference.sulMean, 1.0, 1e-12);
  EXPECT_FALSE(percistResponse(rows).has_value());
  // A second PET's reference makes two.
  rows.push_back(noRef.liver(1.0));
  EXPECT_EQ(percistScans(rows).size(), 2u);
  EXPECT_TRUE(percistResponse(rows).has_value());
}

TEST(PercistResponse, ScansAreOrderedByDateThenTimeWhateverTheRowOrder) {
  // Follow-up's rows first: baseline is still 2025-01-02. 6.0 -> 3.0: -50 %, -3.0 SUL: PMR (the
  // other way round it would read 3.0 -> 6.0, +100 %: PMD).
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  auto r = percistResponse({f.liver(1.0), f.lesion(3.0), b.liver(1.0), b.lesion(6.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->baseline.petSerial, 1u);
  EXPECT_EQ(r->followUp.petSerial, 2u);
  EXPECT_EQ(r->baseline.info.studyDate, "20250102");
  EXPECT_EQ(r->scans, 2);
  EXPECT_EQ(r->category, "PMR");
  EXPECT_NEAR(r->change, -0.5, 1e-12);

  // Same date: SeriesTime decides (09:15 before 14:30).
  Pet late{5, when("20250102", "143000")}, early{6, when("20250102", "091500")};
  r = percistResponse({late.liver(1.0), late.lesion(3.0), early.liver(1.0), early.lesion(6.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->baseline.petSerial, 6u);
  EXPECT_EQ(r->followUp.petSerial, 5u);

  // Three scans, rows in the order C (04-02), A (01-02), B (03-01): A, B, C. B's lesion (SULpeak 100,
  // PMD against A) is listed, not judged: A 6.0 -> C 3.0 is PMR.
  Pet sa{11, when("20250102")}, sb{12, when("20250301")}, sc{13, when("20250402")};
  const std::vector<SegmentReportRow> three = {sc.liver(1.0),  sc.lesion(3.0), sa.liver(1.0),
                                               sa.lesion(6.0), sb.liver(1.0),  sb.lesion(100.0)};
  const auto scans = percistScans(three);
  ASSERT_EQ(scans.size(), 3u);
  EXPECT_EQ(scans[0].petSerial, 11u);
  EXPECT_EQ(scans[1].petSerial, 12u);
  EXPECT_EQ(scans[2].petSerial, 13u);
  r = percistResponse(three);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->scans, 3);
  EXPECT_EQ(r->baseline.petSerial, 11u);
  EXPECT_EQ(r->followUp.petSerial, 13u);
  EXPECT_EQ(r->category, "PMR");

  // Scans without a date go last, in the rows' order: U1, A, U2 -> A, U1, U2.
  Pet u1{21, when("", "")}, da{22, when("20250102")}, u2{23, when("", "")};
  const std::vector<SegmentReportRow> undated = {u1.liver(1.0),  u1.lesion(3.0), da.liver(1.0),
                                                 da.lesion(6.0), u2.liver(1.0),  u2.lesion(2.0)};
  const auto us = percistScans(undated);
  ASSERT_EQ(us.size(), 3u);
  EXPECT_EQ(us[0].petSerial, 22u);
  EXPECT_EQ(us[1].petSerial, 21u);
  EXPECT_EQ(us[2].petSerial, 23u);
  r = percistResponse(undated);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->baseline.petSerial, 22u);
  EXPECT_EQ(r->followUp.petSerial, 23u);
}

TEST(PercistResponse, TheTargetIsTheHottestMeasurableLesionBySulPeak) {
  // SUL/SUV 0.5 on both. Liver SUVmean 2.0, SD 0.2: SULmean 1.0, SD 0.1, threshold 1.7.
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  b.sulPerSuv = f.sulPerSuv = 0.5;
  const std::vector<SegmentReportRow> rows = {
      b.wholeLiver(20.0),          // 0: SULpeak 10, but liver-typed: never a lesion
      b.liver(2.0, 0.2),           // 1: the reference
      b.lesion(6.0, "Lesion 1"),   // 2: SULpeak 3.0, measurable, first
      b.lesion(14.0, "Lesion 2"),  // 3: SULpeak 7.0, measurable, the hottest: the target
      b.lesion(10.0, "Lesion 3"),  // 4: SULpeak 5.0, measurable
      b.lesion(3.0, "Lesion 4"),   // 5: SULpeak 1.5 < 1.7: judged, not measurable
      f.liver(2.0, 0.2),           // 6
      f.lesion(2.4, "Lesion 1"),   // 7: SULpeak 1.2, not measurable
      f.lesion(3.2, "Lesion 2"),   // 8: SULpeak 1.6, not measurable, the hottest judged: the target
      f.wholeLiver(20.0)};         // 9: never a lesion
  const auto r = percistResponse(rows);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->baseline.lesions, 4);
  EXPECT_EQ(r->baseline.measurable, 3);
  EXPECT_EQ(r->baseline.target, 3);
  EXPECT_NEAR(r->baseline.targetSulPeak, 7.0, 1e-12);
  EXPECT_TRUE(r->baseline.targetMeasurable);
  EXPECT_EQ(r->baseline.reference.segmentation, 1);
  EXPECT_NEAR(r->baseline.reference.sulMean, 1.0, 1e-12);
  EXPECT_EQ(r->followUp.lesions, 2);
  EXPECT_EQ(r->followUp.measurable, 0);
  EXPECT_EQ(r->followUp.target, 8);
  EXPECT_NEAR(r->followUp.targetSulPeak, 1.6, 1e-12);
  EXPECT_FALSE(r->followUp.targetMeasurable);
  // 7.0 -> 1.6: -5.4 SUL, -5.4 / 7 = -77.14 %: PMR (1.6 > the follow-up's liver SULmean 1.0: no CMR).
  EXPECT_EQ(r->category, "PMR");
  EXPECT_NEAR(r->change, -5.4 / 7.0, 1e-9);
  EXPECT_NEAR(r->changeSul, -5.4, 1e-9);
  EXPECT_TRUE(r->warnings.empty());
}

TEST(PercistResponse, PartialResponseNeedsThirtyPercentAndPointEightSul) {
  expectCategory(6.0, 3.0, "PMR", -0.5, -3.0);  // -50 %, -3.0 SUL
  expectCategory(4.0, 2.8, "PMR", -0.3, -1.2);  // exactly -30 % (-0.30000000000000004 in doubles), -1.2 SUL
  expectCategory(4.0, 2.76, "PMR", -0.31, -1.24);   // -31 %
  expectCategory(4.0, 2.84, "SMD", -0.29, -1.16);   // -29 %: not enough, though -1.16 SUL
  expectCategory(2.0, 1.4, "SMD", -0.3, -0.6);      // -30 % but only -0.6 SUL < 0.8
  expectCategory(2.5, 1.69, "PMR", -0.324, -0.81);  // -32.4 %, -0.81 SUL
  expectCategory(2.5, 1.71, "SMD", -0.316, -0.79);  // -31.6 %, -0.79 SUL < 0.8
}

TEST(PercistResponse, ProgressionNeedsThirtyPercentAndPointEightSul) {
  expectCategory(3.0, 4.0, "PMD", 1.0 / 3.0, 1.0);  // +33.3 %, +1.0 SUL
  expectCategory(4.0, 5.2, "PMD", 0.3, 1.2);     // exactly +30 % (0.30000000000000004 in doubles), +1.2 SUL
  expectCategory(4.0, 5.16, "SMD", 0.29, 1.16);  // +29 %
  expectCategory(2.0, 2.9, "PMD", 0.45, 0.9);    // +45 %, +0.9 SUL
  expectCategory(2.0, 2.7, "SMD", 0.35, 0.7);    // +35 % but +0.7 SUL < 0.8
  expectCategory(4.0, 4.0, "SMD", 0.0, 0.0);     // unchanged
}

TEST(PercistResponse, CompleteResponseIsTheHottestLesionAtOrBelowTheLiver) {
  // Follow-up liver SULmean 1.0 (SUL/SUV 1). Lesions 0.9 and 1.0: the hottest at the liver's mean:
  // CMR, though 6.0 -> 1.0 (-83.3 %, -5.0 SUL) would also be PMR. The target: 1.0, not measurable.
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  auto r = percistResponse({b.liver(1.0), b.lesion(6.0), f.liver(1.0), f.lesion(0.9), f.lesion(1.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "CMR");
  EXPECT_EQ(r->followUp.target, 4);
  EXPECT_NEAR(r->followUp.targetSulPeak, 1.0, 1e-12);
  EXPECT_NEAR(r->change, -5.0 / 6.0, 1e-9);
  EXPECT_NEAR(r->changeSul, -5.0, 1e-9);
  expectCategory(6.0, 0.9, "CMR", -0.85, -5.1);  // below the liver
  // Lesions 0.9 and 1.05: the hottest above the liver: 6.0 -> 1.05, -82.5 %, -4.95 SUL: PMR.
  Pet b2{3, when("20250102")}, f2{4, when("20250402")};
  r = percistResponse({b2.liver(1.0), b2.lesion(6.0), f2.liver(1.0), f2.lesion(0.9), f2.lesion(1.05)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "PMR");
  EXPECT_NEAR(r->changeSul, -4.95, 1e-9);
  // Judged against the follow-up's liver, not the baseline's: baseline liver 0.5, follow-up 2.0
  // (liver_changed), follow-up lesion 1.5 <= 2.0: CMR.
  Pet b3{5, when("20250102")}, f3{6, when("20250402")};
  r = percistResponse({b3.liver(0.5), b3.lesion(6.0), f3.liver(2.0), f3.lesion(1.5)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "CMR");
  EXPECT_TRUE(has(*r, "percist.liver_changed"));
}

TEST(PercistResponse, NotAssessableWithoutABaselineTargetOrAFollowUpLesion) {
  // Baseline's only lesion SULpeak 1.5 < threshold 1.7: none measurable.
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  auto r = percistResponse({b.liver(1.0), b.lesion(1.5), f.liver(1.0), f.lesion(3.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "NA");
  EXPECT_EQ(r->notAssessable.code, "percist.no_baseline_target");
  EXPECT_EQ(r->baseline.lesions, 1);
  EXPECT_EQ(r->baseline.measurable, 0);
  EXPECT_FALSE(r->baseline.targetMeasurable);
  // No baseline lesion at all: the same.
  Pet b2{3, when("20250102")}, f2{4, when("20250402")};
  r = percistResponse({b2.liver(1.0), f2.liver(1.0), f2.lesion(3.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "NA");
  EXPECT_EQ(r->notAssessable.code, "percist.no_baseline_target");
  EXPECT_EQ(r->baseline.target, -1);
  // A follow-up with its reference and no lesion rows (a whole liver is none).
  Pet b3{5, when("20250102")}, f3{6, when("20250402")};
  r = percistResponse({b3.liver(1.0), b3.lesion(6.0), f3.liver(1.0), f3.wholeLiver(9.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "NA");
  EXPECT_EQ(r->notAssessable.code, "percist.no_follow_up_lesion");
  EXPECT_EQ(r->followUp.lesions, 0);
  EXPECT_EQ(r->followUp.target, -1);
  EXPECT_EQ(r->baseline.target, 1);
  EXPECT_NEAR(r->baseline.targetSulPeak, 6.0, 1e-12);
}

TEST(PercistResponse, LiverChangeIsWarned) {
  // Lesions 6.0 -> 6.0 (measurable with any liver below: threshold at most 1.5 x 2.5 + 0.2 = 3.95).
  auto livers = [](double base, double follow) {
    Pet b{1, when("20250102")}, f{2, when("20250402")};
    auto r = percistResponse({b.liver(base), b.lesion(6.0), f.liver(follow), f.lesion(6.0)});
    EXPECT_TRUE(r.has_value());
    if (r) {
      EXPECT_EQ(r->category, "SMD");
    }
    return r && has(*r, "percist.liver_changed");
  };
  EXPECT_TRUE(livers(2.0, 2.5));    // +25 %, +0.5 SUL
  EXPECT_TRUE(livers(2.0, 2.35));   // +17.5 %, but +0.35 SUL >= 0.3
  EXPECT_FALSE(livers(2.0, 2.2));   // +10 %, +0.2 SUL
  EXPECT_TRUE(livers(1.0, 1.28));   // +28 % (21.9 % of the follow-up's), though only +0.28 SUL
  EXPECT_FALSE(livers(1.0, 1.15));  // +15 %, +0.15 SUL
  EXPECT_TRUE(livers(2.0, 1.6));    // -20 %, but -0.4 SUL
  EXPECT_FALSE(livers(2.0, 1.75));  // -12.5 %, -0.25 SUL
  // Read in SUL: the same liver SUVmean 4.0 at SUL/SUV 0.5 and 0.625 is SULmean 2.0 -> 2.5: +25 %.
  // Lesions SUVpeak 12 x 0.5 = 6.0 -> 9.6 x 0.625 = 6.0: SMD.
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  b.sulPerSuv = 0.5, f.sulPerSuv = 0.625;
  const auto r = percistResponse({b.liver(4.0), b.lesion(12.0), f.liver(4.0), f.lesion(9.6)});
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(has(*r, "percist.liver_changed"));
  EXPECT_EQ(r->category, "SMD");
  EXPECT_NEAR(r->changeSul, 0.0, 1e-9);
}

TEST(PercistResponse, UptakeTimesAreWarned) {
  auto uptake = [](double base, double follow) {
    Pet b{1, when("20250102", "100000", base)}, f{2, when("20250402", "100000", follow)};
    auto r = percistResponse({b.liver(1.0), b.lesion(6.0), f.liver(1.0), f.lesion(3.0)});
    EXPECT_TRUE(r.has_value());
    if (r) {
      EXPECT_EQ(r->category, "PMR") << "warnings leave the comparison standing";
    }
    return r ? *r : PercistResponse{};
  };
  auto r = uptake(3600, 4800);  // 20 minutes apart
  EXPECT_TRUE(has(r, "percist.uptake_time_differs"));
  EXPECT_FALSE(has(r, "percist.uptake_time_unknown"));
  r = uptake(4800, 3600);  // either way
  EXPECT_TRUE(has(r, "percist.uptake_time_differs"));
  r = uptake(3600, 4200);  // 10 minutes
  EXPECT_TRUE(r.warnings.empty());
  r = uptake(3600, 4500);  // exactly 15 minutes: not more
  EXPECT_FALSE(has(r, "percist.uptake_time_differs"));
  r = uptake(3600, -1);  // unknown (SuvFactor ADMIN)
  EXPECT_TRUE(has(r, "percist.uptake_time_unknown"));
  EXPECT_FALSE(has(r, "percist.uptake_time_differs")) << "an unknown time is not compared";
  r = uptake(-1, 3600);
  EXPECT_TRUE(has(r, "percist.uptake_time_unknown"));
}

TEST(PercistResponse, TheTextSaysCategoryDatesSulPeaksChangeAndWarnings) {
  // Baseline liver SULmean 2.0 (threshold 3.2), follow-up 2.5: liver_changed. Uptake 60 and 80 min:
  // uptake_time_differs. 6.0 -> 3.0: -50 %, -3.00 SUL; 3.0 > 2.5: PMR.
  Pet b{1, when("20250102", "100000", 3600)}, f{2, when("20250402", "100000", 4800)};
  const std::vector<SegmentReportRow> rows = {b.liver(2.0), b.lesion(6.0, "Baseline node"), f.liver(2.5),
                                              f.lesion(3.0, "Follow-up node")};
  const auto r = percistResponse(rows);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "PMR");
  EXPECT_TRUE(has(*r, "percist.liver_changed"));
  EXPECT_TRUE(has(*r, "percist.uptake_time_differs"));
  const std::string t = percistResponseText(*r, rows);
  for (const char* s :
       {"PMR", "2025-01-02", "2025-04-02", "6.00", "3.00", "-50 %", "-3.00 SUL", "Baseline node",
        "Follow-up node", "percist.liver_changed", "percist.uptake_time_differs"})
    EXPECT_NE(t.find(s), std::string::npos) << s << " in:\n" << t;
  EXPECT_EQ(t.find("20250102"), std::string::npos) << "dates as YYYY-MM-DD:\n" << t;

  // An unknown uptake time's code; a PMD's category and rise.
  Pet b2{3, when("20250102", "100000", -1)}, f2{4, when("20250402")};
  const std::vector<SegmentReportRow> rows2 = {b2.liver(1.0), b2.lesion(3.0), f2.liver(1.0), f2.lesion(4.5)};
  const auto r2 = percistResponse(rows2);  // 3.0 -> 4.5: +50 %, +1.5 SUL: PMD
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->category, "PMD");
  const std::string t2 = percistResponseText(*r2, rows2);
  for (const char* s : {"PMD", "3.00", "4.50", "50 %", "1.50 SUL", "percist.uptake_time_unknown"})
    EXPECT_NE(t2.find(s), std::string::npos) << s << " in:\n" << t2;
}

// The report's CSV says which study each PET row is of and marks each scan's target (seg_report.h).
TEST(PercistResponse, TheReportMarksEachScansTargetAndItsStudyDate) {
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  const std::vector<SegmentReportRow> rows = {b.liver(1.0), b.lesion(3.0), b.lesion(6.0), f.liver(1.0), f.lesion(2.5)};
  std::istringstream in(segmentReportCsv(rows));
  std::string line;
  std::getline(in, line);
  ASSERT_NE(line.find(",pet_study_date,percist_target,error"), std::string::npos) << line;
  // Lines 1..5: the reference, the cooler and the hotter baseline lesion, the follow-up's reference and lesion.
  const char* expected[] = {",20250102,,", ",20250102,,", ",20250102,yes,", ",20250402,,", ",20250402,yes,"};
  for (const char* e : expected) {
    std::getline(in, line);
    EXPECT_NE(line.find(e), std::string::npos) << e << " in " << line;
  }
}
