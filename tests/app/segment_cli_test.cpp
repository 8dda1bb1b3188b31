// SPDX-License-Identifier: MIT
// `cinevox segment` through the real executable: the threshold plugin over the real CT written as
// a label map (NRRD) labels exactly the voxels whose HU lies in [lower, upper], counted here from the
// CT as io loads it; as a DICOM SEG it reads back with the same voxels, the plugin named as the
// algorithm and the CT as the referenced series; bad arguments are usage errors, an unknown plugin
// and a bad parameter are errors with their codes; --table writes a PET lesion's uptake.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

#include "../data/data_util.h"
#include "run_command.h"
#include "temp_dir.h"

using cvx::test::run;

namespace {

// CT voxels with lower <= HU <= upper, from the stored values (valueAt) and the rescale.
int64_t countInRange(const cvx::Volume& v, double lower, double upper) {
  const double slope = v.info.rescaleApplied ? 1.0 : v.info.rescaleSlope;
  const double intercept = v.info.rescaleApplied ? 0.0 : v.info.rescaleIntercept;
  const auto& d = v.dims();
  int64_t n = 0;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) {
        const double hu = v.valueAt(i, j, k) * slope + intercept;
        n += hu >= lower && hu <= upper;
      }
  return n;
}

}  // namespace

TEST(CliSegment, ThresholdOfTheCtAsALabelMapAndAsADicomSeg) {
  CVX_REQUIRE_FOLDER("ct");
  const cvx::test::TempDir tmp("cvx_cli_segment");
  const std::string ct = cvx::test::dataPath("ct");
  auto volume = cvx::io::loadPath(ct);
  ASSERT_TRUE(volume.ok()) << volume.error().str();
  const int64_t expected = countInRange(**volume, 300, 3071);
  ASSERT_GT(expected, 100000);  // bone

  const std::string nrrd = tmp.file("bone.nrrd");
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " segment " + ct +
                       " --plugin threshold --param lower=300 --param upper=3071 --out " + nrrd + " 2>&1");
  ASSERT_EQ(rc, 0) << out;
  auto labels = cvx::io::readImage(nrrd);
  ASSERT_TRUE(labels.ok()) << labels.error().str();
  ASSERT_EQ((*labels)->voxelsPerPhase(), (*volume)->voxelsPerPhase());
  const auto& d = (*labels)->dims();
  int64_t ones = 0;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) ones += (*labels)->valueAt(i, j, k) != 0;
  EXPECT_EQ(ones, expected);

  const std::string dcm = tmp.file("bone.dcm");
  auto [out2, rc2] = run(std::string(CVX_CINEVOX) + " segment " + ct +
                         " --plugin threshold --param lower=300 --param upper=3071 --name Bone --out " + dcm + " 2>&1");
  ASSERT_EQ(rc2, 0) << out2;
  auto seg = cvx::io::readSeg(dcm, volume->get());
  ASSERT_TRUE(seg.ok()) << seg.error().str();
  const cvx::Segmentation& s = seg->segmentation;
  ASSERT_EQ(s.segments().size(), 1u);
  EXPECT_EQ(s.segments()[0].name, "Bone");
  EXPECT_EQ(s.segments()[0].algorithmName, "threshold");
  EXPECT_EQ(s.segments()[0].algorithm, cvx::SegmentAlgorithm::Automatic);
  EXPECT_EQ(s.voxelCount(0), expected);
  EXPECT_EQ(s.reference.seriesInstanceUid, (*volume)->info.seriesInstanceUid);
}

TEST(CliSegment, BadArgumentsUnknownPluginsAndBadParametersAreRefused) {
  CVX_REQUIRE_FOLDER("ct");
  const cvx::test::TempDir tmp("cvx_cli_segment_bad");
  const std::string ct = cvx::test::dataPath("ct");
  const std::string cmd = std::string(CVX_CINEVOX) + " segment ";
  EXPECT_EQ(run(cmd + ct + " --out " + tmp.file("x.nrrd") + " 2>&1").second, 2);  // no --plugin
  EXPECT_EQ(run(cmd + ct + " --plugin threshold --out " + tmp.file("x.png") + " 2>&1").second, 2);
  auto [o1, r1] = run(cmd + ct + " --plugin no-such-plugin --out " + tmp.file("x.nrrd") + " 2>&1");
  EXPECT_EQ(r1, 1);
  EXPECT_NE(o1.find("plugin.not_found"), std::string::npos) << o1;
  auto [o2, r2] = run(cmd + ct + " --plugin threshold --param lower=abc --out " + tmp.file("x.nrrd") + " 2>&1");
  EXPECT_EQ(r2, 1);
  EXPECT_NE(o2.find("plugin.bad_param"), std::string::npos) << o2;
  auto [o3, r3] = run(cmd + ct + " --plugin threshold --param colour=red --out " + tmp.file("x.nrrd") + " 2>&1");
  EXPECT_EQ(r3, 1);
  EXPECT_NE(o3.find("plugin.bad_param"), std::string::npos) << o3;
}

