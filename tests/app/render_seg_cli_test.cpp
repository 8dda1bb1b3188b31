// SPDX-License-Identifier: MIT
// `cinevox render --seg FILE` through the real executable on the demo CT, with a label map of a ball of
// radius 40 mm at the CT's middle written here (io::writeLabelMap) and read back for its colour: an axial
// slice through the ball is the slice without it blended half-way to the segment's colour inside the
// ball (the documented 2D fill, worked out here from the plain slice's pixels) and unchanged far from
// it; in 3D the ball appears as a surface of the segment's hue, fewer of them at --surface-opacity
// 0.3; bad arguments and a missing file are refused.
#include <gtest/gtest.h>

#include <QImage>
#include <QString>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>
#include <cvx/io/dicom.h>
#include <cvx/io/seg.h>

#include "render_cli_util.h"

namespace {

using cvx::test::run;

class RenderSeg : public cvx::test::Render {
 protected:
  static void SetUpTestSuite() {
    Render::SetUpTestSuite();
    auto ct = cvx::io::loadPath(demo("CT"));
    ASSERT_TRUE(ct.ok()) << ct.error().str();
    const cvx::Volume& v = **ct;
    const auto& d = v.dims();
    centre_ = v.geometry.worldAt((d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0);
    std::vector<uint8_t> ball(static_cast<size_t>(v.voxelsPerPhase()));
    for (int64_t k = 0, i = 0; k < d[2]; ++k)
      for (int64_t j = 0; j < d[1]; ++j)
        for (int64_t x = 0; x < d[0]; ++x, ++i)
          ball[static_cast<size_t>(i)] = norm(v.geometry.worldAt(x, j, k) - centre_) <= 40;
    cvx::Segmentation seg = cvx::Segmentation::onGridOf(v);
    cvx::Segment s;
    s.name = "ball";
    ASSERT_TRUE(seg.addSegment(s, ball.data()).ok());
    dir_ = std::make_unique<cvx::test::TempDir>("cvx_render_seg");
    labels_ = dir_->file("ball.nrrd");
    ASSERT_TRUE(cvx::io::writeLabelMap(seg, 0, labels_).ok());
    auto back = cvx::io::readAnySegmentation(labels_, v);  // the colour the label gets
    ASSERT_TRUE(back.ok()) << back.error().str();
    rgb_ = back->segments().front().rgb;
  }
  static void TearDownTestSuite() {
    dir_.reset();
    Render::TearDownTestSuite();
  }
  static QImage png(const std::string& args, int& rc, std::string& msg) {
    const cvx::test::TempDir out("cvx_render_seg_out");
    const std::string file = out.file("out.png");
    auto [m, r] = run(std::string(CVX_CINEVOX) + " render " + args + " --out " + file + " 2>&1");
    rc = r, msg = m;
    return QImage(QString::fromStdString(file));
  }
  // Pixels of the segment's hue: their colour points the way the segment's does (cosine > 0.97) and is
  // not dark.
  static int ofTheSegment(const QImage& im) {
    const double c[3] = {double(rgb_[0]), double(rgb_[1]), double(rgb_[2])};
    const double cl = std::sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
    int n = 0;
    for (int y = 0; y < im.height(); ++y)
      for (int x = 0; x < im.width(); ++x) {
        const QRgb p = im.pixel(x, y);
        const double q[3] = {double(qRed(p)), double(qGreen(p)), double(qBlue(p))};
        const double ql = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
        n += ql > 60 && (q[0] * c[0] + q[1] * c[1] + q[2] * c[2]) / (ql * cl) > 0.97;
      }
    return n;
  }
  static inline std::unique_ptr<cvx::test::TempDir> dir_;
  static inline std::string labels_;
  static inline cvx::Vec3 centre_;
  static inline std::array<uint8_t, 3> rgb_{};
};

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
}

}  // namespace
