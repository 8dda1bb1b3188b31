// The lesion plugin (a PET lesion by a fraction of its peak) through the PluginHost, on cones of
// known slope: the expected labels are the voxels whose centre lies within the radius where the cone
// crosses the threshold, counted by this file's own loop over voxel centres (never by cvx::seg).
// Spacing 3.75 x 3.75 x 2.65 mm (PET-like) was picked so that no voxel centre lies within 0.05 mm
// of any boundary radius used here (asserted), so float rounding cannot decide a voxel.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/plugin/host.h>

using cvx::Volume;
using cvx::plugin::PluginHost;

namespace {

using Kv = std::vector<std::pair<std::string, std::string>>;
using Idx = std::array<int64_t, 3>;

const cvx::Vec3 kSpacing{3.75, 3.75, 2.65};
const int64_t kNx = 41, kNy = 21, kNz = 29;
const Idx kC1{10, 10, 14};  // cone 1: 10 - 0.2 r, 0 beyond 50 mm
const Idx kC2{33, 10, 14};  // cone 2: 20 - 0.9 r, 0 beyond 22.2 mm; 86.25 mm from kC1

double distMm(int64_t x, int64_t y, int64_t z, const Idx& c) {
  const double dx = (x - c[0]) * kSpacing.x, dy = (y - c[1]) * kSpacing.y, dz = (z - c[2]) * kSpacing.z;
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

std::string seed(const Idx& c) {
  return std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]);
}

std::shared_ptr<Volume> volume(cvx::PixelType type, int64_t nx, int64_t ny, int64_t nz) {
  auto v = Volume::create(type, {nx, ny, nz, 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = kSpacing;
  return *v;
}

// Float32: the two cones, apart (their supports, 50 and 22.2 mm, leave a gap of zeros between).
std::shared_ptr<Volume> twoCones() {
  auto v = volume(cvx::PixelType::Float32, kNx, kNy, kNz);
  float* p = v->as<float>();
  for (int64_t z = 0, i = 0; z < kNz; ++z)
    for (int64_t y = 0; y < kNy; ++y)
      for (int64_t x = 0; x < kNx; ++x, ++i)
        p[i] = static_cast<float>(std::max(0.0, 10 - 0.2 * distMm(x, y, z, kC1)) +
                                  std::max(0.0, 20 - 0.9 * distMm(x, y, z, kC2)));
  return v;
}

// Labels != 0 must be exactly the voxels within radius[i] of centre[i] for some i (the union);
// no voxel centre may lie within 0.05 mm of a radius. Returns the count.
int64_t expectBalls(const Volume& labels, const std::vector<std::pair<Idx, double>>& balls) {
  int64_t count = 0, wrong = 0, close = 0;
  for (int64_t z = 0, i = 0; z < kNz; ++z)
    for (int64_t y = 0; y < kNy; ++y)
      for (int64_t x = 0; x < kNx; ++x, ++i) {
        bool in = false;
        for (const auto& [c, r] : balls) {
          const double d = distMm(x, y, z, c);
          close += std::abs(d - r) < 0.05;
          in = in || d <= r;
        }
        const uint8_t l = labels.as<uint8_t>()[i];
        EXPECT_LE(l, 1);
        count += l != 0;
        wrong += (l != 0) != in;
      }
  EXPECT_EQ(close, 0) << "a voxel centre within 0.05 mm of a boundary radius";
  EXPECT_EQ(wrong, 0);
  return count;
}

// Float32: a cone 2 + max(0, 8 - 0.4 r) about kC1 (2 beyond 20 mm), with a hot neighbour of 30 at x >= 16.
std::shared_ptr<Volume> coneWithNeighbour() {
  auto v = volume(cvx::PixelType::Float32, kNx, kNy, kNz);
  float* p = v->as<float>();
  for (int64_t z = 0, i = 0; z < kNz; ++z)
    for (int64_t y = 0; y < kNy; ++y)
      for (int64_t x = 0; x < kNx; ++x, ++i)
        p[i] = x >= 16 ? 30.f : static_cast<float>(2 + std::max(0.0, 8 - 0.4 * distMm(x, y, z, kC1)));
  return v;
}

uint8_t at(const Volume& l, const Idx& c) { return l.as<uint8_t>()[(c[2] * l.dims()[1] + c[1]) * l.dims()[0] + c[0]]; }

struct LesionPlugin : ::testing::Test {
  PluginHost host;
  void SetUp() override { host.discover({CVX_PLUGIN_DIR}); }
  cvx::Result<std::shared_ptr<Volume>> run(const Volume& in, const Kv& kv) {
    const auto* m = host.find("lesion");
    if (!m) return cvx::makeError("test.no_plugin", "no lesion plugin in " CVX_PLUGIN_DIR);
    auto p = cvx::plugin::resolveParams(m->params, kv);
    if (!p.ok()) return p.error();
    return host.segment("lesion", in, *p);
  }
  std::shared_ptr<Volume> ok(const Volume& in, const Kv& kv) {
    auto r = run(in, kv);
    EXPECT_TRUE(r.ok()) << r.error().str();
    return r.ok() ? *r : nullptr;
  }
};

}  // namespace

TEST_F(LesionPlugin, ManifestAgreesWithTheLibrary) {
  const auto* m = host.find("lesion");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->input, cvx::plugin::PluginInput::Image);
  EXPECT_TRUE(host.load("lesion").ok()) << host.load("lesion").error().str();
  std::vector<std::string> names;
  for (const auto& p : m->params) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"seeds", "fraction", "search_mm", "background_from", "background",
                                             "shell_mm", "connectivity"}));
  EXPECT_TRUE(m->params[0].required);
  EXPECT_EQ(m->params[1].defaultValue, 41);
  EXPECT_EQ(m->params[2].defaultValue, 10);
  EXPECT_EQ(m->params[3].enumValues.at(static_cast<size_t>(m->params[3].defaultValue)), "value");
  EXPECT_EQ(m->params[5].defaultValue, 20);
  EXPECT_EQ(m->params[6].enumValues.at(static_cast<size_t>(m->params[6].defaultValue)), "26");
}

