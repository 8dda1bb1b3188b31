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

#include "percist_rows_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

using namespace cvx::test;

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

// Both scans against the blood pool: its own change warned; the liver on one, the blood pool on the other: warned.
TEST(PercistResponse, TheBloodPoolReferenceIsComparedLikeTheLiver) {
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  // Blood pool 1.0 -> 1.5: +50 %; threshold 2.0 x 1.0 + 0.2 = 2.2, so 6 is measurable; 6 -> 3: PMR.
  auto r = percistResponse({b.bloodPool(1.0), b.lesion(6.0), f.bloodPool(1.5), f.lesion(3.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "PMR");
  EXPECT_TRUE(has(*r, "percist.blood_pool_changed"));
  EXPECT_FALSE(has(*r, "percist.liver_changed"));
  r = percistResponse({b.bloodPool(1.0), b.lesion(6.0), f.bloodPool(1.1), f.lesion(3.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->warnings.empty()) << "+10 %, 0.1 SUL";
  r = percistResponse({b.liver(1.0), b.lesion(6.0), f.bloodPool(1.0), f.lesion(3.0)});
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(has(*r, "percist.reference_differs"));
  // CMR against the follow-up's blood pool: 0.9 at or below its SULmean 1.0 (the reference itself,
  // SULpeak 1.2 here, is no lesion).
  r = percistResponse({b.bloodPool(1.0), b.lesion(6.0), f.bloodPool(1.0), f.lesion(0.9)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "CMR");
  EXPECT_NE(percistResponseText(*r, {}).find("blood pool's SULmean 1.00"), std::string::npos) << percistResponseText(*r, {});
}

// The change in words never reads as the edge it missed, and never as "-0".
TEST(PercistResponse, TheTextNeverRoundsOntoAnEdge) {
  // 4.00 -> 2.8012: -29.97 %, -1.1988 SUL: SMD, though "-30 %" with no decimal.
  auto r = twoScans(4.0, 2.8012);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "SMD");
  std::string t = percistResponseText(*r, {});
  EXPECT_NE(t.find("-29.97 %, -1.20 SUL"), std::string::npos) << t;
  // 2.5 -> 1.701: -31.96 %, -0.799 SUL: SMD, though "-0.80 SUL" with two decimals.
  r = twoScans(2.5, 1.701);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "SMD");
  t = percistResponseText(*r, {});
  EXPECT_NE(t.find("-32 %, -0.799 SUL"), std::string::npos) << t;
  // 4.00 -> 3.99: -0.25 %, -0.01 SUL.
  r = twoScans(4.0, 3.99);
  ASSERT_TRUE(r.has_value());
  t = percistResponseText(*r, {});
  EXPECT_NE(t.find(": 0 %, -0.01 SUL"), std::string::npos) << t;
}
