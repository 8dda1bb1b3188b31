// SPDX-License-Identifier: MIT
// Transfer-function presets: every shipped file parses and builds a table, the names are the files,
// malformed presets are refused with their codes, and the clinical ramps hold, read from the JSON
// text itself.
#include <cvx/viewstate/tf_presets.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "temp_dir.h"

using namespace cvx::view;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(CVX_SOURCE_DIR) + "/resources/transfer_functions";

std::string readFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> filesInDir() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The preset's alpha at value v, from its JSON text: linear between points, held beyond the ends.
double alphaAt(const std::string& name, double v) {
  const json pts = json::parse(readFile(kDir + "/" + name + ".json"))["points"];
  if (v <= pts.front()["value"].get<double>()) return pts.front()["alpha"].get<double>();
  for (size_t k = 1; k < pts.size(); ++k) {
    const double x0 = pts[k - 1]["value"].get<double>(), x1 = pts[k]["value"].get<double>();
    if (v < x1) {
      const double a0 = pts[k - 1]["alpha"].get<double>(), a1 = pts[k]["alpha"].get<double>();
      return a0 + (v - x0) / (x1 - x0) * (a1 - a0);
    }
  }
  return pts.back()["alpha"].get<double>();
}

// A valid composite preset to break one field at a time.
json base() {
  return json::parse(R"({"version":1,"name":"t","title":"T","modality":"CT","mode":"composite",
    "unitDistanceMm":1.0,"shading":{"ambient":0.2,"diffuse":0.7,"specular":0.3,"power":20},
    "points":[{"value":-1000,"rgb":[0,0,0],"alpha":0},{"value":500,"rgb":[1,1,1],"alpha":0.5}]})");
}

std::string codeOf(const std::string& text) {
  auto p = parseTransferPreset(text);
  return p.ok() ? "ok" : p.error().code;
}

}  // namespace

TEST(TfPresets, EveryShippedPresetParsesAndBuilds) {
  const auto files = filesInDir();
  ASSERT_FALSE(files.empty());
  for (const auto& name : files) {
    const std::string text = readFile(kDir + "/" + name + ".json");
    auto p = parseTransferPreset(text);
    ASSERT_TRUE(p.ok()) << name << ": " << p.error().str();
    auto loaded = loadTransferPreset(name, kDir);
    ASSERT_TRUE(loaded.ok()) << name << ": " << loaded.error().str();
    EXPECT_EQ(p->name, name);
    // The points are the file's, in order.
    const json j = json::parse(text);
    ASSERT_EQ(p->points.size(), j["points"].size()) << name;
    for (size_t i = 0; i < p->points.size(); ++i) {
      EXPECT_EQ(p->points[i].value, j["points"][i]["value"].get<double>()) << name << " " << i;
      EXPECT_EQ(p->points[i].alpha, j["points"][i]["alpha"].get<float>()) << name << " " << i;
      EXPECT_EQ(p->points[i].g, j["points"][i]["rgb"][1].get<float>()) << name << " " << i;
    }
    EXPECT_EQ(p->mip, j["mode"] == "mip") << name;
    EXPECT_EQ(p->unitDistanceMm, j["unitDistanceMm"].get<double>()) << name;
    if (!p->mip) {
      EXPECT_EQ(p->shading.power, j["shading"]["power"].get<double>()) << name;
    }
    auto resolved = resolveRelative(*p, 100, 900);
    ASSERT_TRUE(resolved.ok()) << name;
    auto table = cvx::buildTransferTable(resolved->points, resolved->unitDistanceMm);
    ASSERT_TRUE(table.ok()) << name << ": " << table.error().str();
  }
}

TEST(TfPresets, NamesAreTheFiles) {
  const auto files = filesInDir();
  EXPECT_EQ(transferPresetNames(kDir), files);
  const std::vector<std::string> expected = {"ct-angio", "ct-bone",    "ct-lung",     "ct-soft-tissue",
                                             "mip",      "mr-default", "pet-hot-iron"};
  EXPECT_EQ(files, expected);
  EXPECT_TRUE(transferPresetNames("/nonexistent/folder").empty());
}

TEST(TfPresets, DefaultFolderFromEnvironmentOrExecutable) {
  const char* old = std::getenv("CVX_RESOURCE_DIR");
  const std::string saved = old ? old : "";
  ::setenv("CVX_RESOURCE_DIR", (std::string(CVX_SOURCE_DIR) + "/resources").c_str(), 1);
  cvx::test::TempDir home("cvx_tf_home");  // no user presets: the list is the resources' files
  ASSERT_TRUE(home.ok());
  const char* oldHome = std::getenv("XDG_DATA_HOME");
  const std::string savedHome = oldHome ? oldHome : "";
  ::setenv("XDG_DATA_HOME", home.path().c_str(), 1);
  EXPECT_TRUE(fs::equivalent(transferPresetDir(), kDir));
  EXPECT_EQ(transferPresetNames(), filesInDir());
  EXPECT_TRUE(loadTransferPreset("ct-bone").ok());
  ::unsetenv("CVX_RESOURCE_DIR");
  // Without the variable, a build inside the source tree finds the source's resources.
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  const auto rel = fs::relative(exe, fs::canonical(CVX_SOURCE_DIR));
  if (!rel.empty() && *rel.begin() != "..") {
    const std::string found = transferPresetDir();
    ASSERT_FALSE(found.empty());
    EXPECT_TRUE(fs::equivalent(found, kDir));
  }
  if (old) ::setenv("CVX_RESOURCE_DIR", saved.c_str(), 1);
  if (oldHome)
    ::setenv("XDG_DATA_HOME", savedHome.c_str(), 1);
  else
    ::unsetenv("XDG_DATA_HOME");
}

