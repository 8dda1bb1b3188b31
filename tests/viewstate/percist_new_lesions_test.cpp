// SPDX-License-Identifier: MIT
// PERCIST's new lesions (percist_response.h): a measurable follow-up lesion farther than
// kPercistMatchMm (15 mm) plus both lesions' equivalent radii from every baseline lesion, the two
// PETs' coordinates taken to the reference frame (percistFrames). Distances and radii are set by hand
// (lesionAt: a sphere's volume of the given radius), so each edge is worked out here: radii 5 and
// 5 match within 15 + 5 + 5 = 25 mm.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <cvx/viewstate/percist_response.h>
#include <cvx/viewstate/state.h>

#include "percist_rows_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

using namespace cvx::test;

// Baseline (PET 1) and follow-up (PET 2), liver SULmean 1.0, SD 0.1 (threshold 1.7). The baseline
// target A (SULpeak 6, radius 5 at the origin) fell to 3.0 at A' (3 mm away, radius 5): PMR by the
// target. `extra`: more follow-up rows. `shift`: added to every follow-up position (its own frame).
struct Scans {
  Pet b{1, when("20250102")}, f{2, when("20250402")};
  std::vector<SegmentReportRow> rows;
  explicit Scans(Vec3 shift = {}) {
    rows = {b.liver(1.0), b.lesionAt(6.0, {0, 0, 0}, 5, "A"), f.liver(1.0), f.lesionAt(3.0, Vec3{3, 0, 0} + shift, 5, "A'")};
  }
};

std::string textOf(const PercistResponse& r, const std::vector<SegmentReportRow>& rows) {
  return percistResponseText(r, rows);
}

}  // namespace

TEST(PercistNewLesions, AFarFollowUpLesionMakesProgressionWhereTheFramesAreLinked) {
  Scans s;
  s.rows.push_back(s.f.lesionAt(2.5, {100, 0, 0}, 5, "N"));  // 100 mm from A; measurable, not the target
  const PercistFrames same{{1, Vec3{}}, {2, Vec3{}}};
  auto r = percistResponse(s.rows, &same);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->category, "PMD") << "by the new lesion, though the target fell 50 %";
  EXPECT_NEAR(r->change, -0.5, 1e-12);
  EXPECT_TRUE(r->lesionsMatched);
  ASSERT_EQ(r->newLesions.size(), 1u);
  EXPECT_EQ(s.rows[static_cast<size_t>(r->newLesions[0].row)].meta.name, "N");
  EXPECT_NEAR(r->newLesions[0].nearestMm, 100.0, 1e-9);
  const std::string t = textOf(*r, s.rows);
  EXPECT_NE(t.find("new lesion: N (SULpeak 2.50, 100 mm from the nearest segmented baseline lesion): PMD; confirm that "
                   "the baseline shows no lesion there"),
            std::string::npos)
      << t;

  // Without frames, or with the follow-up's unlinked: judged by target alone, and the text says why.
  r = percistResponse(s.rows);
  EXPECT_EQ(r->category, "PMR");
  EXPECT_FALSE(r->lesionsMatched);
  EXPECT_NE(textOf(*r, s.rows).find("new lesions (progression whatever the target does) are judged by eye"), std::string::npos)
      << textOf(*r, s.rows);
  EXPECT_EQ(textOf(*r, s.rows).find("not linked"), std::string::npos) << "no frames asked for: no reason to give";
  const PercistFrames baselineOnly{{1, Vec3{}}};
  r = percistResponse(s.rows, &baselineOnly);
  EXPECT_EQ(r->category, "PMR");
  EXPECT_FALSE(r->lesionsMatched);
  EXPECT_NE(textOf(*r, s.rows).find("the studies' frames of reference are not linked"), std::string::npos);
}

