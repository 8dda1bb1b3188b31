// SPDX-License-Identifier: MIT
// Drawing views of the state (Qt-free): a bright voxel at a known patient position is the brightest
// pixel, at the pixel the plane maths predicts, in all three planes; a window change re-maps
// without reslicing; a ramp shows the DICOM window of the value at each pixel's world point.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <cvx/core/hd/window.h>
#include <cvx/render/simd.h>
#include <cvx/viewstate/render_view.h>

using namespace cvx;
using namespace cvx::view;

namespace {

std::shared_ptr<Volume> volume(std::array<int64_t, 4> dims, Vec3 spacing, Vec3 origin) {
  auto v = Volume::create(PixelType::Int16, dims);
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = spacing;
  (*v)->geometry.originMm = origin;
  (*v)->info.modality = "MR";
  (*v)->info.windows = {{50, 100, ""}};
  return *v;
}

uint8_t red(uint32_t p) { return static_cast<uint8_t>(p & 0xFF); }

}  // namespace

TEST(RenderView, ABrightVoxelIsWhereThePlaneMathsPutsItInAllThreePlanes) {
  auto v = volume({64, 48, 30, 1}, {0.9, 1.1, 3.0}, {-30, 12, -40});
  const int64_t i = 40, j = 10, k = 7;
  v->as<int16_t>()[(k * 48 + j) * 64 + i] = 1000;
  ViewerState s;
  s.addLayer(v);
  const Vec3 marker = v->geometry.worldAt(i, j, k);
  s.setCursor(marker);
  ViewRenderer r;
  for (int view = 0; view < 3; ++view) {
    auto img = r.draw(s, view, 256, 200);
    ASSERT_TRUE(img.ok()) << img.error().str();
    // The peak of the resliced values (interpolation falls off around the voxel centre) is the
    // pixel nearest the predicted point, and it is drawn white.
    const auto& values = r.values(0);
    const long idx =
        std::max_element(values.begin(), values.end(),
                         [](float a, float b) { return std::isnan(a) || (!std::isnan(b) && a < b); }) -
        values.begin();
    const auto at = s.pixelFrame(view, 256, 200).pixelOf(marker);
    EXPECT_NEAR(static_cast<double>(idx % 256), at[0], 0.5 + 1e-6) << "view " << view;
    EXPECT_NEAR(static_cast<double>(idx / 256), at[1], 0.5 + 1e-6) << "view " << view;
    EXPECT_EQ(red((*img)->pixels[static_cast<size_t>(idx)]), 255) << "view " << view;
  }
}

TEST(RenderView, EachPixelShowsTheWindowedValueAtItsWorldPoint) {
  auto v = volume({32, 32, 8, 1}, {1.5, 1.5, 4}, {0, 0, 0});
  for (int64_t z = 0; z < 8; ++z)
    for (int64_t y = 0; y < 32; ++y)
      for (int64_t x = 0; x < 32; ++x)
        v->as<int16_t>()[(z * 32 + y) * 32 + x] = static_cast<int16_t>(3 * x + y);
  ViewerState s;
  s.addLayer(v);
  ViewRenderer r;
  auto img = r.draw(s, 0, 80, 80);
  ASSERT_TRUE(img.ok());
  const PixelFrame f = s.pixelFrame(0, 80, 80);
  int checked = 0;
  for (int y = 0; y < 80; y += 7)
    for (int x = 0; x < 80; x += 5) {
      const Vec3 w = f.worldAt(x, y);
      const double ix = w.x / 1.5, iy = w.y / 1.5;
      if (ix < 0 || iy < 0 || ix > 31 || iy > 31) continue;  // the edge half voxel clamps
      const float value = static_cast<float>(3 * ix + iy);   // bilinear of a linear function: exact
      const int expect = static_cast<int>(std::lround(hd::applyWindow(value, 50, 100) * 255));
      EXPECT_NEAR(red((*img)->pixels[static_cast<size_t>(y) * 80 + x]), expect, 1) << x << "," << y;
      ++checked;
    }
  EXPECT_GT(checked, 100);
}

TEST(RenderView, AWindowChangeReMapsWithoutReslicing) {
  auto v = volume({16, 16, 4, 1}, {1, 1, 1}, {});
  ViewerState s;
  s.addLayer(v);
  ViewRenderer r;
  ASSERT_TRUE(r.draw(s, 0, 64, 64).ok());
  EXPECT_EQ(r.lastReslices(), 1);
  s.setMapping(0, dragWindow(s.layers()[0].mapping, 40, 10));
  ASSERT_TRUE(r.draw(s, 0, 64, 64).ok());
  EXPECT_EQ(r.lastReslices(), 0);
  s.scroll(0, 1);
  ASSERT_TRUE(r.draw(s, 0, 64, 64).ok());
  EXPECT_EQ(r.lastReslices(), 1);
  EXPECT_FALSE(r.draw(s, 7, 64, 64).ok());
}

