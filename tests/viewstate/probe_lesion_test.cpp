// SPDX-License-Identifier: MIT
// What the Lesion tool reads (probe.h): the PET of a frame of reference, and the hottest voxel along
// a line of sight (a 3D click). The PET here is written from a formula: one hot voxel at (6, 5, 4)
// of 10, a warm one of 7 at (2, 5, 4), the rest 1, on 2 x 3 x 4 mm voxels offset from the origin,
// so that each expected centre is the grid's own formula, origin + index x spacing.
#include <gtest/gtest.h>

#include <cvx/core/raycast.h>
#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/probe.h>

using namespace cvx;
using namespace cvx::view;

namespace {

std::shared_ptr<Volume> grid(PixelType t, const std::string& modality, const std::string& frame) {
  auto v = Volume::create(t, {10, 8, 6, 1});
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = {2.0, 3.0, 4.0};
  (*v)->geometry.originMm = {-10.0, 5.0, 20.0};
  (*v)->info.modality = modality;
  (*v)->info.frameOfReferenceUid = frame;
  for (int64_t z = 0; z < 6; ++z) (*v)->markSliceReady(z);  // loaded (the probe reads loaded slices only)
  return *v;
}

struct Scene {
  ViewerState s;
  std::shared_ptr<Volume> pet;
  Scene() {
    auto ct = grid(PixelType::Int16, "CT", "1.2.3");
    pet = grid(PixelType::Float32, "PT", "1.2.3");
    float* p = pet->as<float>();
    std::fill(p, p + pet->voxelCount(), 1.0f);
    p[(4 * 8 + 5) * 10 + 6] = 10.0f;
    p[(4 * 8 + 5) * 10 + 2] = 7.0f;
    s.addLayer(ct);
    s.addLayer(grid(PixelType::Int16, "MR", "9.9.9"));  // another frame: never the lesion's PET
    s.addLayer(pet);
  }
  Vec3 centre(double i, double j, double k) const { return Vec3{-10.0 + 2 * i, 5.0 + 3 * j, 20.0 + 4 * k}; }
};

}  // namespace

TEST(ProbeLesion, ThePetOfTheFrameIsItsFirstPtLayer) {
  Scene sc;
  EXPECT_EQ(petLayerOfFrame(sc.s, 0), 2);
  EXPECT_EQ(petLayerOfFrame(sc.s, 2), 2) << "a PET reference is its own";
  EXPECT_EQ(petLayerOfFrame(sc.s, 1), -1) << "the MR's frame holds no PET";
}

TEST(ProbeLesion, TheHottestVoxelAlongALineOfSight) {
  Scene sc;
  // Along x through row (5, 4): both hot voxels lie on it; the hotter wins, wherever it comes.
  const Vec3 from = sc.centre(-3, 5, 4), along{1, 0, 0};
  auto hot = hottestAlong(sc.s, 2, from, along * 7.0, 40.0);  // any length of direction
  ASSERT_TRUE(hot.has_value());
  EXPECT_NEAR(norm(*hot - sc.centre(6, 5, 4)), 0.0, 1e-9);
  // Stopping before it: the warm one.
  hot = hottestAlong(sc.s, 2, from, along, 2 * (2 + 3) + 1.0);  // reaches x index 2.5
  ASSERT_TRUE(hot.has_value());
  EXPECT_NEAR(norm(*hot - sc.centre(2, 5, 4)), 0.0, 1e-9);
  // A slanted line that passes within half a voxel of (6, 5, 4)'s centre: the nearest voxel is read.
  const Vec3 a = sc.centre(6.3, 0, 4.2), b = sc.centre(6.3, 7, 4.2);
  hot = hottestAlong(sc.s, 2, a, b - a, norm(b - a));
  ASSERT_TRUE(hot.has_value());
  EXPECT_NEAR(norm(*hot - sc.centre(6, 5, 4)), 0.0, 1e-9);
  // Off the hot row: every voxel is 1, and the first along the line is kept.
  hot = hottestAlong(sc.s, 2, sc.centre(0, 1, 1), along, 100.0);
  ASSERT_TRUE(hot.has_value());
  EXPECT_NEAR(norm(*hot - sc.centre(0, 1, 1)), 0.0, 1e-9);
  // Missing the grid, or no line at all.
  EXPECT_FALSE(hottestAlong(sc.s, 2, sc.centre(0, -5, 0), along, 100.0).has_value());
  EXPECT_FALSE(hottestAlong(sc.s, 2, from, Vec3{0, 0, 0}, 100.0).has_value());
  EXPECT_FALSE(hottestAlong(sc.s, 7, from, along, 100.0).has_value()) << "no such layer";
  // A slice not loaded yet is passed over.
  auto partial = Volume::create(PixelType::Float32, {10, 8, 6, 1});
  ASSERT_TRUE(partial.ok());
  (*partial)->geometry = sc.pet->geometry;
  (*partial)->info = sc.pet->info;
  std::copy_n(sc.pet->as<float>(), sc.pet->voxelCount(), (*partial)->as<float>());
  for (int64_t z = 0; z < 6; ++z)
    if (z != 4) (*partial)->markSliceReady(z);
  ViewerState loading;
  loading.addLayer(*partial);
  EXPECT_FALSE(hottestAlong(loading, 0, from, along, 40.0).has_value()) << "the hot row's slice 4 is not loaded";
}

