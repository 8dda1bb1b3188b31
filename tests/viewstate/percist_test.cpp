// SPDX-License-Identifier: MIT
// PERCIST's liver reference and measurability (percist.h). Expected values from the rule's
// arithmetic, written out here: threshold = 1.5 x SULmean + 2 x SD, SUL = SUVbw x LBM / weight with
// the lean body mass worked out by hand (Janmahasatian). The 3 cm ball's volume against the sphere's,
// 4/3 pi 15^3 = 14137 mm^3, on an axis-aligned and an oblique grid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <cvx/viewstate/percist.h>
#include <cvx/viewstate/seg_terms.h>

#include "pet_header_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr double kSphereMm3 = 4.0 / 3.0 * M_PI * 15 * 15 * 15;

std::shared_ptr<Volume> grid(int64_t n, double mm, const std::string& modality) {
  auto v = Volume::create(PixelType::Float32, {n, n, n, 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = {mm, mm, mm};
  (*v)->geometry.originMm = {-(n - 1) * mm / 2, -(n - 1) * mm / 2, -(n - 1) * mm / 2};
  (*v)->info.modality = modality;
  (*v)->info.frameOfReferenceUid = "1.2.3";
  (*v)->info.seriesInstanceUid = "1.2.3." + modality;
  return *v;
}

int64_t count(const std::vector<uint8_t>& m) { return std::count(m.begin(), m.end(), 1); }

// The voxel centres p of g with inside(p - centre), searched over the whole grid.
template <class Inside>
int64_t countInside(const Volume& g, Vec3 centre, const Inside& inside) {
  int64_t n = 0;
  const auto& d = g.dims();
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) n += inside(g.geometry.worldAt(double(x), double(y), double(z)) - centre);
  return n;
}

Segment liver(const char* name = kPercistReferenceName) {
  Segment s;
  s.name = name;
  s.type = {"10200004", "SCT", "Liver"};
  return s;
}

SegmentReportRow row(int segmentation, size_t segment, Segment meta, double suvPeak, double suvMean, double suvSd,
                     double sulPerSuv, uint64_t pet) {
  SegmentReportRow r;
  r.segmentation = segmentation;
  r.segment = segment;
  r.meta = std::move(meta);
  PetStats p;
  p.voxels = 100;
  p.suvPeak = suvPeak, p.suvMean = suvMean, p.suvSd = suvSd, p.suvMax = suvPeak;
  r.pet = p;
  r.sulPerSuv = sulPerSuv;
  r.petSerial = pet;
  return r;
}

}  // namespace

TEST(Percist, TheLiverBallIsThreeCentimetresOnAnyGrid) {
  auto v = grid(41, 2.0, "PT");
  auto m = percistLiverBall(*v, {1.3, -0.7, 0.4});
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_NEAR(double(count(*m)) * 8.0, kSphereMm3, 0.03 * kSphereMm3);
  for (int64_t i = 0; i < v->voxelsPerPhase(); ++i) {  // every voxel marked lies within 15 mm, none outside
    const Vec3 p = v->geometry.worldAt(double(i % 41), double(i / 41 % 41), double(i / 1681));
    EXPECT_EQ((*m)[static_cast<size_t>(i)] == 1, norm(p - Vec3{1.3, -0.7, 0.4}) <= 15.0) << i;
  }
  // Oblique: turned 30 degrees about z and 20 about x, anisotropic voxels.
  auto o = grid(41, 2.0, "PT");
  o->geometry.spacingMm = {1.5, 2.0, 3.0};
  const double a = M_PI / 6, b = M_PI / 9;
  o->geometry.direction = {Vec3{std::cos(a), std::sin(a), 0}, Vec3{-std::sin(a) * std::cos(b), std::cos(a) * std::cos(b), std::sin(b)},
                           Vec3{std::sin(a) * std::sin(b), -std::cos(a) * std::sin(b), std::cos(b)}};
  o->geometry.originMm = {-20, -30, -50};
  const Vec3 c = o->geometry.worldAt(20.3, 19.6, 20.2);
  auto mo = percistLiverBall(*o, c);
  ASSERT_TRUE(mo.ok()) << mo.error().str();
  EXPECT_NEAR(double(count(*mo)) * 9.0, kSphereMm3, 0.03 * kSphereMm3);
  // Every voxel centre within 15 mm, searched over the whole grid, is in it (a box too tight for the
  // turned or sheared grid would drop some); sheared: a gantry tilt's stack direction.
  auto brute = [](const Volume& g, Vec3 centre) { return countInside(g, centre, [](Vec3 q) { return norm(q) <= 15.0; }); };
  EXPECT_EQ(count(*mo), brute(*o, c));
  o->geometry.direction[2] = normalized(Vec3{0.3, 0.6, 1.0});
  o->geometry.sheared = true;
  const Vec3 cs = o->geometry.worldAt(20.3, 19.6, 20.2);
  auto ms = percistLiverBall(*o, cs);
  ASSERT_TRUE(ms.ok()) << ms.error().str();
  EXPECT_EQ(count(*ms), brute(*o, cs));
  EXPECT_GT(count(*ms), 1000);
  // Half outside the grid: the half inside; wholly outside: the code.
  auto edge = percistLiverBall(*v, v->geometry.worldAt(0, 20, 20));
  ASSERT_TRUE(edge.ok());
  // (The voxels of centre x = 0 reach to x = -1 mm: half the ball and a 1 mm disc, pi 15^2.)
  const double halfMm3 = kSphereMm3 / 2 + M_PI * 15 * 15 * 1.0;
  EXPECT_NEAR(double(count(*edge)) * 8.0, halfMm3, 0.03 * halfMm3);
  // What the ball holds uncut on the grid's lattice: the count inside the grid, and more at its edge.
  int64_t whole = 0;
  ASSERT_TRUE(percistLiverBall(*v, {1.3, -0.7, 0.4}, &whole).ok());
  EXPECT_EQ(whole, count(*m));
  ASSERT_TRUE(percistLiverBall(*v, v->geometry.worldAt(0, 20, 20), &whole).ok());
  EXPECT_EQ(whole, count(*percistLiverBall(*v, v->geometry.worldAt(20, 20, 20))) ) << "a whole ball at a voxel centre";
  EXPECT_GT(whole, count(*edge) * 3 / 2);
  auto out = percistLiverBall(*v, {500, 0, 0});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "seg.ball_outside");
}