// 41 % of the peak 10: T = 4.1, where 10 - 0.2 r = 4.1, r = 29.5 mm. The second cone (values up to
// 20, above T) is not connected to the first and stays out.
TEST_F(LesionPlugin, FortyOnePercentIsTheBallWhereTheConeCrossesIt) {
  ASSERT_GT(distMm(kC1[0], kC1[1], kC1[2], kC2) - 50 - 20 / 0.9, std::sqrt(2 * 3.75 * 3.75 + 2.65 * 2.65))
      << "the cones' supports must be more than a 26-neighbour step apart";
  auto v = twoCones();
  auto l = ok(*v, {{"seeds", seed(kC1)}, {"fraction", "41"}});
  ASSERT_TRUE(l);
  const int64_t n = expectBalls(*l, {{kC1, 29.5}});
  EXPECT_GT(n, 1000);
  EXPECT_EQ(at(*l, kC2), 0);
  // The defaults: fraction 41, search_mm 10, background 0, 26-connectivity.
  auto d = ok(*v, {{"seeds", seed(kC1)}});
  ASSERT_TRUE(d);
  EXPECT_EQ(expectBalls(*d, {{kC1, 29.5}}), n);
}

// A seed 7.50 mm off the peak, voxel (1, 1, 2) away: search_mm 10 finds the peak (the same ball);
// search_mm 0 takes the seed's own 10 - 0.2 x 7.50 = 8.50 as the peak: T = 3.485, r <= 32.57 mm.
TEST_F(LesionPlugin, TheSeedFindsThePeakWithinSearchMm) {
  auto v = twoCones();
  const Idx off{kC1[0] + 1, kC1[1] + 1, kC1[2] + 2};
  const double d = distMm(off[0], off[1], off[2], kC1);
  ASSERT_NEAR(d, 7.4977, 1e-4);
  auto l = ok(*v, {{"seeds", seed(off)}, {"search_mm", "10"}});
  ASSERT_TRUE(l);
  const int64_t n = expectBalls(*l, {{kC1, 29.5}});
  auto self = ok(*v, {{"seeds", seed(off)}, {"search_mm", "0"}});
  ASSERT_TRUE(self);
  const int64_t s = expectBalls(*self, {{kC1, (10 - 0.41 * (10 - 0.2 * d)) / 0.2}});
  EXPECT_GT(s, n);
  // 5 mm does not reach the peak but reaches a voxel 4.59 mm from it (10 - 0.2 x 4.59 = 9.08,
  // r <= 31.38 mm): a ball strictly between the two (its boundary is too close to voxel centres
  // to list them).
  auto near = ok(*v, {{"seeds", seed(off)}, {"search_mm", "5"}});
  ASSERT_TRUE(near);
  const int64_t m = std::count(near->as<uint8_t>(), near->as<uint8_t>() + near->voxelCount(), 1);
  EXPECT_GT(m, n);
  EXPECT_LT(m, s);
}

