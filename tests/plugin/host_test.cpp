// The plugin host: discovery reads manifests only, libraries load on first use, broken plugins
// (wrong API version, throwing, missing library, disagreeing or malformed manifest) are rejected
// with their codes while the host goes on running the threshold plugin, and cancel is honoured.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <cvx/core/plugin/host.h>

#include "temp_dir.h"

namespace fs = std::filesystem;
using cvx::plugin::PluginHost;

namespace {

// A small int16 volume: 0..n-1 along memory order, slope 1 (stored units = series units).
std::shared_ptr<cvx::Volume> ramp(int64_t nx = 8, int64_t ny = 4, int64_t nz = 3) {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {nx, ny, nz, 1});
  EXPECT_TRUE(v.ok());
  auto* p = (*v)->as<int16_t>();
  for (int64_t i = 0; i < nx * ny * nz; ++i) p[i] = static_cast<int16_t>(i);
  return *v;
}

cvx::plugin::ParamValues range(double lo, double hi) {
  return {{"lower", cvx::plugin::ParamType::Float, lo, {}, {}},
          {"upper", cvx::plugin::ParamType::Float, hi, {}, {}}};
}

size_t countLabels(const cvx::Volume& labels) {
  size_t n = 0;
  for (int64_t i = 0; i < labels.voxelCount(); ++i) n += labels.as<uint8_t>()[i] != 0;
  return n;
}

// A host over the real plugins and the test plugins.
struct Hosts : ::testing::Test {
  PluginHost host;
  void SetUp() override { host.discover({CVX_PLUGIN_DIR, CVX_TEST_PLUGIN_DIR}); }
  // The threshold plugin still runs, and right: [10, 20] of 0..95 is 11 voxels.
  void thresholdStillRuns() {
    auto r = host.segment("threshold", *ramp(), range(10, 20));
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_EQ(countLabels(**r), 11u);
  }
};

bool loadedInProcess(const std::string& lib) {
  void* h = ::dlopen(lib.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (h) ::dlclose(h);
  return h != nullptr;
}

}  // namespace

TEST(PluginHost, DiscoveryLoadsNothingAndTheFirstRunLoads) {
  // A copy under a fresh path: no other test in this process can have loaded it.
  cvx::test::TempDir dir("cvx_plugin");
  ASSERT_TRUE(dir.ok());
  for (const char* f : {"cvx_seg_threshold.so", "threshold.json"})
    fs::copy_file(fs::path(CVX_PLUGIN_DIR) / f, fs::path(dir.path()) / f);
  const std::string lib = dir.file("cvx_seg_threshold.so");
  {
    PluginHost host;
    host.discover({dir.path()});
    ASSERT_EQ(host.plugins().size(), 1u);
    EXPECT_EQ(host.plugins()[0].id, "threshold");
    EXPECT_TRUE(host.problems().empty());
    EXPECT_FALSE(host.isLoaded("threshold"));
    EXPECT_FALSE(loadedInProcess(lib)) << "discovery must not dlopen";
    auto r = host.segment("threshold", *ramp(), range(0, 5));
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_TRUE(host.isLoaded("threshold"));
    EXPECT_TRUE(loadedInProcess(lib));
  }
}

TEST_F(Hosts, FindsTheManifestsAndReportsTheMalformedOne) {
  ASSERT_NE(host.find("threshold"), nullptr);
  for (const char* id : {"test.throw", "test.throw_raw", "test.wrong_api", "test.cancel_loop",
                         "test.missing_library", "test.disagree"})
    EXPECT_NE(host.find(id), nullptr) << id;
  EXPECT_EQ(host.find("test.malformed"), nullptr);
  bool reported = false;
  for (const auto& p : host.problems())
    reported = reported || (p.code == "plugin.bad_manifest" && p.path.find("malformed.json") != std::string::npos);
  EXPECT_TRUE(reported);
  for (const auto& m : host.plugins()) EXPECT_FALSE(host.isLoaded(m.id)) << m.id;
}

