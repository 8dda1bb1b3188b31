// SPDX-License-Identifier: MIT
// Segmentations in the viewer state and over the 2D views (Qt-free): a ball segment of radius R is
// filled exactly where the view's plane cuts the ball (pixels nearer the centre than R minus half a
// voxel diagonal are coloured, pixels farther than R plus it are untouched), in every plane of an
// oblique anisotropic grid; the fill is the segment's colour at its opacity; an outline lies on the
// circle of the cut; overlapping segments (two label layers) both show; hidden segments, hidden
// segmentations and views without the layer show nothing; a segmentation on another grid is refused.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/core/transfer.h>
#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/seg_overlay.h>
#include <cvx/viewstate/state.h>

using namespace cvx;
using namespace cvx::view;

namespace {

uint8_t ch(uint32_t px, int c);  // defined below

// The preview's green (0, 255, 0) in view `view`'s image exactly where f(world point) lies in (lo, hi)
// and not where it lies outside (0.01 from the bounds either way), over the pixels whose world point
// lies inside [boxLo + margin, boxHi - margin]; the counts of each, which the tests ask to be many.
template <class F>
std::pair<int, int> checkTint(const RgbaImage& img, const PixelFrame& fr, Vec3 boxLo, Vec3 boxHi, Vec3 margin, F f,
                              double lo, double hi, int view) {
  int tinted = 0, clear = 0;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      const Vec3 wp = fr.worldAt(x, y);
      if (wp.x < boxLo.x + margin.x || wp.x > boxHi.x - margin.x || wp.y < boxLo.y + margin.y ||
          wp.y > boxHi.y - margin.y || wp.z < boxLo.z + margin.z || wp.z > boxHi.z - margin.z)
        continue;
      const double value = f(wp);
      const uint32_t px = img.pixels[static_cast<size_t>(y) * img.width + x];
      const bool green = ch(px, 1) == 255 && ch(px, 0) == 0;
      if (value > lo + 0.01 && value < hi - 0.01) {
        EXPECT_TRUE(green) << view << " " << value;
        ++tinted;
      }
      if (value < lo - 0.01 || value > hi + 0.01) {
        EXPECT_FALSE(green) << view << " " << value;
        ++clear;
      }
    }
  return {tinted, clear};
}

struct Scene {
  std::shared_ptr<Volume> image;
  std::shared_ptr<Segmentation> seg;
  Vec3 centre;
  double radius = 9;
  double halfDiagonal = 0;
};

// A uniform image (value 0, window 0/400: grey 128) on an oblique anisotropic grid, and a ball of
// radius 9 mm as segment 0 (red), plus a box overlapping it as segment 1 (blue, a second layer).
Scene scene() {
  Scene s;
  auto v = Volume::create(PixelType::Int16, {48, 40, 24, 1});
  EXPECT_TRUE(v.ok());
  s.image = *v;
  Geometry& g = s.image->geometry;
  g.spacingMm = {0.8, 1.1, 1.7};
  g.originMm = {-20, 10, -30};
  const double a = 0.3;
  g.direction = {Vec3{std::cos(a), std::sin(a), 0}, Vec3{-std::sin(a), std::cos(a), 0}, Vec3{0, 0, 1}};
  s.image->info.windows = {{0, 400, ""}};
  s.centre = g.worldAt(24.3, 19.6, 11.2);
  s.halfDiagonal = 0.5 * std::sqrt(0.8 * 0.8 + 1.1 * 1.1 + 1.7 * 1.7);
  s.seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*s.image));
  std::vector<uint8_t> ball(48 * 40 * 24), box(ball.size());
  for (int k = 0; k < 24; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 48; ++i) {
        const Vec3 d = g.worldAt(i, j, k) - s.centre;
        ball[(k * 40 + j) * 48 + i] = std::sqrt(dot(d, d)) <= s.radius;
        box[(k * 40 + j) * 48 + i] = i >= 24 && i < 40 && j >= 5 && j < 35 && k >= 4 && k < 20;
      }
  Segment red;
  red.name = "ball";
  red.rgb = {255, 0, 0};
  EXPECT_TRUE(s.seg->addSegment(red, ball.data()).ok());
  Segment blue;
  blue.name = "box";
  blue.rgb = {0, 0, 255};
  EXPECT_TRUE(s.seg->addSegment(blue, box.data()).ok());
  EXPECT_EQ(s.seg->layers().size(), 2u);  // they overlap: two label layers
  return s;
}