// The report's CSV marks the new lesions where the studies are linked, and leaves the column empty
// without frames.
TEST(PercistNewLesions, TheReportSaysWhichLesionsAreNew) {
  Scans s;
  s.rows.push_back(s.f.lesionAt(2.5, {100, 0, 0}, 5, "N"));
  s.rows.push_back(s.f.lesionAt(1.2, {0, 200, 0}, 5, "faint"));  // not measurable: neither yes nor no
  const PercistFrames same{{1, Vec3{}}, {2, Vec3{}}};
  for (bool linked : {true, false}) {
    SCOPED_TRACE(linked);
    std::istringstream in(segmentReportCsv(s.rows, linked ? &same : nullptr));
    std::string line;
    std::getline(in, line);
    ASSERT_NE(line.find(",percist_target,percist_new_lesion,error"), std::string::npos) << line;
    // Lines (each ends in CR: getline stops at the LF of CR LF): baseline reference, A (its target);
    // follow-up reference, A' (its target, matched), N (new), faint. The last fields: pet_study_date,
    // percist_target, percist_new_lesion, error.
    const std::vector<std::string> expected = {",20250102,,,\r", ",20250102,yes,,\r", ",20250402,,,\r",
                                               linked ? ",20250402,yes,no,\r" : ",20250402,yes,,\r",
                                               linked ? ",20250402,,yes,\r" : ",20250402,,,\r", ",20250402,,,\r"};
    for (const std::string& e : expected) {
      std::getline(in, line);
      EXPECT_TRUE(line.ends_with(e)) << e << " at the end of " << line;
    }
  }
}

TEST(PercistNewLesions, MatchedWithinFifteenMillimetresBeyondBothRadii) {
  struct Case {
    double y, radius;
    bool isNew;
  };
  // Radius 5 against A's 5: within 25 mm; a lesion of no volume (radius 0): within 20 mm.
  for (const Case& c : {Case{-24.9, 5, false}, Case{-25.1, 5, true}, Case{-19.9, 0, false}, Case{-20.1, 0, true}}) {
    SCOPED_TRACE("y " + std::to_string(c.y) + ", radius " + std::to_string(c.radius));
    Scans s;
    s.rows.push_back(s.f.lesionAt(2.5, {0, c.y, 0}, c.radius, "B"));
    const PercistFrames same{{1, Vec3{}}, {2, Vec3{}}};
    const auto resp = percistResponse(s.rows, &same);
    ASSERT_TRUE(resp.has_value());
    EXPECT_EQ(resp->newLesions.size(), c.isNew ? 1u : 0u);
    EXPECT_EQ(resp->category, c.isNew ? "PMD" : "PMR");
    if (!c.isNew)
      EXPECT_NE(textOf(*resp, s.rows).find("no measurable follow-up lesion is new (each lies within 15 mm beyond both "
                                           "sizes of a segmented baseline lesion); lesions not segmented are judged by eye"),
                std::string::npos)
          << textOf(*resp, s.rows);
  }
}

TEST(PercistNewLesions, TheFollowUpsOwnFrameIsTakenToTheReference) {
  // The follow-up's coordinates 200 mm along x from the baseline's (its own frame, linked by hand
  // with that offset: percistFrames' shift is minus it).
  Scans s(Vec3{200, 0, 0});
  s.rows.push_back(s.f.lesionAt(4.0, {300, 0, 0}, 5, "N"));
  const PercistFrames linked{{1, Vec3{}}, {2, Vec3{-200, 0, 0}}};
  auto r = percistResponse(s.rows, &linked);
  ASSERT_EQ(r->newLesions.size(), 1u);
  EXPECT_NEAR(r->newLesions[0].nearestMm, 100.0, 1e-9);
  // Taken as the same frame, A' (203 mm away) is new too: both, the hotter first.
  const PercistFrames same{{1, Vec3{}}, {2, Vec3{}}};
  r = percistResponse(s.rows, &same);
  ASSERT_EQ(r->newLesions.size(), 2u);
  EXPECT_EQ(s.rows[static_cast<size_t>(r->newLesions[0].row)].meta.name, "N");
  EXPECT_EQ(s.rows[static_cast<size_t>(r->newLesions[1].row)].meta.name, "A'");
  EXPECT_NE(textOf(*r, s.rows).find("new lesions: N (SULpeak 4.00, 300 mm from the nearest segmented baseline lesion); A' "
                                    "(SULpeak 3.00, 203 mm from the nearest segmented baseline lesion): PMD"),
            std::string::npos)
      << textOf(*r, s.rows);
}

