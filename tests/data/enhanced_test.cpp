// Enhanced multi-frame objects against their classic one-file-per-slice counterparts.
#include <cmath>
#include <cstring>

#include "data_util.h"

namespace {

void expectSameGeometry(const cvx::Geometry& a, const cvx::Geometry& b) {
  const auto ma = a.worldFromVoxel(), mb = b.worldFromVoxel();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(ma.m[r][c], mb.m[r][c], 1e-3) << r << "," << c;
}

}  // namespace

TEST(Enhanced, PcaslEnhancedEqualsClassicVoxelForVoxel) {
  CVX_REQUIRE_FOLDER("pcasl");
  auto p = cvx::test::plan("pcasl");
  ASSERT_EQ(p.groups.series.size(), 2u);
  const cvx::io::SeriesPlan* classic = nullptr;
  const cvx::io::SeriesPlan* enhanced = nullptr;
  for (const auto& s : p.groups.series) {
    const bool isEnh = p.scan.files[s.slices[0].file].enhanced;
    (isEnh ? enhanced : classic) = &s;
  }
  ASSERT_TRUE(classic && enhanced);
  // Same SeriesInstanceUID (dcmdump): one of the two copies is split off by SOP class.
  EXPECT_EQ((enhanced->splitReason == "split.sop_class") + (classic->splitReason == "split.sop_class"), 1);
  // README: 128x128x16, one volume.
  EXPECT_EQ(classic->dims, (std::array<int64_t, 4>{128, 128, 16, 1}));
  EXPECT_EQ(enhanced->dims, classic->dims);
  expectSameGeometry(classic->geometry, enhanced->geometry);
  auto a = cvx::io::loadSeries(p.scan, *classic);
  auto b = cvx::io::loadSeries(p.scan, *enhanced);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ((*a)->byteSize(), (*b)->byteSize());
  EXPECT_EQ(std::memcmp((*a)->data(), (*b)->data(), (*a)->byteSize()), 0);
  // Not trivially equal: the image has content.
  double sum = 0;
  for (int64_t i = 0; i < (*a)->voxelCount(); i += 13) sum += (*a)->valueAt(i % 128, (i / 128) % 128, i / (128 * 128));
  EXPECT_GT(sum, 0);
}
