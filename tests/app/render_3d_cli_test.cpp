// SPDX-License-Identifier: MIT
// `cinevox render --view 3d` through the real executable, on the demo study (docs/demo.md): the
// presets, --clip, --show-slice and --fuse; the PNGs decoded with Qt's QImage (render_cli_util.h).
#include <gtest/gtest.h>

#include <QImage>
#include <QString>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>

#include "render_cli_util.h"
#include "run_command.h"

using cvx::test::Render;
using cvx::test::run;
namespace fs = std::filesystem;

namespace {

// --view 3d draws the volume through a preset of resources/transfer_functions: from the front
// (azimuth 0) the demo CT's MIP shows the body in the middle of a black background, and seen from
// behind (azimuth 180) it is the mirror image (a parallel MIP does not depend on the ray's sense).
TEST_F(Render, ThreeDViewMipFromTheFrontMirrorsTheViewFromBehind) {
  const std::string ct = demo("CT");
  const Out front = render(ct + " --view 3d --preset mip --projection parallel --size 96x80");
  ASSERT_EQ(front.rc, 0) << front.msg;
  ASSERT_EQ(front.img.width, 96);
  ASSERT_EQ(front.img.height, 80);
  EXPECT_TRUE(front.img.grey);
  EXPECT_EQ(front.img.at(0, 0), 0);  // the corner is outside the framed box (camera_3d.h: a 5 % margin)
  EXPECT_GT(front.img.at(48, 40), 20);
  const Out back = render(ct + " --view 3d --preset mip --projection parallel --azimuth 180 --size 96x80");
  ASSERT_EQ(back.rc, 0) << back.msg;
  int worst = 0;
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 96; ++x) worst = std::max(worst, std::abs(front.img.at(x, y) - back.img.at(95 - x, y)));
  EXPECT_LE(worst, 2);
  const Out bone = render(ct + " --view 3d --preset ct-soft-tissue --elevation 30 --size 64x64");
  ASSERT_EQ(bone.rc, 0) << bone.msg;
  EXPECT_FALSE(bone.img.grey);  // a coloured preset
}

// --clip cuts the 3D view: the MIP of the two halves of an oblique plane (kept in turn) is the MIP
// of the whole, pixel for pixel (the maximum over a union is the larger of the maxima; a few grey
// levels where the cut moves a ray's samples), each half alone is darker somewhere, and each keeps
// the side its normal points to.
TEST_F(Render, ThreeDClipHalvesMaximiseToTheWhole) {
  const std::string mip = demo("CT") + " --view 3d --preset mip --projection parallel --size 96x80";
  const Out whole = render(mip);
  const Out a = render(mip + " --clip 10,0,0,1,0,1");
  const Out b = render(mip + " --clip 10,0,0,-1,0,-1");
  ASSERT_EQ(whole.rc, 0) << whole.msg;
  ASSERT_EQ(a.rc, 0) << a.msg;
  ASSERT_EQ(b.rc, 0) << b.msg;
  int off = 0, darkerA = 0, darkerB = 0;
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 96; ++x) {
      const int w = whole.img.at(x, y);
      off += std::abs(std::max(a.img.at(x, y), b.img.at(x, y)) - w) > 4;
      darkerA += a.img.at(x, y) < w - 20;
      darkerB += b.img.at(x, y) < w - 20;
    }
  EXPECT_LE(off, 96 * 80 / 100);
  EXPECT_GT(darkerA, 200);
  EXPECT_GT(darkerB, 200);
  // The side kept: the first keeps x + z >= 10 (the patient's left and head: the image's right and
  // top from the front), so what it lost lies left of and below what the second lost.
  double ax = 0, ay = 0, bx = 0, by = 0;
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 96; ++x) {
      const int w = whole.img.at(x, y);
      if (a.img.at(x, y) < w - 20) ax += x, ay += y;
      if (b.img.at(x, y) < w - 20) bx += x, by += y;
    }
  EXPECT_LT(ax / darkerA, bx / darkerB);
  EXPECT_GT(ay / darkerA, by / darkerB);
}

// --show-slice draws an MPR slice on its plane: from the front (parallel) the coronal slice through
// the volume's centre covers the body's section in the window's greys where the bone preset drew
// black, and moves with --at; the axial slice is edge-on from there and changes nothing, seen from
// above it changes the picture. Bad arguments and a point outside the volume are refused.
TEST_F(Render, ThreeDShowSliceDrawsTheMprPlane) {
  const std::string bone = demo("CT") + " --view 3d --preset ct-bone --projection parallel --size 96x80";
  const Out plain = render(bone);
  const Out coronal = render(bone + " --show-slice coronal");
  const Out back = render(bone + " --show-slice coronal --at 0,60,0");
  const Out axial = render(bone + " --show-slice axial");
  for (const Out* o : {&plain, &coronal, &back, &axial}) ASSERT_EQ(o->rc, 0) << o->msg;
  int added = 0, moved = 0, edgeOn = 0;
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 96; ++x) {
      added += plain.img.at(x, y) < 10 && coronal.img.at(x, y) > 40;
      moved += std::abs(back.img.at(x, y) - coronal.img.at(x, y)) > 20;
      edgeOn += std::abs(axial.img.at(x, y) - plain.img.at(x, y)) > 2;
    }
  EXPECT_GT(added, 96 * 80 / 10);
  EXPECT_GT(moved, 200);
  EXPECT_EQ(edgeOn, 0);
  const Out above = render(bone + " --elevation 60"), aboveAxial = render(bone + " --elevation 60 --show-slice axial");
  ASSERT_EQ(above.rc, 0) << above.msg;
  ASSERT_EQ(aboveAxial.rc, 0) << aboveAxial.msg;
  int faceOn = 0;
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 96; ++x) faceOn += std::abs(aboveAxial.img.at(x, y) - above.img.at(x, y)) > 20;
  EXPECT_GT(faceOn, 500);
  const Out outside = render(bone + " --show-slice coronal --at 0,0,5000");
  EXPECT_EQ(outside.rc, 1) << outside.msg;
  EXPECT_NE(outside.msg.find("render.out_of_range"), std::string::npos) << outside.msg;
  EXPECT_FALSE(outside.written);
  for (const std::string bad : {" --show-slice oblique", " --show-slice", " --at 1,2,3", " --show-slice coronal --at 1,2",
                                " --show-slice coronal --show-slice coronal"}) {
    const Out o = render(bone + bad);
    EXPECT_EQ(o.rc, 2) << bad << "\n" << o.msg;
  }
  const Out twoD = render(demo("CT") + " --view axial --slice 1 --size 64x64 --show-slice coronal");
  EXPECT_EQ(twoD.rc, 2) << twoD.msg;
}

