// SPDX-License-Identifier: MIT
// `cinevox segment` never writes into the folder its series was read from (io/source_folder.h):
// --out (a label map, a DICOM SEG) or --table pointed there is refused with io.into_source and exit
// 1, before the plugin runs, and nothing is written, neither there nor the other file asked for. The
// series is a copy of tilt/ in a temporary folder: writable, so the refusal is not a write that failed.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "../data/data_util.h"
#include "run_command.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using cvx::test::run;

namespace {

std::set<std::string> filesIn(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

}  // namespace

TEST(CliSourceFolder, SegmentRefusesOutAndTableInTheSeriesFolder) {
  CVX_REQUIRE_FOLDER("tilt");
  const cvx::test::TempDir tmp("cvx_cli_source_folder");
  const std::string series = tmp.file("tilt"), exports = tmp.file("exports");
  fs::copy(cvx::test::dataPath("tilt"), series);
  fs::create_directories(exports);
  const std::set<std::string> before = filesIn(series);
  ASSERT_GE(before.size(), 4u);
  const std::string segment = std::string(CVX_CINEVOX) + " segment " + series +
                              " --plugin threshold --param lower=-800 --param upper=3071 --name Body";
  for (const char* name : {"body.nrrd", "body.nii.gz", "body.dcm"}) {
    auto [out, rc] = run(segment + " --out " + series + "/" + name + " 2>&1");
    EXPECT_EQ(rc, 1) << name << ": " << out;
    EXPECT_NE(out.find("error io.into_source"), std::string::npos) << name << ": " << out;
    EXPECT_EQ(out.find("ran on the"), std::string::npos) << name << ": refused before the plugin ran: " << out;
    EXPECT_EQ(filesIn(series), before) << name;
  }
  // --table there, --out elsewhere: neither is written.
  auto [out, rc] = run(segment + " --out " + exports + "/body.nrrd --table " + series + "/body.csv 2>&1");
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("error io.into_source"), std::string::npos) << out;
  EXPECT_EQ(filesIn(series), before);
  EXPECT_TRUE(fs::is_empty(exports)) << "refused as a whole: not the label map either";
  // The same, both elsewhere: written (the refusal is of the series' folder only).
  auto [ok, rc2] = run(segment + " --out " + exports + "/body.nrrd --table " + exports + "/body.csv 2>&1");
  EXPECT_EQ(rc2, 0) << ok;
  EXPECT_TRUE(fs::exists(exports + "/body.nrrd") && fs::exists(exports + "/body.csv")) << ok;
  EXPECT_EQ(filesIn(series), before);
}
