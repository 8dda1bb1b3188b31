// The plugins over cvx::seg (region_growing, morphology, islands, otsu) run through the
// PluginHost on analytic phantoms. Expected labels come from the phantoms' construction (cube
// positions, the ellipsoid's integer offsets counted by this file's own loop), never from cvx::seg.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/plugin/host.h>

using cvx::Volume;
using cvx::plugin::PluginHost;

namespace {

using Kv = std::vector<std::pair<std::string, std::string>>;

struct Box {
  int64_t x0, y0, z0, x1, y1, z1;  // inclusive
  int64_t voxels() const { return (x1 - x0 + 1) * (y1 - y0 + 1) * (z1 - z0 + 1); }
  bool contains(int64_t x, int64_t y, int64_t z) const {
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1;
  }
};

template <class T>
std::shared_ptr<Volume> phantom(cvx::PixelType type, std::array<int64_t, 3> d, const std::vector<Box>& boxes,
                                const std::vector<T>& values, T background = 0) {
  auto v = Volume::create(type, {d[0], d[1], d[2], 1});
  EXPECT_TRUE(v.ok());
  T* p = (*v)->as<T>();
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        T val = background;
        for (size_t b = 0; b < boxes.size(); ++b)
          if (boxes[b].contains(x, y, z)) val = values[b];
        p[(z * d[1] + y) * d[0] + x] = val;
      }
  return *v;
}

std::shared_ptr<Volume> mask(std::array<int64_t, 3> d, const std::vector<Box>& boxes) {
  return phantom<uint8_t>(cvx::PixelType::UInt8, d, boxes, std::vector<uint8_t>(boxes.size(), 1));
}

// Labels != 0 must be exactly the voxels `inside` says; returns the count.
template <class F>
int64_t expectExactly(const Volume& labels, F inside) {
  const auto& d = labels.dims();
  int64_t count = 0, wrong = 0;
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x) {
        const uint8_t l = labels.as<uint8_t>()[(z * d[1] + y) * d[0] + x];
        EXPECT_LE(l, 1);
        count += l != 0;
        wrong += (l != 0) != inside(x, y, z);
      }
  EXPECT_EQ(wrong, 0);
  return count;
}

struct SegPlugins : ::testing::Test {
  PluginHost host;
  void SetUp() override { host.discover({CVX_PLUGIN_DIR}); }
  std::shared_ptr<Volume> run(const std::string& id, const Volume& in, const Kv& kv,
                              const Volume* m = nullptr) {
    const auto* manifest = host.find(id);
    EXPECT_NE(manifest, nullptr) << id;
    if (!manifest) return nullptr;
    auto p = cvx::plugin::resolveParams(manifest->params, kv);
    EXPECT_TRUE(p.ok()) << p.error().str();
    if (!p.ok()) return nullptr;
    cvx::plugin::RunOptions o;
    o.mask = m;
    auto r = host.segment(id, in, *p, nullptr, o);
    EXPECT_TRUE(r.ok()) << r.error().str();
    return r.ok() ? *r : nullptr;
  }
};

}  // namespace

TEST_F(SegPlugins, ManifestsDeclareTheirInput) {
  using cvx::plugin::PluginInput;
  for (auto [id, in] :
       {std::pair{"threshold", PluginInput::Image}, std::pair{"region_growing", PluginInput::Image},
        std::pair{"otsu", PluginInput::Image}, std::pair{"morphology", PluginInput::Segment},
        std::pair{"islands", PluginInput::Segment}, std::pair{"fill_between_slices", PluginInput::Segment}}) {
    const auto* m = host.find(id);
    ASSERT_NE(m, nullptr) << id;
    EXPECT_EQ(m->input, in) << id;
    EXPECT_TRUE(host.load(id).ok()) << id;  // the library agrees with its manifest
  }
}

TEST_F(SegPlugins, RegionGrowingFillsExactlyTheSeededCube) {
  // Two disjoint cubes of 100 in 0: 5^3 and 4x6x3. One seed in the first.
  const Box a{2, 2, 2, 6, 6, 6}, b{10, 3, 4, 13, 8, 6};
  auto v = phantom<int16_t>(cvx::PixelType::Int16, {16, 12, 10}, {a, b}, {100, 100});
  auto l = run("region_growing", *v, {{"seeds", "4,4,4"}, {"lower", "50"}, {"upper", "150"}});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return a.contains(x, y, z); }), 125);
  // Seeds in both: both cubes (125 + 72).
  l = run("region_growing", *v, {{"seeds", "4,4,4;11,5,5"}, {"lower", "50"}, {"upper", "150"}});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y,
                                  int64_t z) { return a.contains(x, y, z) || b.contains(x, y, z); }),
            197);
  // A seed whose own value is out of range grows nothing.
  l = run("region_growing", *v, {{"seeds", "0,0,0"}, {"lower", "50"}, {"upper", "150"}});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [](int64_t, int64_t, int64_t) { return false; }), 0);
}

