// SPDX-License-Identifier: MIT
// Shared by the `cinevox render --seg` tests: the demo study (Render) with a label map of a ball of
// radius 40 mm at the CT's middle written here (io::writeLabelMap) and read back for its colour, a run
// of the real executable to a PNG decoded with QImage, and a count of the pixels of the label's hue.
#pragma once
#include <QImage>
#include <QString>

#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>
#include <cvx/io/dicom.h>
#include <cvx/io/seg.h>

#include "render_cli_util.h"

namespace cvx::test {

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
    auto [m, r] = cvx::test::run(std::string(CVX_CINEVOX) + " render " + args + " --out " + file + " 2>&1");
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

}  // namespace cvx::test
