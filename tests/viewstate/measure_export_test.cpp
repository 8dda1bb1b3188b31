// SPDX-License-Identifier: MIT
// Export: the CSV read back with a reader written here (RFC 4180 quoting) and the JSON with
// nlohmann-json give the results measure() computed; the layer is found by its series UID.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <cvx/viewstate/measure_export.h>

#include "measure_test_util.h"
#include "temp_dir.h"

using namespace cvx;
using namespace cvx::view;
using cvx::test::axialAt;
using cvx::test::floatVolume;
using cvx::test::shape;

namespace {

// RFC 4180: fields split at commas outside quotes, "" inside quotes is one quote, CRLF ends a row.
std::vector<std::vector<std::string>> readCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Fixture {
  std::vector<Layer> layers;
  MeasurementSet set;
  Fixture() {
    // Two layers; the measured one is second, known by its series UID.
    auto other = floatVolume({4, 4, 1}, {1, 1, 1}, {0, 0, 0}, [](int64_t, int64_t, int64_t) { return 0.0; });
    other->info.seriesInstanceUid = "1.2.3.other";
    auto ct = floatVolume({20, 20, 2}, {0.5, 0.5, 2}, {0, 0, 0}, [](int64_t i, int64_t, int64_t) { return 10.0 * i; });
    ct->info.seriesInstanceUid = "1.2.3.ct";
    layers = {Layer{other, {}, "other", true}, Layer{ct, {}, "ct", true}};
    Measurement d = shape(MeasureKind::Distance, axialAt({0, 0, 0}), {{0, 0, 0}, {3, 4, 0}});
    d.seriesUid = "1.2.3.ct";
    d.layer = 0;  // a stale index: the UID wins
    d.label = "say \"hi\", twice";
    EXPECT_TRUE(set.add(d).ok());
    Measurement r = shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{1, 1, 0}, {2, 1.5, 0}});  // i 2..4, j 2..3
    r.seriesUid = "1.2.3.ct";
    EXPECT_TRUE(set.add(r).ok());
    Measurement gone = d;
    gone.seriesUid = "9.9.9";
    gone.label = "line\nbreak";
    EXPECT_TRUE(set.add(gone).ok());
  }
};

}  // namespace

TEST(MeasureExport, FindsTheLayerByItsSeriesUid) {
  Fixture f;
  EXPECT_EQ(findLayer(f.layers, *f.set.find(1)), 1);
  EXPECT_EQ(findLayer(f.layers, *f.set.find(3)), -1);
  Measurement noUid = *f.set.find(1);
  noUid.seriesUid.clear();
  EXPECT_EQ(findLayer(f.layers, noUid), -1);  // layer 0 has a UID: another series
}

TEST(MeasureExport, CsvReadsBackToTheResults) {
  Fixture f;
  const auto rows = measureAll(f.set, f.layers);
  ASSERT_EQ(rows.size(), 3u);
  const auto csv = readCsv(measurementsCsv(rows));
  ASSERT_EQ(csv.size(), 4u);
  const auto& h = csv[0];
  auto col = [&](const std::string& name) {
    const auto it = std::find(h.begin(), h.end(), name);
    EXPECT_NE(it, h.end()) << name;
    return static_cast<size_t>(it - h.begin());
  };
  for (const auto& r : csv) EXPECT_EQ(r.size(), h.size());
  EXPECT_EQ(csv[1][col("kind")], "distance");
  EXPECT_EQ(csv[1][col("label")], "say \"hi\", twice");
  EXPECT_NEAR(std::stod(csv[1][col("value")]), 5, 1e-9);  // the 3-4-5 line
  EXPECT_EQ(csv[1][col("unit")], "mm");
  EXPECT_EQ(csv[1][col("count")], "");
  EXPECT_EQ(csv[1][col("points")], "0 0 0;3 4 0");
  EXPECT_EQ(csv[2][col("kind")], "rectangle");
  EXPECT_EQ(csv[2][col("count")], "6");                      // i 2..4 x j 2..3
  EXPECT_NEAR(std::stod(csv[2][col("mean")]), 30, 1e-9);      // 10 i, i averaging 3
  EXPECT_NEAR(std::stod(csv[2][col("min")]), 20, 1e-9);
  EXPECT_NEAR(std::stod(csv[2][col("max")]), 40, 1e-9);
  EXPECT_NEAR(std::stod(csv[2][col("sd")]), std::sqrt(2 * (100 + 0 + 100) / 5.0), 1e-9);
  EXPECT_NEAR(std::stod(csv[2][col("value")]), 0.5, 1e-12);  // 1 x 0.5 mm
  EXPECT_EQ(csv[2][col("unit")], "mm2");
  EXPECT_EQ(csv[2][col("values_unit")], "HU");
  EXPECT_EQ(csv[3][col("label")], "line\nbreak");
  EXPECT_EQ(csv[3][col("error")], "measure.no_layer");
  EXPECT_EQ(csv[3][col("value")], "");
}

TEST(MeasureExport, JsonReadsBackToTheResults) {
  Fixture f;
  const auto rows = measureAll(f.set, f.layers);
  const auto j = nlohmann::json::parse(measurementsJson(rows));
  EXPECT_EQ(j["format"], "cinevox.measurements.export");
  EXPECT_EQ(j["version"], 1);
  const auto& ms = j["measurements"];
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0]["kind"], "distance");
  EXPECT_EQ(ms[0]["label"], "say \"hi\", twice");
  EXPECT_EQ(ms[0]["result"]["value"].get<double>(), rows[0].result->value);
  EXPECT_NEAR(ms[0]["result"]["value"].get<double>(), 5, 1e-12);
  EXPECT_EQ(ms[1]["result"]["stats"]["count"], 6);
  EXPECT_EQ(ms[1]["result"]["stats"]["mean"].get<double>(), 30);
  EXPECT_EQ(ms[1]["result"]["statsUnit"], "HU");
  EXPECT_EQ(ms[1]["points"][1][1].get<double>(), 1.5);
  EXPECT_EQ(ms[2]["error"]["code"], "measure.no_layer");
  EXPECT_FALSE(ms[2].contains("result"));
}