// A 3D click reads only what the view draws: from the front (the rays run along +y), a pixel over
// column (6, 4) finds the hot voxel at y 5; with the crop box ending at y index 3.5 it is cut away
// and a warm voxel (7) at y 1 of the same column is taken; a pixel off the volume finds nothing.
TEST(ProbeLesion, TheHottestUnderAPixelIsWithinWhatTheViewDraws) {
  Scene sc;
  sc.pet->as<float>()[(4 * 8 + 1) * 10 + 6] = 7.0f;
  const int w = 200, h = 200;
  const Volume& ref = *sc.s.layers().front().volume;
  const auto px = projectToPixel(orbitCamera(ref, sc.s.camera3d(), w, h), sc.centre(6, 3, 4), w, h);
  ASSERT_TRUE(px.has_value());
  const int x = static_cast<int>((*px)[0]), y = static_cast<int>((*px)[1]);
  auto hot = hottestUnderPixel(sc.s, 2, w, h, x, y);
  ASSERT_TRUE(hot.has_value());
  EXPECT_NEAR(norm(*hot - sc.centre(6, 5, 4)), 0.0, 1e-9);
  CropBox3D crop;
  crop.hi[1] = 0.5;  // y index -0.5 + 0.5 x 8 = 3.5
  sc.s.setCrop3d(crop);
  hot = hottestUnderPixel(sc.s, 2, w, h, x, y);
  ASSERT_TRUE(hot.has_value());
  EXPECT_NEAR(norm(*hot - sc.centre(6, 1, 4)), 0.0, 1e-9) << "the hot voxel lies beyond the crop box";
  EXPECT_FALSE(hottestUnderPixel(sc.s, 2, w, h, 0, 0).has_value()) << "a corner pixel misses the volume";
}

// Where a seed lands on a layer of another frame (cursorInFrameOf): the reference's frame reads the
// cursor; a frame linked by a manual offset the cursor plus the offset, with or without a view; an
// unlinked frame the own cursor of a view showing it (the preferred one first), none without a view.
TEST(ProbeLesion, TheCursorAsEachFrameSeesIt) {
  Scene sc;
  ViewerState& s = sc.s;
  s.setCursor(sc.centre(3, 3, 3));
  const Vec3 c = s.cursor();
  EXPECT_LT(norm(*cursorInFrameOf(s, 2) - c), 1e-12) << "the PET of the reference's frame";
  s.setViews({Orientation::Axial, Orientation::Axial, Orientation::Axial}, {{0}, {0}, {0}});
  EXPECT_FALSE(cursorInFrameOf(s, 1).has_value()) << "the MR's frame: unlinked, in no view";
  s.setViewLayers(1, {1});
  s.setViewLayers(2, {1});
  s.setCursor(sc.centre(1, 1, 1), 1);  // each unlinked view keeps its own
  s.setCursor(sc.centre(5, 5, 5), 2);
  EXPECT_LT(norm(*cursorInFrameOf(s, 1) - sc.centre(1, 1, 1)), 1e-12) << "the first view showing it";
  EXPECT_LT(norm(*cursorInFrameOf(s, 1, 2) - sc.centre(5, 5, 5)), 1e-12) << "the active one, when it shows it";
  EXPECT_LT(norm(*cursorInFrameOf(s, 1, 0) - sc.centre(1, 1, 1)), 1e-12) << "the active view shows another frame";
  s.linkFrameByOffset("9.9.9", {4, -2, 8});
  EXPECT_LT(norm(*cursorInFrameOf(s, 1) - (c + Vec3{4, -2, 8})), 1e-12);
  s.setViewLayers(1, {0});
  s.setViewLayers(2, {0});
  EXPECT_LT(norm(*cursorInFrameOf(s, 1) - (c + Vec3{4, -2, 8})), 1e-12) << "linked by hand, in no view";
}
