// SPDX-License-Identifier: MIT
// The viewer state without a display: plane maths, scrolling, snapping, rotation, zoom/pan fit,
// phase, notifications and frame-of-reference linking. Expected values are computed here from the
// grid's definition (centre of voxel (i,j,k) = origin + i*sx*row + j*sy*col + k*sz*stack).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "viewstate_test_util.h"
#include <cvx/viewstate/state.h>

using namespace cvx;
using namespace cvx::view;
using cvx::test::expectVec;

namespace {

std::shared_ptr<Volume> grid(std::array<int64_t, 4> dims, Vec3 spacing, Vec3 origin = {},
                             std::string frame = "1.2.3") {
  auto v = Volume::create(PixelType::Int16, dims);
  EXPECT_TRUE(v.ok());
  (*v)->geometry.spacingMm = spacing;
  (*v)->geometry.originMm = origin;
  (*v)->info.frameOfReferenceUid = std::move(frame);
  (*v)->info.modality = "CT";
  return *v;
}


}  // namespace

TEST(ViewerState, FirstLayerPutsTheCursorOnTheVoxelCentreNearestItsMiddle) {
  ViewerState s;
  s.addLayer(grid({4, 5, 6, 1}, {0.5, 0.8, 2.0}, {100, -50, 10}));
  // Middle index (1.5, 2, 2.5) rounds to (2, 2, 3) (round half away from zero).
  expectVec(s.cursor(), {100 + 2 * 0.5, -50 + 2 * 0.8, 10 + 3 * 2.0});
  for (int v = 0; v < s.viewCount(); ++v) expectVec(s.view(v).plane.center, s.cursor());
}

TEST(ViewerState, ScrollStepsOneSliceAlongEachViewsNormal) {
  ViewerState s;  // axial, coronal, sagittal
  s.addLayer(grid({10, 10, 10, 1}, {0.5, 0.8, 2.0}));
  const Vec3 c0 = s.cursor();
  EXPECT_NEAR(s.sliceStepMm(0), 2.0, 1e-12);  // axial: along z
  EXPECT_NEAR(s.sliceStepMm(1), 0.8, 1e-12);  // coronal: along y
  EXPECT_NEAR(s.sliceStepMm(2), 0.5, 1e-12);  // sagittal: along x
  s.scroll(0, 2);
  expectVec(s.cursor(), c0 + Vec3{0, 0, 4.0});  // axial normal is +z (S)
  s.scroll(2, 1);
  expectVec(s.cursor(), c0 + Vec3{-0.5, 0, 4.0});  // sagittal normal is -x (R)
}

TEST(ViewerState, ScrollStopsAtTheEdgeOfTheVolume) {
  ViewerState s;
  s.addLayer(grid({4, 4, 3, 1}, {1, 1, 1}));
  s.scroll(0, 100);
  EXPECT_NEAR(s.cursor().z, 2.0, 1e-12);
  s.scroll(0, -100);
  EXPECT_NEAR(s.cursor().z, 0.0, 1e-12);
}

TEST(ViewerState, CursorSnapsToVoxelCentresOnlyWhileViewsAreAligned) {
  ViewerState s;
  s.addLayer(grid({10, 10, 10, 1}, {1, 1, 3}));
  s.setCursor({2.4, 3.6, 7.4});
  expectVec(s.cursor(), {2, 4, 6});  // k = 7.4/3 = 2.47 -> 2
  s.setCursorUnsnapped({2.4, 3.6, 7.4});  // a PET voxel's centre: exact, and snapping stays on
  expectVec(s.cursor(), {2.4, 3.6, 7.4});
  EXPECT_TRUE(s.snapping());
  s.setCursor({2.4, 3.6, 7.4});
  expectVec(s.cursor(), {2, 4, 6});
  s.rotateCrosshair(0, 0.3);
  EXPECT_EQ(s.view(1).orientation, Orientation::Oblique);
  s.setCursor({2.4, 3.6, 7.4});
  expectVec(s.cursor(), {2.4, 3.6, 7.4});
  s.setSnapping(false);
  s.reset();
  s.setCursor({2.4, 3.6, 7.4});
  expectVec(s.cursor(), {2.4, 3.6, 7.4});
}