// --table on the demo PET: the lesion plugin from its hottest voxel (found here), and the table's
// line: its volume from the voxels and the spacing, its SUVmax that voxel's Bq/ml converted with the
// SUV inputs the data's README gives (71 kg, 3.888e8 Bq at 10:35:00, half-life 6588 s, series at
// 11:20:11: 2711 s of decay), MTV its volume, SUVpeak at most SUVmax; the uptake printed.
TEST(CliSegment, TheTableOfALesionOnThePetHoldsItsUptake) {
  CVX_REQUIRE_FOLDER("pet_ct");
  const cvx::test::TempDir tmp("cvx_cli_segment_table");
  const std::string pt = cvx::test::dataPath("pet_ct/PT");
  auto volume = cvx::io::loadPath(pt);
  ASSERT_TRUE(volume.ok()) << volume.error().str();
  const cvx::Volume& v = **volume;
  const auto& d = v.dims();
  int64_t hot[3] = {0, 0, 0};
  double top = -1;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i)
        if (v.valueAt(i, j, k) > top) top = v.valueAt(i, j, k), hot[0] = i, hot[1] = j, hot[2] = k;
  const std::string seeds = std::to_string(hot[0]) + "," + std::to_string(hot[1]) + "," + std::to_string(hot[2]);
  const std::string csv = tmp.file("lesion.csv");
  auto [out, rc] = run(std::string(CVX_CINEVOX) + " segment " + pt + " --plugin lesion --param seeds=" + seeds +
                       " --param search_mm=0 --name Lesion --out " + tmp.file("lesion.nrrd") + " --table " + csv + " 2>&1");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("Lesion: PET SUVmax"), std::string::npos) << out;
  std::FILE* f = std::fopen(csv.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  auto split = [](const std::string& line) {  // no quoted fields in this table
    std::vector<std::string> out{""};
    for (char c : line)
      if (c == ',') out.emplace_back();
      else out.back() += c;
    return out;
  };
  const size_t eol = text.find("\r\n");
  ASSERT_NE(eol, std::string::npos);
  const auto header = split(text.substr(0, eol));
  const auto row = split(text.substr(eol + 2, text.find("\r\n", eol + 2) - eol - 2));
  ASSERT_EQ(row.size(), header.size());
  auto at = [&](const char* name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? std::string() : row[static_cast<size_t>(it - header.begin())];
  };
  EXPECT_EQ(at("name"), "Lesion");
  EXPECT_EQ(at("type"), "Neoplasm") << "the manifest's resultType, which a SEG of it carries";
  EXPECT_EQ(at("type_code"), "SCT:108369006");
  EXPECT_EQ(at("modality"), "PT");
  EXPECT_EQ(at("units"), "SUVbw");
  const double voxelMl = v.geometry.spacingMm.x * v.geometry.spacingMm.y * v.geometry.spacingMm.z / 1000;
  EXPECT_NEAR(std::stod(at("volume_ml")), std::stod(at("voxels")) * voxelMl, 1e-6);
  const double bqPerSuv = 3.888e8 * std::exp2(-2711.0 / 6588.0) / 71000.0;
  EXPECT_NEAR(std::stod(at("suv_max")), top / bqPerSuv, 2e-4 * top / bqPerSuv);  // the README's dose has 4 digits
  EXPECT_NEAR(std::stod(at("mtv_ml")), std::stod(at("volume_ml")), 1e-6);
  EXPECT_LE(std::stod(at("suv_peak")), std::stod(at("suv_max")));
  EXPECT_GT(std::stod(at("suv_max")), std::stod(at("suv_mean")));
}
