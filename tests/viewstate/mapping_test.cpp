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

// A hanging protocol's CT preset wins over the file's window; it does nothing to other modalities.
TEST(Mapping, AProtocolPresetWinsForCtOnly) {
  auto ct = ramp("CT");
  ct->info.windows = {{40, 400, "ABDOMEN"}};
  const DisplayMapping m = initialMapping(*ct, "Mediastinum");
  EXPECT_EQ(m.center, 50);  // mediastinum W 350 / L 50 (radiology teaching tables)
  EXPECT_EQ(m.width, 350);
  EXPECT_EQ(m.source, "protocol:mediastinum");
  EXPECT_EQ(initialMapping(*ct, "no such preset").source, "file");
  EXPECT_EQ(initialMapping(*ramp("MR"), "lung").source, "range");
}

// PET in BQML with the SUV inputs opens at SUVbw 0..6, inverted, shown in SUVbw. 75 kg, 370 MBq
// F-18 (T1/2 6586.2 s) one hour before the series: SUV 1 = 370e6 * 2^(-3600/6586.2) / 75000 Bq/ml
// = 3377.5224 Bq/ml (by hand, as in suv_test).
TEST(Mapping, PetWithSuvInputsOpensAtSuvZeroToSix) {
  auto pet = ramp("PT");
  pet->info.units = "BQML";
  pet->info.seriesInstanceUid = "1.2.3";
  pet->info.pet.units = "BQML";
  pet->info.pet.patientWeightKg = 75.0;
  pet->info.pet.injectedDoseBq = 370e6;
  pet->info.pet.halfLifeS = 6586.2;
  pet->info.pet.injectionTime = "090000";
  pet->info.pet.seriesTime = "100000";
  pet->info.pet.acquisitionTime = "100000";
  pet->info.pet.decayCorrection = "START";
  const DisplayMapping m = initialMapping(*pet);
  const double suv1 = 3377.5224;
  EXPECT_NEAR(m.center, 3 * suv1, 1e-3);
  EXPECT_NEAR(m.width, 6 * suv1, 2e-3);
  EXPECT_NEAR(m.unitScale, 1 / suv1, 1e-10);
  EXPECT_NEAR(m.center * m.unitScale, 3, 1e-6);  // shown as L 3 SUVbw
  EXPECT_EQ(m.units, "SUVbw");
  EXPECT_TRUE(m.invert);
  EXPECT_EQ(m.source, "suv");
  // A window in the file (the demo's "SUV 0-6") is kept, and still read in SUVbw.
  pet->info.windows = {WindowPreset{4 * suv1, 8 * suv1, "SUV 0-8"}};
  const DisplayMapping f = initialMapping(*pet);
  EXPECT_EQ(f.source, "file");
  EXPECT_NEAR(f.center * f.unitScale, 4, 1e-6);
  EXPECT_EQ(f.units, "SUVbw");
  EXPECT_TRUE(f.invert);
  pet->info.windows.clear();
  // Without a weight there is no SUV: the percentile window in the series' units.
  pet->info.pet.patientWeightKg.reset();
  const DisplayMapping b = initialMapping(*pet);
  EXPECT_EQ(b.source, "range");
  EXPECT_EQ(b.units, "BQML");
  EXPECT_EQ(b.unitScale, 1);
}
