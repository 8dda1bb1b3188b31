// SPDX-License-Identifier: MIT
// `cinevox render --seg FILE` through the real executable on the demo CT (render_seg_cli_util.h): an
// axial slice through the ball is the slice without it blended half-way to the segment's colour
// inside the ball (the documented 2D fill, worked out here from the plain slice's pixels) and
// unchanged far from it; bad arguments and a missing file are refused.
#include <gtest/gtest.h>

#include "render_seg_cli_util.h"

namespace {

using cvx::test::RenderSeg;

TEST_F(RenderSeg, AxialSliceThroughTheBallIsFilledAtHalfOpacity) {
  const std::string base = demo("CT") + " --view axial --mm " + std::to_string(centre_.z) + " --size 128x128";
  int rc = 0;
  std::string msg;
  const QImage plain = png(base, rc, msg);
  ASSERT_EQ(rc, 0) << msg;
  const QImage filled = png(base + " --seg " + labels_, rc, msg);
  ASSERT_EQ(rc, 0) << msg;
  ASSERT_EQ(filled.size(), plain.size());
  // The ball's centre is the cursor's, the slice's middle; its radius of 40 mm covers many pixels
  // round it. The fill: u + (c - u) x 0.5 per channel, rounded (seg_overlay.h).
  int inside = 0;
  for (int y = 60; y < 68; ++y)
    for (int x = 60; x < 68; ++x) {
      const QRgb u = plain.pixel(x, y), f = filled.pixel(x, y);
      const int want[3] = {qRed(u) + (rgb_[0] - qRed(u)) / 2, qGreen(u) + (rgb_[1] - qGreen(u)) / 2,
                           qBlue(u) + (rgb_[2] - qBlue(u)) / 2};
      EXPECT_NEAR(qRed(f), want[0], 1) << x << "," << y;
      EXPECT_NEAR(qGreen(f), want[1], 1) << x << "," << y;
      EXPECT_NEAR(qBlue(f), want[2], 1) << x << "," << y;
      ++inside;
    }
  EXPECT_EQ(inside, 64);
  EXPECT_EQ(filled.pixel(2, 2), plain.pixel(2, 2));  // a corner, far from the ball
}

TEST_F(RenderSeg, BadSegArgumentsAreRefused) {
  const std::string base = demo("CT") + " --view 3d --preset ct-bone --size 64x64";
  struct Case {
    std::string args, code;
    int rc;
  };
  const Case cases[] = {
      {" --seg " + labels_ + " --surface-opacity 2", "render.bad_args", 2},
      {" --surface-opacity 0.5", "render.bad_args", 2},
      {" --seg /no/such/file.nrrd", "io.open_failed", 1},
      {" --seg /no/such/file.dcm", "io.not_found", 1},
      {" --seg " + demo("CT"), "seg.bad_file", 1},  // a folder, not a segmentation
  };
  for (const Case& c : cases) {
    int rc = 0;
    std::string msg;
    const QImage im = png(base + c.args, rc, msg);
    EXPECT_EQ(rc, c.rc) << c.args << "\n" << msg;
    EXPECT_NE(msg.find("error " + c.code), std::string::npos) << c.args << "\n" << msg;
    EXPECT_TRUE(im.isNull()) << c.args;
  }
  int rc = 0;
  std::string msg;
  png(demo("CT") + " --view axial --slice 1 --size 64x64 --surface-opacity 0.5 --seg " + labels_, rc, msg);
  EXPECT_EQ(rc, 2) << msg;  // a surface's opacity is for 3D
  png(demo("CT") + " --view axial --slice 1 --size 64x64 --cut-surfaces --seg " + labels_, rc, msg);
  EXPECT_EQ(rc, 2) << msg;  // so are the cuts
  EXPECT_NE(msg.find("need --view 3d"), std::string::npos) << msg;
}

}  // namespace
