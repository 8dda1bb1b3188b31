// SPDX-License-Identifier: MIT
// The user's own transfer presets (saved from the editor): written under $XDG_DATA_HOME, never into
// the resources; they read back as the same preset (every field, bit for bit), are listed after
// the built-ins and loaded by name; titles become file names; built-in names are refused, as are
// titles without a letter or digit, bad points and a folder that cannot be made.
#include <cvx/viewstate/tf_presets.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "temp_dir.h"

using namespace cvx::view;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(CVX_SOURCE_DIR) + "/resources/transfer_functions";

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Points CVX_RESOURCE_DIR at the sources' resources and XDG_DATA_HOME at a fresh folder.
class UserPresets : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(home_.ok());
    for (const char* k : {"CVX_RESOURCE_DIR", "XDG_DATA_HOME"}) {
      const char* v = std::getenv(k);
      saved_.emplace_back(k, v ? std::optional<std::string>(v) : std::nullopt);
    }
    ::setenv("CVX_RESOURCE_DIR", (std::string(CVX_SOURCE_DIR) + "/resources").c_str(), 1);
    ::setenv("XDG_DATA_HOME", home_.path().c_str(), 1);
  }
  void TearDown() override {
    for (const auto& [k, v] : saved_) v ? (void)::setenv(k.c_str(), v->c_str(), 1) : (void)::unsetenv(k.c_str());
  }
  std::string userDir() const { return home_.path() + "/CineVox/CineVox/transfer_functions"; }
  cvx::test::TempDir home_{"cvx_tf_home"};
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(UserPresets, ASavedEditReadsBackTheSamePresetFromTheUsersFolder) {
  EXPECT_EQ(userTransferPresetDir(), userDir());
  const std::string boneBefore = readFile(kDir + "/ct-bone.json");
  const std::vector<std::string> builtIn = transferPresetNames(kDir);
  auto bone = loadTransferPreset("ct-bone", kDir);
  ASSERT_TRUE(bone.ok());
  TransferPreset p = *bone;
  p.points[2].value = 251.37;  // an edit: values and colours that are not round
  p.points[2].alpha = 0.123456789f;
  p.points[3].r = 0.1f;
  p.shading.power = 33;
  p.gradientOpacity = {{0, 0.25f}, {37.5, 1}};
  auto name = saveUserTransferPreset(p, "My bone (edited)");
  ASSERT_TRUE(name.ok()) << name.error().str();
  EXPECT_EQ(*name, "my-bone-edited");
  EXPECT_TRUE(fs::is_regular_file(userDir() + "/my-bone-edited.json"));
  // The built-ins first, then the user's; the resources untouched.
  std::vector<std::string> want = builtIn;
  want.push_back("my-bone-edited");
  EXPECT_EQ(transferPresetNames(), want);
  EXPECT_EQ(transferPresetNames(kDir), builtIn);
  EXPECT_EQ(readFile(kDir + "/ct-bone.json"), boneBefore);
  auto back = loadTransferPreset("my-bone-edited");
  ASSERT_TRUE(back.ok()) << back.error().str();
  EXPECT_EQ(back->name, "my-bone-edited");
  EXPECT_EQ(back->title, "My bone (edited)");
  EXPECT_EQ(back->modality, "CT");
  EXPECT_FALSE(back->mip);
  EXPECT_FALSE(back->relative);
  EXPECT_EQ(back->unitDistanceMm, p.unitDistanceMm);
  EXPECT_EQ(back->shading.ambient, p.shading.ambient);
  EXPECT_EQ(back->shading.power, 33);
  ASSERT_EQ(back->points.size(), p.points.size());
  for (size_t i = 0; i < p.points.size(); ++i) {
    EXPECT_EQ(back->points[i].value, p.points[i].value) << i;
    EXPECT_EQ(back->points[i].r, p.points[i].r) << i;
    EXPECT_EQ(back->points[i].g, p.points[i].g) << i;
    EXPECT_EQ(back->points[i].b, p.points[i].b) << i;
    EXPECT_EQ(back->points[i].alpha, p.points[i].alpha) << i;
  }
  ASSERT_EQ(back->gradientOpacity.size(), 2u);
  EXPECT_EQ(back->gradientOpacity[1].magnitude, 37.5);
  EXPECT_EQ(back->gradientOpacity[0].factor, 0.25f);
  // Saving again under the same title replaces the user's preset.
  p.points[2].value = 260;
  ASSERT_TRUE(saveUserTransferPreset(p, "My bone (edited)").ok());
  EXPECT_EQ(loadTransferPreset("my-bone-edited")->points[2].value, 260);
  EXPECT_EQ(transferPresetNames().size(), want.size());
  // A MIP preset keeps its mode; an unknown name lists the user's presets among the known ones.
  auto mip = loadTransferPreset("mip", kDir);
  ASSERT_TRUE(mip.ok());
  ASSERT_TRUE(saveUserTransferPreset(*mip, "Grey MIP").ok());
  EXPECT_TRUE(loadTransferPreset("grey-mip")->mip);
  auto unknown = loadTransferPreset("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "tf.unknown_preset");
  EXPECT_NE(unknown.error().message.find("my-bone-edited"), std::string::npos) << unknown.error().message;
}

TEST_F(UserPresets, BuiltInNamesEmptyTitlesBadPointsAndUnwritableFoldersAreRefused) {
  auto bone = loadTransferPreset("ct-bone", kDir);
  ASSERT_TRUE(bone.ok());
  auto taken = saveUserTransferPreset(*bone, "CT bone");  // -> ct-bone, a built-in
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "tf.name_taken");
  for (const char* title : {"", "   ", "(--)"}) {
    auto r = saveUserTransferPreset(*bone, title);
    ASSERT_FALSE(r.ok()) << title;
    EXPECT_EQ(r.error().code, "tf.bad_name") << title;
  }
  TransferPreset bad = *bone;
  bad.points[3].value = bad.points[1].value - 1;  // values that decrease
  auto badPoints = saveUserTransferPreset(bad, "Broken");
  ASSERT_FALSE(badPoints.ok());
  EXPECT_EQ(badPoints.error().code, "tf.bad_points");
  std::ofstream(home_.file("plain-file")) << "x";
  auto unwritable = saveUserTransferPreset(*bone, "Mine", home_.file("plain-file") + "/sub");
  ASSERT_FALSE(unwritable.ok());
  EXPECT_EQ(unwritable.error().code, "io.write_failed");
  EXPECT_FALSE(fs::exists(userDir()));  // nothing was written by the refusals
  // A user file that takes a built-in's name by hand is not listed twice, and the built-in wins.
  fs::create_directories(userDir());
  TransferPreset fake = *bone;
  fake.title = "fake";
  std::ofstream(userDir() + "/ct-bone.json") << transferPresetJson(fake);
  EXPECT_EQ(transferPresetNames(), transferPresetNames(kDir));
  EXPECT_EQ(loadTransferPreset("ct-bone")->title, bone->title);
}

TEST(PresetNames, TitlesBecomeFileNames) {
  EXPECT_EQ(presetNameFromTitle("My bone (edited)"), "my-bone-edited");
  EXPECT_EQ(presetNameFromTitle("  --Lung 2 "), "lung-2");
  EXPECT_EQ(presetNameFromTitle("CT angio: aorta/iliacs"), "ct-angio-aorta-iliacs");
  EXPECT_EQ(presetNameFromTitle("Ünïcode ok"), "n-code-ok");
  EXPECT_EQ(presetNameFromTitle("!!!"), "");
  const std::string longTitle(30, 'a');
  const std::string n = presetNameFromTitle(longTitle + " " + longTitle);
  EXPECT_EQ(n.size(), 48u);
  EXPECT_NE(n.back(), '-');
  EXPECT_EQ(presetNameFromTitle(std::string(47, 'b') + " c"), std::string(47, 'b'));
}

}  // namespace
