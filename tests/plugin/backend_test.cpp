// Back ends through the host: a CUDA run that fails with a device fault is run again on the CPU and
// the report says so; after it CUDA stays off ("cuda" runs go to the CPU with plugin.cuda_disabled);
// "auto" without a usable device takes the CPU quietly. The real plugins that list "cuda" give the
// CPU's labels byte for byte on either back end (without a device: through the fall-back; on a GPU
// machine, where CVX_REQUIRE_CUDA=1, on CUDA itself, which this test then insists on).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/plugin/host.h>

using cvx::Volume;
using cvx::plugin::PluginHost;
using cvx::plugin::RunOptions;
using cvx::plugin::RunReport;
using Kv = std::vector<std::pair<std::string, std::string>>;

namespace {

std::shared_ptr<Volume> volume(cvx::PixelType type, int64_t nx, int64_t ny, int64_t nz) {
  auto v = Volume::create(type, {nx, ny, nz, 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = {0.8, 0.8, 2.0};
  return *v;
}

// 40x36x14 int16: background 0 with a bright block (200) and a dimmer one (100) that touch, and a
// deterministic ripple, so that thresholds, growth and GrowCut all have edges to find.
std::shared_ptr<Volume> phantom() {
  auto v = volume(cvx::PixelType::Int16, 40, 36, 14);
  int16_t* p = v->as<int16_t>();
  for (int64_t z = 0, i = 0; z < 14; ++z)
    for (int64_t y = 0; y < 36; ++y)
      for (int64_t x = 0; x < 40; ++x, ++i) {
        int16_t val = static_cast<int16_t>((x * 7 + y * 3 + z * 5) % 11);
        if (x >= 6 && x < 20 && y >= 8 && y < 28 && z >= 3 && z < 11) val += 200;
        else if (x >= 20 && x < 33 && y >= 10 && y < 26 && z >= 2 && z < 12) val += 100;
        p[i] = val;
      }
  return v;
}

// A mask of the bright block shrunk by two voxels with a closed 2x4x2 cavity (fill holes), plus a
// separate 2x2x2 speck (islands, morphology).
std::shared_ptr<Volume> segmentMask() {
  auto v = volume(cvx::PixelType::UInt8, 40, 36, 14);
  uint8_t* m = v->as<uint8_t>();
  for (int64_t z = 0, i = 0; z < 14; ++z)
    for (int64_t y = 0; y < 36; ++y)
      for (int64_t x = 0; x < 40; ++x, ++i)
        m[i] = ((x >= 8 && x < 18 && y >= 10 && y < 26 && z >= 5 && z < 9) &&
                !(x >= 12 && x < 14 && y >= 16 && y < 20 && z >= 6 && z < 8)) ||
               (x >= 35 && x < 37 && y < 2 && z < 2);
  return v;
}

// Seeds: class 1 strokes inside the bright block, class 2 in the dim one.
std::shared_ptr<Volume> seedMap() {
  auto v = volume(cvx::PixelType::UInt8, 40, 36, 14);
  uint8_t* m = v->as<uint8_t>();
  for (int64_t x = 9; x < 17; ++x) m[(7 * 36 + 18) * 40 + x] = 1;
  for (int64_t x = 23; x < 30; ++x) m[(7 * 36 + 18) * 40 + x] = 2;
  return v;
}

cvx::plugin::ParamValues params(const PluginHost& host, const std::string& id, const Kv& kv) {
  auto p = cvx::plugin::resolveParams(host.find(id)->params, kv);
  EXPECT_TRUE(p.ok()) << p.error().str();
  return *p;
}

bool requireCuda() {
  const char* e = std::getenv("CVX_REQUIRE_CUDA");
  return e && std::string(e) == "1";
}

}  // namespace

TEST(PluginBackends, ACudaFaultFallsBackToTheCpuAndSaysSo) {
  PluginHost host;
  host.discover({CVX_TEST_PLUGIN_DIR});
  auto input = phantom();
  RunReport report;
  RunOptions o;
  o.backend = "cuda";
  o.report = &report;
  auto r = host.segment("test.device_fault", *input, params(host, "test.device_fault", {}), nullptr, o);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const uint8_t* l = (*r)->as<uint8_t>();
  EXPECT_TRUE(std::all_of(l, l + (*r)->voxelCount(), [](uint8_t v) { return v == 1; })) << "the CPU back end's labels";
  EXPECT_EQ(report.backend, "cpu");
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].code, "plugin.cuda_fallback");
  EXPECT_NE(report.warnings[0].message.find("cuda.fault"), std::string::npos) << report.warnings[0].message;
  EXPECT_TRUE(host.cudaDisabled());

  // CUDA stays off: a second "cuda" run goes straight to the CPU and says why.
  r = host.segment("test.device_fault", *input, params(host, "test.device_fault", {}), nullptr, o);
  ASSERT_TRUE(r.ok()) << r.error().str();
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].code, "plugin.cuda_disabled");
  EXPECT_EQ(report.backend, "cpu");
  // "auto" takes the CPU without a word; "cpu" never looks at CUDA.
  for (const char* b : {"auto", "cpu"}) {
    o.backend = b;
    r = host.segment("test.device_fault", *input, params(host, "test.device_fault", {}), nullptr, o);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_TRUE(report.warnings.empty()) << b;
    EXPECT_EQ(report.backend, "cpu") << b;
  }
}

