// The `cinevox info --json` and `cinevox convert` contracts, through the real executable.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <nlohmann/json.hpp>

#include "../data/data_util.h"
#include "../io/crafted_dicom.h"
#include "run_command.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using cvx::test::run;

TEST(Cli, InfoJsonFollowsTheContract) {
  CVX_REQUIRE_FOLDER("two_orientations");
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " info --json " + cvx::test::dataPath("two_orientations") + " 2>/dev/null");
  ASSERT_EQ(rc, 0);
  const auto j = nlohmann::json::parse(out);
  ASSERT_EQ(j["series"].size(), 2u);
  for (const auto& s : j["series"]) {
    for (const char* key : {"studyInstanceUid", "seriesInstanceUid", "modality", "description", "frameOfReferenceUid"})
      EXPECT_TRUE(s[key].is_string()) << key;
    EXPECT_EQ(s["dims"].size(), 4u);
    EXPECT_EQ(s["spacingMm"].size(), 3u);
    EXPECT_EQ(s["originMm"].size(), 3u);
    ASSERT_EQ(s["direction"].size(), 9u);
    EXPECT_TRUE(s["timesMs"].is_array());
    EXPECT_TRUE(s["warnings"].is_array());
    for (const auto& w : s["warnings"]) EXPECT_TRUE(w["code"].is_string() && w["message"].is_string());
    // direction = row cosine, column cosine, normal: unit columns, the third = first x second.
    std::array<double, 9> d{};
    for (int i = 0; i < 9; ++i) d[static_cast<size_t>(i)] = s["direction"][static_cast<size_t>(i)];
    const double cx = d[1] * d[5] - d[2] * d[4], cy = d[2] * d[3] - d[0] * d[5], cz = d[0] * d[4] - d[1] * d[3];
    EXPECT_NEAR(std::fabs(cx * d[6] + cy * d[7] + cz * d[8]), 1.0, 1e-6);
  }
  // Skipped files are listed with a reason (the README here).
  ASSERT_GE(j["skipped"].size(), 1u);
  EXPECT_TRUE(j["skipped"][0]["path"].is_string() && j["skipped"][0]["reason"].is_string());
}

TEST(Cli, InfoJsonSpacingUsesPixelSpacingColumnForX) {
  // The oblique demo phantom has PixelSpacing 0.5\0.8 (row spacing 0.5 = y, column spacing 0.8 = x).
  const cvx::test::TempDir tmp("cvx_cli_demo");
  const fs::path dir = tmp.path();
  auto [o1, rc1] = run(std::string(CVX_CINEVOX) + " demo " + dir.string() + " >/dev/null 2>&1");
  ASSERT_EQ(rc1, 0);
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " info --json " + (dir / "OBLIQUE").string() + " 2>/dev/null");
  ASSERT_EQ(rc, 0);
  const auto j = nlohmann::json::parse(out);
  ASSERT_EQ(j["series"].size(), 1u);
  EXPECT_NEAR(j["series"][0]["spacingMm"][0].get<double>(), 0.8, 1e-9);
  EXPECT_NEAR(j["series"][0]["spacingMm"][1].get<double>(), 0.5, 1e-9);
}