// Background 2: T = 2 + 0.41 x (10 - 2) = 5.28, r <= 23.6 mm.
TEST_F(LesionPlugin, BackgroundIsSubtractedBeforeThePercentage) {
  auto v = twoCones();
  auto l = ok(*v, {{"seeds", seed(kC1)}, {"background", "2"}});
  ASSERT_TRUE(l);
  EXPECT_GT(expectBalls(*l, {{kC1, 23.6}}), 500);
}

// A cone 2 + 8 - 0.4 r (0 beyond 20 mm) on a background of 2, with a hot neighbour (30) at x >= 16
// (22.5 mm and more to the right of the peak: 191 of the 2092 voxels of the shell 20-30 mm about
// it). Background from the surroundings (the shell's median, 2): T = 2 + 0.41 x 8 = 5.28, where
// 8 - 0.4 r = 3.28, r = 11.8 mm (the neighbour would lift a mean to 4.56 and T to 6.79). A value of
// 0 instead: T = 4.1, r = 14.75 mm. The neighbour, above T, is not connected to the lesion.
TEST_F(LesionPlugin, BackgroundFromTheSurroundingsIsTheShellsMedian) {
  auto v = coneWithNeighbour();
  auto l = ok(*v, {{"seeds", seed(kC1)}, {"background_from", "surroundings"}});
  ASSERT_TRUE(l);
  EXPECT_GT(expectBalls(*l, {{kC1, 11.8}}), 100);
  auto fixedZero = ok(*v, {{"seeds", seed(kC1)}, {"background_from", "value"}});
  ASSERT_TRUE(fixedZero);
  EXPECT_GT(expectBalls(*fixedZero, {{kC1, 14.75}}), 200);
  // The Background field is not read from the surroundings: the same ball with a value typed.
  auto typed = ok(*v, {{"seeds", seed(kC1)}, {"background_from", "surroundings"}, {"background", "7"}});
  ASSERT_TRUE(typed);
  EXPECT_EQ(expectBalls(*typed, {{kC1, 11.8}}), expectBalls(*l, {{kC1, 11.8}}));
  // A seed on the flat background: its peak (2) is not above its surroundings' median (2).
  auto flat = run(*v, {{"seeds", "0,20,0"}, {"search_mm", "0"}, {"background_from", "surroundings"}});
  ASSERT_FALSE(flat.ok());
  EXPECT_EQ(flat.error().code, "plugin.bad_param");
}

