// The memory budget of a load and loading at reduced resolution (issue 10). A series over the
// budget is refused before anything is allocated (the peak resident size barely moves); a reduced
// load is checked voxel by voxel and point by point against a full load of the same series; the
// default budget rule is checked against /proc read here and against a limit set in a child.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <cvx/io/dicom.h>

#include "test_data.h"

namespace cvx {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

// A /proc "Key:   123 kB" line, in bytes (read here, independently of the loader's reader).
uint64_t procKb(const char* file, const char* key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(std::string(key) + ":", 0) == 0) {
      std::istringstream is(line.substr(std::string(key).size() + 1));
      uint64_t kb = 0;
      is >> kb;
      return kb * 1024;
    }
  return 0;
}

// A plan of dims int16 slices, each "from" one file that does not exist: nothing can be decoded.
io::SeriesPlan fakePlan(std::array<int64_t, 4> dims, io::ScanResult& scan) {
  io::FileHeader f;
  f.path = "/nonexistent/cvx-budget-test.dcm";
  f.pixel.rows = static_cast<uint16_t>(dims[1]);
  f.pixel.cols = static_cast<uint16_t>(dims[0]);
  f.pixel.isSigned = true;
  scan.files.push_back(f);
  io::SeriesPlan p;
  p.id = "1.2.3.budget";
  p.pixel = f.pixel;
  p.type = PixelType::Int16;
  p.dims = dims;
  p.slices.resize(static_cast<size_t>(dims[2] * dims[3]));
  return p;
}

struct Loaded {
  io::ScanResult scan;
  const io::SeriesPlan* plan = nullptr;
  io::GroupResult groups;
};

void expectSameSource(const SliceSource& a, const SliceSource& b) {
  EXPECT_EQ(a.file, b.file);
  EXPECT_EQ(a.frame, b.frame);
  EXPECT_EQ(a.sopInstanceUid, b.sopInstanceUid);
}

// Every voxel and voxel centre of `reduced` against `full` at the kept indices (n i, n j, ns k).
void expectReducedMatches(const Volume& full, const Volume& reduced, int n, int ns) {
  const auto& fd = full.dims();
  const auto& rd = reduced.dims();
  ASSERT_EQ(rd[0], (fd[0] + n - 1) / n);
  ASSERT_EQ(rd[1], (fd[1] + n - 1) / n);
  ASSERT_EQ(rd[2], (fd[2] + ns - 1) / ns);
  ASSERT_EQ(rd[3], fd[3]);
  EXPECT_EQ(reduced.type(), full.type());
  // The volume says what it is, for the viewer's "REDUCED" mark; the original says nothing.
  EXPECT_EQ(reduced.info.reducedInPlane, n);
  EXPECT_EQ(reduced.info.reducedSlices, ns);
  EXPECT_EQ(full.info.reducedInPlane, 1);
  EXPECT_EQ(full.info.reducedSlices, 1);
  int64_t mismatches = 0;
  for (int64_t t = 0; t < rd[3]; ++t)
    for (int64_t k = 0; k < rd[2]; ++k) {
      for (int64_t j = 0; j < rd[1]; ++j)
        for (int64_t i = 0; i < rd[0]; ++i)
          mismatches += reduced.valueAt(i, j, k, t) != full.valueAt(n * i, n * j, ns * k, t);
      expectSameSource(reduced.sources[static_cast<size_t>(k + t * rd[2])],
                       full.sources[static_cast<size_t>(ns * k + t * fd[2])]);
    }
  EXPECT_EQ(mismatches, 0);
  // worldFromVoxel of a kept voxel is the original's, corners and a middle point.
  for (const auto& ijk : {std::array<int64_t, 3>{0, 0, 0}, {rd[0] - 1, 0, 0}, {0, rd[1] - 1, rd[2] - 1},
                          {rd[0] - 1, rd[1] - 1, rd[2] - 1}, {rd[0] / 2, rd[1] / 3, rd[2] / 2}}) {
    const Vec3 a = reduced.geometry.worldFromVoxel().applyPoint(
        {static_cast<double>(ijk[0]), static_cast<double>(ijk[1]), static_cast<double>(ijk[2])});
    const Vec3 b = full.geometry.worldFromVoxel().applyPoint({static_cast<double>(n * ijk[0]),
                                                              static_cast<double>(n * ijk[1]),
                                                              static_cast<double>(ns * ijk[2])});
    EXPECT_NEAR(a.x, b.x, 1e-6);
    EXPECT_NEAR(a.y, b.y, 1e-6);
    EXPECT_NEAR(a.z, b.z, 1e-6);
  }
  EXPECT_EQ(reduced.geometry.sheared, full.geometry.sheared);
  EXPECT_EQ(reduced.info.seriesInstanceUid, full.info.seriesInstanceUid);
}

enum class Kind { Plain, Resampled, Mosaic };