// A gantry-tilted stack: slices are planes of constant k whose normal is z, but the stack
// direction is tilted. Axial views are aligned with it (snapping works); the slice step is the
// distance between slice planes along the normal.
TEST(ViewerState, ShearedStackStepsBySlicePlaneDistance) {
  ViewerState s;
  auto v = grid({8, 8, 8, 1}, {1, 1, 2});
  const double tilt = 20 * M_PI / 180;
  v->geometry.direction[2] = {0, std::sin(tilt), std::cos(tilt)};
  v->geometry.sheared = true;
  s.addLayer(v);
  EXPECT_NEAR(s.sliceStepMm(0), 2 * std::cos(tilt), 1e-9);
  const Vec3 c0 = s.cursor();
  s.scroll(0, 1);
  // One slice up: k + 1, at the same (i, j): the plane moved by 2 cos(tilt) along z.
  EXPECT_NEAR(s.cursor().z - c0.z, 2 * std::cos(tilt), 1e-9);
}

TEST(ViewerState, RotatingTheCrosshairTurnsTheOtherPlanesAboutThisNormal) {
  ViewerState s;
  s.addLayer(grid({10, 10, 10, 1}, {1, 1, 1}));
  const double a = 30 * M_PI / 180;
  s.rotateCrosshair(0, a);  // in the axial view: about +z
  expectVec(s.view(0).plane.right, {1, 0, 0});
  expectVec(s.view(1).plane.right, {std::cos(a), std::sin(a), 0});
  expectVec(s.view(1).plane.down, {0, 0, -1});
  expectVec(s.view(2).plane.right, {-std::sin(a), std::cos(a), 0});
  // Planes stay orthonormal and through the cursor.
  for (int v = 0; v < 3; ++v) {
    EXPECT_NEAR(dot(s.view(v).plane.right, s.view(v).plane.down), 0, 1e-12);
    expectVec(s.view(v).plane.center, s.cursor());
  }
  s.reset(1);
  EXPECT_EQ(s.view(1).orientation, Orientation::Coronal);
  expectVec(s.view(1).plane.right, {1, 0, 0});
}

// Zoom 1 fits the grid edge to edge; a viewport with the slice's physical aspect has no margin and
// its pixel centres fall on voxel centres when the sizes match.
TEST(ViewerState, PixelFrameFitsTheVolumeAndPutsPixelsOnVoxels) {
  ViewerState s;
  auto v = grid({512, 512, 40, 1}, {0.7, 0.7, 2.5}, {-180, -200, 50});
  s.addLayer(v);
  const PixelFrame f = s.pixelFrame(0, 512, 512);
  EXPECT_NEAR(f.mmPerPixel, 0.7, 1e-12);
  expectVec(f.worldAt(0, 0), {-180, -200, s.cursor().z});
  expectVec(f.worldAt(511, 511), {-180 + 511 * 0.7, -200 + 511 * 0.7, s.cursor().z});
  // Coronal of a 512 x 40 slice, 358.4 mm x 100 mm: a 1024 x 286 viewport (nearly that aspect).
  const PixelFrame c = s.pixelFrame(1, 1024, 286);
  EXPECT_NEAR(c.mmPerPixel, std::max(358.4 / 1024, 100.0 / 286), 1e-12);
  // Head (last slice, z max) at the top of the coronal image.
  EXPECT_GT(c.worldAt(0, 0).z, c.worldAt(0, 285).z);
  s.zoom(0, 2);
  EXPECT_NEAR(s.pixelFrame(0, 512, 512).mmPerPixel, 0.35, 1e-12);
  s.pan(0, 10, -5);
  const PixelFrame z = s.pixelFrame(0, 512, 512);
  expectVec(z.worldAt(255.5, 255.5), Vec3{-180 + 255.5 * 0.7 + 10, -200 + 255.5 * 0.7 - 5, s.cursor().z});
}