TEST(PluginBackends, AutoWithoutADeviceTakesTheCpuQuietlyButCudaAsksAloud) {
  auto input = phantom();
  for (const char* b : {"auto", "cuda"}) {
    PluginHost host;
    host.discover({CVX_TEST_PLUGIN_DIR});
    RunReport report;
    RunOptions o;
    o.backend = b;
    o.report = &report;
    auto r = host.segment("test.device_fault", *input, params(host, "test.device_fault", {{"why", "no_device"}}),
                          nullptr, o);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_EQ(report.backend, "cpu");
    EXPECT_TRUE(host.cudaDisabled());
    if (std::string(b) == "auto") {
      EXPECT_TRUE(report.warnings.empty()) << report.warnings[0].str();
    } else {
      ASSERT_EQ(report.warnings.size(), 1u);
      EXPECT_EQ(report.warnings[0].code, "plugin.cuda_fallback");
    }
  }
}

TEST(PluginBackends, ACpuOnlyPluginRunsOnTheCpuUnderAutoAndRefusesCuda) {
  PluginHost host;
  host.discover({CVX_TEST_PLUGIN_DIR});
  auto input = phantom();
  RunReport report;
  RunOptions o;
  o.report = &report;
  o.backend = "auto";  // test.throw: CPU only; its run throws, which says that the CPU ran it
  auto r = host.segment("test.throw", *input, {}, nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.exception");
  EXPECT_EQ(report.backend, "cpu");
  EXPECT_TRUE(report.warnings.empty());
  o.backend = "cuda";
  r = host.segment("test.throw", *input, {}, nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_backend");
  EXPECT_FALSE(host.cudaDisabled());
}

// Every real plugin lists "cuda" in a CUDA build: its labels on "cuda" equal its labels on "cpu", byte
// for byte.
TEST(PluginBackends, PluginsWithCudaGiveTheCpuLabels) {
  PluginHost host;
  host.discover({CVX_PLUGIN_DIR});
  auto input = phantom();
  auto seg = segmentMask();
  auto seeds = seedMap();
  struct Case {
    const char* id;
    Kv kv;
    const Volume* mask;
  };
  const std::vector<Case> cases = {
      {"threshold", {{"lower", "150"}, {"upper", "300"}}, nullptr},
      {"region_growing", {{"seeds", "25,18,7"}, {"lower", "95"}, {"upper", "300"}, {"connectivity", "26"}}, nullptr},
      {"morphology", {{"operation", "dilate"}, {"radius_mm", "2"}}, seg.get()},
      {"morphology", {{"operation", "close"}, {"radius_mm", "1.6"}}, seg.get()},
      {"morphology", {{"operation", "fill_holes"}}, seg.get()},
      {"morphology", {{"operation", "hollow"}, {"radius_mm", "1.2"}}, seg.get()},
      {"morphology", {{"operation", "smooth"}, {"radius_mm", "1.6"}}, seg.get()},
      {"islands", {{"operation", "keep_largest"}}, seg.get()},
      {"islands", {{"operation", "remove_small"}, {"min_ml", "0.01"}, {"connectivity", "6"}}, seg.get()},
      {"levelset", {{"lower", "150"}, {"upper", "300"}, {"max_iterations", "40"}}, seg.get()},
      {"growcut", {{"margin_mm", "6"}}, seeds.get()},
      {"otsu", {{"classes", "3"}, {"from_class", "2"}}, nullptr},
      // In the bright block (200..210); 41 % of its peak (about 86) takes in the dim block that touches it.
      {"lesion", {{"seeds", "12,18,7"}, {"fraction", "41"}}, nullptr},
  };
  int withCuda = 0;
  for (const auto& c : cases) {
    const auto* m = host.find(c.id);
    ASSERT_NE(m, nullptr) << c.id;
    const bool cuda = std::find(m->backends.begin(), m->backends.end(), "cuda") != m->backends.end();
    if (!cuda) continue;  // a build without cvx::cuda: the plugins list "cpu" only
    ++withCuda;
    RunOptions o;
    o.mask = c.mask;
    auto cpu = host.segment(c.id, *input, params(host, c.id, c.kv), nullptr, o);
    ASSERT_TRUE(cpu.ok()) << c.id << ": " << cpu.error().str();
    RunReport report;
    o.backend = "cuda";
    o.report = &report;
    auto gpu = host.segment(c.id, *input, params(host, c.id, c.kv), nullptr, o);
    ASSERT_TRUE(gpu.ok()) << c.id << ": " << gpu.error().str();
    const int64_t n = (*cpu)->voxelCount();
    const uint8_t* a = (*cpu)->as<uint8_t>();
    EXPECT_GT(std::count_if(a, a + n, [](uint8_t v) { return v != 0; }), 0) << c.id << ": an empty result proves nothing";
    EXPECT_EQ(std::memcmp(a, (*gpu)->as<uint8_t>(), static_cast<size_t>(n)), 0) << c.id << " on " << report.backend;
    if (requireCuda()) {
      EXPECT_EQ(report.backend, "cuda") << c.id;
      EXPECT_TRUE(report.warnings.empty()) << c.id << ": " << report.warnings[0].str();
    }
  }
#ifdef CVX_TEST_WITH_CUDA
  EXPECT_EQ(withCuda, static_cast<int>(cases.size())) << "a CUDA build lists \"cuda\" for each of these plugins";
#else
  EXPECT_EQ(withCuda, 0);
#endif
}
