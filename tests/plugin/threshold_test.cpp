// The threshold plugin against analytic ramp phantoms: every voxel holds a distinct stored value
// s = index - offset, so the voxels inside [lower, upper] (series units, both ends inclusive) are
// known in closed form, and which ones they are, not only how many.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/core/plugin/host.h>

using cvx::plugin::ParamType;
using cvx::plugin::ParamValues;

namespace {

constexpr int64_t kNx = 40, kNy = 30, kNz = 20, kN = kNx * kNy * kNz;  // 24000 voxels
constexpr int64_t kOffset = 12000;  // stored values -12000 .. 11999

ParamValues range(double lo, double hi) {
  return {{"lower", ParamType::Float, lo, {}, {}}, {"upper", ParamType::Float, hi, {}, {}}};
}

std::shared_ptr<cvx::Volume> int16Ramp(int64_t phases = 1) {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {kNx, kNy, kNz, phases});
  EXPECT_TRUE(v.ok());
  auto* p = (*v)->as<int16_t>();
  for (int64_t t = 0; t < phases; ++t)  // phase t is the ramp shifted by 1000 * t
    for (int64_t i = 0; i < kN; ++i) p[t * kN + i] = static_cast<int16_t>(i - kOffset + 1000 * t);
  return *v;
}

struct Threshold : ::testing::Test {
  cvx::plugin::PluginHost host;
  void SetUp() override { host.discover({CVX_PLUGIN_DIR}); }

  // Labels must be 1 exactly where first <= index <= last (indices of the ramp), else 0.
  void expectIndices(const cvx::Volume& in, const ParamValues& p, int64_t first, int64_t last,
                     const cvx::plugin::RunOptions& o = {}) {
    auto r = host.segment("threshold", in, p, nullptr, o);
    ASSERT_TRUE(r.ok()) << r.error().str();
    const auto* l = (*r)->as<uint8_t>();
    int64_t count = 0, wrong = 0;
    for (int64_t i = 0; i < kN; ++i) {
      count += l[i] != 0;
      wrong += (l[i] != 0) != (i >= first && i <= last);
      EXPECT_LE(l[i], 1);
    }
    EXPECT_EQ(count, std::max<int64_t>(0, last - first + 1));
    EXPECT_EQ(wrong, 0);
  }
};

}  // namespace

TEST_F(Threshold, StoredUnitsBothEndsInclusive) {
  auto v = int16Ramp();
  // Stored -100 .. 250 is indices 11900 .. 12250: 351 voxels.
  expectIndices(*v, range(-100, 250), kOffset - 100, kOffset + 250);
  // Fractional bounds: -99.5 .. 250.5 is stored -99 .. 250.
  expectIndices(*v, range(-99.5, 250.5), kOffset - 99, kOffset + 250);
  // One value; the whole range; nothing.
  expectIndices(*v, range(7, 7), kOffset + 7, kOffset + 7);
  expectIndices(*v, range(-40000, 40000), 0, kN - 1);
  expectIndices(*v, range(20000, 30000), 1, 0);
}

TEST_F(Threshold, BoundsAreInTheSeriesUnits) {
  auto v = int16Ramp();
  v->info.rescaleSlope = 2;
  v->info.rescaleIntercept = -1024;  // HU = 2 * s - 1024
  v->info.units = "HU";
  // HU in [-1000, 1001] <=> s in [12, 1012.5] <=> s in [12, 1012]: 1001 voxels.
  expectIndices(*v, range(-1000, 1001), kOffset + 12, kOffset + 1012);
  // Voxels already in modality values: the rescale is not applied again.
  v->info.rescaleApplied = true;
  expectIndices(*v, range(-1000, 1001), kOffset - 1000, kOffset + 1001);
}

TEST_F(Threshold, NegativeSlopeSwapsTheEnds) {
  auto v = int16Ramp();
  v->info.rescaleSlope = -1;
  v->info.rescaleIntercept = 0;  // value = -s: value in [10, 20] <=> s in [-20, -10]
  expectIndices(*v, range(10, 20), kOffset - 20, kOffset - 10);
}

TEST_F(Threshold, Float32AndUInt16Ramps) {
  auto f = cvx::Volume::create(cvx::PixelType::Float32, {kNx, kNy, kNz, 1});
  ASSERT_TRUE(f.ok());
  for (int64_t i = 0; i < kN; ++i) (*f)->as<float>()[i] = static_cast<float>(i) * 0.25f;  // exact in float
  // value = i / 4 in [10.25, 100] <=> i in [41, 400].
  expectIndices(**f, range(10.25, 100), 41, 400);
  auto u = cvx::Volume::create(cvx::PixelType::UInt16, {kNx, kNy, kNz, 1});
  ASSERT_TRUE(u.ok());
  for (int64_t i = 0; i < kN; ++i) (*u)->as<uint16_t>()[i] = static_cast<uint16_t>(i + 40000);
  expectIndices(**u, range(50000, 60000), 10000, 20000);
}

TEST_F(Threshold, RunsOnTheAskedPhaseAndKeepsTheGeometry) {
  auto v = int16Ramp(3);
  v->geometry.spacingMm = {0.5, 0.7, 2.5};
  v->geometry.originMm = {-10, 20, 30};
  cvx::plugin::RunOptions phase2;
  phase2.phase = 2;  // stored = index - 12000 + 2000: [0, 100] <=> index in [10000, 10100]
  expectIndices(*v, range(0, 100), kOffset - 2000, kOffset - 2000 + 100, phase2);
  auto r = host.segment("threshold", *v, range(0, 100), nullptr, phase2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->dims(), (std::array<int64_t, 4>{kNx, kNy, kNz, 1}));
  EXPECT_DOUBLE_EQ((*r)->geometry.spacingMm.z, 2.5);
  EXPECT_DOUBLE_EQ((*r)->geometry.originMm.x, -10);
}
