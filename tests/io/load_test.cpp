// Loads that end early (cancel, a file that fails) and the job's ownership of its scan, on series
// the tests write themselves: every voxel value is known before anything is loaded.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>

#include <cvx/core/voxel_memory.h>
#include <cvx/io/dicom.h>

#include "decode_synth_util.h"
#include "series_writer_util.h"

namespace cvx {
namespace {

// The value the tests write at (x, y) of the slice at z = 2 * k mm: never zero.
int16_t written(int k, int x, int y) { return static_cast<int16_t>(1000 + 10 * k + (x + 3 * y) % 7); }

// Writes n axial slices of rows x cols, file k at z = zs[k] (default 2k mm); returns their paths.
std::vector<std::string> writeSeries(const test::dec::TempDir& dir, int n, uint16_t rows, uint16_t cols,
                                     const std::vector<double>& zs = {}) {
  std::vector<std::string> paths;
  for (int k = 0; k < n; ++k) {
    test::CtSlice s;
    s.rows = rows, s.cols = cols, s.instance = k + 1, s.z = zs.empty() ? 2.0 * k : zs[size_t(k)];
    s.voxels.resize(size_t{rows} * cols);
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < cols; ++x) s.voxels[size_t(y) * cols + size_t(x)] = written(k, x, y);
    paths.push_back(dir.file("s" + std::to_string(1000 + k) + ".dcm"));
    EXPECT_TRUE(test::writeCtSlice(paths.back(), s));
  }
  return paths;
}

// File index k of the slice z of v, from the geometry (z of the slice's first voxel / 2 mm).
int fileOfSlice(const Volume& v, int64_t z) {
  return static_cast<int>(std::lround(v.geometry.worldAt(0, 0, static_cast<double>(z)).z / 2.0));
}

bool sliceIsZero(const Volume& v, int64_t z) {
  const std::byte* p = v.slice(z);
  return std::all_of(p, p + v.sliceBytes(), [](std::byte b) { return b == std::byte{0}; });
}

bool sliceIsWritten(const Volume& v, int64_t z) {
  const int k = fileOfSlice(v, z);
  const int16_t* p = reinterpret_cast<const int16_t*>(v.slice(z));
  for (int64_t y = 0; y < v.dims()[1]; ++y)
    for (int64_t x = 0; x < v.dims()[0]; ++x)
      if (p[y * v.dims()[0] + x] != written(k, int(x), int(y))) return false;
  return true;
}

// Load A (nonzero everywhere), free it, then load B into A's recycled buffer and cancel after its
// first slice: B's slices that never loaded must be zero, not A's voxels.
TEST(LoadEndsEarly, CancelledLoadOnARecycledBufferLeavesUnloadedSlicesZero) {
  detail::trimVoxelCache();
  test::dec::TempDir dir;
  const int n = 132;  // 132 x 512 KiB = 66 MiB: above the 64 MiB that the allocator keeps for reuse
  writeSeries(dir, n, 512, 512);
  auto scanned = io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  const io::GroupResult groups = io::planSeries(*scanned);
  ASSERT_EQ(groups.series.size(), 1u);
  const io::SeriesPlan& plan = groups.series[0];
  ASSERT_EQ(plan.dims[2], n);

  const std::byte* bufferOfA = nullptr;
  {
    auto a = io::loadSeries(*scanned, plan);
    ASSERT_TRUE(a.ok()) << a.error().str();
    ASSERT_EQ((*a)->slicesReady(), n);
    ASSERT_TRUE(sliceIsWritten(**a, n - 1));
    bufferOfA = (*a)->data();
  }  // A is freed: its buffer is kept for the next volume of this size

  auto shared = std::make_shared<const io::ScanResult>(*scanned);
  io::LoadOptions options;
  options.threads = 1;
  std::atomic<io::LoadJob*> self{nullptr};
  options.onSliceReady = [&](int64_t) {
    while (!self.load()) {
    }
    self.load()->cancel();
  };
  auto job = io::startLoad(shared, plan, options);
  ASSERT_TRUE(job.ok());
  self = job->get();
  const Status st = (*job)->wait();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "io.cancelled");
  const Volume& v = *(*job)->volume();
  EXPECT_EQ(v.data(), bufferOfA) << "the recycled buffer of A was not reused: the test proves nothing";
  const int64_t ready = v.slicesReady();
  EXPECT_GE(ready, 1);
  EXPECT_LT(ready, n);
  std::vector<int64_t> blank;
  for (int64_t z = 0; z < n; ++z) {
    if (v.sliceReady(z)) {
      EXPECT_TRUE(sliceIsWritten(v, z)) << "slice " << z;
      continue;
    }
    blank.push_back(z);
    EXPECT_TRUE(sliceIsZero(v, z)) << "slice " << z << " still holds another volume's voxels";
  }
  EXPECT_EQ((*job)->report().blankSlices, blank);
  EXPECT_EQ(static_cast<int64_t>(blank.size()), n - ready);
  EXPECT_TRUE((*job)->report().warnings.empty());
}

