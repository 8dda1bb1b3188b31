// SPDX-License-Identifier: MIT
// The Segments dock's figures off the UI thread (seg_figures.h). Counts and means are worked out here
// from the boxes drawn and the formulas that fill the CT; the PET is uniform (SUV 2). What is tested:
// the figures are those of the labels when update() copied them, not of an edit made while the
// worker ran; only the active segment's uptake is computed, and choosing another segment, another
// phase or closing a segmentation brings the right figures; nothing is recomputed when nothing
// changed.
#include <gtest/gtest.h>

#include <cvx/viewstate/seg_figures.h>

using namespace cvx;
using namespace cvx::view;

namespace {

constexpr int64_t kX = 20, kY = 16, kZ = 10;

std::shared_ptr<Volume> grid(PixelType type, std::string modality, int64_t phases = 1) {
  auto v = Volume::create(type, {kX, kY, kZ, phases});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = {1.5, 1.5, 2.0};
  (*v)->info.modality = std::move(modality);
  (*v)->info.frameOfReferenceUid = "1.2.3";
  return *v;
}

std::vector<uint8_t> box(std::array<int64_t, 3> lo, std::array<int64_t, 3> hi) {
  std::vector<uint8_t> m(kX * kY * kZ, 0);
  for (int64_t z = lo[2]; z < hi[2]; ++z)
    for (int64_t y = lo[1]; y < hi[1]; ++y)
      for (int64_t x = lo[0]; x < hi[0]; ++x) m[static_cast<size_t>((z * kY + y) * kX + x)] = 1;
  return m;
}

// A CT whose phase t holds 100 x x + t x 1000 (stored, no rescale), a uniform PET of SUV 2, and a
// segmentation on the CT of box A (4 x 4 x 2 = 32 voxels at x 0..3) and box B (3 x 3 x 2 = 18 at x 10..12).
struct Scene {
  ViewerState s;
  std::shared_ptr<Segmentation> seg;
  std::shared_ptr<Volume> ct;  // the loader's handle (it marks slices loaded)
  explicit Scene(int64_t phases = 1) {
    ct = grid(PixelType::Int16, "CT", phases);
    for (int64_t t = 0, i = 0; t < phases; ++t)
      for (int64_t z = 0; z < kZ; ++z)
        for (int64_t y = 0; y < kY; ++y)
          for (int64_t x = 0; x < kX; ++x, ++i) ct->as<int16_t>()[i] = static_cast<int16_t>(100 * x + 1000 * t);
    ct->info.rescaleApplied = true;
    auto pet = grid(PixelType::Float32, "PT");
    for (int64_t i = 0; i < pet->voxelCount(); ++i) pet->as<float>()[i] = 5000.0f;
    s.addLayer(ct);
    DisplayMapping m = initialMapping(*pet);
    m.units = "SUVbw";
    m.unitScale = 4e-4;  // 5000 Bq/ml is SUV 2
    s.addLayer(pet, m);
    seg.reset(new Segmentation(Segmentation::onGridOf(*ct)));  // apart from its control block: see the closing test
    Segment a, b;
    a.name = "A", b.name = "B";
    EXPECT_TRUE(seg->addSegment(a, box({0, 0, 0}, {4, 4, 2}).data()).ok());
    EXPECT_TRUE(seg->addSegment(b, box({10, 0, 0}, {13, 3, 2}).data()).ok());
    EXPECT_TRUE(s.addSegmentation(seg, 0, "edits").ok());
    s.setActiveSegment(0, 1);
  }
};

Segment a0() {
  Segment a;
  a.name = "A";
  return a;
}

}  // namespace

TEST(SegFigures, EverySegmentsVolumeAndTheActiveSegmentsUptake) {
  Scene sc;
  SegmentFigures f;
  EXPECT_FALSE(f.current(sc.s));
  EXPECT_EQ(f.row(sc.s, 0, 0), nullptr) << "no figures before the first job";
  f.computeNow(sc.s);
  ASSERT_TRUE(f.current(sc.s));
  const SegmentReportRow* a = f.row(sc.s, 0, 0);
  const SegmentReportRow* b = f.row(sc.s, 0, 1);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->stats && b->stats);
  EXPECT_EQ(a->stats->voxels, 32);
  EXPECT_NEAR(a->stats->volumeMl, 32 * 1.5 * 1.5 * 2.0 / 1000, 1e-12);
  EXPECT_NEAR(a->stats->mean, 150.0, 1e-9);  // x 0..3: 100 x, mean 150
  EXPECT_EQ(b->stats->voxels, 18);
  EXPECT_NEAR(b->stats->mean, 1100.0, 1e-9);  // x 10..12
  EXPECT_EQ(b->stats->min, 1000.0);
  EXPECT_EQ(b->stats->max, 1200.0);
  ASSERT_TRUE(b->pet.has_value()) << "the active segment's uptake";
  EXPECT_NEAR(b->pet->suvMean, 2.0, 1e-6);
  EXPECT_NEAR(b->pet->mtvMl, 18 * 1.5 * 1.5 * 2.0 / 1000, 1e-12);
  EXPECT_FALSE(a->pet.has_value()) << "only the active segment's uptake is computed";
  EXPECT_FALSE(f.update(sc.s)) << "nothing changed: no job";

  sc.s.setActiveSegment(0, 0);  // another segment: its uptake
  EXPECT_FALSE(f.current(sc.s));
  f.computeNow(sc.s);
  ASSERT_TRUE(f.row(sc.s, 0, 0) && f.row(sc.s, 0, 0)->pet);
  EXPECT_NEAR(f.row(sc.s, 0, 0)->pet->suvMax, 2.0, 1e-6);
}

