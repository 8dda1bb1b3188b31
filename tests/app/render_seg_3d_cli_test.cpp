// SPDX-License-Identifier: MIT
// `cinevox render --view 3d --seg FILE` (render_seg_cli_util.h): the ball appears as a surface of the
// segment's hue, fewer of those pixels at --surface-opacity 0.3 and still more than without it. A clip
// plane through the ball's centre keeping the patient's left cuts the volume alone by default (the
// ball's hue on both halves of the image), and with --cut-surfaces the ball too: its hue only on the
// image's right half (the patient's left, seen from the front), the cut face capped. --keep-segment
// draws nothing outside the ball's disc (where its surface shows) and the ball's bone inside it,
// --remove-segment leaves every pixel outside it as it was (parallel rays there never meet the ball)
// and takes the ball's bone away inside it (the surface see-through).
#include <gtest/gtest.h>

#include "render_seg_cli_util.h"

namespace {

using cvx::test::RenderSeg;

TEST_F(RenderSeg, ThreeDDrawsTheBallsSurfaceTranslucentOnRequest) {
  const std::string base = demo("CT") + " --view 3d --preset ct-bone --projection parallel --size 128x128";
  int rc = 0;
  std::string msg;
  const int none = ofTheSegment(png(base, rc, msg));
  ASSERT_EQ(rc, 0) << msg;
  const int solid = ofTheSegment(png(base + " --seg " + labels_, rc, msg));
  ASSERT_EQ(rc, 0) << msg;
  const int faint = ofTheSegment(png(base + " --seg " + labels_ + " --surface-opacity 0.3", rc, msg));
  ASSERT_EQ(rc, 0) << msg;
  // A 40 mm ball seen whole is about pi x 40^2 mm^2: hundreds of the 128^2 pixels, less what is in front.
  EXPECT_GT(solid, none + 200) << none << " without the segment";
  EXPECT_LT(faint, solid - 100) << "translucent, it lets the bone behind show";
  EXPECT_GT(faint, none + 50) << "translucent, it is still drawn";
}

TEST_F(RenderSeg, CutSurfacesCutsTheBallAtTheClipPlane) {
  const std::string base = demo("CT") + " --view 3d --preset ct-bone --projection parallel --size 128x128 --seg " +
                           labels_ + " --clip " + std::to_string(centre_.x) + "," + std::to_string(centre_.y) + "," +
                           std::to_string(centre_.z) + ",1,0,0";
  // The segment's pixels left of column lo and right of column hi.
  auto sides = [](const QImage& im, int lo, int hi) {
    return std::pair{ofTheSegment(im.copy(0, 0, lo, im.height())),
                     ofTheSegment(im.copy(hi + 1, 0, im.width() - hi - 1, im.height()))};
  };
  int rc = 0;
  std::string msg;
  // The ball's centre is the volume's, where the camera looks: the plane is seen edge-on at column 64.
  const auto [wholeLeft, wholeRight] = sides(png(base, rc, msg), 60, 67);
  ASSERT_EQ(rc, 0) << msg;
  EXPECT_GT(wholeLeft, 100) << "the volume alone is cut: the ball is whole";
  EXPECT_GT(wholeRight, 100);
  const auto [cutLeft, cutRight] = sides(png(base + " --cut-surfaces", rc, msg), 60, 67);
  ASSERT_EQ(rc, 0) << msg;
  EXPECT_LT(cutLeft, 5) << "the patient's right half of the ball is cut away";
  EXPECT_GT(cutRight, wholeRight / 2) << "the kept half stays";
  // Refused without a clip, or without anything it could cut.
  png(demo("CT") + " --view 3d --preset ct-bone --size 64x64 --seg " + labels_ + " --cut-surfaces", rc, msg);
  EXPECT_NE(rc, 0);
  EXPECT_NE(msg.find("render.bad_args"), std::string::npos) << msg;
  png(demo("CT") + " --view 3d --preset ct-bone --size 64x64 --clip 0,0,0,1,0,0 --cut-surfaces", rc, msg);
  EXPECT_NE(rc, 0);
  EXPECT_NE(msg.find("--cut-surfaces needs --seg or --show-slice"), std::string::npos) << msg;
}

// Pixels that are not black.
int drawn(const QImage& im) {
  int n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) n += (im.pixel(x, y) & 0xFFFFFF) != 0;
  return n;
}

