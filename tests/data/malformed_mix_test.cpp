// Every malformed file mixed into a good series: each gives a coded per-file error, the series
// still loads whole and equal to the clean load.
#include <cstring>
#include <filesystem>
#include <unistd.h>

#include "data_util.h"
#include "temp_dir.h"

namespace fs = std::filesystem;

TEST(Malformed, MixedIntoAGoodSeriesTheSeriesStillLoadsWhole) {
  CVX_REQUIRE_FOLDER("malformed");
  CVX_REQUIRE_FOLDER("tilt");
  const cvx::test::TempDir tmp("cvx_malformed_mix");
  ASSERT_TRUE(tmp.ok());
  const fs::path dir = tmp.path();
  for (const auto& e : fs::directory_iterator(cvx::test::dataPath("tilt")))
    if (e.path().extension() == ".dcm") fs::copy_file(e.path(), dir / e.path().filename());
  size_t bad = 0;
  for (const auto& e : fs::directory_iterator(cvx::test::dataPath("malformed")))
    if (e.path().filename() != "README.md" && e.path().filename() != "good.dcm") {
      fs::copy_file(e.path(), dir / ("zz_" + e.path().filename().string()));
      ++bad;
    }
  auto clean = cvx::test::plan("tilt");
  auto mixed = cvx::io::scan(dir.string());
  ASSERT_TRUE(mixed.ok());
  const auto groups = cvx::io::planSeries(*mixed);
  // Each malformed file is skipped with a dicom.* code (gzip, truncated, empty, not DICOM, ...).
  EXPECT_EQ(mixed->skipped.size(), bad);
  for (const auto& s : mixed->skipped) {
    EXPECT_EQ(s.code.rfind("dicom.", 0), 0u) << s.path << " " << s.code;
    EXPECT_FALSE(s.reason.empty());
  }
  ASSERT_EQ(groups.series.size(), 1u);
  EXPECT_EQ(groups.series[0].dims, clean.groups.series[0].dims);
  auto a = cvx::io::loadSeries(*mixed, groups.series[0]);
  auto b = cvx::io::loadSeries(clean.scan, clean.groups.series[0]);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ((*a)->byteSize(), (*b)->byteSize());
  EXPECT_EQ(std::memcmp((*a)->data(), (*b)->data(), (*a)->byteSize()), 0);
}
