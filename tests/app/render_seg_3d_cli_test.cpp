// SPDX-License-Identifier: MIT
// `cinevox render --view 3d --seg FILE` (render_seg_cli_util.h): the ball appears as a surface of the
// segment's hue, fewer of those pixels at --surface-opacity 0.3 and still more than without it.
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

}  // namespace