TEST(Percist, ThresholdAndMeasurabilityFollowTheRule) {
  // Liver SUVmean 2.0, SD 0.4 at SUL / SUV 0.75: SULmean 1.5, SD 0.3, threshold 2.25 + 0.6 = 2.85.
  Segment lesion;
  lesion.name = "Lesion 1";
  std::vector<SegmentReportRow> rows = {row(0, 0, lesion, 4.0, 3.0, 0.5, 0.75, 7),   // SULpeak 3.0
                                        row(1, 0, liver(), 2.4, 2.0, 0.4, 0.75, 7),
                                        row(0, 1, lesion, 3.6, 3.0, 0.5, 0.75, 7),   // SULpeak 2.7
                                        row(2, 0, lesion, 9.0, 3.0, 0.5, 0.75, 8)};  // another PET
  const auto ref = percistReference(rows, 7);
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->segmentation, 1);
  EXPECT_NEAR(ref->sulMean, 1.5, 1e-12);
  EXPECT_NEAR(ref->sulSd, 0.3, 1e-12);
  EXPECT_NEAR(ref->threshold(), 2.85, 1e-12);
  EXPECT_EQ(percistText(rows, rows[0]), "measurable: SULpeak 3.00 >= 2.85 (1.5 x liver SULmean 1.50 + 2 x SD 0.30)");
  EXPECT_EQ(percistText(rows, rows[2]), "not measurable: SULpeak 2.70 < 2.85 (1.5 x liver SULmean 1.50 + 2 x SD 0.30)");
  EXPECT_EQ(percistText(rows, rows[1]), "liver reference: SULmean 1.50, SD 0.30; threshold 2.85");
  EXPECT_EQ(percistText(rows, rows[3]), "") << "no reference on that PET";
  EXPECT_FALSE(percistReference(rows, 8).has_value());
  // A liver without SUL (no height or sex) is no reference; a segment typed otherwise neither.
  rows[1].sulPerSuv = 0;
  EXPECT_FALSE(percistReference(rows, 7).has_value());
  EXPECT_EQ(percistText(rows, rows[0]), "");
  EXPECT_TRUE(isLiverReference(liver()));
  EXPECT_FALSE(isLiverReference(lesion));
  rows[1].sulPerSuv = 0.75;
  // A whole liver (a TotalSegmentator SEG's "Liver") before the ball is no reference, and no lesion.
  rows.insert(rows.begin(), row(3, 0, liver("Liver"), 3.0, 2.5, 0.1, 0.75, 7));
  const auto ball = percistReference(rows, 7);
  ASSERT_TRUE(ball.has_value());
  EXPECT_EQ(ball->segmentation, 1) << "the ball, not the whole liver";
  EXPECT_EQ(percistText(rows, rows[0]), "");
  bool measurable = true;
  EXPECT_FALSE(percistMeasurable(rows, rows[0], measurable));
  EXPECT_FALSE(percistMeasurable(rows, rows[2], measurable)) << "nor the reference itself";
  ASSERT_TRUE(percistMeasurable(rows, rows[1], measurable));
  EXPECT_TRUE(measurable);
  ASSERT_TRUE(percistMeasurable(rows, rows[3], measurable));
  EXPECT_FALSE(measurable);
  // SULpeak 2.8497 against 2.85: four decimals where two and three would read the same.
  rows[3].pet->suvPeak = 2.8497 / 0.75;
  EXPECT_EQ(percistText(rows, rows[3]), "not measurable: SULpeak 2.8497 < 2.8500 (1.5 x liver SULmean 1.50 + 2 x SD 0.30)");
}