// The worker reads the labels as update() found them: voxels painted while it runs are not counted
// (nor read half-written); the next update counts them.
TEST(SegFigures, AnEditWhileTheWorkerRunsIsCountedByTheNextJob) {
  Scene sc;
  SegmentFigures f;
  ASSERT_TRUE(f.update(sc.s));
  EXPECT_FALSE(f.update(sc.s)) << "one job at a time";
  // Paint 10 more voxels of segment A (label 1 in layer 0: x 4, y 0..9, z 0) while it runs.
  const Segment& a = sc.seg->segments()[0];
  uint8_t* labels = sc.seg->layers()[a.layer]->as<uint8_t>();
  for (int64_t y = 0; y < 10; ++y) labels[y * kX + 4] = a.label;
  sc.s.segmentationEdited(0);
  while (!f.collect()) {
  }
  ASSERT_NE(f.row(sc.s, 0, 0), nullptr) << "the last figures stay readable after an edit";
  EXPECT_EQ(f.row(sc.s, 0, 0)->stats->voxels, 32) << "the snapshot's count";
  EXPECT_FALSE(f.current(sc.s)) << "the segmentation's revision moved on";
  f.computeNow(sc.s);
  EXPECT_EQ(f.row(sc.s, 0, 0)->stats->voxels, 42);
  EXPECT_NEAR(f.row(sc.s, 0, 0)->stats->mean, (150.0 * 32 + 400.0 * 10) / 42, 1e-9);
}

// A 4D reference: the figures follow the phase the views show (phase 1 adds 1000 to every voxel).
TEST(SegFigures, ThePhaseShownIsThePhaseMeasured) {
  Scene sc(2);
  SegmentFigures f;
  f.computeNow(sc.s);
  EXPECT_NEAR(f.row(sc.s, 0, 1)->stats->mean, 1100.0, 1e-9);
  sc.s.setPhase(1);
  EXPECT_FALSE(f.current(sc.s));
  f.computeNow(sc.s);
  EXPECT_NEAR(f.row(sc.s, 0, 1)->stats->mean, 2100.0, 1e-9);
}

// A new segment or a closed segmentation: no figures are shown for what they no longer describe.
TEST(SegFigures, FiguresOfASegmentationThatChangedShapeOrClosedAreNotShown) {
  Scene sc;
  SegmentFigures f;
  f.computeNow(sc.s);
  Segment c;
  c.name = "C";
  ASSERT_TRUE(sc.seg->addSegment(c, box({0, 8, 4}, {2, 10, 5}).data()).ok());  // 4 voxels
  sc.s.segmentationEdited(0);
  EXPECT_EQ(f.row(sc.s, 0, 2), nullptr) << "a segment the figures do not hold";
  EXPECT_EQ(f.row(sc.s, 0, 0), nullptr) << "a count of segments that changed may have moved them";
  f.computeNow(sc.s);
  ASSERT_NE(f.row(sc.s, 0, 2), nullptr);
  EXPECT_EQ(f.row(sc.s, 0, 2)->stats->voxels, 4);

  // Closed, and another opened: allocated apart from its control block (not make_shared), the
  // closed one's memory is freed and the new one may well take its address.
  sc.s.removeSegmentation(0);
  sc.seg.reset();
  EXPECT_TRUE(f.current(sc.s)) << "no segmentation, nothing to compute";
  std::shared_ptr<Segmentation> other(new Segmentation(Segmentation::onGridOf(*sc.s.layers()[0].volume)));
  Segment c2;
  c2.name = "C";  // numbers 1, 2, 3 again, as the closed one's
  ASSERT_TRUE(other->addSegment(a0(), box({0, 0, 0}, {1, 1, 1}).data()).ok());
  ASSERT_TRUE(other->addSegment(Segment{}, nullptr).ok());
  ASSERT_TRUE(other->addSegment(c2, nullptr).ok());
  ASSERT_TRUE(sc.s.addSegmentation(other, 0, "other").ok());
  EXPECT_EQ(f.row(sc.s, 0, 0), nullptr) << "the closed segmentation's figures are not the new one's";
  f.computeNow(sc.s);
  EXPECT_EQ(f.row(sc.s, 0, 0)->stats->voxels, 1);
}

