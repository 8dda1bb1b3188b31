// Files that share a SOPInstanceUID, written by the test: a different image under a reused UID is
// kept (its own series, with a warning); a byte-identical copy is dropped as dicom.duplicate_sop.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <cvx/io/dicom.h>

#include "decode_synth_util.h"
#include "series_writer_util.h"

namespace cvx {
namespace {

test::CtSlice slice(const std::string& sop, int seriesNumber, int16_t value) {
  test::CtSlice s;
  s.sopUid = sop;
  s.seriesNumber = seriesNumber;
  s.voxels.assign(size_t{s.rows} * s.cols, value);
  return s;
}

size_t countWarnings(const io::ScanResult& r, const std::string& code) {
  return static_cast<size_t>(std::count_if(r.warnings.begin(), r.warnings.end(),
                                           [&](const cvx::Diagnostic& w) { return w.code == code; }));
}

TEST(ScanDuplicates, SameUidOtherSeriesNumberAndPixelsIsKeptAsAnotherSeries) {
  test::dec::TempDir dir;
  const std::string uid = test::newUid();
  ASSERT_TRUE(test::writeCtSlice(dir.file("a.dcm"), slice(uid, 1, 100)));
  ASSERT_TRUE(test::writeCtSlice(dir.file("b.dcm"), slice(uid, 2, 200)));
  auto r = io::scan(dir.file(""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->files.size(), 2u);
  EXPECT_TRUE(r->skipped.empty());
  EXPECT_EQ(countWarnings(*r, "dicom.duplicate_sop_differs"), 1u);
  const io::GroupResult g = io::planSeries(*r);
  ASSERT_EQ(g.series.size(), 2u);
  std::vector<int> numbers{g.series[0].info.seriesNumber, g.series[1].info.seriesNumber};
  std::sort(numbers.begin(), numbers.end());
  EXPECT_EQ(numbers, (std::vector<int>{1, 2}));
  // Each series holds its own image: 100 in series 1, 200 in series 2.
  for (const auto& plan : g.series) {
    auto v = io::loadSeries(*r, plan);
    ASSERT_TRUE(v.ok()) << v.error().str();
    EXPECT_EQ((*v)->valueAt(3, 4, 0), plan.info.seriesNumber == 1 ? 100 : 200);
  }
}

TEST(ScanDuplicates, ByteIdenticalCopyIsDropped) {
  test::dec::TempDir dir;
  const std::string uid = test::newUid();
  ASSERT_TRUE(test::writeCtSlice(dir.file("a.dcm"), slice(uid, 1, 100)));
  std::filesystem::copy_file(dir.file("a.dcm"), dir.file("c.dcm"));
  auto r = io::scan(dir.file(""));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->files.size(), 1u);
  EXPECT_EQ(r->files[0].path, dir.file("a.dcm"));
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].path, dir.file("c.dcm"));
  EXPECT_EQ(r->skipped[0].code, "dicom.duplicate_sop");
  EXPECT_EQ(countWarnings(*r, "dicom.duplicate_sop_differs"), 0u);
}

// Headers agree in every compared field; only the pixel bytes differ: the hash tells them apart.
TEST(ScanDuplicates, SameHeaderOtherPixelsIsKeptWithAWarning) {
  test::dec::TempDir dir;
  const std::string uid = test::newUid();
  ASSERT_TRUE(test::writeCtSlice(dir.file("a.dcm"), slice(uid, 1, 100)));
  ASSERT_TRUE(test::writeCtSlice(dir.file("b.dcm"), slice(uid, 1, 101)));
  auto r = io::scan(dir.file(""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->files.size(), 2u);
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_EQ(countWarnings(*r, "dicom.duplicate_sop_differs"), 1u);
}

// The same image written twice with a different header layout (another InstanceNumber, which is
// not compared) is still a duplicate: same series, number, position, format and pixel bytes.
TEST(ScanDuplicates, SameImageWithAnotherUncomparedFieldIsDropped) {
  test::dec::TempDir dir;
  const std::string uid = test::newUid();
  auto a = slice(uid, 1, 100), b = slice(uid, 1, 100);
  b.instance = 7;
  ASSERT_TRUE(test::writeCtSlice(dir.file("a.dcm"), a));
  ASSERT_TRUE(test::writeCtSlice(dir.file("b.dcm"), b));
  auto r = io::scan(dir.file(""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->files.size(), 1u);
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].code, "dicom.duplicate_sop");
}

}  // namespace
}  // namespace cvx
