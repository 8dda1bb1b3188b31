// SPDX-License-Identifier: MIT
// The segments' table (seg_report.h) on a CT and a PET of one frame of reference, whose values are
// written here from formulas: a box on the CT has the mean, SD, minimum and maximum of its voxels'
// HU (computed from the formula), its volume from the spacing; its PET uptake, on a uniform PET of
// known Bq/ml and SUV factor, is that SUV with MTV the box's volume and TLG = SUVmean x MTV; a
// segment on another frame has no PET columns. The CSV has a header and one line per segment with
// as many fields, and quotes a name that holds a comma.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cvx/viewstate/seg_report.h>

#include "pet_header_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

std::shared_ptr<Volume> grid(PixelType type, std::string modality, std::string frame) {
  auto v = Volume::create(type, {20, 16, 10, 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = {1.5, 1.5, 2.0};
  (*v)->info.modality = std::move(modality);
  (*v)->info.frameOfReferenceUid = std::move(frame);
  (*v)->info.seriesInstanceUid = "1.2.826.0.1.3680043.10.7." + (*v)->info.modality;
  return *v;
}

// The CSV's fields of one line (quoted fields unquoted).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out{""};
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

}  // namespace

TEST(SegReport, VolumesStatisticsAndPetUptakeOfEverySegment) {
  auto ct = grid(PixelType::Int16, "CT", "1.2.3");
  ct->info.rescaleSlope = 1;
  ct->info.rescaleIntercept = -1024;
  ct->info.units = "HU";
  for (int64_t z = 0, i = 0; z < 10; ++z)
    for (int64_t y = 0; y < 16; ++y)
      for (int64_t x = 0; x < 20; ++x, ++i) ct->as<int16_t>()[i] = static_cast<int16_t>(1000 + x + 10 * y + 3 * z);
  auto pet = grid(PixelType::Float32, "PT", "1.2.3");
  for (int64_t i = 0; i < pet->voxelCount(); ++i) pet->as<float>()[i] = 5000.0f;  // Bq/ml
  test::setSulHeader(pet->info);  // SUL = SUVbw x 0.5650716 (pet_header_util.h)
  auto mr = grid(PixelType::Int16, "MR", "9.9.9");
  ViewerState s;
  s.addLayer(ct);
  DisplayMapping m = initialMapping(*pet);
  m.units = "SUVbw";
  m.unitScale = 4e-4;  // SUV per Bq/ml: 5000 Bq/ml is SUV 2
  s.addLayer(pet, m);
  s.addLayer(mr);

  // A box x 2..5, y 3..6, z 1..2 on the CT; the same box, named with a comma, on the MR.
  std::vector<uint8_t> box(20 * 16 * 10, 0);
  double sum = 0, sum2 = 0, lo = 1e9, hi = -1e9;
  int64_t n = 0;
  for (int64_t z = 1; z <= 2; ++z)
    for (int64_t y = 3; y <= 6; ++y)
      for (int64_t x = 2; x <= 5; ++x) {
        box[static_cast<size_t>((z * 16 + y) * 20 + x)] = 1;
        const double hu = 1000 + x + 10 * y + 3 * z - 1024;
        sum += hu, sum2 += hu * hu, lo = std::min(lo, hu), hi = std::max(hi, hu), ++n;
      }
  auto onCt = std::make_shared<Segmentation>(Segmentation::onGridOf(*ct));
  Segment tumour;
  tumour.name = "Tumour";
  tumour.rgb = {200, 10, 0};
  tumour.type = {"108369006", "SCT", "Neoplasm"};
  ASSERT_TRUE(onCt->addSegment(tumour, box.data()).ok());
  ASSERT_TRUE(onCt->addSegment(Segment{}, nullptr).ok());  // an empty one: no statistics, no uptake
  ASSERT_TRUE(s.addSegmentation(onCt, 0, "tumour.dcm").ok());
  auto onMr = std::make_shared<Segmentation>(Segmentation::onGridOf(*mr));
  Segment other;
  other.name = "Cyst, left";
  ASSERT_TRUE(onMr->addSegment(other, box.data()).ok());
  ASSERT_TRUE(s.addSegmentation(onMr, 2, "").ok());  // no name: the line's first field is empty

  EXPECT_EQ(petLayerFor(s, 0), 1);
  EXPECT_EQ(petLayerFor(s, 2), -1) << "another frame has no PET";
  const auto rows = segmentReport(s);
  ASSERT_EQ(rows.size(), 3u);
  const SegmentReportRow& t = rows[0];
  EXPECT_EQ(t.meta.name, "Tumour");
  EXPECT_EQ(t.modality, "CT");
  ASSERT_TRUE(t.stats.has_value());
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_EQ(t.stats->voxels, n);
  EXPECT_NEAR(t.stats->volumeMl, n * 1.5 * 1.5 * 2.0 / 1000, 1e-9);
  EXPECT_NEAR(t.stats->mean, mean, 1e-9);
  EXPECT_NEAR(t.stats->sd, sd, 1e-6);
  EXPECT_EQ(t.stats->min, lo);
  EXPECT_EQ(t.stats->max, hi);
  ASSERT_TRUE(t.pet.has_value());
  EXPECT_NEAR(t.pet->suvMax, 2.0, 1e-6);
  EXPECT_NEAR(t.pet->suvMean, 2.0, 1e-6);
  EXPECT_NEAR(t.pet->mtvMl, n * 1.5 * 1.5 * 2.0 / 1000, 1e-9);
  EXPECT_NEAR(t.pet->tlg, 2.0 * n * 1.5 * 1.5 * 2.0 / 1000, 1e-6);
  EXPECT_NEAR(t.sulPerSuv, test::kHeaderSulPerSuv, 1e-6);
  EXPECT_EQ(rows[2].sulPerSuv, 0) << "no PET, no SUL";
  EXPECT_FALSE(rows[1].pet.has_value()) << "an empty segment holds no uptake";
  EXPECT_TRUE(rows[0].petMeasured && rows[1].petMeasured) << "the table measures every segment of the PET's frame";
  EXPECT_FALSE(rows[2].petMeasured) << "no PET on the MR's frame";
  EXPECT_EQ(rows[0].voxels, n);
  EXPECT_NEAR(rows[0].volumeMl, t.stats->volumeMl, 1e-12);
  EXPECT_EQ(rows[1].stats->voxels, 0);
  EXPECT_FALSE(rows[2].pet.has_value());
  EXPECT_EQ(rows[2].modality, "MR");

  const std::string csv = segmentReportCsv(rows);
  std::istringstream in(csv);
  std::string header, line;
  std::getline(in, header);
  ASSERT_FALSE(header.empty());
  header.pop_back();  // CR
  const auto names = fields(header);
  auto column = [&](const char* name) {
    return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  std::vector<std::vector<std::string>> lines;
  while (std::getline(in, line)) {
    ASSERT_EQ(line.back(), '\r');
    line.pop_back();
    lines.push_back(fields(line));
    EXPECT_EQ(lines.back().size(), names.size()) << line;
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0][column("name")], "Tumour");
  EXPECT_EQ(lines[0][column("type")], "Neoplasm");
  EXPECT_EQ(lines[0][column("type_code")], "SCT:108369006");
  EXPECT_EQ(lines[0][column("colour")], "#c80a00");
  EXPECT_EQ(lines[0][column("segmentation")], "tumour.dcm");
  EXPECT_NEAR(std::stod(lines[0][column("mean")]), mean, 1e-6);
  EXPECT_NEAR(std::stod(lines[0][column("suv_max")]), 2.0, 1e-6);
  EXPECT_NEAR(std::stod(lines[0][column("sul_peak")]), 2.0 * test::kHeaderSulPerSuv, 1e-5);
  EXPECT_NEAR(std::stod(lines[0][column("sul_max")]), 2.0 * test::kHeaderSulPerSuv, 1e-5);
  EXPECT_EQ(lines[0][column("units")], "HU");
  EXPECT_EQ(lines[1][column("mean")], "") << "no mean of no voxels";
  EXPECT_EQ(lines[1][column("units")], "");
  EXPECT_EQ(lines[2][column("segmentation")], "");
  EXPECT_EQ(lines[2][column("name")], "Cyst, left");
  EXPECT_NE(csv.find("\"Cyst, left\""), std::string::npos);
  EXPECT_EQ(lines[2][column("suv_max")], "");
  EXPECT_EQ(lines[2][column("sul_peak")], "");

  // Without the patient's sex: SUVbw as before, no SUL, and the code that says why.
  pet->info.patientSex = "O";
  const auto noSul = segmentReport(s);
  ASSERT_TRUE(noSul[0].pet.has_value());
  EXPECT_EQ(noSul[0].sulPerSuv, 0);
  EXPECT_EQ(noSul[0].sulError.code, "suv.sul_missing_input");
  std::istringstream noSulCsv(segmentReportCsv(noSul));
  std::string skip, noSulLine;
  std::getline(noSulCsv, skip), std::getline(noSulCsv, noSulLine);
  noSulLine.pop_back();  // CR
  const auto f0 = fields(noSulLine);
  EXPECT_NEAR(std::stod(f0[column("suv_max")]), 2.0, 1e-6) << "SUVbw stays";
  EXPECT_NEAR(std::stod(f0[column("suv_peak")]), 2.0, 1e-6);
  EXPECT_EQ(f0[column("sul_peak")], "");
  EXPECT_EQ(f0[column("sul_max")], "");

  const auto dir = std::filesystem::temp_directory_path() / "cvx_seg_report_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "segments.csv").string();
  ASSERT_TRUE(exportSegmentReportCsv(path, rows).ok());
  std::ifstream f(path, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), csv);
  const Status bad = exportSegmentReportCsv((dir / "no_such_dir" / "x.csv").string(), rows);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "seg.export_failed");
  std::filesystem::remove_all(dir);
}