void loadBoth(const std::string& folder, io::Reduction r, Kind kind) {
  auto scan = io::scan(test::dataPath(folder));
  ASSERT_TRUE(scan.ok()) << scan.error().str();
  const io::GroupResult groups = io::planSeries(*scan);
  ASSERT_FALSE(groups.series.empty());
  const io::SeriesPlan& plan = groups.series.front();
  // The series is the case the test is about (each takes another path through the loader).
  EXPECT_EQ(plan.resampled, kind == Kind::Resampled);
  EXPECT_EQ(plan.slices.front().tile >= 0, kind == Kind::Mosaic);
  auto full = io::loadSeries(*scan, plan);
  ASSERT_TRUE(full.ok()) << full.error().str();
  io::LoadOptions o;
  o.reduce = r;
  auto reduced = io::loadSeries(*scan, plan, o);
  ASSERT_TRUE(reduced.ok()) << reduced.error().str();
  EXPECT_EQ((*reduced)->slicesReady(), (*reduced)->dims()[2] * (*reduced)->dims()[3]);
  expectReducedMatches(**full, **reduced, r.inPlane, r.slices);
  // The plan the loader describes is the volume it made.
  auto described = io::reducedPlan(plan, r);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->dims, (*reduced)->dims());
}

}  // namespace

TEST(LoadBudget, OverTheBudgetIsRefusedBeforeAnyAllocation) {
  io::ScanResult scan;
  // 1024 x 1024 x 256 int16: 512 MiB of voxels, against a 64 MiB budget.
  const io::SeriesPlan plan = fakePlan({1024, 1024, 256, 1}, scan);
  io::LoadOptions o;
  o.memoryBudgetBytes = 64 * kMiB;
  o.threads = 1;
  std::ofstream("/proc/self/clear_refs") << "5";  // the peak restarts from the current size
  const uint64_t hwmBefore = procKb("/proc/self/status", "VmHWM");
  auto r = io::loadSeries(scan, plan, o);
  const uint64_t hwmAfter = procKb("/proc/self/status", "VmHWM");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io.over_budget");
  EXPECT_EQ(r.error().path, "1.2.3.budget");
  // Allocating (the loader populates a fresh buffer) would have raised the peak by 512 MiB.
  EXPECT_LT(hwmAfter - hwmBefore, 64 * kMiB);
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("1024x1024x256x1 int16"), std::string::npos) << m;
  // Needs 512 MiB + one 16 MiB scratch; budget 64 MiB. Reduced by 2: 64 MiB + 16 > 64; by 3:
  // 342 x 342 x 86 x 2 bytes = 19.2 MiB + 16 MiB fits.
  EXPECT_NE(m.find("needs 528 MiB"), std::string::npos) << m;
  EXPECT_NE(m.find("budget of 64 MiB"), std::string::npos) << m;
  EXPECT_NE(m.find("every 3rd voxel in x, y and z takes 35 MiB (reduce 3)"), std::string::npos) << m;
  // startLoad refuses the same way (the viewer's path).
  auto job = io::startLoad(std::make_shared<io::ScanResult>(scan), plan, o);
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.error().code, "io.over_budget");
}

TEST(LoadBudget, BytesAndTheReductionThatFits) {
  io::ScanResult scan;
  const io::SeriesPlan plan = fakePlan({512, 512, 134, 1}, scan);
  // Worked by hand: voxels x 2 bytes + 16 MiB scratch per worker.
  EXPECT_EQ(io::loadBytes(plan, {}, 2), uint64_t{512} * 512 * 134 * 2 + 2 * 16 * kMiB);
  EXPECT_EQ(io::loadBytes(plan, {2, 1}, 1), uint64_t{256} * 256 * 134 * 2 + 16 * kMiB);
  EXPECT_EQ(io::loadBytes(plan, {2, 3}, 1), uint64_t{256} * 256 * 45 * 2 + 16 * kMiB);
  const uint64_t budget = uint64_t{256} * 256 * 67 * 2 + 16 * kMiB;  // exactly n = 2
  ASSERT_TRUE(io::fitReduction(plan, budget, 1).has_value());
  EXPECT_EQ(io::fitReduction(plan, budget, 1)->inPlane, 2);
  EXPECT_EQ(io::fitReduction(plan, budget - 1, 1)->inPlane, 3);
  EXPECT_EQ(io::fitReduction(plan, uint64_t{1} << 40, 1)->inPlane, 1);
  EXPECT_FALSE(io::fitReduction(plan, 1 * kMiB, 1).has_value());  // the scratch alone is 16 MiB
  // A plan too large to count in 64 bits saturates (and is refused), never wraps round to small.
  io::SeriesPlan huge;
  huge.dims = {1 << 20, 1 << 20, 1 << 20, 1 << 20};
  EXPECT_EQ(io::loadBytes(huge), UINT64_MAX);
}