// A marker at a known patient position appears, in every plane through it, at the pixel whose
// world point is the marker.
TEST(ViewerState, AMarkerAtAKnownPositionIsAtTheSamePointInAllThreePlanes) {
  ViewerState s;
  auto v = grid({64, 48, 30, 1}, {0.9, 1.1, 3.0}, {-30, 12, -40});
  s.addLayer(v);
  const Vec3 marker = v->geometry.worldAt(40, 10, 7);
  s.setCursor(marker);
  expectVec(s.cursor(), marker);
  for (int view = 0; view < 3; ++view) {
    const PixelFrame f = s.pixelFrame(view, 400, 300);
    const auto p = f.pixelOf(marker);
    EXPECT_NEAR(p[2], 0, 1e-9) << "view " << view;  // in the plane
    expectVec(f.worldAt(p[0], p[1]), marker);
    EXPECT_GE(p[0], 0);
    EXPECT_LT(p[0], 400);
    EXPECT_GE(p[1], 0);
    EXPECT_LT(p[1], 300);
  }
  // Axial, radiological: i = 40 of 64 is on the patient's left, so right of centre; j = 10 of 48
  // is anterior, so above centre.
  const auto pa = s.pixelFrame(0, 400, 300).pixelOf(marker);
  EXPECT_GT(pa[0], 200);
  EXPECT_LT(pa[1], 150);
  s.setConvention(Convention::Neurological);
  EXPECT_LT(s.pixelFrame(0, 400, 300).pixelOf(marker)[0], 200);
}

TEST(ViewerState, PhaseIsClampedAndNotified) {
  ViewerState s;
  s.addLayer(grid({4, 4, 4, 10}, {1, 1, 1}));
  int phases = 0;
  auto sub = s.subscribe([&](const ChangeEvent& e) { phases += (e.what & kPhase) ? 1 : 0; });
  EXPECT_EQ(s.phaseCount(), 10);
  s.setPhase(3);
  EXPECT_EQ(s.phase(), 3);
  s.setPhase(99);
  EXPECT_EQ(s.phase(), 9);
  s.setPhase(9);  // no change, no notification
  s.setPhase(-4);
  EXPECT_EQ(s.phase(), 0);
  EXPECT_EQ(phases, 3);
}

TEST(ViewerState, ListenersHearWhatChangedAndStopWhenTheirSubscriptionEnds) {
  ViewerState s;
  s.addLayer(grid({8, 8, 8, 1}, {1, 1, 1}));
  std::vector<ChangeEvent> seen;
  {
    auto sub = s.subscribe([&](const ChangeEvent& e) { seen.push_back(e); });
    s.setZoomLinked(false);  // one view's camera: the event names that view
    s.zoom(2, 1.5);
    s.setMapping(0, dragWindow(s.layers()[0].mapping, 10, 0));
    s.scroll(0, 1);
  }
  s.scroll(0, 1);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].what, kCamera);
  EXPECT_EQ(seen[0].view, 2);
  EXPECT_EQ(seen[1].what, kMapping);  // a window change needs no reslice
  EXPECT_EQ(seen[1].layer, 0);
  EXPECT_EQ(seen[2].what & kCursor, kCursor);
}

TEST(ViewerState, OtherFramesOfReferenceAreUnlinkedUntilLinkedByAnOffset) {
  ViewerState s;
  s.addLayer(grid({8, 8, 8, 1}, {1, 1, 1}, {}, "1.1"));
  const int prior = s.addLayer(grid({8, 8, 8, 1}, {1, 1, 1}, {100, 0, 0}, "2.2"));
  s.setViewLayers(1, {prior});
  EXPECT_EQ(s.linkOf(0), LinkKind::Linked);
  EXPECT_EQ(s.linkOf(1), LinkKind::Unlinked);
  const Vec3 own = s.viewCursor(1);
  s.scroll(0, 2);  // moving the cursor in a linked view does not move the unlinked one
  expectVec(s.viewCursor(1), own);
  s.linkFrameByOffset("2.2", {100, 0, 0});
  EXPECT_EQ(s.linkOf(1), LinkKind::ManualOffset);
  expectVec(s.viewCursor(1), s.cursor() + Vec3{100, 0, 0});
  s.scroll(0, 1);
  expectVec(s.viewCursor(1), s.cursor() + Vec3{100, 0, 0});
}

