// SPDX-License-Identifier: MIT
// The thumbnail of the demo CT: its middle slice (z = +-1 mm) drawn at 96 x 96 with the file's first
// window (ABDOMEN, C 40 / W 400). Expected grey levels come from docs/demo.md's phantom and the
// DICOM linear VOI function (PS3.3 C.11.2.1.2.1) worked by hand here.
#include <QImage>

#include <algorithm>
#include <cmath>

#include <cvx/demo/demo.h>
#include <cvx/io/dicom.h>
#include <cvx/studydb/thumbnail.h>

#include "studydb_test_util.h"

namespace cvx::test {
namespace {

// PS3.3 C.11.2.1.2.1 to 0..255: ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, clamped.
double voi(double hu, double c = 40, double w = 400) {
  return std::clamp(((hu - (c - 0.5)) / (w - 1) + 0.5) * 255.0, 0.0, 255.0);
}

// 96 pixels over the 256 x 0.9 mm = 230.4 mm grid, edge to edge: pixel centre of patient x or y
// (radiological: screen right = patient left = +x, screen down = posterior = +y).
int pixelOf(double mm) { return static_cast<int>(std::floor((mm + 115.2) / 2.4)); }

// The CT slice thumbnails are drawn from (trilinear between 0.9 mm voxels): a level within this
// of the region's value, at points >= 2 mm inside a region.
constexpr int kLevelTolerance = 2;

TEST(Thumbnail, DemoCtMiddleSliceShowsThePhantomWithTheFilesWindow) {
  ensureApp();
  TempDir tmp("cvx_thumb");
  ASSERT_TRUE(demo::writeDemoStudy(tmp.file("demo")).ok());
  auto scan = io::scan(tmp.file("demo/CT"));
  ASSERT_TRUE(scan.ok());
  const io::GroupResult groups = io::planSeries(*scan);
  ASSERT_EQ(groups.series.size(), 1u);
  auto png = studydb::renderThumbnailPng(*scan, groups.series[0], 96);
  ASSERT_TRUE(png.ok()) << png.error().str();
  const QImage img = QImage::fromData(*png, "PNG");
  ASSERT_EQ(img.width(), 96);
  ASSERT_EQ(img.height(), 96);
  auto level = [&](double x, double y) { return qRed(img.pixel(pixelOf(x), pixelOf(y))); };
  EXPECT_EQ(level(-114, -114), 0);                                      // air (-1000 HU), a corner
  EXPECT_NEAR(level(0, -60), voi(40), kLevelTolerance);                 // soft tissue, anterior midline
  EXPECT_NEAR(level(-35, 20), voi(100), kLevelTolerance);              // liver (patient right)
  EXPECT_NEAR(level(-50, -5), voi(60), kLevelTolerance);               // the liver lesion's centre
  EXPECT_NEAR(level(0, 45), voi(700), kLevelTolerance);                // vertebral marrow (white at W400)
  // Grey: R = G = B.
  EXPECT_EQ(qGreen(img.pixel(pixelOf(-35), pixelOf(20))), qRed(img.pixel(pixelOf(-35), pixelOf(20))));
}

TEST(Thumbnail, EmptyPlanIsAnErrorNotACrash) {
  io::ScanResult scan;
  io::SeriesPlan plan;
  auto png = studydb::renderThumbnailPng(scan, plan, 96);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, "studydb.thumbnail_failed");
}

}  // namespace
}  // namespace cvx::test
