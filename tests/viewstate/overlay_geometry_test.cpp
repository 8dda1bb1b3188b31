// SPDX-License-Identifier: MIT
// Overlay geometry: reference lines, scale bar, edge letters and markers. Expected values come
// from the grid's definition worked by hand: a 100 x 80 x 50 grid of 1 mm voxels at the origin,
// drawn axially in a 100 x 80 viewport, covers x in [-0.5, 99.5] and y in [-0.5, 79.5] mm at exactly
// 1 mm per pixel, so axial pixel (x, y) is at LPS (x, y) (radiological: screen right = +x = L).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <numbers>

#include <cvx/viewstate/overlay.h>

using namespace cvx;
using namespace cvx::view;

namespace {

std::shared_ptr<Volume> grid100x80x50() {
  auto v = Volume::create(PixelType::Int16, {100, 80, 50, 1});
  EXPECT_TRUE(v.ok());
  (*v)->info.modality = "CT";
  (*v)->info.frameOfReferenceUid = "1.2.3";
  return *v;
}

std::vector<ReferenceLine> linesOf(const std::vector<ReferenceLine>& all, int view) {
  std::vector<ReferenceLine> out;
  for (const auto& l : all)
    if (l.view == view) out.push_back(l);
  return out;
}

// The end points in either order.
void expectSegment(const ReferenceLine& l, double x0, double y0, double x1, double y1, double tol = 1e-9) {
  const bool forward = std::abs(l.x0 - x0) + std::abs(l.y0 - y0) <= std::abs(l.x0 - x1) + std::abs(l.y0 - y1);
  if (!forward) {
    std::swap(x0, x1);
    std::swap(y0, y1);
  }
  EXPECT_NEAR(l.x0, x0, tol);
  EXPECT_NEAR(l.y0, y0, tol);
  EXPECT_NEAR(l.x1, x1, tol);
  EXPECT_NEAR(l.y1, y1, tol);
}

}  // namespace

TEST(ReferenceLines, AxialViewShowsTheCoronalPlaneAsARowAndTheSagittalAsAColumn) {
  ViewerState s;  // axial, coronal, sagittal
  s.addLayer(grid100x80x50());
  s.setCursor({30, 20, 10});
  const auto lines = referenceLines(s, 0, 100, 80);
  ASSERT_EQ(lines.size(), 2u);
  const auto coronal = linesOf(lines, 1), sagittal = linesOf(lines, 2);
  ASSERT_EQ(coronal.size(), 1u);
  ASSERT_EQ(sagittal.size(), 1u);
  EXPECT_EQ(coronal[0].orientation, Orientation::Coronal);
  EXPECT_EQ(coronal[0].kind, ReferenceKind::Plane);
  // Coronal plane y = 20: the row 20, from the grid's left edge to its right edge.
  expectSegment(coronal[0], -0.5, 20, 99.5, 20);
  // Sagittal plane x = 30: the column 30, top edge to bottom edge.
  expectSegment(sagittal[0], 30, -0.5, 30, 79.5);
}

TEST(ReferenceLines, CoronalViewShowsTheAxialPlaneAtTheCursorsHeight) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  s.setCursor({30, 20, 10});
  // Coronal: right = +x, down = -z; the grid spans x [-0.5, 99.5], z [-0.5, 49.5]: a 100 x 50
  // viewport at 1 mm per pixel puts z = 49.5 at the top edge (y = -0.5), so row = 49 - z.
  const auto axial = linesOf(referenceLines(s, 1, 100, 50), 0);
  ASSERT_EQ(axial.size(), 1u);
  expectSegment(axial[0], -0.5, 49 - 10, 99.5, 49 - 10);
}