TEST_F(SegPlugins, RegionGrowingConnectivityAndSeriesUnits) {
  // Two 3^3 cubes touching at one corner only: joined under 26, apart under 6.
  const Box a{1, 1, 1, 3, 3, 3}, b{4, 4, 4, 6, 6, 6};
  auto v = phantom<int16_t>(cvx::PixelType::Int16, {8, 8, 8}, {a, b}, {600, 600});
  v->info.rescaleSlope = 2;
  v->info.rescaleIntercept = -1024;  // stored 600 -> 176 HU, stored 0 -> -1024 HU
  auto six = run("region_growing", *v,
                 {{"seeds", "2,2,2"}, {"lower", "150"}, {"upper", "200"}, {"connectivity", "6"}});
  ASSERT_TRUE(six);
  EXPECT_EQ(expectExactly(*six, [&](int64_t x, int64_t y, int64_t z) { return a.contains(x, y, z); }), 27);
  auto all = run("region_growing", *v,
                 {{"seeds", "2,2,2"}, {"lower", "150"}, {"upper", "200"}, {"connectivity", "26"}});
  ASSERT_TRUE(all);
  EXPECT_EQ(expectExactly(*all, [&](int64_t x, int64_t y,
                                    int64_t z) { return a.contains(x, y, z) || b.contains(x, y, z); }),
            54);
  // 176 HU is outside [177, 200]: nothing (the bounds are HU, not stored values).
  auto none = run("region_growing", *v, {{"seeds", "2,2,2"}, {"lower", "177"}, {"upper", "200"}});
  ASSERT_TRUE(none);
  EXPECT_EQ(expectExactly(*none, [](int64_t, int64_t, int64_t) { return false; }), 0);
}

TEST_F(SegPlugins, DilatingOneVoxelGivesTheEllipsoidOfTheSpacing) {
  const std::array<int64_t, 3> d{31, 25, 15};
  const int64_t cx = 15, cy = 12, cz = 7;
  auto m = mask(d, {{cx, cy, cz, cx, cy, cz}});
  m->geometry.spacingMm = {0.7, 1.1, 2.5};
  const double r = 4.3, r2 = r * r;
  // The expected ball: integer offsets with (i sx)^2 + (j sy)^2 + (k sz)^2 <= r^2, counted here.
  // No offset lies within 1e-4 mm^2 of the sphere, so rounding cannot decide any of them.
  auto in = [&](int64_t x, int64_t y, int64_t z) {
    const double dx = (x - cx) * 0.7, dy = (y - cy) * 1.1, dz = (z - cz) * 2.5;
    const double q = dx * dx + dy * dy + dz * dz;
    EXPECT_GT(std::abs(q - r2), 1e-4);
    return q <= r2;
  };
  int64_t expected = 0;
  for (int k = -10; k <= 10; ++k)
    for (int j = -10; j <= 10; ++j)
      for (int i = -10; i <= 10; ++i) expected += in(cx + i, cy + j, cz + k) ? 1 : 0;
  ASSERT_GT(expected, 50);  // an ellipsoid, not a voxel
  auto l = run("morphology", *m, {{"operation", "dilate"}, {"radius_mm", "4.3"}}, m.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, in), expected);
  EXPECT_EQ(l->geometry.spacingMm.z, 2.5);  // the input's geometry is kept
}

TEST_F(SegPlugins, ErodeAndFillHoles) {
  // A 9^3 cube eroded by r = 1 mm at 1 mm spacing (the 6-neighbour cross): its 7^3 interior.
  const Box cube{3, 3, 3, 11, 11, 11};
  auto m = mask({15, 15, 15}, {cube});
  auto l = run("morphology", *m, {{"operation", "erode"}, {"radius_mm", "1"}}, m.get());
  ASSERT_TRUE(l);
  const Box inner{4, 4, 4, 10, 10, 10};
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return inner.contains(x, y, z); }), 343);
  // A hollow 9^3 shell (7^3 cavity): filling gives the full cube.
  auto shell = phantom<uint8_t>(cvx::PixelType::UInt8, {15, 15, 15}, {cube, inner}, {1, 0});
  l = run("morphology", *shell, {{"operation", "fill_holes"}}, shell.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return cube.contains(x, y, z); }), 729);
}