// loadSeries hands back the report of a cancelled load too: every slice that never loaded.
TEST(LoadEndsEarly, CancelledLoadSeriesReportsItsBlankSlices) {
  test::dec::TempDir dir;
  const int n = 6;
  writeSeries(dir, n, 16, 16);
  auto scanned = io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  const io::SeriesPlan plan = io::planSeries(*scanned).series.at(0);
  Progress progress;
  io::LoadOptions options;
  options.threads = 1;
  std::mutex mutex;
  std::vector<int64_t> loaded;
  options.onSliceReady = [&](int64_t z) {
    std::lock_guard lock(mutex);
    loaded.push_back(z);
    progress.cancel();
  };
  io::LoadReport report;
  auto v = io::loadSeries(*scanned, plan, options, &progress, &report);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, "io.cancelled");
  ASSERT_FALSE(loaded.empty());
  std::vector<int64_t> expected;
  for (int64_t z = 0; z < n; ++z)
    if (std::find(loaded.begin(), loaded.end(), z) == loaded.end()) expected.push_back(z);
  EXPECT_EQ(report.blankSlices, expected);
}

// One file of five fails when it is decoded (cut short after the scan): its slice is zero, the
// load reports its code and path, and the other four load.
TEST(LoadEndsEarly, AFileThatFailsIsReportedWithItsCodeAndItsSliceIsZero) {
  test::dec::TempDir dir;
  const auto paths = writeSeries(dir, 5, 32, 24);
  auto scanned = io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  const io::GroupResult groups = io::planSeries(*scanned);
  ASSERT_EQ(groups.series.size(), 1u);
  const int broken = 2;
  std::filesystem::resize_file(paths[broken], std::filesystem::file_size(paths[broken]) - 700);
  io::LoadReport report;
  auto v = io::loadSeries(*scanned, groups.series[0], {}, nullptr, &report);
  ASSERT_TRUE(v.ok()) << v.error().str();
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].code, "dicom.truncated");
  EXPECT_EQ(report.warnings[0].path, paths[broken]) << report.warnings[0].message;
  ASSERT_EQ(report.blankSlices.size(), 1u);
  const int64_t z = report.blankSlices[0];
  EXPECT_EQ(fileOfSlice(**v, z), broken);
  EXPECT_FALSE((*v)->sliceReady(z));
  EXPECT_TRUE(sliceIsZero(**v, z));
  for (int64_t s = 0; s < 5; ++s) {
    if (s == z) continue;
    EXPECT_TRUE(sliceIsWritten(**v, s)) << "slice " << s;
  }
}

// Uneven spacing is resampled; an output slice that would draw on a source whose file failed is
// blank (zero, listed), never half interpolated from zeros. Sources at 0, 2, 4, 7, 10 mm; the
// grid is 0, 2, ..., 10 (step 2, by hand). The file at 7 mm fails: the output slices at 6 mm
// (between 4 and 7) and 8 mm (between 7 and 10) are blank; 0, 2, 4 and 10 mm are the files' own.
TEST(LoadEndsEarly, ResampledSlicesThatNeedAFailedSourceAreBlank) {
  test::dec::TempDir dir;
  const std::vector<double> zs{0, 2, 4, 7, 10};
  const auto paths = writeSeries(dir, 5, 8, 8, zs);
  auto scanned = io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  const io::SeriesPlan plan = io::planSeries(*scanned).series.at(0);
  ASSERT_TRUE(plan.resampled);
  ASSERT_EQ(plan.dims[2], 6);
  std::filesystem::resize_file(paths[3], std::filesystem::file_size(paths[3]) - 50);
  io::LoadReport report;
  auto v = io::loadSeries(*scanned, plan, {}, nullptr, &report);
  ASSERT_TRUE(v.ok()) << v.error().str();
  EXPECT_EQ(report.blankSlices, (std::vector<int64_t>{3, 4}));
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].code, "dicom.truncated");
  for (int64_t z : {3, 4}) EXPECT_TRUE(sliceIsZero(**v, z)) << "slice " << z;
  // Output slice z -> file: 0 -> 0, 1 -> 1, 2 -> 2, 5 -> 4 (exact grid positions).
  for (auto [z, k] : {std::pair{0, 0}, {1, 1}, {2, 2}, {5, 4}}) {
    const int16_t* p = reinterpret_cast<const int16_t*>((*v)->slice(z));
    EXPECT_EQ(p[3 * 8 + 5], written(k, 5, 3)) << "slice " << z;
  }
}

// The job owns its scan: the caller may drop its own reference right after startLoad.
TEST(LoadJob, KeepsItsScanAliveAfterTheCallerDropsIt) {
  test::dec::TempDir dir;
  writeSeries(dir, 4, 16, 16);
  auto scanned = io::scan(dir.file(""));
  ASSERT_TRUE(scanned.ok());
  const io::SeriesPlan plan = io::planSeries(*scanned).series.at(0);
  auto shared = std::make_shared<const io::ScanResult>(std::move(scanned.value()));
  std::weak_ptr<const io::ScanResult> watch = shared;
  auto job = io::startLoad(std::move(shared), plan);
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE((*job)->wait().ok());
  EXPECT_FALSE(watch.expired());  // the job still holds it
  const Volume& v = *(*job)->volume();
  for (int64_t z = 0; z < 4; ++z) EXPECT_TRUE(sliceIsWritten(v, z)) << "slice " << z;
  EXPECT_TRUE((*job)->report().blankSlices.empty());
  job = Result<std::shared_ptr<io::LoadJob>>(makeError("io.cancelled", "dropped by the test"));
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace cvx
