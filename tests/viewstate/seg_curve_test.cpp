// SPDX-License-Identifier: MIT
// A segment's time-intensity curve (seg_curve.h) on a 4D series written from a formula:
// value = 100 + 10 t + x at phase t, a segment of x in 1..3: at each phase its mean is 102 + 10 t,
// its population SD sqrt(2/3) (x over 1, 2, 3), its minimum 101 + 10 t and maximum 103 + 10 t; the
// times are the series' own. A phase not loaded yet has no figures.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cvx/viewstate/seg_curve.h>

using namespace cvx;
using namespace cvx::view;

namespace {

std::shared_ptr<Volume> series4d(int64_t phases) {
  auto v = Volume::create(PixelType::Float32, {6, 5, 4, phases});
  EXPECT_TRUE(v.ok());
  (*v)->info.rescaleApplied = true;  // the voxels are modality values
  for (int64_t t = 0, i = 0; t < phases; ++t) {
    (*v)->timesMs.push_back(80.0 * static_cast<double>(t));
    for (int64_t z = 0; z < 4; ++z)
      for (int64_t y = 0; y < 5; ++y)
        for (int64_t x = 0; x < 6; ++x, ++i) (*v)->as<float>()[i] = static_cast<float>(100 + 10 * t + x);
  }
  return *v;
}

}  // namespace

TEST(SegCurve, MeanSdMinMaxAtEveryPhaseWithItsTime) {
  auto v = series4d(3);
  for (int64_t s = 0; s < 4 * 2; ++s) v->markSliceReady(s);  // phases 0 and 1 loaded, 2 not yet
  Segmentation seg = Segmentation::onGridOf(*v);
  std::vector<uint8_t> box(6 * 5 * 4, 0);
  for (int64_t z = 0, i = 0; z < 4; ++z)
    for (int64_t y = 0; y < 5; ++y)
      for (int64_t x = 0; x < 6; ++x, ++i) box[static_cast<size_t>(i)] = x >= 1 && x <= 3;
  Segment meta;
  meta.name = "Aorta, root";
  ASSERT_TRUE(seg.addSegment(meta, box.data()).ok());
  const auto c = segmentCurve(seg, 0, *v, "HU", 1.0);
  ASSERT_TRUE(c.ok()) << c.error().str();
  ASSERT_EQ(c->points.size(), 3u);
  EXPECT_EQ(c->name, "Aorta, root");
  for (int64_t t = 0; t < 2; ++t) {
    const CurvePoint& p = c->points[static_cast<size_t>(t)];
    EXPECT_TRUE(p.loaded);
    EXPECT_EQ(p.timeMs, 80.0 * t);
    EXPECT_EQ(p.stats.voxels, 3 * 5 * 4);
    EXPECT_NEAR(p.stats.mean, 102 + 10 * t, 1e-9);
    EXPECT_NEAR(p.stats.sd, std::sqrt(2.0 / 3.0), 1e-9);
    EXPECT_EQ(p.stats.min, 101 + 10 * t);
    EXPECT_EQ(p.stats.max, 103 + 10 * t);
  }
  EXPECT_FALSE(c->points[2].loaded);

  // CSV: a header and a line per phase, figures empty where the phase is not loaded; a shown scale.
  auto scaled = segmentCurve(seg, 0, *v, "SUVbw", 0.5);
  ASSERT_TRUE(scaled.ok());
  std::istringstream in(segmentCurveCsv(*scaled));
  std::string header, l1, l2, l3;
  std::getline(in, header), std::getline(in, l1), std::getline(in, l2), std::getline(in, l3);
  EXPECT_EQ(header, "phase,time_ms,voxels,mean,sd,min,max,units\r");
  EXPECT_EQ(l2.rfind("2,80,60,56,", 0), 0u) << l2;  // (102 + 10) x 0.5
  EXPECT_NE(l2.find(",55.5,56.5,SUVbw\r"), std::string::npos) << l2;  // (111, 113) x 0.5
  EXPECT_EQ(l3, "3,160,,,,,,\r");

  const auto dir = std::filesystem::temp_directory_path() / "cvx_seg_curve_test";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(exportSegmentCurveCsv((dir / "curve.csv").string(), *scaled).ok());
  std::ifstream f(dir / "curve.csv", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), segmentCurveCsv(*scaled));
  EXPECT_EQ(exportSegmentCurveCsv((dir / "no" / "x.csv").string(), *scaled).error().code, "seg.export_failed");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(segmentCurve(seg, 1, *v).error().code, "seg.edit_bad_segment");
}