TEST_F(Hosts, WrongApiVersionIsRejectedAndTheHostLivesOn) {
  auto st = host.load("test.wrong_api");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "plugin.api_mismatch");
  EXPECT_NE(st.error().message.find("999"), std::string::npos) << st.error().message;
  EXPECT_FALSE(host.isLoaded("test.wrong_api"));
  auto r = host.segment("test.wrong_api", *ramp(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.api_mismatch");  // remembered, not retried
  thresholdStillRuns();
}

TEST_F(Hosts, ThrowingPluginIsReportedAndTheHostLivesOn) {
  auto r = host.segment("test.throw", *ramp(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.exception");
  EXPECT_NE(r.error().message.find("deliberate failure from test.throw"), std::string::npos) << r.error().message;
  thresholdStillRuns();
  auto again = host.segment("test.throw", *ramp(), {});  // a plugin that failed once may be run again
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "plugin.exception");
}

TEST_F(Hosts, AnExceptionPastTheAbiIsCaughtByTheHost) {
  auto r = host.segment("test.throw_raw", *ramp(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.exception");
  EXPECT_NE(r.error().message.find("raw exception from test.throw_raw"), std::string::npos) << r.error().message;
  thresholdStillRuns();
}

TEST_F(Hosts, MissingLibraryDisagreeingManifestAndUnknownId) {
  auto missing = host.load("test.missing_library");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "plugin.library_missing");
  auto disagree = host.load("test.disagree");
  ASSERT_FALSE(disagree.ok());
  EXPECT_EQ(disagree.error().code, "plugin.bad_manifest");
  EXPECT_NE(disagree.error().message.find("test.throw"), std::string::npos) << disagree.error().message;
  auto unknown = host.segment("no.such.plugin", *ramp(), {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "plugin.not_found");
  thresholdStillRuns();
}

TEST_F(Hosts, ParametersAreValidatedBeforeTheRun) {
  auto unknown = host.segment("threshold", *ramp(), {{"lowr", cvx::plugin::ParamType::Float, 1, {}, {}}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "plugin.bad_param");
  EXPECT_EQ(unknown.error().path, "lowr");
  auto wrongType = host.segment("threshold", *ramp(), {{"upper", cvx::plugin::ParamType::Int, 1, {}, {}}});
  ASSERT_FALSE(wrongType.ok());
  EXPECT_EQ(wrongType.error().code, "plugin.bad_param");
  EXPECT_EQ(wrongType.error().path, "upper");
  // Valid for the host, refused by the plugin itself (lower > upper): its message comes through.
  auto inverted = host.segment("threshold", *ramp(), range(20, 10));
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(inverted.error().code, "plugin.bad_param");
  EXPECT_NE(inverted.error().message.find("lower is above upper"), std::string::npos);
  // Defaults fill what is not given: lower 300, upper 3071 of 0..95 selects nothing.
  auto defaults = host.segment("threshold", *ramp(), {});
  ASSERT_TRUE(defaults.ok()) << defaults.error().str();
  EXPECT_EQ(countLabels(**defaults), 0u);
}

TEST_F(Hosts, BackEndPhaseAndPixelTypeAreChecked) {
  cvx::plugin::RunOptions cuda;
  cuda.backend = "cuda";  // test.throw has only the CPU back end
  auto r = host.segment("test.throw", *ramp(), {}, nullptr, cuda);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_backend");
  cvx::plugin::RunOptions phase;
  phase.phase = 1;
  r = host.segment("threshold", *ramp(), range(0, 1), nullptr, phase);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_input");
  auto rgb = cvx::Volume::create(cvx::PixelType::RGB8, {4, 4, 4, 1});
  ASSERT_TRUE(rgb.ok());
  r = host.segment("threshold", **rgb, range(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_input");
}

TEST_F(Hosts, CancelIsHonouredOnTheWorkerThread) {
  auto progress = std::make_shared<cvx::Progress>();
  auto job = host.segmentAsync("test.cancel_loop", ramp(), {}, progress);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (progress->done() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_GT(progress->done(), 0) << "no progress reported";
  EXPECT_EQ(progress->total(), 1000);
  EXPECT_LT(progress->fraction(), 1.0);
  progress->cancel();
  ASSERT_EQ(job.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "cancel not honoured";
  auto r = job.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.cancelled");
}

TEST_F(Hosts, AsyncRunGivesTheSameLabelsAndFullProgress) {
  auto input = ramp();
  auto progress = std::make_shared<cvx::Progress>();
  auto job = host.segmentAsync("threshold", input, range(3, 50), progress);
  auto r = job.get();
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ(countLabels(**r), 48u);
  EXPECT_EQ(progress->done(), 1000);
  EXPECT_EQ((*r)->type(), cvx::PixelType::UInt8);
  EXPECT_EQ((*r)->dims(), (std::array<int64_t, 4>{8, 4, 3, 1}));
}

TEST(PluginHost, ASecondManifestOfAnIdIsIgnoredWithAWarning) {
  PluginHost host;
  host.discover({CVX_PLUGIN_DIR, CVX_PLUGIN_DIR});
  size_t thresholds = 0, duplicates = 0;
  for (const auto& m : host.plugins()) thresholds += m.id == "threshold";
  for (const auto& p : host.problems()) duplicates += p.code == "plugin.duplicate_id";
  EXPECT_EQ(thresholds, 1u);
  EXPECT_EQ(duplicates, host.plugins().size());
}

TEST(PluginHost, SearchPathPutsCvxPluginPathFirstAndDropsMissingFolders) {
  cvx::test::TempDir a("cvx_path_a"), b("cvx_path_b");
  const std::string value = b.path() + ":/no/such/folder::" + a.path();
  ASSERT_EQ(::setenv("CVX_PLUGIN_PATH", value.c_str(), 1), 0);
  const auto path = cvx::plugin::defaultSearchPath();
  ::unsetenv("CVX_PLUGIN_PATH");
  ASSERT_GE(path.size(), 2u);
  EXPECT_EQ(path[0], fs::weakly_canonical(b.path()).string());
  EXPECT_EQ(path[1], fs::weakly_canonical(a.path()).string());
  for (const auto& p : path) EXPECT_TRUE(fs::is_directory(p)) << p;
}