TEST(MeasureExport, WritesTheWholeFileOrNothing) {
  Fixture f;
  const auto rows = measureAll(f.set, f.layers);
  test::TempDir tmp;
  ASSERT_TRUE(exportCsv(tmp.file("m.csv"), rows).ok());
  EXPECT_EQ(slurp(tmp.file("m.csv")), measurementsCsv(rows));
  ASSERT_TRUE(exportJson(tmp.file("m.json"), rows).ok());
  EXPECT_EQ(slurp(tmp.file("m.json")), measurementsJson(rows));
  const auto bad = exportCsv(tmp.file("no/such/folder/m.csv"), rows);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "measure.export_failed");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp.path()), {}), 2);  // no temporary left
}

TEST(MeasureExport, PetRowsCarrySuvAndSul) {
  // Two PET layers (ADMIN: SUVbw factor 75000 g / 370e6 Bq): one with height and sex, one without height.
  auto pet = [](const std::string& uid, bool withHeight) {
    auto v = floatVolume({10, 10, 1}, {4, 4, 3}, {0, 0, 0}, [](int64_t i, int64_t, int64_t) { return 5000.0 + 100 * i; });
    v->info.seriesInstanceUid = uid;
    v->info.modality = "PT";
    v->info.units = v->info.pet.units = "BQML";
    v->info.pet.patientWeightKg = 75.0;
    v->info.pet.injectedDoseBq = 370e6;
    v->info.pet.decayCorrection = "ADMIN";
    if (withHeight) v->info.pet.patientHeightM = 1.75;
    v->info.patientSex = "M";
    return v;
  };
  const std::vector<Layer> layers = {Layer{pet("1.2.3.pt", true), {}, "pt", true},
                                     Layer{pet("1.2.3.pt2", false), {}, "pt2", true}};
  MeasurementSet set;
  Measurement r = shape(MeasureKind::Rectangle, axialAt({0, 0, 0}), {{4, 4, 0}, {12, 8, 0}});  // i 1..3, j 1..2
  r.seriesUid = "1.2.3.pt";
  ASSERT_TRUE(set.add(r).ok());
  r.seriesUid = "1.2.3.pt2";
  ASSERT_TRUE(set.add(r).ok());
  const auto rows = measureAll(set, layers);
  // By hand: BMI 75 / 1.75^2 = 24.4897959, LBM = 9270 x 75 / (6680 + 216 x 24.4897959) = 58.0836971 kg,
  // SUL factor = (75000 / 370e6) x 58.0836971 / 75 = 58083.6971 / 370e6; values 5100..5300, mean 5200.
  const double f = 75000.0 / 370e6, k = 58083.6971 / 370e6;
  const auto csv = readCsv(measurementsCsv(rows));
  ASSERT_EQ(csv.size(), 3u);
  const auto& h = csv[0];
  for (const auto& row : csv) EXPECT_EQ(row.size(), h.size());
  const std::vector<std::string> cols = {"suv_mean", "suv_sd", "suv_min", "suv_max", "suv_error",
                                         "sul_mean", "sul_sd", "sul_min", "sul_max", "sul_error", "error"};
  const auto at = std::find(h.begin(), h.end(), "suv_mean");
  ASSERT_GE(h.end() - at, static_cast<long>(cols.size()));
  EXPECT_EQ(std::vector<std::string>(at, at + static_cast<long>(cols.size())), cols);  // SUL right after SUV
  auto col = [&](const std::string& name) { return static_cast<size_t>(std::find(h.begin(), h.end(), name) - h.begin()); };
  EXPECT_NEAR(std::stod(csv[1][col("suv_mean")]), 5200 * f, 1e-8);
  EXPECT_NEAR(std::stod(csv[1][col("sul_mean")]), 5200 * k, 1e-8);
  EXPECT_NEAR(std::stod(csv[1][col("sul_sd")]), std::sqrt(8000.0) * k, 1e-9);  // sample SD of 5100..5300 twice
  EXPECT_NEAR(std::stod(csv[1][col("sul_min")]), 5100 * k, 1e-8);
  EXPECT_NEAR(std::stod(csv[1][col("sul_max")]), 5300 * k, 1e-8);
  EXPECT_EQ(csv[1][col("sul_error")], "");
  EXPECT_NEAR(std::stod(csv[2][col("suv_mean")]), 5200 * f, 1e-8);
  EXPECT_EQ(csv[2][col("sul_mean")], "");
  EXPECT_EQ(csv[2][col("sul_error")], "suv.sul_missing_input");

  const auto j = nlohmann::json::parse(measurementsJson(rows));
  const auto& ms = j["measurements"];
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_NEAR(ms[0]["result"]["sul"]["mean"].get<double>(), 5200 * k, 1e-8);
  EXPECT_NEAR(ms[0]["result"]["sul"]["sd"].get<double>(), std::sqrt(8000.0) * k, 1e-9);
  EXPECT_EQ(ms[0]["result"]["sul"]["count"], 6);
  EXPECT_FALSE(ms[0]["result"].contains("sulError"));
  EXPECT_FALSE(ms[1]["result"].contains("sul"));
  EXPECT_EQ(ms[1]["result"]["sulError"], "suv.sul_missing_input");
  EXPECT_TRUE(ms[1]["result"].contains("suv"));
}