uint8_t ch(uint32_t p, int i) { return static_cast<uint8_t>((p >> (8 * i)) & 0xFF); }

}  // namespace

TEST(SegDisplay, ABallIsFilledExactlyWhereThePlaneCutsIt) {
  Scene sc = scene();
  ViewerState s;
  s.addLayer(sc.image);
  auto idx = s.addSegmentation(sc.seg, 0, "test");
  ASSERT_TRUE(idx.ok());
  s.setSegmentDisplay(*idx, 1, {false, 0.5});  // the ball alone
  s.setCursor(sc.centre + Vec3{0.4, -0.3, 1.1});
  ViewRenderer r;
  const int w = 220, h = 180;
  for (int view = 0; view < 3; ++view) {
    auto img = r.draw(s, view, w, h);
    ASSERT_TRUE(img.ok());
    const PixelFrame f = s.pixelFrame(view, w, h);
    int inside = 0, outside = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const Vec3 d = f.worldAt(x, y) - sc.centre;
        const double dist = std::sqrt(dot(d, d));
        const uint32_t p = (*img)->pixels[static_cast<size_t>(y) * w + x];
        if (dist < sc.radius - sc.halfDiagonal) {
          // grey 128 under red at 0.5: (128 + 255) / 2 and 128 / 2
          EXPECT_NEAR(ch(p, 0), 192, 1) << view << " " << x << "," << y;
          EXPECT_NEAR(ch(p, 1), 64, 1);
          ++inside;
        } else if (dist > sc.radius + sc.halfDiagonal) {
          EXPECT_EQ(ch(p, 0), ch(p, 1)) << "no red beyond the ball " << view << " " << x << "," << y;
          ++outside;
        }
      }
    EXPECT_GT(inside, 100) << view;
    EXPECT_GT(outside, 1000) << view;
  }
}

TEST(SegDisplay, OutlinesLieOnTheCutsCircleAndLeaveTheInside) {
  Scene sc = scene();
  ViewerState s;
  s.addLayer(sc.image);
  auto idx = s.addSegmentation(sc.seg);
  ASSERT_TRUE(idx.ok());
  s.setSegmentDisplay(*idx, 1, {false, 0.5});
  s.setSegmentationOutline(*idx, true);
  s.setCursor(sc.centre);
  ViewRenderer r;
  const int w = 200, h = 200;
  auto img = r.draw(s, 0, w, h);
  ASSERT_TRUE(img.ok());
  const PixelFrame f = s.pixelFrame(0, w, h);
  int red = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const Vec3 d = f.worldAt(x, y) - sc.centre;
      const double dist = std::sqrt(dot(d, d));
      const uint32_t p = (*img)->pixels[static_cast<size_t>(y) * w + x];
      if (ch(p, 0) == 255 && ch(p, 1) == 0) {
        ++red;
        // an edge pixel: within a voxel diagonal and a pixel of the circle
        EXPECT_NEAR(dist, sc.radius, 2 * sc.halfDiagonal + f.mmPerPixel) << x << "," << y;
      }
      if (dist < sc.radius - 2 * sc.halfDiagonal - f.mmPerPixel) {
        EXPECT_EQ(ch(p, 0), ch(p, 1)) << "inside untouched";
      }
    }
  EXPECT_GT(red, 2 * 3.14 * sc.radius / f.mmPerPixel * 0.8) << "a whole ring";
}