// Hollow: the 9^3 cube less its erosion by the 1 mm cross (its 7^3 interior, as above): the shell of
// one voxel, 729 - 343. Smooth (close then open): a cube with a one-voxel pit in a face and a
// one-voxel spur on another equals close then open run one after the other through the plugin, and
// the pit is filled and the spur gone.
TEST_F(SegPlugins, HollowAndSmooth) {
  const Box cube{3, 3, 3, 11, 11, 11}, inner{4, 4, 4, 10, 10, 10};
  auto m = mask({15, 15, 15}, {cube});
  auto l = run("morphology", *m, {{"operation", "hollow"}, {"radius_mm", "1"}}, m.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) {
              return cube.contains(x, y, z) && !inner.contains(x, y, z);
            }),
            729 - 343);
  const Box pit{7, 7, 3, 7, 7, 3}, spur{7, 7, 12, 7, 7, 12};
  auto rough = phantom<uint8_t>(cvx::PixelType::UInt8, {15, 15, 15}, {cube, pit, spur}, {1, 0, 1});
  auto smooth = run("morphology", *rough, {{"operation", "smooth"}, {"radius_mm", "1.5"}}, rough.get());
  auto closed = run("morphology", *rough, {{"operation", "close"}, {"radius_mm", "1.5"}}, rough.get());
  ASSERT_TRUE(smooth && closed);
  auto opened = run("morphology", *closed, {{"operation", "open"}, {"radius_mm", "1.5"}}, closed.get());
  ASSERT_TRUE(opened);
  EXPECT_EQ(std::memcmp(smooth->data(), opened->data(), static_cast<size_t>(smooth->voxelsPerPhase())), 0);
  auto at = [&](int64_t x, int64_t y, int64_t z) { return smooth->as<uint8_t>()[(z * 15 + y) * 15 + x]; };
  EXPECT_EQ(at(7, 7, 3), 1) << "the pit is filled";
  EXPECT_EQ(at(7, 7, 12), 0) << "the spur is gone";
  EXPECT_EQ(at(7, 7, 7), 1);
}

TEST_F(SegPlugins, KeepLargestAndRemoveSmallIslands) {
  // Cubes of 27, 64 and 8 voxels, apart; 1 mm^3 voxels = 0.001 mL.
  const Box c27{1, 1, 1, 3, 3, 3}, c64{6, 1, 1, 9, 4, 4}, c8{1, 7, 7, 2, 8, 8};
  auto m = mask({12, 12, 12}, {c27, c64, c8});
  auto l = run("islands", *m, {{"operation", "keep_largest"}}, m.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return c64.contains(x, y, z); }), 64);
  // Below 0.02 mL goes: the 8 (0.008 mL); the 27 (0.027 mL) and the 64 stay.
  l = run("islands", *m, {{"operation", "remove_small"}, {"min_ml", "0.02"}}, m.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y,
                                  int64_t z) { return c27.contains(x, y, z) || c64.contains(x, y, z); }),
            91);
  // Two cubes that share only an edge: one component under 26, two under 6 (the 27 wins).
  const Box a{1, 1, 1, 3, 3, 3}, b{4, 4, 1, 5, 5, 3};  // b: 2x2x3 = 12 voxels, edge x=3|4, y=3|4
  auto e = mask({8, 8, 6}, {a, b});
  l = run("islands", *e, {{"operation", "keep_largest"}, {"connectivity", "26"}}, e.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y,
                                  int64_t z) { return a.contains(x, y, z) || b.contains(x, y, z); }),
            39);
  l = run("islands", *e, {{"operation", "keep_largest"}, {"connectivity", "6"}}, e.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return a.contains(x, y, z); }), 27);
}

TEST_F(SegPlugins, OtsuSelectsExactlyTheBrightRegion) {
  const Box bright{4, 5, 2, 12, 10, 7};
  auto v = phantom<int16_t>(cvx::PixelType::Int16, {16, 14, 10}, {bright}, {1000});
  auto l = run("otsu", *v, {});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return bright.contains(x, y, z); }),
            bright.voxels());
  // A negative slope makes the stored-bright box the darkest in the series' units: the brightest
  // class is then the background.
  v->info.rescaleSlope = -1;
  l = run("otsu", *v, {});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return !bright.contains(x, y, z); }),
            16 * 14 * 10 - bright.voxels());
}