TEST(TfPresets, BadPresetsGiveTheirCodes) {
  EXPECT_EQ(codeOf(base().dump()), "ok");
  EXPECT_EQ(codeOf("not json"), "tf.bad_json");
  EXPECT_EQ(codeOf("[1, 2]"), "tf.bad_json");
  EXPECT_EQ(codeOf(""), "tf.bad_json");
  struct Case {
    const char* pointer;  // the field to change (JSON pointer)
    json value;           // null: remove it
    const char* code;
    const char* named;  // what the message must name
  };
  const std::vector<Case> cases = {
      {"/version", nullptr, "tf.bad_json", "version"},
      {"/version", 2, "tf.bad_json", "version"},
      {"/version", "1", "tf.bad_json", "version"},
      {"/name", nullptr, "tf.bad_json", "name"},
      {"/title", 3, "tf.bad_json", "title"},
      {"/modality", nullptr, "tf.bad_json", "modality"},
      {"/mode", "volume", "tf.bad_json", "mode"},
      {"/relative", "yes", "tf.bad_json", "relative"},
      {"/unitDistanceMm", nullptr, "tf.bad_json", "unitDistanceMm"},
      {"/unitDistanceMm", "1", "tf.bad_json", "unitDistanceMm"},
      {"/unitDistanceMm", 0, "tf.bad_unit", "unitDistanceMm"},
      {"/unitDistanceMm", -2.5, "tf.bad_unit", "unitDistanceMm"},
      {"/shading", nullptr, "tf.bad_json", "shading"},
      {"/shading/power", "high", "tf.bad_json", "power"},
      {"/shading/ambient", -1, "tf.bad_json", "ambient"},
      {"/points", nullptr, "tf.bad_json", "points"},
      {"/points", json::object(), "tf.bad_json", "points"},
      {"/points/1", 7, "tf.bad_json", "points[1]"},
      {"/points/1/rgb", nullptr, "tf.bad_json", "rgb"},
      {"/points/1/rgb", json::array({1, 1}), "tf.bad_json", "rgb"},
      {"/points/0/value", "-1000", "tf.bad_json", "value"},
      {"/points/0/alpha", nullptr, "tf.bad_json", "alpha"},
      {"/points", json::array(), "tf.bad_points", "point"},
      {"/points/0/value", 600, "tf.bad_points", "decrease"},
      {"/points/1/alpha", 1.5, "tf.bad_points", "alpha"},
      {"/points/1/rgb/2", 2, "tf.bad_points", "colour"},
  };
  for (const Case& c : cases) {
    json j = base();
    const json::json_pointer ptr(c.pointer);
    if (c.value.is_null())
      j[ptr.parent_pointer()].erase(ptr.back());
    else
      j[ptr] = c.value;
    auto p = parseTransferPreset(j.dump());
    ASSERT_FALSE(p.ok()) << c.pointer;
    EXPECT_EQ(p.error().code, c.code) << c.pointer;
    EXPECT_NE(p.error().message.find(c.named), std::string::npos) << c.pointer << ": " << p.error().message;
  }
  // A MIP preset needs no shading.
  json mip = base();
  mip["mode"] = "mip";
  mip.erase("shading");
  EXPECT_EQ(codeOf(mip.dump()), "ok");
}