TEST(SegDisplay, OverlappingSegmentsBothShowAndHiddenOnesDoNot) {
  Scene sc = scene();
  ViewerState s;
  s.addLayer(sc.image);
  auto idx = s.addSegmentation(sc.seg);
  ASSERT_TRUE(idx.ok());
  s.setCursor(sc.centre);
  ViewRenderer r;
  const int w = 200, h = 200;
  const PixelFrame f = s.pixelFrame(0, w, h);
  const auto at = f.pixelOf(sc.centre);  // in the ball and in the box
  const size_t p = static_cast<size_t>(std::lround(at[1])) * w + static_cast<size_t>(std::lround(at[0]));
  auto img = r.draw(s, 0, w, h);
  ASSERT_TRUE(img.ok());
  // red over grey, then blue over that: (192, 64, 64) -> (96, 32, 160)
  EXPECT_NEAR(ch((*img)->pixels[p], 0), 96, 1);
  EXPECT_NEAR(ch((*img)->pixels[p], 2), 160, 1);
  s.setSegmentDisplay(*idx, 0, {false, 0.5});
  img = r.draw(s, 0, w, h);
  EXPECT_NEAR(ch((*img)->pixels[p], 0), 64, 1);  // blue alone over grey
  EXPECT_NEAR(ch((*img)->pixels[p], 2), 192, 1);
  s.setSegmentationVisible(*idx, false);
  img = r.draw(s, 0, w, h);
  EXPECT_EQ(ch((*img)->pixels[p], 0), 128);
  EXPECT_EQ(ch((*img)->pixels[p], 2), 128);
  // A view that does not draw the segmentation's layer does not draw it.
  s.setSegmentationVisible(*idx, true);
  auto other = Volume::create(PixelType::Int16, {10, 10, 10, 1});
  ASSERT_TRUE(other.ok());
  const int l2 = s.addLayer(*other);
  s.setViewLayers(0, {l2});
  img = r.draw(s, 0, w, h);
  for (uint32_t px : (*img)->pixels) ASSERT_EQ(ch(px, 0), ch(px, 2));
}

// A view of another series of the segmentation's frame of reference (another grid: a PET beside
// the CT a lesion was drawn on) draws it too; a series of another frame, or without one, does not.
TEST(SegDisplay, AViewOfAnotherSeriesOfTheSameFrameDrawsTheSegmentation) {
  Scene sc = scene();
  sc.image->info.frameOfReferenceUid = "1.2.826.0.1.3680043.10.1";
  ViewerState s;
  s.addLayer(sc.image);
  auto idx = s.addSegmentation(sc.seg);
  ASSERT_TRUE(idx.ok());
  auto other = Volume::create(PixelType::Int16, {30, 30, 30, 1});
  ASSERT_TRUE(other.ok());
  (*other)->geometry.spacingMm = {2, 2, 2};
  (*other)->geometry.originMm = sc.centre - Vec3{29, 29, 29};  // the ball's centre in its middle
  (*other)->info.frameOfReferenceUid = sc.image->info.frameOfReferenceUid;
  const int l2 = s.addLayer(*other);
  s.setViewLayers(0, {l2});
  s.setCursor(sc.centre);
  ViewRenderer r;
  const int w = 160, h = 160;
  auto pixelAtCentre = [&] {
    auto img = r.draw(s, 0, w, h);
    EXPECT_TRUE(img.ok());
    const auto at = s.pixelFrame(0, w, h).pixelOf(sc.centre);
    return (*img)->pixels[static_cast<size_t>(std::lround(at[1])) * w + static_cast<size_t>(std::lround(at[0]))];
  };
  s.setSegmentationVisible(*idx, false);
  const uint32_t bare = pixelAtCentre();
  s.setSegmentationVisible(*idx, true);
  const uint32_t drawn = pixelAtCentre();
  EXPECT_EQ(ch(bare, 0), ch(bare, 2)) << "grey without the segmentation";
  EXPECT_GT(ch(drawn, 2), ch(drawn, 1)) << "the ball's red, then the box's blue, over it";
  EXPECT_NE(drawn, bare);
  auto third = Volume::create(PixelType::Int16, {30, 30, 30, 1});
  ASSERT_TRUE(third.ok());
  (*third)->geometry = (*other)->geometry;
  (*third)->info.frameOfReferenceUid = "1.2.826.0.1.3680043.10.2";  // another frame: not drawn
  const int l3 = s.addLayer(*third);
  s.setViewLayers(0, {l3});
  EXPECT_EQ(pixelAtCentre(), bare);
}

