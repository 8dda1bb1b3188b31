// SPDX-License-Identifier: MIT
// The transfer-function editor's model (tf_edit.h): moving keeps values ordered and alpha in [0, 1],
// adding a point leaves the function (buildTransferTable's lookups) unchanged, removing stops at 2
// points, hit-testing in plot pixels, the histogram and extent against phantoms whose values are
// set here, and the viewer state's edited preset.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include <cvx/core/transfer.h>
#include <cvx/viewstate/state.h>
#include <cvx/viewstate/tf_edit.h>

using namespace cvx;
using namespace cvx::view;

namespace {

TransferPreset fourPoints() {
  TransferPreset p;
  p.name = "test";
  p.points = {{-1000, 0, 0, 0, 0}, {0, 0.2f, 0.4f, 0.6f, 0.1f}, {500, 0.7f, 0.5f, 0.1f, 0.6f}, {1000, 1, 1, 1, 0.9f}};
  return p;
}

// The table's lookups of both point lists agree at `samples` values over [lo, hi].
void expectSameFunction(const std::vector<TfPoint>& a, const std::vector<TfPoint>& b, double lo, double hi,
                        int nodes = 4096, float tol = 1e-5f) {
  auto ta = buildTransferTable(a, 1.0, nodes), tb = buildTransferTable(b, 1.0, nodes);
  ASSERT_TRUE(ta.ok() && tb.ok());
  for (int i = 0; i <= 5000; ++i) {
    const float v = static_cast<float>(lo + (hi - lo) * i / 5000.0);
    const hd::TfNode x = hd::tfLookup(ta->view(), v), y = hd::tfLookup(tb->view(), v);
    ASSERT_NEAR(x.r, y.r, tol) << "at " << v;
    ASSERT_NEAR(x.g, y.g, tol) << "at " << v;
    ASSERT_NEAR(x.b, y.b, tol) << "at " << v;
    ASSERT_NEAR(x.sigma, y.sigma, tol * 10) << "at " << v;
  }
}

}  // namespace