TEST(ReferenceLines, RotatedCrosshairLinesHaveTheRotationAngle) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  s.setCursor({50, 40, 25});
  const double angle = std::numbers::pi / 4;
  s.rotateCrosshair(0, angle);  // coronal and sagittal turn about the axial normal (+z)
  const auto lines = referenceLines(s, 0, 100, 80);
  const auto coronal = linesOf(lines, 1), sagittal = linesOf(lines, 2);
  ASSERT_EQ(coronal.size(), 1u);
  ASSERT_EQ(sagittal.size(), 1u);
  EXPECT_EQ(coronal[0].orientation, Orientation::Oblique);
  // The coronal plane's screen-right (1,0,0) turned by +45 deg about +z is (cos, sin, 0): in axial
  // pixels (x right, y down = +y) the line rises at +45 deg through the cursor (50, 40). It meets
  // the grid's edges at y = -0.5 (x = 9.5) and y = 79.5 (x = 89.5).
  expectSegment(coronal[0], 9.5, -0.5, 89.5, 79.5);
  const double a = std::atan2(coronal[0].y1 - coronal[0].y0, coronal[0].x1 - coronal[0].x0);
  EXPECT_NEAR(std::remainder(a - angle, std::numbers::pi), 0, 1e-12);
  // The sagittal line is perpendicular (-45 deg): y - 40 = -(x - 50); the side edges (x = -0.5 and
  // 99.5) give y = 90.5 and -9.5, outside, so it ends on the top (x = 90.5) and bottom (x = 10.5).
  expectSegment(sagittal[0], 90.5, -0.5, 10.5, 79.5);
}

TEST(ReferenceLines, SlabFacesAreHalfTheSlabEitherSideAndClipped) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  s.setCursor({30, 20, 10});
  s.setSlab(1, 10, SlabMode::Mip);
  auto coronal = linesOf(referenceLines(s, 0, 100, 80), 1);
  ASSERT_EQ(coronal.size(), 3u);
  // The coronal normal is right x down = (1,0,0) x (0,0,-1) = (0,1,0): the back face is at y + 5.
  for (const auto& l : coronal) {
    const double row = l.kind == ReferenceKind::Plane ? 20 : (l.kind == ReferenceKind::SlabFront ? 15 : 25);
    expectSegment(l, -0.5, row, 99.5, row);
  }
  // Near the grid's front edge the front face (y = -3) misses the grid: no line for it.
  s.setCursor({30, 2, 10});
  coronal = linesOf(referenceLines(s, 0, 100, 80), 1);
  ASSERT_EQ(coronal.size(), 2u);
  for (const auto& l : coronal) EXPECT_NE(l.kind, ReferenceKind::SlabFront);
}

TEST(ReferenceLines, ParallelPlanesGiveNone) {
  ViewerState s({Orientation::Axial, Orientation::Axial, Orientation::Coronal});
  s.addLayer(grid100x80x50());
  const auto lines = referenceLines(s, 0, 100, 80);
  EXPECT_TRUE(linesOf(lines, 1).empty());
  EXPECT_EQ(linesOf(lines, 2).size(), 1u);
  EXPECT_TRUE(referenceLines(ViewerState(), 0, 100, 80).empty());  // no layer
}

TEST(ReferenceLines, ZoomAndPanMoveTheLinesWithTheImage) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  s.setCursor({30, 20, 10});
  s.zoom(0, 2);  // 0.5 mm per pixel
  s.pan(0, 10, 0);  // the view centre moves 10 mm towards +x
  const auto coronal = linesOf(referenceLines(s, 0, 100, 80), 1);
  ASSERT_EQ(coronal.size(), 1u);
  // pixel = (49.5, 39.5) + (world - centre) / 0.5 with centre (59.5, 39.5): y = 20 -> 0.5; x from
  // -0.5 -> -70.5 to 99.5 -> 129.5.
  expectSegment(coronal[0], -70.5, 0.5, 129.5, 0.5);
}

TEST(ScaleBar, PicksTheLongestNiceLengthThatFits) {
  struct Case {
    double mmPerPixel, maxPixels, length, next;  // next: the nice length above (1 -> 2 -> 5 -> 10)
  };
  for (const Case& c : {Case{0.7, 100, 50, 100}, Case{1.0, 100, 100, 200}, Case{1.0, 99, 50, 100},
                        Case{0.3, 100, 20, 50}, Case{0.013, 100, 1, 2}, Case{0.004, 100, 0.2, 0.5},
                        Case{2.5, 150, 200, 500}, Case{12, 100, 1000, 2000}}) {
    const ScaleBar b = scaleBar(c.mmPerPixel, c.maxPixels);
    EXPECT_NEAR(b.length, c.length, c.length * 1e-12) << c.mmPerPixel << " " << c.maxPixels;
    EXPECT_NEAR(b.pixels, c.length / c.mmPerPixel, 1e-9);
    EXPECT_LE(b.pixels, c.maxPixels + 1e-9);
    EXPECT_GT(c.next / c.mmPerPixel, c.maxPixels);  // the case itself is right: the next one does not fit
  }
  EXPECT_EQ(scaleBar(0.7, 100).label, "50 mm");
  EXPECT_EQ(scaleBar(0.004, 100).label, "0.2 mm");
  EXPECT_EQ(scaleBar(0.7, 100, false).label, "50 px");
  EXPECT_EQ(scaleBar(0, 100).length, 0);
  EXPECT_EQ(scaleBar(1, 0).length, 0);
  EXPECT_TRUE(scaleBar(std::nan(""), 100).label.empty());
}