TEST(SegDisplay, TheStateRefusesAnotherGridAndDropsSegmentationsWithTheirLayer) {
  Scene sc = scene();
  ViewerState s;
  EXPECT_EQ(s.addSegmentation(sc.seg).error().code, "seg.bad_geometry");  // no layer yet
  auto other = Volume::create(PixelType::Int16, {48, 40, 24, 1});
  ASSERT_TRUE(other.ok());
  s.addLayer(*other);  // same dims, another place
  EXPECT_EQ(s.addSegmentation(sc.seg).error().code, "seg.bad_geometry");
  const int l = s.addLayer(sc.image);
  int events = 0;
  auto sub = s.subscribe([&](const ChangeEvent& e) { events += (e.what & kSegmentation) != 0; });
  auto idx = s.addSegmentation(sc.seg, l);
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(s.activeSegment(), (std::pair<int, int>{*idx, 0}));
  EXPECT_EQ(s.segmentations()[static_cast<size_t>(*idx)].segments.size(), 2u);
  s.removeLayer(0);  // the segmentation's layer moves down to 0
  ASSERT_EQ(s.segmentations().size(), 1u);
  EXPECT_EQ(s.segmentations()[0].layer, 0);
  s.removeLayer(0);
  EXPECT_TRUE(s.segmentations().empty());
  EXPECT_EQ(s.activeSegment(), (std::pair<int, int>{-1, -1}));
  EXPECT_GE(events, 2);
}

// A linear ramp (trilinear reproduces it exactly): each pixel's value is known from its world
// point, and the preview tints exactly the pixels whose value lies in [lo, hi].
TEST(SegDisplay, TheThresholdPreviewTintsThePixelsInItsRangeAndItsPresetHoldsOnlyThatRange) {
  auto v = Volume::create(PixelType::Float32, {40, 36, 20, 1});
  ASSERT_TRUE(v.ok());
  Geometry& g = (*v)->geometry;
  g.spacingMm = {1.0, 1.2, 2.0};
  g.originMm = {-10, -5, 3};
  (*v)->info.windows = {{0, 4000, ""}};
  auto f = [](Vec3 w) { return 30.0 * w.x - 20.0 * w.y + 5.0 * w.z; };
  float* p = (*v)->as<float>();
  for (int k = 0; k < 20; ++k)
    for (int j = 0; j < 36; ++j)
      for (int i = 0; i < 40; ++i) *p++ = static_cast<float>(f(g.worldAt(i, j, k)));
  ViewerState s;
  s.addLayer(*v);
  ThresholdPreview t;
  t.on = true;
  t.lo = 200;
  t.hi = -100;  // swapped
  t.rgb = {0, 255, 0};
  t.opacity = 1;
  int events = 0;
  auto sub = s.subscribe([&](const ChangeEvent& e) { events += (e.what & kSegmentation) && (e.what & kView3d); });
  s.setThresholdPreview(t);
  EXPECT_EQ(events, 1);
  EXPECT_EQ(s.thresholdPreview().lo, -100);
  ViewRenderer r;
  const int w = 160, h = 140;
  for (int view = 0; view < 3; ++view) {
    auto img = r.draw(s, view, w, h);
    ASSERT_TRUE(img.ok());
    // well inside the grid (the clamped rim is not linear)
    const auto [tinted, clear] = checkTint(**img, s.pixelFrame(view, w, h), g.worldAt(-0.5, -0.5, -0.5),
                                           g.worldAt(39.5, 35.5, 19.5), {1, 1.2, 2}, f, -100, 200, view);
    EXPECT_GT(tinted, 100) << view;
    EXPECT_GT(clear, 100) << view;
  }
  // The 3D preview's table: opaque inside the range, clear outside.
  const TransferPreset preset = thresholdPreset(s.thresholdPreview());
  auto table = buildTransferTable(preset.points, preset.unitDistanceMm);
  ASSERT_TRUE(table.ok());
  const auto tf = table->view();
  for (double x : {-99.0, 0.0, 150.0, 199.0}) EXPECT_GT(hd::tfLookup(tf, static_cast<float>(x)).sigma, 1.0f) << x;
  for (double x : {-101.0, -500.0, 201.0, 900.0}) EXPECT_EQ(hd::tfLookup(tf, static_cast<float>(x)).sigma, 0.0f) << x;
  t.on = false;
  s.setThresholdPreview(t);
  auto img = r.draw(s, 0, w, h);
  for (uint32_t px : (*img)->pixels) ASSERT_FALSE(ch(px, 1) == 255 && ch(px, 0) == 0);
}