// A new layout: views in the given orientations through the same cursor, each with its layers.
TEST(ViewerState, SetViewsMakesANewLayoutThroughTheSameCursor) {
  ViewerState s;
  auto v = grid({20, 20, 10, 1}, {1, 1, 2});
  s.addLayer(v);
  s.addLayer(v);
  s.setCursor(v->geometry.worldAt(3, 4, 5));
  const Vec3 c = s.cursor();
  s.setViews({Orientation::Axial, Orientation::Axial}, {{0}, {1}});
  ASSERT_EQ(s.viewCount(), 2);
  expectVec(s.cursor(), c);
  for (int w = 0; w < 2; ++w) {
    expectVec(s.view(w).plane.center, c);
    expectVec(s.view(w).plane.normal(), {0, 0, 1});  // axial looks from the feet: normal +z (S)
  }
  EXPECT_EQ(s.view(1).layers, std::vector<int>{1});
}

// Zoom is linked across views; pan only across parallel views (side by side); unlinking turns both off.
TEST(ViewerState, ZoomIsLinkedAndPanFollowsParallelViews) {
  ViewerState s({Orientation::Axial, Orientation::Axial, Orientation::Coronal});
  s.addLayer(grid({20, 20, 10, 1}, {1, 1, 2}));
  s.zoom(0, 2);
  for (int w = 0; w < 3; ++w) EXPECT_DOUBLE_EQ(s.view(w).zoom, 2) << w;
  s.pan(1, 5, -3);
  EXPECT_DOUBLE_EQ(s.view(0).panX, 5);
  EXPECT_DOUBLE_EQ(s.view(1).panY, -3);
  EXPECT_DOUBLE_EQ(s.view(2).panX, 0);
  s.setZoomLinked(false);
  s.zoom(2, 0.5);
  EXPECT_DOUBLE_EQ(s.view(0).zoom, 2);
  EXPECT_DOUBLE_EQ(s.view(2).zoom, 1);
}

// The layers of a frame (the own one first; a frame without a UID links nothing), a layer by its
// volume's serial, and the phase the views show of each volume: the state's, else the volume's last.
TEST(ViewerState, LayersOfAFrameByUidLayersBySerialAndEachVolumesPhase) {
  ViewerState s;
  const auto ct = grid({4, 4, 4, 5}, {1, 1, 1});              // 4D, frame 1.2.3
  const auto pet = grid({2, 2, 2, 1}, {2, 2, 2});             // static, frame 1.2.3
  const auto mr = grid({4, 4, 4, 3}, {1, 1, 1}, {}, "1.2.4");  // 3 phases, another frame
  const auto none = grid({4, 4, 4, 1}, {1, 1, 1}, {}, "");    // no frame
  s.addLayer(ct);
  s.addLayer(pet);
  s.addLayer(mr);
  s.addLayer(none);
  EXPECT_EQ(s.layersOfFrame(0), (std::vector<int>{0, 1}));
  EXPECT_EQ(s.layersOfFrame(1), (std::vector<int>{1, 0}));
  EXPECT_EQ(s.layersOfFrame(2), (std::vector<int>{2}));
  EXPECT_EQ(s.layersOfFrame(3), (std::vector<int>{3}));
  EXPECT_TRUE(s.layersOfFrame(4).empty());
  EXPECT_EQ(s.layerOfSerial(pet->serial()), 1);
  EXPECT_EQ(s.layerOfSerial(none->serial()), 3);
  EXPECT_EQ(s.layerOfSerial(0), -1);
  s.removeLayer(1);
  EXPECT_EQ(s.layerOfSerial(pet->serial()), -1);
  EXPECT_EQ(s.layerOfSerial(mr->serial()), 1) << "found by serial after the shift";
  s.setPhase(3);
  EXPECT_EQ(s.phaseOf(*ct), 3);
  EXPECT_EQ(s.phaseOf(*pet), 0);
  EXPECT_EQ(s.phaseOf(*mr), 2);
}