TEST(Percist, TheTableReadsTheLiverBallAndSaysWhichLesionsAreMeasurable) {
  // A PET of 2 mm voxels: 5000 Bq/ml (SUV 2 at 4e-4), a hot cube of 10000 Bq/ml (SUV 4) 20 mm wide.
  // Its header: SUL = SUVbw x 0.5650716 (pet_header_util.h).
  auto pet = grid(41, 2.0, "PT");
  test::setSulHeader(pet->info);
  std::vector<uint8_t> cube(static_cast<size_t>(pet->voxelsPerPhase()), 0);
  for (int64_t z = 0, i = 0; z < 41; ++z)
    for (int64_t y = 0; y < 41; ++y)
      for (int64_t x = 0; x < 41; ++x, ++i) {
        const bool hot = x >= 5 && x < 15 && y >= 5 && y < 15 && z >= 5 && z < 15;
        pet->as<float>()[i] = hot ? 10000.0f : 5000.0f;
        cube[static_cast<size_t>(i)] = hot;
      }
  ViewerState s;
  DisplayMapping m = initialMapping(*pet);
  m.units = "SUVbw";
  m.unitScale = 4e-4;
  s.addLayer(pet, m);
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*pet));
  Segment lesion;
  lesion.name = "Lesion 1";
  ASSERT_TRUE(seg->addSegment(lesion, cube.data()).ok());
  auto ball = percistLiverBall(*pet, {15, 15, 15});  // in the uniform part
  ASSERT_TRUE(ball.ok());
  ASSERT_TRUE(seg->addSegment(liver(), ball->data()).ok());
  ASSERT_TRUE(s.addSegmentation(seg, 0, "").ok());

  // The dock computes only the active segment's uptake, and the reference's always.
  const auto only = segmentReport({segmentReportSource(s, 0, SegmentReportSource::kNoPet)});
  ASSERT_EQ(only.size(), 2u);
  EXPECT_FALSE(only[0].pet.has_value());
  ASSERT_TRUE(only[1].pet.has_value()) << "the liver reference is measured without being active";
  EXPECT_NEAR(only[1].pet->suvMean, 2.0, 1e-6);
  EXPECT_NEAR(only[1].pet->suvSd, 0.0, 1e-6);

  const auto rows = segmentReport(s);
  const auto ref = percistReference(rows, pet->serial());
  ASSERT_TRUE(ref.has_value());
  EXPECT_NEAR(ref->sulMean, 2.0 * test::kHeaderSulPerSuv, 1e-6);
  EXPECT_NEAR(ref->threshold(), 1.5 * 2.0 * test::kHeaderSulPerSuv, 1e-6);  // SD 0: a uniform liver
  // The cube's SULpeak: SUV 4 (its 1 cm^3 balls fit inside it) x 0.5650716 = 2.2603 >= 1.6952.
  EXPECT_NEAR(rows[0].pet->suvPeak * rows[0].sulPerSuv, 4.0 * test::kHeaderSulPerSuv, 1e-5);
  EXPECT_EQ(percistText(rows, rows[0]).rfind("measurable: SULpeak 2.26 >= 1.70", 0), 0u) << percistText(rows, rows[0]);
  const std::string csv = segmentReportCsv(rows);
  std::istringstream in(csv);
  std::string header, first, second;
  std::getline(in, header), std::getline(in, first), std::getline(in, second);
  EXPECT_NE(header.find(",percist_threshold,percist_measurable,"), std::string::npos) << header;
  EXPECT_NE(first.find(",1.695214"), std::string::npos) << first;
  EXPECT_NE(first.find(",yes,"), std::string::npos) << first;
  EXPECT_EQ(second.find(",yes,"), std::string::npos) << "not said of the reference itself: " << second;
  // The PET's study date (none written here) and the target: the one lesion, not the reference.
  EXPECT_NE(header.find(",percist_measurable,pet_study_date,percist_target,percist_new_lesion,error"), std::string::npos) << header;
  EXPECT_NE(first.find(",yes,,yes,"), std::string::npos) << "measurable, no date, the target: " << first;
  EXPECT_NE(second.find(",,,\r"), std::string::npos) << "the reference: no verdict, no date, no target: " << second;
}