TEST(TfEdit, MovingClampsTheValueBetweenItsNeighboursAndAlphaToZeroOne) {
  TfEdit e(fourPoints());
  ASSERT_TRUE(e.movePoint(1, 800, 1.5));  // past the next point (500)
  EXPECT_EQ(e.points()[1].value, 500);
  EXPECT_EQ(e.points()[1].alpha, 1.0f);
  ASSERT_TRUE(e.movePoint(1, -2000, -0.3));  // before the previous one (-1000)
  EXPECT_EQ(e.points()[1].value, -1000);
  EXPECT_EQ(e.points()[1].alpha, 0.0f);
  ASSERT_TRUE(e.movePoint(2, 321, 0.25));  // inside: exactly there
  EXPECT_EQ(e.points()[2].value, 321);
  EXPECT_FLOAT_EQ(e.points()[2].alpha, 0.25f);
  ASSERT_TRUE(e.movePoint(0, -3000, 0.5));  // the first point has no lower neighbour
  EXPECT_EQ(e.points()[0].value, -3000);
  ASSERT_TRUE(e.movePoint(3, 5000, 0.5));  // nor the last an upper one
  EXPECT_EQ(e.points()[3].value, 5000);
  EXPECT_FLOAT_EQ(e.points()[2].r, 0.7f);  // colour untouched
  const auto before = e.points();
  EXPECT_FALSE(e.movePoint(-1, 0, 0));
  EXPECT_FALSE(e.movePoint(4, 0, 0));
  EXPECT_FALSE(e.movePoint(1, std::nan(""), 0.5));
  EXPECT_FALSE(e.movePoint(1, 0, std::numeric_limits<double>::infinity()));
  ASSERT_EQ(e.size(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(e.points()[i].value, before[i].value);
  EXPECT_TRUE(checkTransferPoints(e.points()).ok());
}

TEST(TfEdit, AddingAPointTakesTheInterpolatedColourAndLeavesTheTableUnchanged) {
  TfEdit e(fourPoints());
  const auto before = e.points();
  const int i = e.addPoint(100);  // 1/5 of the way from 0 to 500
  ASSERT_EQ(i, 2);
  ASSERT_EQ(e.size(), 5);
  const TfPoint& p = e.points()[2];
  EXPECT_EQ(p.value, 100);
  EXPECT_NEAR(p.r, 0.2 + 0.2 * (0.7 - 0.2), 1e-6);
  EXPECT_NEAR(p.g, 0.4 + 0.2 * (0.5 - 0.4), 1e-6);
  EXPECT_NEAR(p.b, 0.6 + 0.2 * (0.1 - 0.6), 1e-6);
  EXPECT_NEAR(p.alpha, 0.1 + 0.2 * (0.6 - 0.1), 1e-6);
  expectSameFunction(before, e.points(), -1100, 1100);
  // More inside, and on an existing point's value (after it: same colour, the function holds).
  for (double v : {-999.5, 0.0, 733.3, 999.0}) {
    const auto prev = e.points();
    const int k = e.addPoint(v);
    ASSERT_GE(k, 0);
    EXPECT_EQ(e.points()[static_cast<size_t>(k)].value, v);
    expectSameFunction(prev, e.points(), -1100, 1100);
  }
  EXPECT_TRUE(checkTransferPoints(e.points()).ok());
  EXPECT_EQ(e.addPoint(std::nan("")), -1);
}

TEST(TfEdit, AddingAtAStepOrBeyondTheEndsKeepsTheFunction) {
  TransferPreset s;
  s.points = {{0, 0, 0, 0, 0}, {200, 0.1f, 0.1f, 0.1f, 0.1f}, {200, 0.9f, 0.8f, 0.7f, 0.8f}, {400, 1, 1, 1, 1}};
  TfEdit e(s);
  auto prev = e.points();
  EXPECT_EQ(e.addPoint(200), 3);  // after both points of the step
  EXPECT_FLOAT_EQ(e.points()[3].r, 0.9f);
  expectSameFunction(prev, e.points(), -50, 450);
  // Beyond the ends the function holds the end point: a copy there. The table's range widens, so
  // its nodes move: compare with fine tables (node spacing ~0.005).
  prev = e.points();
  EXPECT_EQ(e.addPoint(-300), 0);
  EXPECT_EQ(e.points()[0].value, -300);
  EXPECT_FLOAT_EQ(e.points()[0].alpha, 0.0f);
  EXPECT_EQ(e.addPoint(900), 6);
  EXPECT_FLOAT_EQ(e.points()[6].alpha, 1.0f);
  expectSameFunction(prev, e.points(), -350, 950, 1 << 18, 2e-3f);
}

TEST(TfEdit, RemovingStopsAtTwoPoints) {
  TfEdit e(fourPoints());
  EXPECT_FALSE(e.removePoint(4));
  EXPECT_FALSE(e.removePoint(-1));
  ASSERT_TRUE(e.removePoint(1));
  ASSERT_EQ(e.size(), 3);
  EXPECT_EQ(e.points()[1].value, 500);
  ASSERT_TRUE(e.removePoint(0));
  EXPECT_FALSE(e.removePoint(0));
  EXPECT_FALSE(e.removePoint(1));
  ASSERT_EQ(e.size(), 2);
  EXPECT_EQ(e.points()[0].value, 500);
  EXPECT_EQ(e.points()[1].value, 1000);
}

TEST(TfEdit, SetColorClampsEachChannel) {
  TfEdit e(fourPoints());
  ASSERT_TRUE(e.setColor(2, 1.5f, -0.5f, 0.25f));
  EXPECT_EQ(e.points()[2].r, 1.0f);
  EXPECT_EQ(e.points()[2].g, 0.0f);
  EXPECT_EQ(e.points()[2].b, 0.25f);
  EXPECT_FLOAT_EQ(e.points()[2].alpha, 0.6f);
  EXPECT_FALSE(e.setColor(9, 0, 0, 0));
  EXPECT_FALSE(e.setColor(0, std::nanf(""), 0, 0));
}

TEST(TfEdit, HitTestFindsTheNearestHandleWithinTheRadius) {
  TfPlot plot;
  plot.lo = -1000, plot.hi = 1000, plot.left = 10, plot.top = 20, plot.width = 200, plot.height = 100;
  // 10 px per 100 HU; alpha 1 at y 20, 0 at y 120.
  EXPECT_DOUBLE_EQ(plot.xOf(0), 110);
  EXPECT_DOUBLE_EQ(plot.yOf(0.25), 95);
  EXPECT_DOUBLE_EQ(plot.valueAt(60), -500);
  EXPECT_DOUBLE_EQ(plot.alphaAt(70), 0.5);
  TransferPreset p;
  p.points = {{-1000, 0, 0, 0, 0}, {0, 0, 0, 0, 0.5f}, {50, 0, 0, 0, 0.5f}, {1000, 0, 0, 0, 1}};
  TfEdit e(p);  // handles at (10, 120), (110, 70), (115, 70), (210, 20)
  EXPECT_EQ(e.hitTest(plot, 113, 74, 6), 2);  // 5 px from point 1, 4.47 from point 2
  EXPECT_EQ(e.hitTest(plot, 111, 70, 6), 1);
  EXPECT_EQ(e.hitTest(plot, 114, 70, 6), 2);
  EXPECT_EQ(e.hitTest(plot, 12, 118, 6), 0);
  EXPECT_EQ(e.hitTest(plot, 205, 23, 6), 3);   // 5.83 px away
  EXPECT_EQ(e.hitTest(plot, 204, 24, 6), -1);  // 7.2 px away
  EXPECT_EQ(e.hitTest(plot, 60, 60, 6), -1);
}

namespace {

// 4 x 5 x 6 voxels, two phases, int16 with slope 2 and intercept -1000: phase 0 voxel i stores
// i % 10 (modality -1000 + 2 (i % 10), each of the ten values 12 times); phase 1 stores 5 (-990).
std::shared_ptr<Volume> phantom() {
  auto v = Volume::create(PixelType::Int16, {4, 5, 6, 2}).value();
  auto* p = v->as<int16_t>();
  for (int64_t i = 0; i < 120; ++i) p[i] = static_cast<int16_t>(i % 10);
  for (int64_t i = 120; i < 240; ++i) p[i] = 5;
  v->info.rescaleSlope = 2;
  v->info.rescaleIntercept = -1000;
  v->info.rescaleApplied = false;
  return v;
}

}  // namespace

TEST(TfEditHistogram, CountsModalityValuesPerBinOfOnePhase) {
  auto v = phantom();
  // Bins of 2 HU centred on the ten values.
  ValueHistogram h = valueHistogram(*v, 0, -1001, -981, 10);
  ASSERT_EQ(h.counts.size(), 10u);
  for (int64_t c : h.counts) EXPECT_EQ(c, 12);
  EXPECT_EQ(h.below + h.above, 0);
  h = valueHistogram(*v, 1, -1001, -981, 10);
  for (size_t b = 0; b < 10; ++b) EXPECT_EQ(h.counts[b], b == 5 ? 120 : 0) << b;
  // Values outside the range: -1000, -998, -996 below; -984, -982 above.
  h = valueHistogram(*v, 0, -995, -985, 5);
  ASSERT_EQ(h.counts.size(), 5u);
  for (int64_t c : h.counts) EXPECT_EQ(c, 12);
  EXPECT_EQ(h.below, 36);
  EXPECT_EQ(h.above, 24);
  // Each bin [lo + i w, lo + (i + 1) w); hi itself in the last bin.
  h = valueHistogram(*v, 0, -1000, -990, 5);
  EXPECT_EQ(h.counts, (std::vector<int64_t>{12, 12, 12, 12, 24}));
  EXPECT_EQ(h.above, 48);
  // Nothing for a bad request.
  EXPECT_TRUE(valueHistogram(*v, 2, -1000, -990, 5).counts.empty());
  EXPECT_TRUE(valueHistogram(*v, 0, -990, -990, 5).counts.empty());
  EXPECT_TRUE(valueHistogram(*v, 0, -1000, -990, 0).counts.empty());
  EXPECT_EQ(valueExtent(*v, 0), (std::pair<double, double>{-1000, -982}));
  EXPECT_EQ(valueExtent(*v, 1), (std::pair<double, double>{-990, -990}));
}

TEST(TfEditHistogram, StoredModalityValuesAndFloatNaNs) {
  auto v = Volume::create(PixelType::Float32, {3, 2, 1, 1}).value();
  const float values[6] = {0.5f, 1.5f, std::nanf(""), 2.5f, 2.7f, 10.0f};
  std::copy(values, values + 6, v->as<float>());
  v->info.rescaleSlope = 100;  // already applied: values are modality values
  v->info.rescaleApplied = true;
  const ValueHistogram h = valueHistogram(*v, 0, 0, 3, 3);
  EXPECT_EQ(h.counts, (std::vector<int64_t>{1, 1, 2}));
  EXPECT_EQ(h.below, 0);
  EXPECT_EQ(h.above, 1);  // 10; the NaN nowhere
  EXPECT_EQ(valueExtent(*v, 0), (std::pair<double, double>{0.5, 10.0}));
}

TEST(TfEdit, ARelativePresetIsResolvedToTheVolumesPercentiles) {
  // 1000 voxels 0..999: the 1st percentile (index floor(0.01 * 999) of the sorted values) is 9,
  // the 99th (floor(0.99 * 999)) 989.
  auto v = Volume::create(PixelType::UInt16, {100, 10, 1, 1}).value();
  for (int i = 0; i < 1000; ++i) v->as<uint16_t>()[i] = static_cast<uint16_t>(i);
  TransferPreset rel;
  rel.relative = true;
  rel.points = {{0, 0, 0, 0, 0}, {0.5, 1, 1, 1, 0.5f}, {1, 1, 1, 1, 1}};
  auto p = editablePreset(rel, *v);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->relative);
  EXPECT_NEAR(p->points[0].value, 9, 1e-9);
  EXPECT_NEAR(p->points[1].value, 499, 1e-9);
  EXPECT_NEAR(p->points[2].value, 989, 1e-9);
  TransferPreset abs = fourPoints();
  EXPECT_EQ(editablePreset(abs, *v)->points[1].value, 0);  // absolute: unchanged
}

TEST(TfEditState, TheEditedPresetRaisesView3dAndAChosenPresetDropsIt) {
  ViewerState s;
  std::vector<uint32_t> seen;
  auto sub = s.subscribe([&](const ChangeEvent& e) { seen.push_back(e.what); });
  EXPECT_EQ(s.editedPreset3d(), nullptr);
  TransferPreset p = fourPoints();
  ASSERT_TRUE(s.setEditedPreset3d(p).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0] & kView3d);
  ASSERT_NE(s.editedPreset3d(), nullptr);
  EXPECT_EQ(s.editedPreset3d()->points.size(), 4u);
  EXPECT_EQ(s.editedPreset3d()->name, "test");
  // Bad points (decreasing values): refused, nothing changes, nobody is told.
  TransferPreset bad = p;
  bad.points[1].value = 2000;
  const Status st = s.setEditedPreset3d(bad);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "tf.bad_points");
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(s.editedPreset3d()->points[1].value, 0);
  // New points keep the edit's other fields.
  std::vector<TfPoint> two = {{-10, 1, 0, 0, 0}, {10, 1, 0, 0, 1}};
  ASSERT_TRUE(s.setPreset3dPoints(two, TransferPreset{}).ok());
  EXPECT_EQ(s.editedPreset3d()->name, "test");
  EXPECT_EQ(s.editedPreset3d()->points.size(), 2u);
  // Choosing a preset (even the same name) drops the edit.
  s.setPreset3d("ct-bone");
  EXPECT_EQ(s.editedPreset3d(), nullptr);
  EXPECT_EQ(seen.size(), 3u);
  // Without an edit, new points start one from the base preset.
  TransferPreset base = fourPoints();
  base.name = "base";
  ASSERT_TRUE(s.setPreset3dPoints(two, base).ok());
  EXPECT_EQ(s.editedPreset3d()->name, "base");
}

