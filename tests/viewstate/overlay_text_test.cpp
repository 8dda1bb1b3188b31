// SPDX-License-Identifier: MIT
// Corner annotations: the exact lines for a known header and position (written here by hand from
// the header values and the grid's definition), PHI hidden, LOSSY with its ratio, slice numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include <cvx/viewstate/overlay.h>

#include "pet_header_util.h"

using namespace cvx;
using namespace cvx::view;

namespace {

using Lines = std::vector<std::string>;

SeriesInfo header() {
  SeriesInfo s;
  s.patientName = "DOE^JANE^Q";
  s.patientId = "PID-4711";
  s.patientBirthDate = "19600229";
  s.patientSex = "F";
  s.studyDescription = "CT CHEST";
  s.studyDate = "20240115";
  s.studyTime = "093012.5";
  s.accessionNumber = "ACC-99";
  s.seriesNumber = 3;
  s.seriesDescription = "Lung 1.0";
  s.modality = "CT";
  s.units = "HU";
  s.frameOfReferenceUid = "1.2.3";
  return s;
}

// 100 x 80 x 50 voxels of 1 mm at the origin (voxel centre (i, j, k) = (i, j, k) mm).
std::shared_ptr<Volume> grid(const SeriesInfo& info = header()) {
  auto v = Volume::create(PixelType::Int16, {100, 80, 50, 1});
  EXPECT_TRUE(v.ok());
  (*v)->info = info;
  return *v;
}

DisplayMapping window(double centre, double width) {
  DisplayMapping m;
  m.center = centre;
  m.width = width;
  return m;
}

bool anyLineContains(const CornerText& t, const std::string& needle) {
  for (const auto& c : t.corners)
    for (const auto& l : c)
      if (l.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(CornerText, AllFourCornersOfAnAxialCtView) {
  ViewerState s;
  s.addLayer(grid(), window(40, 400));
  s.setCursor({30, 20, 12});
  const CornerText t = cornerText(s, 0);
  EXPECT_EQ(t.at(Corner::TopLeft), (Lines{"DOE, JANE Q", "ID PID-4711", "1960-02-29  F"}));
  EXPECT_EQ(t.at(Corner::TopRight), (Lines{"CT CHEST", "2024-01-15 09:30  Acc ACC-99", "Se 3  Lung 1.0", "CT"}));
  // z = 12 mm is superior of the origin; the 13th of 50 axial slices; zoom 1 = the fit.
  EXPECT_EQ(t.at(Corner::BottomLeft), (Lines{"axial  S 12.0 mm", "slice 13/50", "zoom 1"}));
  EXPECT_EQ(t.at(Corner::BottomRight), (Lines{"W 400  L 40"}));
}

TEST(CornerText, HidePhiLeavesOutNameIdBirthDateAndAccessionOnly) {
  ViewerState s;
  s.addLayer(grid(), window(40, 400));
  const CornerText t = cornerText(s, 0, OverlayOptions{true});
  for (const char* phi : {"DOE", "JANE", "PID-4711", "1960", "ACC-99", "Acc"})
    EXPECT_FALSE(anyLineContains(t, phi)) << phi;
  EXPECT_EQ(t.at(Corner::TopLeft), (Lines{"F"}));
  EXPECT_EQ(t.at(Corner::TopRight), (Lines{"CT CHEST", "2024-01-15 09:30", "Se 3  Lung 1.0", "CT"}));
}

TEST(CornerText, SlicePositionAsRadiologistsReadIt) {
  // A grid whose origin is off the patient origin so that every coordinate can be negative.
  auto shifted = grid();
  shifted->geometry.originMm = {-60, -50, -40};
  ViewerState n;
  n.addLayer(shifted, window(40, 400));
  n.setCursor({-4, -20, -30});
  // LPS: z -30 is 30 mm inferior, y -20 is 20 mm anterior, x -4 is 4 mm to the patient's right.
  EXPECT_EQ(cornerText(n, 0).at(Corner::BottomLeft).front(), "axial  I 30.0 mm");
  EXPECT_EQ(cornerText(n, 1).at(Corner::BottomLeft).front(), "coronal  A 20.0 mm");
  EXPECT_EQ(cornerText(n, 2).at(Corner::BottomLeft).front(), "sagittal  R 4.0 mm");
  // Slice numbers: index = coordinate - origin along each axis, 1-based.
  EXPECT_EQ(cornerText(n, 0).at(Corner::BottomLeft)[1], "slice 11/50");
  EXPECT_EQ(cornerText(n, 1).at(Corner::BottomLeft)[1], "slice 31/80");
  EXPECT_EQ(cornerText(n, 2).at(Corner::BottomLeft)[1], "slice 57/100");
  // Zero is written without a sign, with the positive letter.
  n.setCursor({0, 0, 0});
  EXPECT_EQ(cornerText(n, 0).at(Corner::BottomLeft).front(), "axial  S 0.0 mm");
}

TEST(CornerText, ObliqueViewsHaveAPositionAlongTheirNormalButNoSliceNumber) {
  ViewerState s;
  s.addLayer(grid(), window(40, 400));
  s.setCursor({50, 40, 25});
  s.rotateCrosshair(0, std::numbers::pi / 6);  // the coronal normal (0,1,0) turns 30 deg about +z
  EXPECT_EQ(cornerText(s, 0).at(Corner::BottomLeft)[1], "slice 26/50");  // the axial view did not turn
  // Coronal normal (-sin 30, cos 30, 0) = (-0.5, 0.866, 0): mostly P, and R at least half as much:
  // "PR". The cursor's distance along it: -0.5 * 50 + 0.866 * 40 = 9.64 mm.
  const Lines coronal = cornerText(s, 1).at(Corner::BottomLeft);
  EXPECT_EQ(coronal.front(), "oblique  PR 9.6 mm");
  for (const auto& l : coronal) EXPECT_EQ(l.find("slice"), std::string::npos) << l;
  // Turned a further 60 deg the coronal plane is one of constant x again: it has a slice number
  // (x = 50 is the 51st of 100) and its normal is -x: the plane x = 50 is "L 50.0 mm".
  s.rotateCrosshair(0, std::numbers::pi / 3);
  const Lines turned = cornerText(s, 1).at(Corner::BottomLeft);
  EXPECT_EQ(turned[0], "oblique  L 50.0 mm");
  EXPECT_EQ(turned[1], "slice 51/100");
}

TEST(CornerText, SlabZoomAndPhase) {
  auto v = Volume::create(PixelType::Int16, {10, 10, 10, 3});
  ASSERT_TRUE(v.ok());
  (*v)->info = header();
  (*v)->timesMs = {0, 250, 500};
  ViewerState s;
  s.addLayer(*v, window(40, 400));
  s.setSlab(0, 10, SlabMode::Mip);
  s.setSlab(1, 5, SlabMode::MinIp);
  s.zoom(0, 2.5);
  s.setPhase(1);
  const Lines bl = cornerText(s, 0).at(Corner::BottomLeft);
  EXPECT_NE(std::find(bl.begin(), bl.end(), "slab 10.0 mm MIP"), bl.end());
  EXPECT_NE(std::find(bl.begin(), bl.end(), "zoom 2.5"), bl.end());
  EXPECT_NE(std::find(bl.begin(), bl.end(), "phase 2/3  250 ms"), bl.end());
  const Lines bl1 = cornerText(s, 1).at(Corner::BottomLeft);
  EXPECT_NE(std::find(bl1.begin(), bl1.end(), "slab 5.0 mm MinIP"), bl1.end());
  EXPECT_EQ(phaseLine(s), "phase 2/3  250 ms");  // the 3D view's header says it too
  (*v)->timesMs.clear();
  EXPECT_EQ(phaseLine(s), "phase 2/3");
  auto flat = Volume::create(PixelType::Int16, {10, 10, 10, 1});
  ASSERT_TRUE(flat.ok());
  ViewerState three;
  EXPECT_EQ(phaseLine(three), "");
  three.addLayer(*flat, window(40, 400));
  EXPECT_EQ(phaseLine(three), "");
  const Lines flatBl = cornerText(three, 0).at(Corner::BottomLeft);
  for (const auto& line : flatBl) EXPECT_EQ(line.rfind("phase", 0), std::string::npos) << line;
}

TEST(CornerText, AReducedLoadSaysSoWithItsFactors) {
  SeriesInfo info = header();
  ViewerState s;
  s.addLayer(grid(info), window(40, 400));
  EXPECT_EQ(cornerText(s, 0).at(Corner::BottomRight), (Lines{"W 400  L 40"}));
  info.reducedInPlane = info.reducedSlices = 2;
  EXPECT_EQ(cornerText(s, 0, {}, &info).at(Corner::BottomRight), (Lines{"W 400  L 40", "REDUCED 1/2"}));
  info.reducedSlices = 3;
  EXPECT_EQ(cornerText(s, 0, {}, &info).at(Corner::BottomRight)[1], "REDUCED 1/2 in-plane, 1/3 slices");
}

TEST(CornerText, LossyWithItsRatioAndMethod) {
  SeriesInfo info = header();
  info.lossyCompressed = true;
  info.lossyRatio = "10.5";
  info.lossyMethod = "ISO_10918_1";
  ViewerState s;
  s.addLayer(grid(info), window(40, 400));
  EXPECT_EQ(cornerText(s, 0).at(Corner::BottomRight), (Lines{"W 400  L 40", "LOSSY 10.5:1 JPEG"}));
  // Two lossy steps (a JPEG 2000 recompression of a JPEG): both ratios, in the file's order.
  info.lossyRatio = "10\\ 4.2 ";
  info.lossyMethod = "ISO_10918_1\\ISO_15444_1";
  EXPECT_EQ(cornerText(s, 0, {}, &info).at(Corner::BottomRight)[1], "LOSSY 10:1, 4.2:1 JPEG, JPEG 2000");
  // Lossy without a ratio in the file still says LOSSY.
  info.lossyRatio.clear();
  info.lossyMethod.clear();
  EXPECT_EQ(cornerText(s, 0, {}, &info).at(Corner::BottomRight)[1], "LOSSY");
  info.lossyCompressed = false;
  info.lossyRatio = "10";  // a ratio of 1 step that was not lossy is not a warning
  EXPECT_FALSE(anyLineContains(cornerText(s, 0, {}, &info), "LOSSY"));
}

TEST(CornerText, WindowInSuvForPetAndSpacingUnknown) {
  SeriesInfo info = header();
  info.modality = "PT";
  auto v = grid(info);
  v->geometry.spacingKnown = false;
  DisplayMapping m = window(3000, 6000);  // Bq/ml
  m.unitScale = 1e-3;                     // SUVbw per Bq/ml
  m.units = "SUVbw";
  ViewerState s;
  s.addLayer(v, m);
  EXPECT_EQ(cornerText(s, 0).at(Corner::BottomRight), (Lines{"W 6  L 3 SUVbw", "spacing unknown: lengths in px"}));
}

TEST(CornerText, NotLinkedViewSaysSo) {
  ViewerState s;
  s.addLayer(grid(), window(40, 400));
  SeriesInfo other = header();
  other.frameOfReferenceUid = "9.9";
  const int l = s.addLayer(grid(other), window(40, 400));
  s.setViewLayers(2, {l});
  const Lines bl = cornerText(s, 2).at(Corner::BottomLeft);
  EXPECT_EQ(bl.back(), "NOT LINKED (other frame of reference)");
  s.linkFrameByOffset("9.9", {1, 2, 3});
  EXPECT_EQ(cornerText(s, 2).at(Corner::BottomLeft).back(), "linked by manual offset");
  EXPECT_TRUE(cornerText(ViewerState(), 0).at(Corner::TopLeft).empty());  // no layer: nothing
}

TEST(ValueText, ModalityValueWithUnitsAndNothingOutside) {
  SeriesInfo info = header();
  EXPECT_EQ(valueText(info, 35.04), (Lines{"35.0 HU"}));
  EXPECT_TRUE(valueText(info, std::nan("")).empty());
  info.modality = "PT";
  info.units = "BQML";  // no weight or dose: no SUV, and the code that says why
  EXPECT_EQ(valueText(info, 1500), (Lines{"1500.0 BQML  no SUV: suv.missing_input"}));
  // With the SUV inputs (pet_header_util.h): 2000 Bq/ml is SUVbw 0.80 and SUL 0.80 x 0.5650716 =
  // 0.452; the lean body mass 45.2057 kg.
  test::setSulHeader(info);
  const Lines pet = valueText(info, 2000);
  ASSERT_EQ(pet.size(), 3u);
  EXPECT_EQ(pet[0], "SUVbw 0.80 (Bq/ml 2000.0)  SUL 0.45");
  EXPECT_EQ(pet[2], "LBM 45.2 kg (1.60 m, F)");
  info.patientSex = "";  // no SUL (the dock says why)
  const Lines noSul = valueText(info, 2000);
  ASSERT_EQ(noSul.size(), 2u);
  EXPECT_EQ(noSul[0], "SUVbw 0.80 (Bq/ml 2000.0)");
}

TEST(OverlayFormat, PersonNameAndDate) {
  EXPECT_EQ(formatPersonName("DOE^JANE^Q^Dr^PhD"), "DOE, JANE Q");
  EXPECT_EQ(formatPersonName("DOE"), "DOE");
  EXPECT_EQ(formatPersonName("^JANE"), "JANE");
  EXPECT_EQ(formatPersonName("Yamada^Tarou=\xe5\xb1\xb1\xe7\x94\xb0^\xe5\xa4\xaa\xe9\x83\x8e"), "Yamada, Tarou");
  EXPECT_EQ(formatPersonName(""), "");
  EXPECT_EQ(formatDicomDate("20240115"), "2024-01-15");
  EXPECT_EQ(formatDicomDate("2024"), "2024");
}
