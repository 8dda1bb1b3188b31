// SPDX-License-Identifier: MIT
// The one rule that picks a layer's first window, and window dragging.
#include <gtest/gtest.h>

#include <cvx/viewstate/mapping.h>

using namespace cvx;
using namespace cvx::view;

namespace {
std::shared_ptr<Volume> ramp(const std::string& modality) {
  auto v = Volume::create(PixelType::UInt16, {100, 10, 3, 1});
  EXPECT_TRUE(v.ok());
  auto* p = (*v)->as<uint16_t>();
  for (int64_t i = 0; i < (*v)->voxelCount(); ++i) p[i] = static_cast<uint16_t>(i % 1000);  // 0..999 per slice
  (*v)->info.modality = modality;
  return *v;
}
}  // namespace

TEST(Mapping, TheFilesOwnWindowComesFirst) {
  auto v = ramp("CT");
  v->info.windows = {{-600, 1500, "LUNG"}, {40, 400, "ABDOMEN"}};
  const DisplayMapping m = initialMapping(*v);
  EXPECT_EQ(m.center, -600);
  EXPECT_EQ(m.width, 1500);
  EXPECT_EQ(m.source, "file");
}

TEST(Mapping, CtWithoutAWindowGetsTheAbdomenPreset) {
  auto v = ramp("CT");
  const DisplayMapping m = initialMapping(*v);
  EXPECT_EQ(m.center, 40);
  EXPECT_EQ(m.width, 400);
  EXPECT_EQ(m.source, "preset:abdomen");
}

TEST(Mapping, OtherModalitiesGetThePercentileRangeInModalityUnits) {
  auto v = ramp("MR");
  v->info.rescaleSlope = 2;
  v->info.rescaleIntercept = -100;
  const DisplayMapping m = initialMapping(*v);
  // Middle slice values 0..999 uniformly: 0.5th percentile ~ 5, 99.5th ~ 994 (stored), so in
  // modality units 2*5-100 = -90 and 2*994-100 = 1888.
  EXPECT_NEAR(m.center, (-90 + 1888) / 2.0, 4);
  EXPECT_NEAR(m.width, 1888 + 90, 8);
  EXPECT_EQ(m.source, "range");
}

TEST(Mapping, Monochrome1IsInverted) {
  auto v = ramp("CR");
  v->info.photometric = "MONOCHROME1";
  EXPECT_TRUE(initialMapping(*v).invert);
  v->info.photometric = "MONOCHROME2";
  EXPECT_FALSE(initialMapping(*v).invert);
}

TEST(Mapping, DraggingScalesWithTheWidthAndKeepsItPositive) {
  DisplayMapping m;
  m.center = 40;
  m.width = 80;
  const DisplayMapping wider = dragWindow(m, 256, 0);
  EXPECT_NEAR(wider.width, 160, 1e-9);  // 256 px right at W 80 doubles it
  const DisplayMapping brighter = dragWindow(m, 0, 128);
  EXPECT_NEAR(brighter.center, 0, 1e-9);  // 128 px down lowers the centre by half the width
  EXPECT_GE(dragWindow(m, -100000, 0).width, 1);
}

TEST(Mapping, CtPresetsHaveTheEightNamedWindows) {
  std::vector<std::string> names;
  for (const auto& p : ctWindowPresets()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"brain", "subdural", "stroke", "lung", "mediastinum", "abdomen",
                                             "liver", "bone"}));
  EXPECT_EQ(colorMapLut(ColorMap::Grey)[0], 0xFF000000u);
  EXPECT_EQ(colorMapLut(ColorMap::Grey)[255], 0xFFFFFFFFu);
}
