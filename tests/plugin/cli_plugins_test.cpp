// `cinevox plugins [--json] [--check]` through the real executable.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_command.h"
#include "temp_dir.h"

namespace {

struct CliRun {
  std::string out, err;
  int rc = -1;
};

// Runs cinevox with CVX_PLUGIN_PATH set to `path` (unset when empty); stderr apart.
CliRun cinevox(const std::string& args, const std::string& path = {}) {
  cvx::test::TempDir dir("cvx_cli_plugins");
  const std::string err = dir.file("stderr.txt");
  const std::string env = path.empty() ? "env -u CVX_PLUGIN_PATH " : "env CVX_PLUGIN_PATH='" + path + "' ";
  auto [out, rc] = cvx::test::run(env + CVX_CINEVOX + " plugins " + args + " 2>'" + err + "'");
  std::ifstream in(err);
  std::stringstream s;
  s << in.rdbuf();
  return {out, s.str(), rc};
}

const nlohmann::json* findId(const nlohmann::json& list, const std::string& id) {
  for (const auto& p : list)
    if (p["id"] == id) return &p;
  return nullptr;
}

}  // namespace

TEST(CliPlugins, JsonListsTheThresholdPluginInTheContract) {
  const CliRun r = cinevox("--json");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);  // throws (and fails) on anything but JSON
  ASSERT_TRUE(j.is_array());
  const auto* t = findId(j, "threshold");
  ASSERT_NE(t, nullptr) << r.out;
  std::set<std::string> keys;
  for (const auto& [k, v] : t->items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"id", "kind", "name", "version", "backends"}));
  EXPECT_EQ((*t)["kind"], "segmenter");
  EXPECT_EQ((*t)["name"], "Threshold");
  EXPECT_EQ((*t)["version"], "1.0.0");
#ifdef CVX_TEST_WITH_CUDA  // a build with cvx::cuda gives the threshold plugin its CUDA back end
  EXPECT_EQ((*t)["backends"], nlohmann::json::array({"cpu", "cuda"}));
#else
  EXPECT_EQ((*t)["backends"], nlohmann::json::array({"cpu"}));
#endif
  EXPECT_EQ(r.err, "");
}

TEST(CliPlugins, BrokenPluginsAreReportedOnStderrAndTheListingSucceeds) {
  const CliRun r = cinevox("--json", CVX_TEST_PLUGIN_DIR);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NE(findId(j, "threshold"), nullptr);      // still found beside the executable
  EXPECT_NE(findId(j, "test.wrong_api"), nullptr);  // its manifest is fine; loading is not
  EXPECT_EQ(findId(j, "test.malformed"), nullptr);
  EXPECT_NE(r.err.find("plugin.bad_manifest"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("malformed.json"), std::string::npos) << r.err;
}

TEST(CliPlugins, CheckLoadsEachAndFailsOnTheBrokenOnes) {
  const CliRun r = cinevox("--check", CVX_TEST_PLUGIN_DIR);
  EXPECT_EQ(r.rc, 1);
  for (const char* code : {"plugin.api_mismatch", "plugin.library_missing", "plugin.bad_manifest"})
    EXPECT_NE(r.err.find(code), std::string::npos) << code << "\n" << r.err;
  EXPECT_NE(r.out.find("threshold"), std::string::npos) << r.out;  // the human table
  EXPECT_EQ(r.err.find("'threshold'"), std::string::npos) << r.err;  // threshold itself loads
  const CliRun good = cinevox("--check");
  EXPECT_EQ(good.rc, 0) << good.err;
  EXPECT_EQ(cinevox("--bogus").rc, 2);
}
