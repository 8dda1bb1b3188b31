// Every malformed file mixed into a good series: each gives a coded per-file error, the series
// still loads whole and equal to the clean load.
#include <cstring>
#include <filesystem>
#include <map>
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
  // Each malformed file is skipped with the code its making (malformed/README.md) calls for: cut
  // anywhere, or a length that runs past the end, is truncated; a Pixel Data length that is
  // present but one byte short of Rows x Columns is pixel_length.
  const std::map<std::string, std::string> expected = {
      {"gzip_compressed.dcm.gz", "dicom.gzip"},
      {"gzip_compressed_named.dcm", "dicom.gzip"},
      {"random_bytes.dcm", "dicom.not_dicom"},
      {"zero_bytes.dcm", "dicom.empty"},
      {"trunc_in_preamble_64.dcm", "dicom.truncated"},
      {"trunc_in_meta_200.dcm", "dicom.truncated"},
      {"trunc_in_dataset_header_mid_tag.dcm", "dicom.truncated"},
      {"trunc_in_pixel_header.dcm", "dicom.truncated"},
      {"trunc_in_pixel_data_half.dcm", "dicom.truncated"},
      {"trunc_pixel_data_minus_1_byte.dcm", "dicom.truncated"},
      {"wrong_length_pixel_data_too_long.dcm", "dicom.truncated"},
      {"wrong_length_modality_1024.dcm", "dicom.truncated"},
      {"wrong_length_pixel_data_odd_short.dcm", "dicom.pixel_length"},
  };
  EXPECT_EQ(mixed->skipped.size(), bad);
  EXPECT_EQ(expected.size(), bad) << "a file was added to malformed/: give it its code here";
  for (const auto& s : mixed->skipped) {
    const std::string name = fs::path(s.path).filename().string().substr(3);  // "zz_" prefix
    const auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << s.path;
    EXPECT_EQ(s.code, it->second) << s.path << ": " << s.message;
    EXPECT_FALSE(s.message.empty());
  }
  ASSERT_EQ(groups.series.size(), 1u);
  EXPECT_EQ(groups.series[0].dims, clean.groups.series[0].dims);
  auto a = cvx::io::loadSeries(*mixed, groups.series[0]);
  auto b = cvx::io::loadSeries(clean.scan, clean.groups.series[0]);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ((*a)->byteSize(), (*b)->byteSize());
  EXPECT_EQ(std::memcmp((*a)->data(), (*b)->data(), (*a)->byteSize()), 0);
}
