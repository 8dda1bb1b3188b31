// SPDX-License-Identifier: MIT
// The levelset plugin through the PluginHost: the active segment (a small cube) grows to a bright
// sphere given in HU (stored = HU + 1024, so the plugin's series->stored mapping is exercised).
// Expected: the voxels whose centres lie within R of the sphere's centre, computed here; the
// front must settle within one voxel of that surface. Without a mask the host refuses the run.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/plugin/host.h>

namespace {

using cvx::Volume;

struct LevelSetPlugin : ::testing::Test {
  cvx::plugin::PluginHost host;
  void SetUp() override { host.discover({CVX_PLUGIN_DIR}); }
};

constexpr int kN = 48;
constexpr double kC = 24, kR = 14;  // centre (voxels) and radius (mm) on a 1 mm grid

double distMm(int x, int y, int z) {
  return std::sqrt((x - kC) * (x - kC) + (y - kC) * (y - kC) + (z - kC) * (z - kC));
}

TEST_F(LevelSetPlugin, GrowsTheActiveSegmentToTheSphereInSeriesUnits) {
  const auto* m = host.find("levelset");
  ASSERT_NE(m, nullptr);
  auto v = Volume::create(cvx::PixelType::Int16, {kN, kN, kN, 1}).value();
  v->info.rescaleSlope = 1;
  v->info.rescaleIntercept = -1024;
  auto seg = Volume::create(cvx::PixelType::UInt8, {kN, kN, kN, 1}).value();
  for (int z = 0; z < kN; ++z)
    for (int y = 0; y < kN; ++y)
      for (int x = 0; x < kN; ++x) {
        const int64_t i = (static_cast<int64_t>(z) * kN + y) * kN + x;
        v->as<int16_t>()[i] = static_cast<int16_t>(distMm(x, y, z) <= kR ? 1124 : 1024);  // 100 HU in 0 HU
        seg->as<uint8_t>()[i] = std::abs(x - kC) <= 2 && std::abs(y - kC) <= 2 && std::abs(z - kC) <= 2;
      }
  auto p = cvx::plugin::resolveParams(m->params, {{"lower", "50"}, {"upper", "150"}, {"curvature", "0.2"}});
  ASSERT_TRUE(p.ok()) << p.error().str();
  cvx::plugin::RunOptions o;
  o.mask = seg.get();
  auto r = host.segment("levelset", *v, *p, nullptr, o);
  ASSERT_TRUE(r.ok()) << r.error().str();
  int64_t count = 0, expected = 0, farOff = 0;
  for (int z = 0; z < kN; ++z)
    for (int y = 0; y < kN; ++y)
      for (int x = 0; x < kN; ++x) {
        const uint8_t l = (*r)->as<uint8_t>()[(static_cast<int64_t>(z) * kN + y) * kN + x];
        ASSERT_LE(l, 1);
        const double d = distMm(x, y, z);
        count += l, expected += d <= kR;
        farOff += (l != 0) != (d <= kR) && std::fabs(d - kR) > 1.0;
      }
  EXPECT_EQ(farOff, 0);
  EXPECT_NEAR(static_cast<double>(count), static_cast<double>(expected), 0.02 * expected);
  EXPECT_GT(count, 20 * 125);  // it grew far beyond the 5x5x5 cube

  auto none = host.segment("levelset", *v, *p);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "plugin.bad_input");
}

}  // namespace