// The optional gradient-opacity curve (a 2D transfer function): read as written, checked with
// tf.bad_json / tf.bad_gradient_points, scaled with the range of a relative preset.
TEST(TfPresets, GradientOpacityIsReadCheckedAndScaled) {
  json j = base();
  EXPECT_TRUE(parseTransferPreset(j.dump())->gradientOpacity.empty());
  j["gradientOpacity"] = json::array({{{"magnitude", 0}, {"factor", 0}}, {{"magnitude", 40}, {"factor", 1}}});
  auto p = parseTransferPreset(j.dump());
  ASSERT_TRUE(p.ok()) << p.error().str();
  ASSERT_EQ(p->gradientOpacity.size(), 2u);
  EXPECT_EQ(p->gradientOpacity[1].magnitude, 40);
  EXPECT_EQ(p->gradientOpacity[1].factor, 1.0f);
  EXPECT_TRUE(cvx::buildGradientTable(p->points, p->unitDistanceMm, p->gradientOpacity).ok());
  for (const auto& [bad, code] : std::vector<std::pair<json, std::string>>{
           {json::object(), "tf.bad_json"},
           {json::array({7}), "tf.bad_json"},
           {json::array({{{"magnitude", "big"}, {"factor", 1}}}), "tf.bad_json"},
           {json::array(), "tf.bad_gradient_points"},
           {json::array({{{"magnitude", 10}, {"factor", 1}}, {{"magnitude", 5}, {"factor", 1}}}), "tf.bad_gradient_points"},
           {json::array({{{"magnitude", 10}, {"factor", 1.5}}}), "tf.bad_gradient_points"}}) {
    json b = base();
    b["gradientOpacity"] = bad;
    auto r = parseTransferPreset(b.dump());
    ASSERT_FALSE(r.ok()) << bad.dump();
    EXPECT_EQ(r.error().code, code) << bad.dump();
  }
  p->relative = true;
  auto abs = resolveRelative(*p, 100, 900);
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->gradientOpacity[1].magnitude, 40 * 800);
}

TEST(TfPresets, UnknownPresetsAndNames) {
  auto p = loadTransferPreset("ct-bones", kDir);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "tf.unknown_preset");
  for (const char* known : {"ct-bone", "ct-angio", "pet-hot-iron", "mip"})
    EXPECT_NE(p.error().message.find(known), std::string::npos) << p.error().message;
  for (const char* bad :
       {"", "..", "../transfer_functions/ct-bone", "ct/bone", "/etc/passwd", "ct-bone.json"}) {
    auto r = loadTransferPreset(bad, kDir);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "tf.unknown_preset") << bad;
  }
  // A file whose "name" is not its file name is refused.
  cvx::test::TempDir dir("cvx_tf");
  ASSERT_TRUE(dir.ok());
  json other = base();
  other["name"] = "bar";
  std::ofstream(dir.file("foo.json")) << other.dump();
  std::ofstream(dir.file("t.json")) << base().dump();
  EXPECT_EQ(transferPresetNames(dir.path()), (std::vector<std::string>{"foo", "t"}));
  auto mismatch = loadTransferPreset("foo", dir.path());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, "tf.bad_json");
  EXPECT_TRUE(loadTransferPreset("t", dir.path()).ok());
}

TEST(TfPresets, ClinicalRampsFromTheJsonText) {
  EXPECT_EQ(alphaAt("ct-bone", -1000), 0.0);
  EXPECT_EQ(alphaAt("ct-bone", 0), 0.0);
  EXPECT_GT(alphaAt("ct-bone", 1000), 0.5);
  EXPECT_EQ(alphaAt("ct-angio", 60), 0.0);    // unenhanced soft tissue
  EXPECT_GT(alphaAt("ct-angio", 300), 0.4);   // contrast
  EXPECT_EQ(alphaAt("ct-lung", -1000), 0.0);  // air
  EXPECT_GT(alphaAt("ct-lung", -500), 0.2);   // lung surfaces
  EXPECT_EQ(alphaAt("ct-lung", 40), 0.0);     // chest wall
  EXPECT_EQ(alphaAt("ct-soft-tissue", -1000), 0.0);
  EXPECT_LT(alphaAt("ct-soft-tissue", -80), alphaAt("ct-soft-tissue", 40));  // fat clearer than muscle
  EXPECT_EQ(alphaAt("pet-hot-iron", 0.5), 0.0);
  EXPECT_GT(alphaAt("pet-hot-iron", 8), alphaAt("pet-hot-iron", 3));
}

TEST(TfPresets, ResolveRelative) {
  auto mr = loadTransferPreset("mr-default", kDir);
  ASSERT_TRUE(mr.ok());
  ASSERT_TRUE(mr->relative);
  auto r = resolveRelative(*mr, 100, 900);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->relative);
  const json pts = json::parse(readFile(kDir + "/mr-default.json"))["points"];
  ASSERT_EQ(r->points.size(), pts.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    EXPECT_DOUBLE_EQ(r->points[i].value, 100 + 800 * pts[i]["value"].get<double>());
    EXPECT_EQ(r->points[i].alpha, pts[i]["alpha"].get<float>());
  }
  auto bone = loadTransferPreset("ct-bone", kDir);
  ASSERT_TRUE(bone.ok());
  auto same = resolveRelative(*bone, 100, 900);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->points.front().value, bone->points.front().value);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto [p1, p99] : {std::pair{900.0, 100.0}, std::pair{nan, 1.0}, std::pair{0.0, HUGE_VAL}}) {
    auto bad = resolveRelative(*mr, p1, p99);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, "tf.bad_range");
  }
  // A constant volume (p1 == p99) still gives a table.
  auto flat = resolveRelative(*mr, 50, 50);
  ASSERT_TRUE(flat.ok());
  EXPECT_TRUE(cvx::buildTransferTable(flat->points, 1).ok());
}