// Two segmentations on a PET/CT: the uptake is computed for the active segment alone (a label map of
// forty organs is no forty passes over the PET), and the rows say whose was.
TEST(SegFigures, OnlyTheActiveSegmentsUptakeIsMeasured) {
  Scene sc;
  auto second = std::make_shared<Segmentation>(Segmentation::onGridOf(*sc.s.layers()[0].volume));
  Segment d;
  d.name = "D";
  ASSERT_TRUE(second->addSegment(d, box({5, 5, 5}, {8, 8, 7}).data()).ok());
  ASSERT_TRUE(sc.s.addSegmentation(second, 0, "second").ok());
  sc.s.setActiveSegment(0, 1);
  SegmentFigures f;
  f.computeNow(sc.s);
  EXPECT_TRUE(f.row(sc.s, 0, 1)->petMeasured);
  EXPECT_TRUE(f.row(sc.s, 0, 1)->pet.has_value());
  EXPECT_FALSE(f.row(sc.s, 0, 0)->petMeasured);
  EXPECT_FALSE(f.row(sc.s, 1, 0)->petMeasured) << "another segmentation's segment";
  EXPECT_FALSE(f.row(sc.s, 1, 0)->pet.has_value());
  EXPECT_EQ(f.row(sc.s, 1, 0)->voxels, 18) << "its volume is counted all the same";
  sc.s.setActiveSegment(1, 0);  // the second one's: both are measured again, each for its new role
  EXPECT_FALSE(f.current(sc.s));
  f.computeNow(sc.s);
  EXPECT_TRUE(f.row(sc.s, 1, 0)->pet.has_value());
  EXPECT_NEAR(f.row(sc.s, 1, 0)->pet->suvMean, 2.0, 1e-6);
  EXPECT_FALSE(f.row(sc.s, 0, 1)->petMeasured);
}

// Over a 4D series, the active segment's time-intensity curve (seg_curve.h) comes with its figures:
// B's mean at phase t is 100 x 11 + 1000 t; A, not active, has none; a phase that loads later
// makes the figures out of date, and the next ones hold it.
TEST(SegFigures, TheActiveSegmentsCurveOverA4dSeriesFollowsItsLoading) {
  Scene sc(3);
  for (int64_t i = 0; i < 2 * kZ; ++i) sc.ct->markSliceReady(i);  // phases 0 and 1, as the loader does
  SegmentFigures f;
  f.computeNow(sc.s);
  const SegmentReportRow* b = f.row(sc.s, 0, 1);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->curve.has_value());
  ASSERT_EQ(b->curve->points.size(), 3u);
  EXPECT_NEAR(b->curve->points[0].stats.mean, 1100.0, 1e-9);
  EXPECT_NEAR(b->curve->points[1].stats.mean, 2100.0, 1e-9);
  EXPECT_FALSE(b->curve->points[2].loaded);
  EXPECT_FALSE(f.row(sc.s, 0, 0)->curve.has_value()) << "only the active segment's";
  for (int64_t i = 2 * kZ; i < 3 * kZ; ++i) sc.ct->markSliceReady(i);
  EXPECT_FALSE(f.current(sc.s));
  f.computeNow(sc.s);
  b = f.row(sc.s, 0, 1);
  ASSERT_TRUE(b->curve.has_value());
  ASSERT_TRUE(b->curve->points[2].loaded);
  EXPECT_NEAR(b->curve->points[2].stats.mean, 3100.0, 1e-9);
  // Showing another phase redoes the statistics, not the curve: the curve of the same labels and
  // phases is kept. (Seen here by changing phase 0's voxels behind the figures' back, which a
  // series never does: a recomputed curve would read them.)
  for (int64_t i = 0; i < kX * kY * kZ; ++i) sc.ct->as<int16_t>()[i] = 0;
  sc.s.setPhase(1);
  EXPECT_FALSE(f.current(sc.s));
  f.computeNow(sc.s);
  b = f.row(sc.s, 0, 1);
  EXPECT_NEAR(b->stats->mean, 2100.0, 1e-9) << "the statistics of the phase shown";
  ASSERT_TRUE(b->curve.has_value());
  EXPECT_NEAR(b->curve->points[0].stats.mean, 1100.0, 1e-9) << "the curve was kept";
}