// The 3D view's window drag, worked out by hand from the MPR views' rule (right: width + dx w / 256;
// down: centre - dy w / 256). fourPoints changes opacity at every point: its window is -1000..1000,
// w 2000, c 0.
TEST(TfEdit, TheWindowDragMovesAndStretchesThePoints) {
  const TransferPreset p = fourPoints();
  // 128 px right: w 2000 + 128 x 2000 / 256 = 3000, c 0: every value times 1.5.
  const TransferPreset wider = windowedPreset(p, 128, 0);
  ASSERT_EQ(wider.points.size(), 4u);
  EXPECT_DOUBLE_EQ(wider.points[0].value, -1500);
  EXPECT_DOUBLE_EQ(wider.points[1].value, 0);
  EXPECT_DOUBLE_EQ(wider.points[2].value, 750);
  EXPECT_DOUBLE_EQ(wider.points[3].value, 1500);
  // 64 px up: c 0 + 64 x 2000 / 256 = 500 (darker: the curve moves to higher values), w kept.
  const TransferPreset darker = windowedPreset(p, 0, -64);
  EXPECT_DOUBLE_EQ(darker.points[0].value, -500);
  EXPECT_DOUBLE_EQ(darker.points[2].value, 1000);
  EXPECT_DOUBLE_EQ(darker.points[3].value, 1500);
  // Colours, alphas and the order stay; so does the gradient curve.
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(darker.points[i].alpha, p.points[i].alpha);
    EXPECT_EQ(darker.points[i].g, p.points[i].g);
  }
  // As narrow as w / 256 (2000 / 256), still in order.
  EXPECT_TRUE(checkTransferPoints(windowedPreset(p, -300, 40).points).ok());
  EXPECT_DOUBLE_EQ(windowedPreset(p, -300, 0).points.back().value - windowedPreset(p, -300, 0).points.front().value,
                   2000.0 / 256);
  // A span under one unit (an ADC map's 0.002) moves by its own 256th, with no jump: 1 px up.
  TransferPreset adc = p;
  for (size_t i = 0; i < 4; ++i) adc.points[i].value = 0.001 * static_cast<double>(i) * 2 / 3;  // 0 .. 0.002
  const TransferPreset nudged = windowedPreset(adc, 0, -1);
  EXPECT_NEAR(nudged.points[0].value, 0.002 / 256, 1e-15);
  EXPECT_NEAR(nudged.points[3].value - nudged.points[0].value, 0.002, 1e-15);
  // The window leaves out the runs that only hold the ends: ct-bone's points (-1024 and 150 at 0,
  // 300, 700, 1500 and 3071 at 0.9) change between 150 and 1500.
  TransferPreset bone = p;
  bone.points = {{-1024, 0, 0, 0, 0}, {150, 0.5f, 0.2f, 0.1f, 0}, {300, 0.9f, 0.8f, 0.6f, 0.45f},
                 {700, 1, 0.9f, 0.8f, 0.8f}, {1500, 1, 1, 0.9f, 0.9f}, {3071, 1, 1, 1, 0.9f}};
  EXPECT_EQ(windowSpan(bone.points), (std::pair<double, double>{150, 1500}));
  // 256 px right doubles that window about its centre 825: 150 to -525, 1500 to 2175, -1024 to -2873.
  const TransferPreset wide = windowedPreset(bone, 256, 0);
  EXPECT_DOUBLE_EQ(wide.points[1].value, -525);
  EXPECT_DOUBLE_EQ(wide.points[4].value, 2175);
  EXPECT_DOUBLE_EQ(wide.points[0].value, -2873);
  // One opacity throughout: its first and last values.
  EXPECT_EQ(windowSpan({{0, 1, 1, 1, 0.5f}, {10, 0, 0, 0, 0.5f}}), (std::pair<double, double>{0, 10}));
  // Marked as an edit once, whatever its title.
  TransferPreset named = p;
  named.title = "CT bone";
  EXPECT_EQ(markedEdited(markedEdited(named)).title, "CT bone (edited)");
  EXPECT_EQ(markedEdited(p).title, "test (edited)");  // no title: its name
  // Nothing finite to do: unchanged.
  EXPECT_DOUBLE_EQ(windowedPreset(p, NAN, 0).points[0].value, -1000);
}