TEST_F(RenderSeg, KeepAndRemoveSegmentPunchTheVolumeRendering) {
  const std::string base = demo("CT") + " --view 3d --preset ct-bone --projection parallel --size 128x128";
  int rc = 0;
  std::string msg;
  const QImage plain = png(base, rc, msg);
  ASSERT_EQ(rc, 0) << msg;
  // The ball's disc on the image: where its surface's hue shows, 2 pixels wider.
  const QImage surface = png(base + " --seg " + labels_, rc, msg);
  ASSERT_EQ(rc, 0) << msg;
  QRect disc;
  for (int y = 0; y < surface.height(); ++y)
    for (int x = 0; x < surface.width(); ++x)
      if (ofTheSegment(surface.copy(x, y, 1, 1)) > 0) disc |= QRect(x, y, 1, 1);
  ASSERT_GT(disc.width(), 20);
  disc.adjust(-2, -2, 2, 2);
  const auto outside = [&](const QImage& im) {
    QImage o = im.convertToFormat(QImage::Format_RGB32);
    for (int y = disc.top(); y <= disc.bottom(); ++y)
      for (int x = disc.left(); x <= disc.right(); ++x)
        if (o.rect().contains(x, y)) o.setPixel(x, y, 0);
    return o;
  };
  ASSERT_GT(drawn(outside(plain)), 500) << "bone outside the ball";
  const QImage kept =
      png(base + " --seg " + labels_ + " --keep-segment 'Label 1'", rc, msg);  // a label map's name
  ASSERT_EQ(rc, 0) << msg;
  EXPECT_EQ(drawn(outside(kept)), 0);
  const QImage removed = png(base + " --seg " + labels_ + " --remove-segment 1", rc, msg);  // by number
  ASSERT_EQ(rc, 0) << msg;
  EXPECT_EQ(outside(removed), outside(surface)) << "outside the ball, the picture with its surface alone";
  // Inside the disc, the surface see-through: the bone the ball held is gone, or alone there.
  const auto inside = [&](const QImage& im) { return drawn(im.copy(disc)); };
  const std::string seeThrough = base + " --seg " + labels_ + " --surface-opacity 0";
  const int all = inside(png(seeThrough, rc, msg));
  ASSERT_EQ(rc, 0) << msg;
  ASSERT_GT(all, 100) << "bone inside the ball's disc";
  const int left = inside(png(seeThrough + " --remove-segment 1", rc, msg));
  ASSERT_EQ(rc, 0) << msg;
  EXPECT_LT(left, all - 50) << "the ball's bone is left out";
  const int alone = inside(png(seeThrough + " --keep-segment 1", rc, msg));
  ASSERT_EQ(rc, 0) << msg;
  EXPECT_GT(alone, 50) << "the ball's bone is kept";
  // The ball kept twice (its name and its number) keeps it, not what two keeps would leave in turn.
  EXPECT_EQ(inside(png(seeThrough + " --keep-segment 1 --keep-segment 'Label 1'", rc, msg)), alone) << msg;
  png(base + " --seg " + labels_ + " --keep-segment liver", rc, msg);
  EXPECT_NE(rc, 0);
  EXPECT_NE(msg.find("render.bad_segment"), std::string::npos) << msg;
  png(base + " --keep-segment 1", rc, msg);
  EXPECT_NE(msg.find("--keep-segment and --remove-segment need --seg"), std::string::npos) << msg;
}

}  // namespace
