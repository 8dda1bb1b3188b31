// SPDX-License-Identifier: MIT
// PERCIST's scans (percist_response.h): which PETs count, their order, each one's target lesion, and
// the report's columns for them; the categories are in percist_response_test.cpp. Expected values
// from the rules' arithmetic, written out here: SULpeak = SUVpeak x SUL/SUV, threshold = 1.5 x liver
// SULmean + 2 x SD.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/percist_response.h>

#include "percist_rows_util.h"
#include "pet_header_util.h"

using namespace cvx;
using namespace cvx::view;

using namespace cvx::test;

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
  // An undated follow-up (or baseline) might be either: 6 -> 2 would read PMR, 2 -> 6 PMD. Not guessed.
  EXPECT_EQ(r->category, "NA");
  EXPECT_EQ(r->notAssessable.code, "percist.scan_order_unknown");
  // Nor two scans at the same date and time, or of the same day when a series time is missing.
  for (const char* t2 : {"100000", ""}) {
    Pet s1{31, when("20250102", "100000")}, s2{32, when("20250102", t2)};
    r = percistResponse({s1.liver(1.0), s1.lesion(6.0), s2.liver(1.0), s2.lesion(2.0)});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->notAssessable.code, "percist.scan_order_unknown") << t2;
  }
  // Of different days, a missing time does not matter.
  Pet d1{41, when("20250102", "")}, d2{42, when("20250402", "100000")};
  r = percistResponse({d2.liver(1.0), d2.lesion(2.0), d1.liver(1.0), d1.lesion(6.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "PMR");
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

// An organ (category Anatomical Structure: a TotalSegmentator SEG's brain) is never a lesion, however
// hot; an untyped segment or one typed Tissue is one.
TEST(PercistResponse, OrgansAreNeverTargets) {
  Segment brain;
  brain.name = "Brain";
  brain.category = {"123037004", "SCT", "Anatomical Structure"};
  brain.type = {"12738006", "SCT", "Brain"};
  Segment tissue;
  tissue.name = "Segment 1";
  tissue.category = {"85756007", "SCT", "Tissue"};
  tissue.type = {"85756007", "SCT", "Tissue"};
  EXPECT_FALSE(percistJudges(brain));
  EXPECT_TRUE(percistJudges(tissue));
  // A lymph node is nodal disease, not an organ; an older SEG's SNOMED-RT organ is still an organ.
  Segment node = brain, srtOrgan = brain, srtLiver;
  node.type = {"59441001", "SCT", "Lymph node"};
  srtOrgan.category = {"T-D000A", "SRT", "Anatomical Structure"};
  srtLiver.type = {"T-62000", "SRT", "Liver"};
  EXPECT_TRUE(percistJudges(node));
  EXPECT_FALSE(percistJudges(srtOrgan));
  EXPECT_FALSE(percistJudges(srtLiver));
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  const auto r = percistResponse({b.liver(1.0), b.row(brain, 10.0, 6.0, 1.0), b.lesion(4.0, "Node"),
                                  f.liver(1.0), f.row(brain, 10.0, 6.0, 1.0), f.row(tissue, 2.0, 1.5, 0.2)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->baseline.lesions, 1);
  EXPECT_EQ(r->baseline.targetSulPeak, 4.0);
  EXPECT_EQ(r->followUp.targetSulPeak, 2.0);
  EXPECT_EQ(r->category, "PMR") << "4 -> 2: -50 %, -2 SUL, the brain's 10 left out";
}

// The report's CSV says which study each PET row is of and marks each scan's target (seg_report.h).
TEST(PercistResponse, TheReportMarksEachScansTargetAndItsStudyDate) {
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  const std::vector<SegmentReportRow> rows = {b.liver(1.0), b.lesion(3.0), b.lesion(6.0), f.liver(1.0), f.lesion(2.5)};
  std::istringstream in(segmentReportCsv(rows));
  std::string line;
  std::getline(in, line);
  ASSERT_NE(line.find(",pet_study_date,percist_target,percist_new_lesion,error"), std::string::npos) << line;
  // Lines 1..5: the reference, the cooler and the hotter baseline lesion, the follow-up's reference and lesion.
  const char* expected[] = {",20250102,,", ",20250102,,", ",20250102,yes,", ",20250402,,", ",20250402,yes,"};
  for (const char* e : expected) {
    std::getline(in, line);
    EXPECT_NE(line.find(e), std::string::npos) << e << " in " << line;
  }
}

// The uptake time PERCIST compares runs from the injection to the acquisition's start: to SeriesTime
// as SUV's decay does, but to AcquisitionTime where a re-reconstruction's SeriesTime is later (GE:
// suv.series_after_acquisition). Injection 09:00:00, acquisition 10:00:00: 3600 s either way.
TEST(PercistResponse, UptakeRunsToTheAcquisitionsStart) {
  for (const char* seriesTime : {"100000", "101000"}) {
    SCOPED_TRACE(seriesTime);
    auto pet = Volume::create(PixelType::Float32, {4, 4, 4, 1});
    ASSERT_TRUE(pet.ok());
    SeriesInfo& info = (*pet)->info;
    info = test::fdgHeader();  // injection 09:00:00, acquisition 10:00:00
    info.studyDate = "20250102";
    info.pet.seriesTime = seriesTime;
    ViewerState s;
    DisplayMapping m = initialMapping(**pet);
    m.units = "SUVbw";
    m.unitScale = 4e-4;
    s.addLayer(*pet, m);
    auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(**pet));
    const std::vector<uint8_t> all(64, 1);
    ASSERT_TRUE(seg->addSegment(Segment{}, all.data()).ok());
    ASSERT_TRUE(s.addSegmentation(seg, 0, "").ok());
    const auto rows = segmentReport(s);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].petScan.studyDate, "20250102");
    EXPECT_NEAR(rows[0].petScan.uptakeS, 3600.0, 1e-6);
  }
}