TEST(RenderView, OutsideTheVolumeIsBlackAndMonochrome1IsInverted) {
  auto v = volume({8, 8, 2, 1}, {1, 1, 1}, {});
  ViewerState s;
  s.addLayer(v);
  DisplayMapping m = s.layers()[0].mapping;
  m.invert = true;
  s.setMapping(0, m);
  s.zoom(0, 0.5);  // the volume covers the middle half of the view
  ViewRenderer r;
  auto img = r.draw(s, 0, 40, 40);
  ASSERT_TRUE(img.ok());
  EXPECT_EQ((*img)->pixels[0], 0xFF000000u);              // corner: outside, black
  EXPECT_EQ(red((*img)->pixels[20 * 40 + 20]), 255 - 0);  // value 0 below the window, inverted: white
}

// Progressive loading: voxels change under the same plane; invalidate() makes the next draw reslice
// them (the cache would otherwise show the old values), and reserve() changes nothing drawn.
TEST(RenderView, InvalidateReslicesChangedVoxelsAndReserveChangesNothingDrawn) {
  auto v = volume({32, 32, 8, 1}, {1, 1, 2}, {0, 0, 0});
  ViewerState s;
  s.addLayer(v);
  ViewRenderer fresh, reserved;
  reserved.reserve(100, 80, 1);
  auto a = fresh.draw(s, 0, 100, 80);
  auto b = reserved.draw(s, 0, 100, 80);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->pixels, (*b)->pixels);
  // Every voxel of the cursor's slice becomes 100 (window 50/100: white).
  const Vec3 idx = v->geometry.voxelFromWorld().applyPoint(s.cursor());
  const int64_t k = std::llround(idx.z);
  std::fill_n(v->as<int16_t>() + k * 32 * 32, 32 * 32, int16_t{100});
  auto stale = fresh.draw(s, 0, 100, 80);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(fresh.lastReslices(), 0);  // cached: still the old (black) values
  fresh.invalidate();
  auto now = fresh.draw(s, 0, 100, 80);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(fresh.lastReslices(), 1);
  EXPECT_EQ(red((*now)->pixels[40 * 100 + 50]), 255);
}

// Every drawn pixel, at every SIMD level the CPU has, is the scalar rule applied to the view's own
// resliced values: displayLevel() through the colour map for the opaque bottom layer (black where it
// has no value), then the translucent layer above blended channel by channel with round-half-away.
class RenderViewSimd : public ::testing::TestWithParam<render::Simd> {
 protected:
  void SetUp() override {
    before_ = render::simdLevel();
    if (render::setSimdLevel(GetParam()) != GetParam())
      GTEST_SKIP() << "no " << toString(GetParam()) << " here (the CPU, or a build without its kernels)";
  }
  void TearDown() override { render::setSimdLevel(before_); }
  render::Simd before_ = render::Simd::Sse2;
};

TEST_P(RenderViewSimd, EveryPixelIsTheScalarRuleOfItsValues) {
  auto base = volume({40, 36, 6, 1}, {0.9, 1.1, 3}, {0, 0, 0});
  auto top = volume({20, 18, 6, 1}, {1.8, 2.2, 3}, {5, 4, 0});  // covers part of the view only
  for (int64_t i = 0; i < 40 * 36 * 6; ++i)
    base->as<int16_t>()[i] = static_cast<int16_t>((i * 37) % 260 - 60);
  for (int64_t i = 0; i < 20 * 18 * 6; ++i) top->as<int16_t>()[i] = static_cast<int16_t>((i * 11) % 120);
  ViewerState s;
  s.addLayer(base);
  DisplayMapping hot;
  hot.center = 60;
  hot.width = 90;
  hot.colorMap = ColorMap::Hot;
  hot.opacity = 0.4;
  s.addLayer(top, hot);
  for (bool invert : {false, true}) {
    DisplayMapping m = s.layers()[0].mapping;
    m.center = 20.5;
    m.width = 150;
    m.invert = invert;
    s.setMapping(0, m);
    s.zoom(0, 0.7);  // a border of background around the base volume
    ViewRenderer r;
    const int w = 203, h = 150;  // odd widths leave remainders after the 8- and 4-pixel loops
    auto img = r.draw(s, 0, w, h);
    ASSERT_TRUE(img.ok());
    const auto& lutBase = colorMapLut(m.colorMap);
    const auto& lutTop = colorMapLut(hot.colorMap);
    int background = 0, blended = 0;
    for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) {
      const int g0 = displayLevel(r.values(0)[i], m), g1 = displayLevel(r.values(1)[i], hot);
      uint32_t want = g0 >= 0 ? lutBase[static_cast<size_t>(g0)] : 0xFF000000u;
      background += g0 < 0;
      if (g1 >= 0) {
        const uint32_t above = lutTop[static_cast<size_t>(g1)];
        uint32_t out = 0xFF000000u;
        for (int c = 0; c < 3; ++c) {
          const double b = (want >> (8 * c)) & 0xFF, a = (above >> (8 * c)) & 0xFF;
          out |= static_cast<uint32_t>(std::floor(b + (a - b) * 0.4 + 0.5)) << (8 * c);
        }
        want = out;
        ++blended;
      }
      ASSERT_EQ((*img)->pixels[i], want) << "pixel " << i << " invert " << invert;
    }
    EXPECT_GT(background, 1000);
    EXPECT_GT(blended, 1000);
    s.zoom(0, 1 / 0.7);
  }
}

INSTANTIATE_TEST_SUITE_P(Simd, RenderViewSimd, ::testing::Values(render::Simd::Sse2, render::Simd::Avx2),
                         [](const auto& info) { return std::string(toString(info.param)); });