TEST(PercistNewLesions, OnlyMeasurableLesionsAreNewAndAnyBaselineLesionMatches) {
  Scans s;
  const PercistFrames same{{1, Vec3{}}, {2, Vec3{}}};
  // Far, but below the threshold 1.7: not FDG-avid by the rule.
  s.rows.push_back(s.f.lesionAt(1.6, {0, 0, 200}, 5, "faint"));
  // Far, hot, but an organ (a TotalSegmentator brain): never a lesion.
  Segment brain;
  brain.name = "Brain";
  brain.category = {"123037004", "SCT", "Anatomical Structure"};
  brain.type = {"12738006", "SCT", "Brain"};
  SegmentReportRow organ = s.f.lesionAt(9.0, {0, 0, 300}, 50, "Brain");
  organ.meta = brain;
  s.rows.push_back(organ);
  // Measurable, far from A, but 10 mm from a baseline lesion that is not measurable (SULpeak 1.2).
  s.rows.push_back(s.b.lesionAt(1.2, {0, 150, 0}, 3, "small"));
  s.rows.push_back(s.f.lesionAt(2.5, {0, 160, 0}, 3, "grown"));
  auto r = percistResponse(s.rows, &same);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->lesionsMatched);
  EXPECT_TRUE(r->newLesions.empty());
  EXPECT_EQ(r->category, "PMR");
  // Not assessable: no lesion is looked for.
  Scans na;
  na.rows[3].petScan = na.rows[2].petScan = na.rows[0].petScan;  // the same day and time: order unknown
  na.rows.push_back(na.f.lesionAt(4.0, {100, 0, 0}, 5, "N"));
  na.rows.back().petScan = na.rows[0].petScan;
  r = percistResponse(na.rows, &same);
  EXPECT_EQ(r->category, "NA");
  EXPECT_FALSE(r->lesionsMatched);
}

TEST(PercistNewLesions, FramesAreTheViewsLinks) {
  auto make = [](PixelType t, const std::string& modality, const std::string& frame) {
    auto v = Volume::create(t, {4, 4, 4, 1});
    EXPECT_TRUE(v.ok());
    (*v)->info.modality = modality;
    (*v)->info.frameOfReferenceUid = frame;
    return *v;
  };
  ViewerState s;
  auto ct = make(PixelType::Int16, "CT", "1.2.3"), pet = make(PixelType::Float32, "PT", "1.2.3"),
       later = make(PixelType::Float32, "PT", "4.5.6");
  s.addLayer(ct);
  s.addLayer(pet);
  s.addLayer(later);
  PercistFrames f = percistFrames(s);
  EXPECT_EQ(f.size(), 2u);
  ASSERT_TRUE(f.count(pet->serial()));
  EXPECT_EQ(norm(f.at(pet->serial())), 0.0) << "the reference's frame";
  EXPECT_FALSE(f.count(later->serial())) << "another frame, unlinked";
  s.linkFrameByOffset("4.5.6", {4, -2, 8});
  f = percistFrames(s);
  ASSERT_TRUE(f.count(later->serial()));
  EXPECT_LT(norm(f.at(later->serial()) - Vec3{-4, 2, -8}), 1e-12);
  // The shift takes what a view of 4.5.6 shows at its cursor back to the reference's cursor.
  s.setViewLayers(1, {2});
  s.setCursor({10, 20, 30});
  EXPECT_LT(norm(s.viewCursor(1) + f.at(later->serial()) - s.cursor()), 1e-12);
  // A series without a FrameOfReferenceUID is never another's frame (anonymised studies).
  auto anonymous = make(PixelType::Float32, "PT", "");
  s.addLayer(anonymous);
  EXPECT_FALSE(percistFrames(s).count(anonymous->serial()));
  s.unlinkFrame("4.5.6");
  EXPECT_FALSE(percistFrames(s).count(later->serial()));
}