TEST(Cli, ConvertWritesGeometryAndVoxelsOf4D) {
  CVX_REQUIRE_FOLDER("4d/siemens_mosaic");
  const cvx::test::TempDir tmp("cvx_cli_convert");
  const fs::path out = tmp.file("mosaic.nii.gz");
  auto [msg, rc] = run(std::string(CVX_CINEVOX) + " convert " + cvx::test::dataPath("4d/siemens_mosaic") + " --out " + out.string() + " 2>&1");
  ASSERT_EQ(rc, 0) << msg;
  auto written = cvx::io::readImage(out.string());
  ASSERT_TRUE(written.ok()) << written.error().str();
  auto loaded = cvx::io::loadPath(cvx::test::dataPath("4d/siemens_mosaic"));
  ASSERT_TRUE(loaded.ok());
  const auto& a = **written;
  const auto& b = **loaded;
  EXPECT_EQ(a.dims(), b.dims());
  const auto ma = a.geometry.worldFromVoxel(), mb = b.geometry.worldFromVoxel();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(ma.m[r][c], mb.m[r][c], 1e-4);
  ASSERT_EQ(a.byteSize(), b.byteSize());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.byteSize()), 0);
  ASSERT_EQ(a.timesMs.size(), 2u);  // 2 time points, TR apart
  EXPECT_NEAR(a.timesMs[1] - a.timesMs[0], b.timesMs[1] - b.timesMs[0], 1.0);
  // Never beside the DICOM it read: refused with its code before anything is written.
  const std::string beside = cvx::test::dataPath("4d/siemens_mosaic") + "/mosaic.nii.gz";
  auto [refused, rc3] = run(std::string(CVX_CINEVOX) + " convert " + cvx::test::dataPath("4d/siemens_mosaic") +
                            " --out " + beside + " 2>&1");
  EXPECT_EQ(rc3, 1) << refused;
  EXPECT_NE(refused.find("io.into_source"), std::string::npos) << refused;
  EXPECT_FALSE(fs::exists(beside));
}

TEST(Cli, BadInputGivesACodedErrorNotACrash) {
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " info /nonexistent/path 2>&1");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("io.not_found"), std::string::npos) << out;
  auto [out2, rc2] = run(std::string(CVX_CINEVOX) + " convert 2>&1");
  EXPECT_EQ(rc2, 2);
}

// `cinevox info FILE --load` on a 32 KiB file whose header lies about its size (65535 x 65535
// pixels, or a million frames): a coded error and exit 1, with scan + plan (steady_clock, inside
// cinevox) under 100 ms. Before, the first took 57 s (8 GB allocated) and the second 9.4 s. The
// whole process is bounded too, loosely: its start (loading Qt, DCMTK: ~70 ms of CPU) depends on
// how busy the machine is.
TEST(Cli, InfoLoadOnAHeaderThatLiesFailsFastWithACode) {
  namespace cr = cvx::test::crafted;
  const cvx::test::TempDir tmp("cvx_cli_lie");
  const fs::path dir = tmp.path();
  for (const bool frames : {false, true}) {
    cr::Image im = cr::ctSlice(0, 1);
    if (frames) {
      im.set(0x0028, 0x0008, "IS", "1000000");
    } else {
      im.setUS(0x0028, 0x0010, 65535);
      im.setUS(0x0028, 0x0011, 65535);
    }
    const std::string path = (dir / (frames ? "frames1e6.dcm" : "rows65535.dcm")).string();
    cr::write(path, im.native(std::string(32768 - im.header().size() - 12, '\x01')));
    ASSERT_EQ(fs::file_size(path), 32768u);
    const auto t0 = std::chrono::steady_clock::now();
    auto [out, rc] = run(std::string(CVX_CINEVOX) + " info " + path + " --load 2>&1");
    const double wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(rc, 1) << out;
    EXPECT_NE(out.find(path + ": dicom.pixel_length ("), std::string::npos) << out;  // the skipped file, its code
    EXPECT_NE(out.find("error series.none"), std::string::npos) << out;
    const auto at = out.find("scan+plan ");
    ASSERT_NE(at, std::string::npos) << out;
    const double innerMs = std::atof(out.c_str() + at + 10);
    std::printf("  [measured] cinevox info %s --load: exit %d, scan+plan %.2f ms, process %.1f ms\n",
                fs::path(path).filename().c_str(), rc, innerMs, wallMs);
    EXPECT_LT(innerMs, 100.0) << out;
    EXPECT_LT(wallMs, 2000.0) << out;
  }
}

