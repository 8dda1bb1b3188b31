// Qt-free slice drawing: screen layout by patient direction (radiological convention) and the
// DICOM linear window (PS3.3 C.11.2.1.2.1), MONOCHROME1 inversion. No QApplication needed.
#include <gtest/gtest.h>

#include <cvx/viewer/slice_image.h>

namespace cvx::viewer {
namespace {

Geometry planeOf(Vec3 row, Vec3 col) {
  Geometry g;
  g.direction = {row, col, cross(row, col)};
  g.spacingMm = {0.8, 0.5, 2};
  return g;
}

TEST(SliceLayout, AxialShowsPatientLeftOnTheRightAndAnteriorUp) {
  const auto l = layoutFor(planeOf({1, 0, 0}, {0, 1, 0}), {4, 3, 1, 1});
  EXPECT_EQ(l.horizontal, 0);
  EXPECT_FALSE(l.flipH);
  EXPECT_FALSE(l.flipV);
  EXPECT_EQ(l.width, 4);
  EXPECT_EQ(l.height, 3);
  EXPECT_DOUBLE_EQ(l.pixelWidthMm, 0.8);
  EXPECT_DOUBLE_EQ(l.pixelHeightMm, 0.5);
  EXPECT_EQ(orientationLetter(l.screenRight), 'L');
  EXPECT_EQ(orientationLetter(l.screenDown), 'P');
}

TEST(SliceLayout, FlippedAndSwappedAxialStillShowsLeftOnTheRight) {
  const auto flipped = layoutFor(planeOf({-1, 0, 0}, {0, -1, 0}), {4, 3, 1, 1});
  EXPECT_TRUE(flipped.flipH);
  EXPECT_TRUE(flipped.flipV);
  EXPECT_EQ(orientationLetter(flipped.screenRight), 'L');
  EXPECT_EQ(orientationLetter(flipped.screenDown), 'P');
  const auto swapped = layoutFor(planeOf({0, 1, 0}, {1, 0, 0}), {4, 3, 1, 1});
  EXPECT_EQ(swapped.horizontal, 1);
  EXPECT_EQ(swapped.width, 3);
  EXPECT_DOUBLE_EQ(swapped.pixelWidthMm, 0.5);
  EXPECT_EQ(orientationLetter(swapped.screenRight), 'L');
  EXPECT_EQ(orientationLetter(swapped.screenDown), 'P');
}

TEST(SliceLayout, SagittalAndCoronalHaveTheHeadUp) {
  const auto sag = layoutFor(planeOf({0, 1, 0}, {0, 0, -1}), {4, 3, 1, 1});
  EXPECT_EQ(orientationLetter(sag.screenRight), 'P');
  EXPECT_EQ(orientationLetter(sag.screenDown), 'F');
  const auto cor = layoutFor(planeOf({1, 0, 0}, {0, 0, 1}), {4, 3, 1, 1});
  EXPECT_TRUE(cor.flipV);
  EXPECT_EQ(orientationLetter(cor.screenRight), 'L');
  EXPECT_EQ(orientationLetter(cor.screenDown), 'F');
}

std::shared_ptr<Volume> twoByTwo(Vec3 row) {
  auto v = Volume::create(PixelType::Int16, {2, 2, 1, 1}).value();
  int16_t* p = v->as<int16_t>();
  p[0] = 0, p[1] = 100, p[2] = 50, p[3] = 49;  // (i,j): (0,0) (1,0) (0,1) (1,1)
  v->geometry = planeOf(row, {0, 1, 0});
  v->info.rescaleSlope = 2;
  v->info.rescaleIntercept = -100;  // modality = 2 stored - 100: -100, 100, 0, -2
  return v;
}

TEST(RenderSlice, DicomLinearWindowOnModalityValuesWithFlipAndMonochrome1) {
  auto v = twoByTwo({1, 0, 0});
  // Window c 0.5, w 2, DICOM linear: 0 where x <= c - 0.5 - (w-1)/2 = -0.5, 1 where
  // x > c - 0.5 + (w-1)/2 = 0.5, else (x - (c - 0.5)) / (w - 1) + 0.5:
  // x = -100 -> 0, 100 -> 1, 0 -> 0.5 (127.5 rounds to 128), -2 -> 0.
  const WindowPreset w{0.5, 2, "test"};
  const auto l = layoutFor(v->geometry, v->dims());
  auto g = renderSlice(*v, l, 0, 0, w);
  ASSERT_EQ(g.size(), 4u);
  EXPECT_EQ(g[0], 0);
  EXPECT_EQ(g[1], 255);
  EXPECT_EQ(g[2], 128);
  EXPECT_EQ(g[3], 0);
  // Row direction toward patient right: voxel i = 0 is drawn on the screen's right.
  auto flipped = twoByTwo({-1, 0, 0});
  g = renderSlice(*flipped, layoutFor(flipped->geometry, flipped->dims()), 0, 0, w);
  EXPECT_EQ(g[0], 255);
  EXPECT_EQ(g[1], 0);
  v->info.photometric = "MONOCHROME1";
  g = renderSlice(*v, l, 0, 0, w);
  EXPECT_EQ(g[0], 255);
  EXPECT_EQ(g[1], 0);
  EXPECT_EQ(g[2], 128);  // 255 (1 - 0.5) = 127.5
  EXPECT_EQ(g[3], 255);
}

}  // namespace
}  // namespace cvx::viewer
