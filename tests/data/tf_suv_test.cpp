// SPDX-License-Identifier: MIT
// Transfer presets in SUVbw (tf_presets.h "units"): the PET hot-iron preset's points are SUV, and the
// real GE FDG PET of ../shared/data/pet_ct/PT holds Bq/ml. The points become Bq/ml by the factor
// its README gives (weight 71 kg, dose 3.888e8 Bq at 10:35:00, half-life 6588 s, series 11:20:11,
// DecayCorrection START), computed here by hand; and the 3D view draws the hot spots, not the
// whole box it drew while the SUV values were read as Bq/ml.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include <cvx/io/dicom.h>
#include <cvx/viewstate/mapping.h>
#include <cvx/viewstate/render_3d.h>
#include <cvx/viewstate/tf_edit.h>
#include <cvx/viewstate/tf_presets.h>

#include "shared_volume.h"
#include "test_data.h"

namespace {

using namespace cvx;
using namespace cvx::view;

// Pixels whose opacity exceeds 0.05 in a 96 x 96 front view of v with `preset`.
int litPixels(const std::shared_ptr<const Volume>& v, const TransferPreset& preset) {
  VolumeRenderer r;
  Camera3DView cam;
  Quality3D q;
  q.jitter = false;
  auto im = r.draw(v, 0, preset, cam, 96, 96, q);
  EXPECT_TRUE(im.ok()) << (im ? "" : im.error().str());
  int n = 0;
  for (size_t i = 0; i < r.rgba().size(); i += 4) n += r.rgba()[i + 3] > 0.05f;
  return n;
}

TEST(TransferPresetSuv, PetPointsBecomeBqPerMlByTheSeriesFactor) {
  CVX_REQUIRE_FOLDER("pet_ct");
  const auto pet = test::loadShared("pet_ct/PT");
  ASSERT_TRUE(pet);
  auto preset = loadTransferPreset("pet-hot-iron");
  ASSERT_TRUE(preset.ok()) << preset.error().str();
  EXPECT_EQ(preset->units, "SUVbw");
  // The README's inputs: decayed dose = dose * 2^(-(11:20:11 - 10:35:00) / half-life).
  const double decayS = (11 * 3600 + 20 * 60 + 11) - (10 * 3600 + 35 * 60);
  const double bqPerSuv = 3.888e8 * std::exp2(-decayS / 6588.0) / 71000.0;  // Bq/ml per SUVbw (g/ml)
  auto abs = editablePreset(*preset, *pet);
  ASSERT_TRUE(abs.ok()) << abs.error().str();
  EXPECT_TRUE(abs->units.empty());
  ASSERT_EQ(abs->points.size(), preset->points.size());
  for (size_t i = 0; i < abs->points.size(); ++i) {
    // The README rounds the dose to four digits (3.888e8): within 2e-4 of the header's factor.
    EXPECT_NEAR(abs->points[i].value, preset->points[i].value * bqPerSuv, 2e-4 * preset->points[i].value * bqPerSuv) << i;
    EXPECT_EQ(abs->points[i].alpha, preset->points[i].alpha) << i;
  }
}

TEST(TransferPresetSuv, ThreeDViewDrawsTheHotSpotsNotTheBox) {
  CVX_REQUIRE_FOLDER("pet_ct");
  const auto pet = test::loadShared("pet_ct/PT");
  ASSERT_TRUE(pet);
  auto preset = loadTransferPreset("pet-hot-iron");
  ASSERT_TRUE(preset.ok());
  // The old reading: SUV points taken as Bq/ml, so nearly every voxel of the body is above 10.
  TransferPreset asBq = *preset;
  asBq.units.clear();
  const int box = litPixels(pet, asBq);
  const int hot = litPixels(pet, *preset);
  EXPECT_GT(box, 96 * 96 / 10);  // the box is drawn: the failure this guards against
  EXPECT_LT(hot, box / 2) << "SUVbw points read as Bq/ml";
  // Voxels at or above SUVbw 2.5 (the first point with opacity) exist, so something is drawn.
  auto abs = editablePreset(*preset, *pet);
  ASSERT_TRUE(abs.ok());
  double maxValue = 0;
  const auto& d = pet->dims();
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) maxValue = std::max(maxValue, modalityValue(*pet, pet->valueAt(i, j, k)));
  if (maxValue > abs->points[2].value) {
    EXPECT_GT(hot, 0);
  }
}

TEST(TransferPresetSuv, SuvPresetOnCtIsRefusedWithACode) {
  CVX_REQUIRE_FOLDER("pet_ct");
  const auto ct = test::loadShared("pet_ct/CT");
  ASSERT_TRUE(ct);
  auto preset = loadTransferPreset("pet-hot-iron");
  ASSERT_TRUE(preset.ok());
  auto abs = editablePreset(*preset, *ct);
  ASSERT_FALSE(abs.ok());
  EXPECT_EQ(abs.error().code, "tf.no_suv");
  VolumeRenderer r;
  auto im = r.draw(ct, 0, *preset, Camera3DView{}, 16, 16);
  ASSERT_FALSE(im.ok());
  EXPECT_EQ(im.error().code, "tf.no_suv");
}

TEST(TransferPresetSuv, UnitsRoundTripThroughJsonAndOthersAreRejected) {
  const std::string head = R"({"version": 1, "name": "x", "title": "X", "modality": "PT", "mode": "composite",
    "unitDistanceMm": 1, "shading": {"ambient": 0.2, "diffuse": 0.7, "specular": 0.3, "power": 20}, "points": [{"value": 0, "rgb": [0, 0, 0], "alpha": 0}, {"value": 5, "rgb": [1, 1, 1], "alpha": 1}])";
  auto suv = parseTransferPreset(head + R"(, "units": "SUVbw"})");
  ASSERT_TRUE(suv.ok()) << suv.error().str();
  EXPECT_EQ(suv->units, "SUVbw");
  auto back = parseTransferPreset(transferPresetJson(*suv));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->units, "SUVbw");
  auto hu = parseTransferPreset(head + R"(, "units": "HU"})");
  ASSERT_FALSE(hu.ok());
  EXPECT_EQ(hu.error().code, "tf.bad_json");
  auto both = parseTransferPreset(head + R"(, "units": "SUVbw", "relative": true})");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, "tf.bad_json");
}

}  // namespace