// info --load shows what a load left out: a file the scan accepts but the decoder rejects (an RLE
// header that claims 9 segments for 16-bit grey) is a coded warning, and its slice is listed blank.
TEST(Cli, InfoLoadReportsAFileThatFailsToDecodeAndItsBlankSlice) {
  namespace cr = cvx::test::crafted;
  const cvx::test::TempDir tmp("cvx_cli_blank");
  const fs::path dir = tmp.path();
  for (int k = 0; k < 3; ++k)
    cr::write((dir / ("s" + std::to_string(k) + ".dcm")).string(), cr::ctSlice(k, k + 1).native(cr::ctPixels(k + 1)));
  cr::Image rle = cr::ctSlice(3, 4);
  rle.transferSyntax = "1.2.840.10008.1.2.5";
  std::string header;
  cr::put32(header, 9);                                   // segment count
  for (int i = 0; i < 15; ++i) cr::put32(header, i < 9 ? 64 + i : 0);  // offsets
  const std::string bad = (dir / "s3.dcm").string();
  cr::write(bad, rle.encapsulated({header + std::string(64, '\x01')}));
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " info " + dir.string() + " --load 2>&1");
  EXPECT_EQ(rc, 0) << out;  // the series loads; one slice is blank
  EXPECT_NE(out.find("  warning dicom.decode_failed: "), std::string::npos) << out;
  EXPECT_NE(out.find("; 1 slice(s) left blank (" + bad + ")"), std::string::npos) << out;
  // Positions 0, 1, 2, 3 mm along the normal: the RLE file is slice 3.
  EXPECT_NE(out.find("  1 blank slice(s) (zero): 3\n"), std::string::npos) << out;
}

TEST(Cli, InfoJsonReportsSpacingKnownAndSheared) {
  namespace cr = cvx::test::crafted;
  const cvx::test::TempDir dir("cvx_cli_spacing");
  cr::Image im = cr::ctSlice(0, 1);
  im.set(0x0028, 0x0030, "DS", "0\\0");
  cr::write(dir.file("a.dcm"), im.native(cr::ctPixels(1)));
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " info --json " + dir.path() + " 2>/dev/null");
  ASSERT_EQ(rc, 0);
  const auto j = nlohmann::json::parse(out);
  ASSERT_EQ(j["series"].size(), 1u);
  EXPECT_EQ(j["series"][0]["spacingKnown"], false);
  EXPECT_EQ(j["series"][0]["sheared"], false);
  bool found = false;
  for (const auto& w : j["series"][0]["warnings"]) found = found || w["code"] == "geometry.invalid_spacing";
  EXPECT_TRUE(found);
}

// A memory budget refuses a series before loading, with io.over_budget and the reduction that fits;
// --reduce loads every n-th voxel and slice (ct/: 512 x 512 x 134 -> ceil(/2) = 256 x 256 x 67).
TEST(Cli, InfoLoadRefusesOverBudgetAndLoadsReducedOnRequest) {
  CVX_REQUIRE_FOLDER("ct");
  const std::string ct = cvx::test::dataPath("ct");
  auto [refused, rc1] = run(std::string(CVX_CINEVOX) + " info " + ct + " --load --memory-budget 60 2>&1 >/dev/null");
  EXPECT_EQ(rc1, 1) << refused;
  EXPECT_NE(refused.find("io.over_budget"), std::string::npos) << refused;
  EXPECT_NE(refused.find("reduce 2"), std::string::npos) << refused;
  auto [reduced, rc2] = run(std::string(CVX_CINEVOX) + " info " + ct + " --load --memory-budget 60 --reduce 2 2>&1 >/dev/null");
  EXPECT_EQ(rc2, 0) << reduced;
  EXPECT_NE(reduced.find(": ok 256x256x67 in "), std::string::npos) << reduced;
  auto [bad, rc3] = run(std::string(CVX_CINEVOX) + " info " + ct + " --load --reduce 0 2>&1");
  EXPECT_EQ(rc3, 2) << bad;
}