TEST_F(SegPlugins, MultiOtsuFromClass) {
  // Three levels (float): 0, 500 in `mid`, 1000 in `top` (inside mid).
  const Box mid{2, 2, 2, 13, 13, 9}, top{5, 5, 4, 9, 9, 7};
  auto v = phantom<float>(cvx::PixelType::Float32, {16, 16, 12}, {mid, top}, {500.f, 1000.f});
  auto l = run("otsu", *v, {{"classes", "3"}, {"from_class", "1"}});
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return mid.contains(x, y, z); }),
            mid.voxels());
  l = run("otsu", *v, {{"classes", "3"}});  // from_class 0: the brightest class alone
  ASSERT_TRUE(l);
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return top.contains(x, y, z); }),
            top.voxels());
  auto p = cvx::plugin::resolveParams(host.find("otsu")->params, {{"classes", "3"}, {"from_class", "3"}});
  ASSERT_TRUE(p.ok());
  auto bad = host.segment("otsu", *v, *p);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "plugin.bad_param");
}

TEST_F(SegPlugins, CancelReachesCvxSegThroughTheBridge) {
  // A large opening (two passes, seconds of work on 2 cores); cancel once the plugin has reported
  // progress, i.e. while cvx::seg's first pass runs on the plugin's worker thread: the bridge hands
  // the host's cancel to cvx::Progress, and the run ends as plugin.cancelled (seg.cancelled).
  const int64_t n = 320;
  auto m = Volume::create(cvx::PixelType::UInt8, {n, n, n, 1}).value();
  for (int64_t z = 0; z < n; ++z)  // slabs of 280 x 280 voxels, 29 slices thick, 9 apart
    if (z % 38 > 8)
      for (int64_t y = 20; y < 300; ++y)
        std::fill_n(m->as<uint8_t>() + (z * n + y) * n + 20, 280, uint8_t{1});
  const auto* manifest = host.find("morphology");
  ASSERT_NE(manifest, nullptr);
  auto p = cvx::plugin::resolveParams(manifest->params, {{"operation", "open"}, {"radius_mm", "40"}});
  ASSERT_TRUE(p.ok());
  auto progress = std::make_shared<cvx::Progress>();
  cvx::plugin::RunOptions o;
  o.mask = m.get();
  const auto start = std::chrono::steady_clock::now();
  auto job = host.segmentAsync("morphology", m, *p, progress, o);
  while (progress->done() == 0 && job.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready) {
  }
  progress->cancel();
  auto r = job.get();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r.ok()) << "finished in " << s << " s before the cancel arrived";
  EXPECT_EQ(r.error().code, "plugin.cancelled") << r.error().str();
  EXPECT_NE(r.error().message.find("seg.cancelled"), std::string::npos) << r.error().message;
}

// Fill between slices through the host: a box drawn on slices 1 and 5 (the same box: the slices
// between take it exactly), nothing before or after; across the rows (j) there is no gap, which
// the plugin reports with the error's code (seg.no_gaps as a failed run, the app living on).
TEST_F(SegPlugins, FillBetweenSlicesFillsTheGapBetweenDrawnSlices) {
  const Box drawn1{3, 2, 1, 8, 6, 1}, drawn5{3, 2, 5, 8, 6, 5};
  auto m = mask({12, 9, 8}, {drawn1, drawn5});
  auto l = run("fill_between_slices", *m, {}, m.get());
  ASSERT_TRUE(l);
  const Box all{3, 2, 1, 8, 6, 5};
  EXPECT_EQ(expectExactly(*l, [&](int64_t x, int64_t y, int64_t z) { return all.contains(x, y, z); }), all.voxels());
  auto l2 = run("fill_between_slices", *m, {{"axis", "k"}}, m.get());
  ASSERT_TRUE(l2);
  EXPECT_EQ(std::memcmp(l->data(), l2->data(), static_cast<size_t>(l->voxelsPerPhase())), 0);
  auto p = cvx::plugin::resolveParams(host.find("fill_between_slices")->params, {{"axis", "j"}});
  ASSERT_TRUE(p.ok());
  cvx::plugin::RunOptions o;
  o.mask = m.get();
  auto none = host.segment("fill_between_slices", *m, *p, nullptr, o);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("seg.no_gaps"), std::string::npos) << none.error().str();
}