// The cone on its background again, the shell 10-20 mm (shell_mm 10): inside the cone's slope, so
// its median (about 3.38) depends on the shell's radii and on its centre. Seeded 5.9 mm off the
// peak, voxel (1, 1, 1) away: the shell is about the peak (the seed's would read about 3.25).
// Expected: this file's own median of the float voxels in the shell, T = m + 0.41 x (10 - m), and
// the voxels of the cone (x < 16) at or above T, which form one ball about the peak.
TEST_F(LesionPlugin, TheSurroundingsShellIsAboutThePeakWithItsRadii) {
  auto v = coneWithNeighbour();
  const float* p = v->as<float>();
  auto median = [&](const Idx& c, double inner, double outer) {
    std::vector<double> in;
    for (int64_t z = 0, i = 0; z < kNz; ++z)
      for (int64_t y = 0; y < kNy; ++y)
        for (int64_t x = 0; x < kNx; ++x, ++i) {
          const double d = distMm(x, y, z, c), q = d * d;
          EXPECT_GT(std::min(std::abs(q - inner * inner), std::abs(q - outer * outer)), 0.01);
          if (q > inner * inner && q <= outer * outer) in.push_back(p[i]);
        }
    std::sort(in.begin(), in.end());
    const size_t n = in.size();
    return n % 2 ? in[n / 2] : 0.5 * (in[n / 2 - 1] + in[n / 2]);
  };
  auto expectedAt = [&](double t) {
    std::vector<uint8_t> e(static_cast<size_t>(v->voxelCount()));
    for (int64_t z = 0, i = 0; z < kNz; ++z)
      for (int64_t y = 0; y < kNy; ++y)
        for (int64_t x = 0; x < kNx; ++x, ++i) {
          EXPECT_GT(std::abs(p[i] - t), 1e-4) << "a voxel on the threshold";
          e[static_cast<size_t>(i)] = x < 16 && p[i] >= t;
        }
    return e;
  };
  const Idx off{kC1[0] + 1, kC1[1] + 1, kC1[2] + 1};
  const double m = median(kC1, 10, 20), mSeed = median(off, 10, 20);
  EXPECT_NEAR(m, 3.38, 0.01);
  EXPECT_NEAR(mSeed, 3.25, 0.01);
  auto l = ok(*v, {{"seeds", seed(off)}, {"background_from", "surroundings"}, {"shell_mm", "10"}});
  ASSERT_TRUE(l);
  const std::vector<uint8_t> got(l->as<uint8_t>(), l->as<uint8_t>() + l->voxelCount());
  const std::vector<uint8_t> want = expectedAt(m + 0.41 * (10 - m));
  EXPECT_EQ(got, want);
  EXPECT_GT(std::count(want.begin(), want.end(), 1), 100);
  EXPECT_NE(expectedAt(mSeed + 0.41 * (10 - mSeed)), want) << "the seed's shell would give another region";
  EXPECT_NE(expectedAt(2 + 0.41 * 8), want) << "the default shell would give another region";
  // A volume wholly within the shell's inner ball (5 voxels, at most 13 mm from the centre, and
  // shell_mm 20): no voxel in the shell, plugin.bad_param with seg.bad_shell.
  auto small = volume(cvx::PixelType::Float32, 5, 5, 5);
  std::fill_n(small->as<float>(), small->voxelCount(), 1.f);
  small->as<float>()[62] = 9.f;  // the centre voxel (2, 2, 2)
  auto none = run(*small, {{"seeds", "2,2,2"}, {"background_from", "surroundings"}, {"shell_mm", "20"}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "plugin.bad_param");
  EXPECT_NE(none.error().str().find("seg.bad_shell"), std::string::npos) << none.error().str();
}

// A seed on the second cone, 50 %: T = 10, r <= 11.1 mm about kC2. kC1 holds 10 >= T but is not
// connected to it.
TEST_F(LesionPlugin, EachConeGetsItsOwnRegion) {
  auto v = twoCones();
  auto l = ok(*v, {{"seeds", seed(kC2)}, {"fraction", "50"}});
  ASSERT_TRUE(l);
  EXPECT_GT(expectBalls(*l, {{kC2, 10 / 0.9}}), 50);
  EXPECT_EQ(v->as<float>()[(kC1[2] * kNy + kC1[1]) * kNx + kC1[0]], 10.f);
  EXPECT_EQ(at(*l, kC1), 0);
}

// 90 % of cone 2 (T = 18: r <= 2.2 mm, the peak voxel alone) from a seed one voxel (3.75 mm) off
// it: the region grows from the peak and leaves out the seed, whose 16.6 is below T.
TEST_F(LesionPlugin, TheRegionGrowsFromThePeakNotTheSeed) {
  auto v = twoCones();
  const Idx off{kC2[0] + 1, kC2[1], kC2[2]};
  auto l = ok(*v, {{"seeds", seed(off)}, {"fraction", "90"}});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectBalls(*l, {{kC2, 2 / 0.9}}), 1);
  EXPECT_EQ(at(*l, kC2), 1);
  EXPECT_EQ(at(*l, off), 0);
}

// Two seeds, each its own peak and threshold: cone 1 at T = 4.1 (29.5 mm) and cone 2 at T = 8.2
// (20 - 0.9 r = 8.2: 13.1 mm); one shared threshold would give another radius on one of them.
TEST_F(LesionPlugin, SeveralSeedsGiveTheUnionOfTheirRegions) {
  auto v = twoCones();
  auto l = ok(*v, {{"seeds", seed(kC1) + ";" + seed(kC2)}, {"fraction", "41"}});
  ASSERT_TRUE(l);
  auto one = ok(*v, {{"seeds", seed(kC1)}});
  auto two = ok(*v, {{"seeds", seed(kC2)}});
  ASSERT_TRUE(one && two);
  const int64_t n = expectBalls(*l, {{kC1, 29.5}, {kC2, 11.8 / 0.9}});
  EXPECT_EQ(n, expectBalls(*one, {{kC1, 29.5}}) + expectBalls(*two, {{kC2, 11.8 / 0.9}}));
}