// The preview on a second layer of the frame (a PET) that a view does not draw (a CT view): its
// values are resliced for the tint alone, so the CT view tints exactly where the second layer's
// value (its own ramp, on its own coarser grid) lies in the range; a view of another frame's layer
// is not tinted.
TEST(SegDisplay, ThePreviewOfAnotherLayerOfTheFrameTintsAViewThatDoesNotDrawIt) {
  auto make = [](std::array<int64_t, 3> d, Vec3 spacing, std::string frame, auto f) {
    auto v = Volume::create(PixelType::Float32, {d[0], d[1], d[2], 1});
    EXPECT_TRUE(v.ok());
    Geometry& g = (*v)->geometry;
    g.spacingMm = spacing;
    g.originMm = {-10, -5, 3};
    (*v)->info.frameOfReferenceUid = std::move(frame);
    (*v)->info.windows = {{0, 4000, ""}};
    float* p = (*v)->as<float>();
    for (int64_t k = 0; k < d[2]; ++k)
      for (int64_t j = 0; j < d[1]; ++j)
        for (int64_t i = 0; i < d[0]; ++i) *p++ = static_cast<float>(f(g.worldAt(double(i), double(j), double(k))));
    return *v;
  };
  auto ctRamp = [](Vec3 w) { return 10.0 * w.x + 3.0 * w.y; };
  auto petRamp = [](Vec3 w) { return 100.0 - 4.0 * w.y + 2.0 * w.z; };
  auto ct = make({40, 36, 20}, {1.0, 1.2, 2.0}, "1.2.3", ctRamp);
  auto pet = make({10, 9, 5}, {4.0, 4.8, 8.0}, "1.2.3", petRamp);  // the same box, coarser
  auto other = make({10, 9, 5}, {4.0, 4.8, 8.0}, "9.9.9", petRamp);
  ViewerState s;
  s.addLayer(ct);
  s.addLayer(pet);
  s.addLayer(other);
  for (int view = 0; view < 3; ++view) s.setViewLayers(view, {0});
  ThresholdPreview t;
  t.on = true;
  t.layer = 1;
  t.lo = 60, t.hi = 110;
  t.rgb = {0, 255, 0};
  t.opacity = 1;
  s.setThresholdPreview(t);
  ViewRenderer r;
  const int w = 160, h = 140;
  const Geometry& g = pet->geometry;
  const Vec3 lo = g.worldAt(-0.5, -0.5, -0.5), hi = g.worldAt(9.5, 8.5, 4.5);
  for (int view = 0; view < 3; ++view) {
    auto img = r.draw(s, view, w, h);
    ASSERT_TRUE(img.ok());
    // well inside the PET's grid (its clamped rim is not linear)
    const auto [tinted, clear] = checkTint(**img, s.pixelFrame(view, w, h), lo, hi, {4, 4.8, 8}, petRamp, 60, 110, view);
    EXPECT_GT(tinted, 100) << view;
    EXPECT_GT(clear, 100) << view;
  }
  // A view of the other frame's layer: nothing of layer 1 there.
  s.setViewLayers(0, {2});
  auto img = r.draw(s, 0, w, h);
  ASSERT_TRUE(img.ok());
  for (uint32_t px : (*img)->pixels) ASSERT_FALSE(ch(px, 1) == 255 && ch(px, 0) == 0);
}
