// SPDX-License-Identifier: MIT
// The growcut plugin through the PluginHost ("input": "seeds"): a seed label map with two classes
// splits two regions exactly at their intensity edge; the range parameter is in the series' units
// (a slope of 2 halves it in stored units: one class alone crosses a 100 HU step only when the
// range exceeds 100 HU); the margin bounds the labelled box; without a seed map the host refuses.
#include <gtest/gtest.h>

#include <string>

#include <cvx/core/plugin/host.h>

namespace {

using cvx::Volume;

struct GrowCutPlugin : ::testing::Test {
  cvx::plugin::PluginHost host;
  void SetUp() override { host.discover({CVX_PLUGIN_DIR}); }
};

constexpr int kX = 30, kY = 20, kZ = 10, kEdge = 13;  // x < kEdge: 0 HU, else 100 HU

// Stored = (HU + 1024) / slope.
std::shared_ptr<Volume> twoRegions(double slope) {
  auto v = Volume::create(cvx::PixelType::Int16, {kX, kY, kZ, 1}).value();
  v->info.rescaleSlope = slope;
  v->info.rescaleIntercept = -1024;
  for (int64_t i = 0; i < v->voxelCount(); ++i)
    v->as<int16_t>()[i] = static_cast<int16_t>(((i % kX) < kEdge ? 1024 : 1124) / slope);
  return v;
}

// Class 1 on a line at x = 3, class 2 (when asked) at x = 26, both in slice 5.
std::shared_ptr<Volume> seeds(bool second) {
  auto s = Volume::create(cvx::PixelType::UInt8, {kX, kY, kZ, 1}).value();
  for (int y = 4; y < 16; ++y) {
    s->as<uint8_t>()[(5 * kY + y) * kX + 3] = 1;
    if (second) s->as<uint8_t>()[(5 * kY + y) * kX + 26] = 2;
  }
  return s;
}

cvx::Result<std::shared_ptr<Volume>> run(cvx::plugin::PluginHost& host, const Volume& v, const Volume* s,
                                         const std::vector<std::pair<std::string, std::string>>& kv) {
  const auto* m = host.find("growcut");
  EXPECT_NE(m, nullptr);
  auto p = cvx::plugin::resolveParams(m->params, kv);
  EXPECT_TRUE(p.ok()) << p.error().str();
  cvx::plugin::RunOptions o;
  o.mask = s;
  return host.segment("growcut", v, *p, nullptr, o);
}

TEST_F(GrowCutPlugin, TwoSeedClassesSplitAtTheEdge) {
  const auto* m = host.find("growcut");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->input, cvx::plugin::PluginInput::Seeds);
  auto v = twoRegions(1);
  auto s = seeds(true);
  auto r = run(host, *v, s.get(), {{"margin_mm", "100"}, {"connectivity", "26"}});
  ASSERT_TRUE(r.ok()) << r.error().str();
  int64_t wrong = 0;
  for (int64_t i = 0; i < (*r)->voxelCount(); ++i)
    wrong += (*r)->as<uint8_t>()[i] != ((i % kX) < kEdge ? 1 : 2);
  EXPECT_EQ(wrong, 0);
}

TEST_F(GrowCutPlugin, RangeIsInSeriesUnits) {
  auto v = twoRegions(2);  // the 100 HU step is 50 stored
  auto s = seeds(false);
  const auto count = [](const Volume& l, bool left) {
    int64_t n = 0;
    for (int64_t i = 0; i < l.voxelCount(); ++i) n += ((i % kX) < kEdge) == left && l.as<uint8_t>()[i] == 1;
    return n;
  };
  auto hard = run(host, *v, s.get(), {{"margin_mm", "100"}, {"range", "100"}});  // g = 0 across the step
  ASSERT_TRUE(hard.ok()) << hard.error().str();
  EXPECT_EQ(count(**hard, true), kEdge * kY * kZ);
  EXPECT_EQ(count(**hard, false), 0);
  auto soft = run(host, *v, s.get(), {{"margin_mm", "100"}, {"range", "150"}});  // g = 1/3
  ASSERT_TRUE(soft.ok()) << soft.error().str();
  EXPECT_EQ(count(**soft, true), kEdge * kY * kZ);
  EXPECT_EQ(count(**soft, false), (kX - kEdge) * kY * kZ);
}

TEST_F(GrowCutPlugin, MarginBoundsTheLabelsAndSeedsAreRequired) {
  auto v = twoRegions(1);
  auto s = seeds(true);
  auto r = run(host, *v, s.get(), {{"margin_mm", "2"}});  // 1 mm grid: x 1..28, y 2..17, z 3..7
  ASSERT_TRUE(r.ok()) << r.error().str();
  int64_t labelled = 0;
  for (int64_t i = 0; i < (*r)->voxelCount(); ++i) labelled += (*r)->as<uint8_t>()[i] != 0;
  EXPECT_EQ(labelled, 28 * 16 * 5);
  auto none = run(host, *v, nullptr, {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "plugin.bad_input");
}

}  // namespace