// The blood pool reference's cylinder: 1 cm wide, 2 cm long along the patient's long axis, pi 5^2 20 =
// 1570.8 mm^3; every voxel centre within it, searched over the whole grid, on an oblique grid too.
TEST(Percist, TheBloodPoolCylinderIsOneByTwoCentimetres) {
  constexpr double kCylinderMm3 = M_PI * 5 * 5 * 20;
  auto inside = [](Vec3 q) { return q.x * q.x + q.y * q.y <= 25.0 && std::abs(q.z) <= 10.0; };
  auto brute = [&](const Volume& g, Vec3 centre) { return countInside(g, centre, inside); };
  auto v = grid(41, 1.0, "PT");
  const Vec3 c{0.3, -0.2, 0.5};  // the slices at 0.5 mm from it: 20 of them within 10 mm
  auto m = percistBloodPoolCylinder(*v, c);
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_NEAR(double(count(*m)), kCylinderMm3, 0.05 * kCylinderMm3);
  EXPECT_EQ(count(*m), brute(*v, c));
  for (int64_t i = 0; i < v->voxelsPerPhase(); ++i) {
    const Vec3 p = v->geometry.worldAt(double(i % 41), double(i / 41 % 41), double(i / 1681));
    EXPECT_EQ((*m)[static_cast<size_t>(i)] == 1, inside(p - c)) << i;
  }
  auto o = grid(41, 2.0, "PT");
  o->geometry.spacingMm = {0.8, 0.9, 1.2};
  const double a = M_PI / 6, b = M_PI / 9;
  o->geometry.direction = {Vec3{std::cos(a), std::sin(a), 0}, Vec3{-std::sin(a) * std::cos(b), std::cos(a) * std::cos(b), std::sin(b)},
                           Vec3{std::sin(a) * std::sin(b), -std::cos(a) * std::sin(b), std::cos(b)}};
  const Vec3 co = o->geometry.worldAt(20.3, 19.6, 20.2);
  auto mo = percistBloodPoolCylinder(*o, co);
  ASSERT_TRUE(mo.ok()) << mo.error().str();
  EXPECT_EQ(count(*mo), brute(*o, co));
  EXPECT_NEAR(double(count(*mo)) * 0.8 * 0.9 * 1.2, kCylinderMm3, 0.05 * kCylinderMm3);
  auto out = percistBloodPoolCylinder(*v, {500, 0, 0});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "seg.ball_outside");
}

// Where the liver is abnormal: 2.0 x the blood pool's SULmean + 2 SD; a liver reference wins over it.
TEST(Percist, TheBloodPoolReadsTwiceItsMeanAndTheLiverComesFirst) {
  Segment lesion;
  lesion.name = "Lesion 1";
  Segment blood;
  blood.name = kPercistBloodPoolName;
  blood.type = {"15825003", "SCT", "Aorta"};
  blood.category = {"123037004", "SCT", "Anatomical Structure"};
  EXPECT_TRUE(isBloodPoolReference(blood));
  EXPECT_FALSE(percistJudges(blood)) << "an organ, no lesion";
  // Blood pool SUVmean 2.0, SD 0.2 at SUL / SUV 0.75: SULmean 1.5, SD 0.15, threshold 3.0 + 0.3 = 3.3.
  std::vector<SegmentReportRow> rows = {row(0, 0, lesion, 4.8, 3.0, 0.5, 0.75, 7),  // SULpeak 3.6
                                        row(1, 0, blood, 2.2, 2.0, 0.2, 0.75, 7)};
  auto ref = percistReference(rows, 7);
  ASSERT_TRUE(ref.has_value());
  EXPECT_TRUE(ref->bloodPool);
  EXPECT_NEAR(ref->threshold(), 3.3, 1e-12);
  EXPECT_EQ(percistText(rows, rows[0]), "measurable: SULpeak 3.60 >= 3.30 (2.0 x blood pool SULmean 1.50 + 2 x SD 0.15)");
  EXPECT_EQ(percistText(rows, rows[1]), "blood pool reference: SULmean 1.50, SD 0.15; threshold 3.30");
  // A liver reference of the same PET after it in the rows still comes first: 1.5 x 1.5 + 2 x 0.3 = 2.85.
  rows.push_back(row(2, 0, liver(), 2.4, 2.0, 0.4, 0.75, 7));
  ref = percistReference(rows, 7);
  ASSERT_TRUE(ref.has_value());
  EXPECT_FALSE(ref->bloodPool);
  EXPECT_NEAR(ref->threshold(), 2.85, 1e-12);
}