TEST(EdgeLabels, StandardViewsInTheRadiologicalConvention) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  const EdgeLabels axial = edgeLabels(s, 0), coronal = edgeLabels(s, 1), sagittal = edgeLabels(s, 2);
  // Axial from the feet: patient's right on the screen's left, anterior at the top.
  EXPECT_EQ(axial.left + axial.right + axial.top + axial.bottom, "RLAP");
  EXPECT_EQ(coronal.left + coronal.right + coronal.top + coronal.bottom, "RLSI");
  EXPECT_EQ(sagittal.left + sagittal.right + sagittal.top + sagittal.bottom, "APSI");
}

TEST(Marker, APatientPositionLandsOnItsPixel) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  s.setCursor({30, 20, 10});
  const MarkerPixel m = pixelOf(s, 0, {12, 34, 13}, 100, 80);
  EXPECT_NEAR(m.x, 12, 1e-9);
  EXPECT_NEAR(m.y, 34, 1e-9);
  EXPECT_NEAR(m.distanceMm, 3, 1e-9);  // axial normal is +z, the plane is at z = 10
  EXPECT_TRUE(m.inViewport);
  EXPECT_FALSE(pixelOf(s, 0, {120, 34, 10}, 100, 80).inViewport);
  EXPECT_FALSE(pixelOf(s, 0, {-0.6, 34, 10}, 100, 80).inViewport);
  EXPECT_TRUE(pixelOf(s, 0, {-0.4, 34, 10}, 100, 80).inViewport);
}

TEST(ReferenceLines, ClippedToAShearedGridAtTheCursorsHeight) {
  // A gantry-tilt stack: voxel (i, j, k) at (i, j + k sin t, k cos t) mm, t = 20 deg. At height z the
  // grid's cross-section is x in [-0.5, 9.5] and y in [-0.5, 9.5] shifted by z tan t (the slab of
  // k in [-0.5, 9.5] holds z = 4 cos t well inside).
  auto v = Volume::create(PixelType::Int16, {10, 10, 10, 1});
  ASSERT_TRUE(v.ok());
  const double t = 20 * std::numbers::pi / 180;
  (*v)->geometry.direction[2] = {0, std::sin(t), std::cos(t)};
  (*v)->geometry.sheared = true;
  ViewerState s;
  s.addLayer(*v);
  s.setSnapping(false);
  const Vec3 cursor{3, 2 + 4 * std::sin(t), 4 * std::cos(t)};  // voxel (3, 2, 4)
  s.setCursor(cursor);
  const auto sagittal = linesOf(referenceLines(s, 0, 200, 200), 2);
  ASSERT_EQ(sagittal.size(), 1u);
  const double shift = cursor.z * std::tan(t);
  const PixelFrame f = s.pixelFrame(0, 200, 200);
  const auto a = f.pixelOf({3, -0.5 + shift, cursor.z}), b = f.pixelOf({3, 9.5 + shift, cursor.z});
  expectSegment(sagittal[0], a[0], a[1], b[0], b[1], 1e-6);
}

TEST(EdgeLabels, NeurologicalConventionMirrorsAxialAndCoronal) {
  ViewerState s;
  s.addLayer(grid100x80x50());
  s.setConvention(Convention::Neurological);
  const EdgeLabels axial = edgeLabels(s, 0), coronal = edgeLabels(s, 1);
  EXPECT_EQ(axial.left + axial.right, "LR");
  EXPECT_EQ(coronal.left + coronal.right, "LR");
  EXPECT_EQ(axial.top + axial.bottom, "AP");
}