// A peak voxel of 10 with one neighbour of 9 across a corner: 26-connectivity (the default) takes
// both, 6 the peak alone.
TEST_F(LesionPlugin, Connectivity) {
  auto v = volume(cvx::PixelType::Float32, 8, 8, 8);
  std::fill_n(v->as<float>(), v->voxelCount(), 0.f);
  v->as<float>()[(4 * 8 + 4) * 8 + 4] = 10;
  v->as<float>()[(5 * 8 + 5) * 8 + 5] = 9;
  for (const auto& [conn, want] : {std::pair{"", 2}, std::pair{"26", 2}, std::pair{"6", 1}}) {
    Kv kv{{"seeds", "4,4,4"}, {"search_mm", "0"}};
    if (*conn) kv.push_back({"connectivity", conn});
    auto l = ok(*v, kv);
    ASSERT_TRUE(l);
    EXPECT_EQ(std::count(l->as<uint8_t>(), l->as<uint8_t>() + l->voxelCount(), 1), want) << conn;
    EXPECT_EQ(l->as<uint8_t>()[(4 * 8 + 4) * 8 + 4], 1);
  }
}

// Int16 with slope 0.5 and intercept -3: the peak, stored 200, is 97 in the series' units;
// T = 0.41 x 97 = 39.77 in series units, i.e. stored >= 85.54. In stored units 41 % would be 82.
TEST_F(LesionPlugin, TheThresholdIsInSeriesUnits) {
  const Idx c{10, 10, 14};
  auto v = volume(cvx::PixelType::Int16, kNx, kNy, kNz);
  int16_t* p = v->as<int16_t>();
  for (int64_t z = 0, i = 0; z < kNz; ++z)
    for (int64_t y = 0; y < kNy; ++y)
      for (int64_t x = 0; x < kNx; ++x, ++i)
        p[i] = static_cast<int16_t>(std::max(0.0, 200 - std::round(4 * distMm(x, y, z, c))));
  v->info.rescaleSlope = 0.5;
  v->info.rescaleIntercept = -3;
  auto l = ok(*v, {{"seeds", seed(c)}, {"search_mm", "0"}});
  ASSERT_TRUE(l);
  // Stored values fall with r: the voxels at or above T form one ball about c.
  const double t = 0.41 * (0.5 * 200 - 3);
  int64_t expected = 0, wrong = 0, inStoredUnits = 0;
  for (int64_t i = 0; i < v->voxelCount(); ++i) {
    const bool in = 0.5 * p[i] - 3 >= t;
    expected += in;
    inStoredUnits += p[i] >= 0.41 * 200;
    wrong += (l->as<uint8_t>()[i] != 0) != in;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(expected, 500);
  EXPECT_GT(inStoredUnits, expected) << "the phantom must tell series from stored units";
  // A slope that is not positive: plugin.bad_input.
  for (const double slope : {0.0, -0.5}) {
    v->info.rescaleSlope = slope;
    auto bad = run(*v, {{"seeds", seed(c)}});
    ASSERT_FALSE(bad.ok()) << slope;
    EXPECT_EQ(bad.error().code, "plugin.bad_input") << slope;
  }
}

TEST_F(LesionPlugin, Errors) {
  auto v = twoCones();
  // A seed outside the volume (the host's check), or not a voxel index (resolveParams).
  for (const char* s : {"41,0,0", "0,21,0", "0,0,29", "-1,0,0"}) {
    auto r = run(*v, {{"seeds", s}});
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, "plugin.bad_param") << s;
  }
  // The peak (10) not above the background: equal or below.
  for (const char* b : {"10", "12"}) {
    auto r = run(*v, {{"seeds", seed(kC1)}, {"background", b}});
    ASSERT_FALSE(r.ok()) << b;
    EXPECT_EQ(r.error().code, "plugin.bad_param") << b;
  }
  // A seed in the zero gap with search_mm 0: its peak 0 is not above background 0.
  auto zero = run(*v, {{"seeds", "25,10,14"}, {"search_mm", "0"}});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, "plugin.bad_param");
  // Out of range for the manifest: rejected by resolveParams and by checkParams.
  const auto* m = host.find("lesion");
  ASSERT_NE(m, nullptr);
  for (const auto& [k, val] : Kv{{"search_mm", "-1"}, {"search_mm", "50.5"}, {"fraction", "0.5"},
                                 {"fraction", "101"}, {"connectivity", "18"}}) {
    auto p = cvx::plugin::resolveParams(m->params, {{"seeds", seed(kC1)}, {k, val}});
    ASSERT_FALSE(p.ok()) << k << "=" << val;
    EXPECT_EQ(p.error().code, "plugin.bad_param") << k << "=" << val;
  }
  auto given = cvx::plugin::resolveParams(m->params, {{"seeds", seed(kC1)}});
  ASSERT_TRUE(given.ok());
  for (auto& p : *given)
    if (p.name == "search_mm") p.number = 60;
  EXPECT_FALSE(cvx::plugin::checkParams(m->params, *given).ok());
  auto r = host.segment("lesion", *v, *given);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_param");
}
