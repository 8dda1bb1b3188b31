// `cinevox render` through the real executable, on the demo study (docs/demo.md); the PNGs are
// decoded with Qt's QImage (a decoder independent of io::writePng).
#include <gtest/gtest.h>

#include <QImage>
#include <QString>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <cvx/io/dicom.h>

#include "render_cli_util.h"
#include "run_command.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using cvx::test::run;
using cvx::test::Render;
using cvx::test::dicomWindow;
using cvx::test::Grey;

namespace {


// CT axial, slice 60 of 120 (z = -119 + 2 * 60 = +1 mm: the liver with its lesion), at the grid's
// native size 256 x 256 (0.9 mm per pixel, so pixel centres are voxel centres). Expected at pixel
// (px, py): the voxel at x = (px - 127.5) 0.9, y = (py - 127.5) 0.9, z = 1 (docs/demo.md; radiological:
// +x, the patient's left, to the screen's right), read from the volume with cvx::io, stored *
// slope + intercept, through the DICOM window 40/400. Tolerance: 1 grey level (float rounding).
TEST_F(Render, CtAxialAtNativeSizeMatchesTheWindowedVoxels) {
  const Out o = render(demo("CT") + " --view axial --slice 60 --wl 40,400 --size 256x256");
  ASSERT_EQ(o.rc, 0) << o.msg;
  ASSERT_EQ(o.img.width, 256);
  ASSERT_EQ(o.img.height, 256);
  EXPECT_TRUE(o.img.grey);
  auto vol = cvx::io::loadPath(demo("CT"));
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const cvx::Volume& v = **vol;
  const cvx::Mat4 toVoxel = v.geometry.voxelFromWorld();
  const double slope = v.info.rescaleApplied ? 1 : v.info.rescaleSlope;
  const double intercept = v.info.rescaleApplied ? 0 : v.info.rescaleIntercept;
  int worst = 0, lesion = 0, liver = 0;
  for (int py = 0; py < 256; ++py)
    for (int px = 0; px < 256; ++px) {
      const cvx::Vec3 idx = toVoxel.applyPoint({(px - 127.5) * 0.9, (py - 127.5) * 0.9, 1.0});
      ASSERT_NEAR(idx.x, std::round(idx.x), 1e-3);
      ASSERT_NEAR(idx.z, std::round(idx.z), 1e-3);
      const double hu = v.valueAt(std::lround(idx.x), std::lround(idx.y), std::lround(idx.z)) * slope + intercept;
      const double expected = dicomWindow(hu, 40, 400);
      worst = std::max(worst, static_cast<int>(std::abs(o.img.at(px, py) - expected) + 0.5));
      if (hu == 60) ++lesion;
      if (hu == 100) ++liver;
    }
  EXPECT_LE(worst, 1);
  EXPECT_GT(lesion, 100);  // the slice does cut the lesion and the liver
  EXPECT_GT(liver, 1000);
  // The lesion (x = -50, y = -5: the patient's right) is on the screen's left: 60 HU -> level 141.
  EXPECT_NEAR(o.img.at(72, 122), dicomWindow(60, 40, 400), 1);
  // --mm 1 is the same plane; --neurological mirrors it left to right.
  const Out mm = render(demo("CT") + " --view axial --mm 1 --wl 40,400 --size 256x256");
  ASSERT_EQ(mm.rc, 0) << mm.msg;
  EXPECT_EQ(mm.img.v, o.img.v);
  const Out neuro = render(demo("CT") + " --view axial --slice 60 --wl 40,400 --size 256x256 --neurological");
  ASSERT_EQ(neuro.rc, 0) << neuro.msg;
  int mismatched = 0;
  for (int py = 0; py < 256; ++py)
    for (int px = 0; px < 256; ++px) mismatched += std::abs(neuro.img.at(255 - px, py) - o.img.at(px, py)) > 1;
  EXPECT_EQ(mismatched, 0);
}

// OBLIQUE: the 1000-sphere at (+30, 0, 0) is on the patient's left only. In the axial plane z = 0
// (window 850/100: only that sphere is bright) its centroid is on the screen's right (radiological)
// at the pixel the fit predicts (the grid's bounding box, edge to edge, aspect kept), within 1.5
// pixels; with --neurological on the left, mirrored.
TEST_F(Render, ObliqueLeftMarkerIsOnTheRightInRadiologicalAndLeftInNeurological) {
  auto vol = cvx::io::loadPath(demo("OBLIQUE"));
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const auto& d = (*vol)->dims();
  double lo[2] = {1e9, 1e9}, hi[2] = {-1e9, -1e9};
  for (int c = 0; c < 8; ++c) {
    const cvx::Vec3 w = (*vol)->geometry.worldAt(c & 1 ? d[0] - 0.5 : -0.5, c & 2 ? d[1] - 0.5 : -0.5,
                                                 c & 4 ? d[2] - 0.5 : -0.5);
    for (int a = 0; a < 2; ++a) lo[a] = std::min(lo[a], w[a]), hi[a] = std::max(hi[a], w[a]);
  }
  const int size = 300;
  const double mpp = std::max(hi[0] - lo[0], hi[1] - lo[1]) / size;
  const double dx = (30 - (lo[0] + hi[0]) / 2) / mpp, dy = (0 - (lo[1] + hi[1]) / 2) / mpp;
  for (const bool neuro : {false, true}) {
    const Out o = render(demo("OBLIQUE") + " --view axial --mm 0 --wl 850,100 --size 300x300" +
                         (neuro ? " --neurological" : ""));
    ASSERT_EQ(o.rc, 0) << o.msg;
    double sx = 0, sy = 0, n = 0;
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        if (o.img.at(x, y) >= 128) sx += x, sy += y, n += 1;
    ASSERT_GT(n, 200) << "the marker (r 10 mm, ~" << 3.14 * 100 / (mpp * mpp) << " px) is missing";
    const double cx = (size - 1) / 2.0 + (neuro ? -dx : dx), cy = (size - 1) / 2.0 + dy;
    EXPECT_NEAR(sx / n, cx, 1.5) << (neuro ? "neurological" : "radiological");
    EXPECT_NEAR(sy / n, cy, 1.5);
    EXPECT_EQ(neuro, sx / n < size / 2.0);  // screen left only in neurological
    // Nothing bright at the mirrored place (-30, 0, 0).
    EXPECT_LT(o.img.at(static_cast<int>(std::lround((size - 1) / 2.0 + (neuro ? dx : -dx))),
                       static_cast<int>(std::lround(cy))), 10);
  }
}

// CT --mm 80 (snapped to the nearest slice, z = 79 or 81) cuts the lung nodule, sphere (55, -10, 80)
// r 5, 30 HU, in the left lung (-800 HU): in the lung window it is bright against dark lung at the
// pixel of (55, -10) (x 188.6, y 116.4); 20 mm lower (--mm 60) the same pixel is lung. A 10 mm MIP
// slab through z = 80 is >= the thin slice at every pixel.
TEST_F(Render, MmFindsTheLungNoduleAndAMipSlabIsNeverDarker) {
  const std::string common = " --view axial --wl -600,1500 --size 256x256";
  const Out thin = render(demo("CT") + " --mm 80" + common);
  ASSERT_EQ(thin.rc, 0) << thin.msg;
  const int nx = 189, ny = 116;
  EXPECT_NEAR(thin.img.at(nx, ny), dicomWindow(30, -600, 1500), 2);
  EXPECT_NEAR(thin.img.at(nx + 12, ny), dicomWindow(-800, -600, 1500), 2);  // 11 mm to the left: lung
  const Out below = render(demo("CT") + " --mm 60" + common);
  ASSERT_EQ(below.rc, 0) << below.msg;
  EXPECT_NEAR(below.img.at(nx, ny), dicomWindow(-800, -600, 1500), 2);
  const Out mip = render(demo("CT") + " --mm 80 --slab 10 --mode mip" + common);
  ASSERT_EQ(mip.rc, 0) << mip.msg;
  ASSERT_EQ(mip.img.v.size(), thin.img.v.size());
  int darker = 0, brighter = 0;
  for (size_t i = 0; i < thin.img.v.size(); ++i) {
    darker += mip.img.v[i] < thin.img.v[i];
    brighter += mip.img.v[i] > thin.img.v[i];
  }
  EXPECT_EQ(darker, 0);
  EXPECT_GT(brighter, 0);  // the ribs at other heights show through
  const Out minip = render(demo("CT") + " --mm 80 --slab 10 --mode minip" + common);
  ASSERT_EQ(minip.rc, 0) << minip.msg;
  for (size_t i = 0; i < thin.img.v.size(); ++i) darker += minip.img.v[i] > thin.img.v[i];
  EXPECT_EQ(darker, 0);
}

// Non-square sizes keep the aspect: the slice fits edge to edge in one direction, with background
// (black) margins in the other; coronal and sagittal CT have 256 and 256 slices.
TEST_F(Render, CoronalAndSagittalFitWithTheirAspect) {
  // Coronal CT: 230.4 mm wide (x), 240 mm high (z): at 200x100 the height fits (2.4 mm / px).
  const Out cor = render(demo("CT") + " --view coronal --slice 128 --size 200x100");
  ASSERT_EQ(cor.rc, 0) << cor.msg;
  EXPECT_EQ(cor.img.width, 200);
  EXPECT_EQ(cor.img.at(2, 50), 0);  // margin
  EXPECT_GT(cor.img.at(100, 50), 0);  // body
  const Out sag = render(demo("CT") + " --view sagittal --slice 255 --size 64x64");
  ASSERT_EQ(sag.rc, 0) << sag.msg;
  const Out beyond = render(demo("CT") + " --view sagittal --slice 256 --size 64x64");
  EXPECT_EQ(beyond.rc, 1);
  EXPECT_NE(beyond.msg.find("render.out_of_range"), std::string::npos) << beyond.msg;
}

// --phase picks a 4D series' phase, in 2D and 3D: the demo MR4D's blood pool has radius
// 25 + 10 cos(2 pi t / 10) mm (35 at phase 0, 15 at phase 5; docs/demo.md), value 1000, wall to
// r + 6 mm at 500, body 300, window 500/1000. Axial slice 12 (z = +2.5 mm) at the native 96 x 96
// (2.5 mm a pixel): pixel (57, 47) lies 23.8 mm from the axis, inside the pool at phase 0
// (1000 -> 255) and in the body at phase 5 (300 -> 76.6 by the standard's window). In 3D (MIP from
// the front) the brightest disc is the pool: its area scales with r^2 (5.4 times from phase 5 to 0).
// No --phase is phase 0; a phase outside 0..9 is render.out_of_range, a non-number render.bad_args.
TEST_F(Render, PhasePicksTheFourDPhaseIn2dAnd3d) {
  const std::string mr = demo("MR4D");
  const Out p0 = render(mr + " --view axial --slice 12 --size 96x96 --phase 0");
  const Out p5 = render(mr + " --view axial --slice 12 --size 96x96 --phase 5");
  const Out none = render(mr + " --view axial --slice 12 --size 96x96");
  ASSERT_EQ(p0.rc, 0) << p0.msg;
  ASSERT_EQ(p5.rc, 0) << p5.msg;
  ASSERT_EQ(none.rc, 0) << none.msg;
  ASSERT_EQ(p0.img.width, 96);
  EXPECT_NEAR(p0.img.at(57, 47), dicomWindow(1000, 500, 1000), 1.0);
  EXPECT_NEAR(p5.img.at(57, 47), dicomWindow(300, 500, 1000), 1.0);
  EXPECT_EQ(none.img.v, p0.img.v);
  auto brightest = [](const Grey& g) {
    int top = 0, n = 0;
    for (int v : g.v) top = std::max(top, v);
    for (int v : g.v) n += v >= top - 8;
    return n;
  };
  const std::string view3d = mr + " --view 3d --preset mip --projection parallel --size 96x96";
  const Out d0 = render(view3d + " --phase 0"), d5 = render(view3d + " --phase 5");
  ASSERT_EQ(d0.rc, 0) << d0.msg;
  ASSERT_EQ(d5.rc, 0) << d5.msg;
  const int n0 = brightest(d0.img), n5 = brightest(d5.img);
  EXPECT_GT(n5, 10);
  EXPECT_GT(n0, 3 * n5) << n0 << " pixels of the pool at phase 0, " << n5 << " at phase 5";
  EXPECT_LT(n0, 8 * n5) << n0 << " pixels of the pool at phase 0, " << n5 << " at phase 5";
  struct Case { std::string args, code; int rc; };
  const Case cases[] = {
      {mr + " --view axial --slice 12 --size 64x64 --phase 10", "render.out_of_range", 1},
      {mr + " --view axial --slice 12 --size 64x64 --phase -1", "render.out_of_range", 1},
      {mr + " --view 3d --preset mip --size 64x64 --phase 10", "render.out_of_range", 1},
      {mr + " --view axial --slice 12 --size 64x64 --phase one", "render.bad_args", 2},
      {demo("CT") + " --view axial --slice 1 --size 64x64 --phase 1", "render.out_of_range", 1},
  };
  for (const Case& c : cases) {
    const Out o = render(c.args);
    EXPECT_EQ(o.rc, c.rc) << c.args << "\n" << o.msg;
    EXPECT_NE(o.msg.find("error " + c.code), std::string::npos) << c.args << "\n" << o.msg;
    EXPECT_FALSE(o.written) << c.args;
  }
}

// Bad input: a coded error, a non-zero exit code (2 for usage, 1 otherwise), no PNG.
TEST_F(Render, BadInputGivesACodedErrorAndNoPng) {
  const std::string ct = demo("CT");
  struct Case { std::string args, code; int rc; };
  const Case cases[] = {
      {ct + " --view bogus --slice 1 --size 64x64", "render.bad_args", 2},
      {ct + " --view axial --slice 120 --size 64x64", "render.out_of_range", 1},
      {ct + " --view axial --slice -1 --size 64x64", "render.out_of_range", 1},
      {ct + " --view axial --mm 500 --size 64x64", "render.out_of_range", 1},
      {ct + " --view axial --slice 1 --size 0x0", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64", "render.bad_args", 2},
      {ct + " --view axial --slice x1 --size 64x64", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --mm 2 --size 64x64", "render.bad_args", 2},
      {ct + " --view axial --size 64x64", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64x64 --wl 40", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64x64 --wl 40,0", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64x64 --mode mip", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64x64 --slab 5 --mode max", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64x64 --bogus", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --size 64x64 --series nosuch", "series.not_found", 1},
      {"/nonexistent/path --view axial --slice 1 --size 64x64", "io.not_found", 1},
      {ct + " --view 3d --size 64x64", "render.bad_args", 2},  // no preset
      {ct + " --view 3d --preset ct-bone --slice 3 --size 64x64", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --azimuth 30 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --projection fisheye --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --zoom 0 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset no-such-preset --size 64x64", "tf.unknown_preset", 1},
      {ct + " --view 3d --preset ../ct-bone --size 64x64", "tf.unknown_preset", 1},
      {ct + " --view 3d --preset ct-bone --clip 0,0,0,0,0,0 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --clip 1,2,3 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --clip 1,2,3,4,5,6,7 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --clip 1,2,x,0,0,1 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --size 64x64 --clip", "render.bad_args", 2},
      {ct + " --view axial --slice 1 --clip 0,0,0,0,0,1 --size 64x64", "render.bad_args", 2},
      {ct + " --view 3d --preset ct-bone --size 64x64" + [] {
         std::string seven;
         for (int i = 0; i < 7; ++i) seven += " --clip 0,0,0,0,0,1";
         return seven;
       }(), "render.bad_args", 2},
  };
  for (const Case& c : cases) {
    const Out o = render(c.args);
    EXPECT_EQ(o.rc, c.rc) << c.args << "\n" << o.msg;
    EXPECT_NE(o.msg.find("error " + c.code), std::string::npos) << c.args << "\n" << o.msg;
    EXPECT_FALSE(o.written) << c.args;
  }
  // No --out at all, and --out without a value.
  auto [msg, rc] = run(std::string(CVX_CINEVOX) + " render " + ct + " --view axial --slice 1 --size 64x64 2>&1");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(msg.find("error render.bad_args"), std::string::npos) << msg;
  auto [msg2, rc2] = run(std::string(CVX_CINEVOX) + " render " + ct + " --view axial --slice 1 --size 64x64 --out 2>&1");
  EXPECT_EQ(rc2, 2);
  EXPECT_NE(msg2.find("error render.bad_args"), std::string::npos) << msg2;
}

}  // namespace