TEST(LoadBudget, BadReductionIsAnError) {
  io::ScanResult scan;
  const io::SeriesPlan plan = fakePlan({16, 16, 4, 1}, scan);
  io::LoadOptions o;
  o.reduce = {0, 1};
  auto r = io::loadSeries(scan, plan, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io.bad_reduction");
  EXPECT_EQ(io::reducedPlan(plan, {1, -2}).error().code, "io.bad_reduction");
}

TEST(LoadBudget, ReducedPlanGeometryIsExactForKeptVoxels) {
  io::ScanResult scan;
  io::SeriesPlan plan = fakePlan({11, 7, 5, 2}, scan);
  plan.geometry.spacingMm = {0.5, 0.7, 3};
  plan.geometry.originMm = {-100, 20, 300};
  plan.geometry.direction = {Vec3{0, 1, 0}, Vec3{0, 0, -1}, Vec3{-1, 0, 0}};  // sagittal
  for (size_t i = 0; i < plan.slices.size(); ++i) plan.slices[i].frame = static_cast<uint32_t>(i);
  auto r = io::reducedPlan(plan, {3, 2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->dims, (std::array<int64_t, 4>{4, 3, 3, 2}));  // ceil(11/3), ceil(7/3), ceil(5/2)
  // Slices kept: z = 0, 2, 4 of each phase, in order (frame numbers are the full plan's index).
  ASSERT_EQ(r->slices.size(), 6u);
  const uint32_t frames[6] = {0, 2, 4, 5, 7, 9};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(r->slices[i].frame, frames[i]);
  // Reduced (3, 2, 2) is the original (9, 6, 4): origin + 9*0.5*(0,1,0) + 6*0.7*(0,0,-1) + 4*3*(-1,0,0).
  const Vec3 w = r->geometry.worldAt(3, 2, 2);
  EXPECT_NEAR(w.x, -100 - 12, 1e-12);
  EXPECT_NEAR(w.y, 20 + 4.5, 1e-12);
  EXPECT_NEAR(w.z, 300 - 4.2, 1e-12);
}

TEST(LoadBudget, ReducedCtEqualsTheFullLoadAtTheKeptVoxels) {
  CVX_REQUIRE_FOLDER("ct");  // JPEG lossless, 512 x 512 x 134
  loadBoth("ct", {2, 3}, Kind::Plain);
}

TEST(LoadBudget, ReducedResampledTiltedSeriesEqualsTheFullLoad) {
  CVX_REQUIRE_FOLDER("uneven_spacing");  // uneven steps resampled, 18.5 deg gantry tilt
  loadBoth("uneven_spacing", {2, 2}, Kind::Resampled);
}

TEST(LoadBudget, ReducedMosaicEqualsTheFullLoad) {
  CVX_REQUIRE_FOLDER("4d/siemens_mosaic");  // tiles cut from one frame, 4D
  loadBoth("4d/siemens_mosaic", {3, 2}, Kind::Mosaic);
}

TEST(LoadBudget, DefaultBudgetRule) {
  // The rule on given limits: 80% of the least.
  io::MemoryLimits l;
  l.memAvailable = 10 * 1024 * kMiB;
  l.addressSpaceLeft = 4 * 1024 * kMiB;
  io::MemoryBudget b = io::budgetFromLimits(l);
  EXPECT_EQ(b.bytes, 4 * 1024 * kMiB * 4 / 5);  // 80%, rounded down
  EXPECT_EQ(b.rule, "80% of RLIMIT_AS left 4.0 GiB");
  l.cgroupLeft = 512 * kMiB;
  EXPECT_EQ(io::budgetFromLimits(l).bytes, 512 * kMiB * 4 / 5);
  EXPECT_EQ(io::budgetFromLimits(l).rule, "80% of cgroup memory limit left 512 MiB");
  EXPECT_EQ(io::budgetFromLimits({}).bytes, UINT64_MAX);
  // MemAvailable as /proc/meminfo says (read here; it moves while others run: within 256 MiB).
  const auto read = io::readMemoryLimits();
  ASSERT_TRUE(read.memAvailable.has_value());
  EXPECT_NEAR(static_cast<double>(*read.memAvailable), static_cast<double>(procKb("/proc/meminfo", "MemAvailable")),
              256.0 * kMiB);
  const uint64_t b0 = io::defaultMemoryBudget().bytes;
  EXPECT_LE(b0, static_cast<uint64_t>(0.8 * static_cast<double>(procKb("/proc/meminfo", "MemAvailable")) + 256.0 * kMiB));
}

TEST(LoadBudget, AnAddressSpaceLimitBoundsTheDefaultBudget) {
  // In a child: RLIMIT_AS = what is in use + 1 GiB, so the budget is 80% of about 1 GiB.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const uint64_t vm = procKb("/proc/self/status", "VmSize");
    rlimit rl{vm + 1024 * kMiB, RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(2);
    const auto limits = io::readMemoryLimits();
    if (!limits.addressSpaceLeft) _exit(3);
    const double left = static_cast<double>(*limits.addressSpaceLeft);
    if (std::abs(left - 1024.0 * kMiB) > 64.0 * kMiB) _exit(4);
    const double budget = static_cast<double>(io::defaultMemoryBudget().bytes);
    if (budget > 0.8 * 1024.0 * kMiB + 64.0 * kMiB) _exit(5);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace cvx