// The slice shows the phase drawn: the demo 4D MR's blood pool (1000, white in its window 500/1000)
// is a sphere of radius 35 mm at phase 0 and 15 mm at phase 5 (docs/demo.md). Seen from the front with
// the coronal slice through its centre and the half in front cut away, the white disc's widest row
// (along x, sampled every 2.5 mm: in z the 5 mm slices' interpolation narrows it) is 15/35 of it.
TEST_F(Render, ThreeDShowSliceDrawsThePhase) {
  const std::string mr = demo("MR4D") + " --view 3d --preset mr-default --projection parallel --size 96x96"
                                        " --show-slice coronal --clip 0,0,0,0,1,0";
  const Out p0 = render(mr), p5 = render(mr + " --phase 5");
  ASSERT_EQ(p0.rc, 0) << p0.msg;
  ASSERT_EQ(p5.rc, 0) << p5.msg;
  auto widest = [](const cvx::test::Grey& img) {
    int best = 0;
    for (int y = 0; y < img.height; ++y) {
      int run = 0;
      for (int x = 0; x < img.width; ++x) best = std::max(best, run = img.at(x, y) > 240 ? run + 1 : 0);
    }
    return best;
  };
  const int w0 = widest(p0.img), w5 = widest(p5.img);
  EXPECT_GT(w0, 12);
  EXPECT_NEAR(static_cast<double>(w5) / w0, 15.0 / 35, 0.1) << w0 << " " << w5;
}

// Pixels of a PNG in a hot colour (red well above green and blue): their count and mean column.
int hotPixels(const std::string& png, double& meanX) {
  const QImage img(QString::fromStdString(png));
  int n = 0;
  double sx = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QRgb p = img.pixel(x, y);
      if (qRed(p) > 120 && qRed(p) > qGreen(p) + 50 && qRed(p) > qBlue(p) + 50) ++n, sx += x;
    }
  meanX = n ? sx / n : std::numeric_limits<double>::quiet_NaN();
  return n;
}

// --fuse draws a second series in the same pass: the demo PET (frame F, as the CT's) over the CT's
// bones. Its liver lesion (SUV 8 around LPS (-50, -5, 0) mm, docs/demo.md) lies on the patient's
// right, which from the front (azimuth 0) is the image's left: the hot pixels the PET adds lie left
// of the middle, and the CT alone has (almost) none. The MR (its own frame of reference) is refused,
// and so are an unknown series and an MIP preset (which draws the volume alone).
TEST_F(Render, ThreeDFusesThePetOverTheCtAndRefusesAnotherFrame) {
  const cvx::test::TempDir out("cvx_render_fuse");
  const std::string base =
      std::string(CVX_CINEVOX) + " render " + demo("CT") + " --view 3d --preset ct-bone --size 96x96";
  auto [m1, rc1] = run(base + " --out " + out.file("ct.png") + " 2>&1");
  ASSERT_EQ(rc1, 0) << m1;
  auto [m2, rc2] = run(base + " --fuse " + demo("PET") + " --out " + out.file("fused.png") + " 2>&1");
  ASSERT_EQ(rc2, 0) << m2;
  double xCt = 0, xFused = 0;
  const int nCt = hotPixels(out.file("ct.png"), xCt), nFused = hotPixels(out.file("fused.png"), xFused);
  EXPECT_GT(nFused, nCt + 20) << nCt << " hot pixels without the PET, " << nFused << " with it";
  EXPECT_LT(xFused, 48.0) << "the lesion is on the patient's right";
  struct Case { std::string args, code; int rc; };
  const Case cases[] = {
      {" --fuse " + demo("MR4D"), "render.fusion_frame", 1},
      {" --fuse nosuch", "series.not_found", 1},
      {" --fuse " + demo("PET") + " --fuse-preset no-such-preset", "tf.unknown_preset", 1},
      {" --fuse " + demo("PET") + " --fuse-preset mip", "render.fusion_off", 1},
      {" --fuse-preset pet-hot-iron", "render.bad_args", 2},
  };
  for (const Case& c : cases) {
    const std::string png = out.file("refused.png");
    auto [msg, rc] = run(base + c.args + " --out " + png + " 2>&1");
    EXPECT_EQ(rc, c.rc) << c.args << "\n" << msg;
    EXPECT_NE(msg.find("error " + c.code), std::string::npos) << c.args << "\n" << msg;
    EXPECT_FALSE(fs::exists(png)) << c.args;
  }
  const Out twoD = render(demo("CT") + " --view axial --slice 1 --size 64x64 --fuse " + demo("PET"));
  EXPECT_EQ(twoD.rc, 2) << twoD.msg;
}

}  // namespace
