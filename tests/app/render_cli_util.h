// SPDX-License-Identifier: MIT
// Shared by the `cinevox render` tests: the demo study written once per process, a run of the real
// executable, its PNG decoded with Qt's QImage (a decoder independent of io::writePng).
#pragma once
#include <gtest/gtest.h>

#include <QImage>
#include <QString>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "run_command.h"
#include "temp_dir.h"

namespace cvx::test {


// A decoded PNG as grey levels (R, with R == G == B checked).
struct Grey {
  int width = 0, height = 0;
  std::vector<int> v;
  bool grey = true;
  int at(int x, int y) const { return v[static_cast<size_t>(y) * width + x]; }
};

inline Grey decode(const std::string& path) {
  Grey g;
  const QImage img(QString::fromStdString(path));
  if (img.isNull()) return g;
  g.width = img.width();
  g.height = img.height();
  for (int y = 0; y < g.height; ++y)
    for (int x = 0; x < g.width; ++x) {
      const QRgb p = img.pixel(x, y);
      g.grey = g.grey && qRed(p) == qGreen(p) && qGreen(p) == qBlue(p);
      g.v.push_back(qRed(p));
    }
  return g;
}

// DICOM PS3.3 C.11.2.1.2.1 linear VOI LUT to 0..255, written from the standard.
inline double dicomWindow(double x, double c, double w) {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
}

// The demo study, written once per test process.
class Render : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = std::make_unique<cvx::test::TempDir>("cvx_render_cli");
    auto [msg, rc] = cvx::test::run(std::string(CVX_CINEVOX) + " demo " + tmp_->path() + " 2>&1");
    ASSERT_EQ(rc, 0) << msg;
  }
  static void TearDownTestSuite() { tmp_.reset(); }
  static std::string demo(const std::string& series) { return tmp_->path() + "/" + series; }
  // Runs `cinevox render ARGS --out FILE` (FILE in a fresh folder); rc, output and the image.
  struct Out {
    int rc = -1;
    std::string msg;
    Grey img;
    bool written = false;
  };
  static Out render(const std::string& args) {
    const cvx::test::TempDir out("cvx_render_out");
    const std::string png = out.file("slice.png");
    auto [msg, rc] = cvx::test::run(std::string(CVX_CINEVOX) + " render " + args + " --out " + png + " 2>&1");
    Out o{rc, msg, {}, std::filesystem::exists(png)};
    if (o.written) o.img = decode(png);
    // Nothing else (no temp file) is left beside the output.
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(out.path())) ++files;
    EXPECT_EQ(files, o.written ? 1u : 0u);
    return o;
  }
  static inline std::unique_ptr<cvx::test::TempDir> tmp_;
};

}  // namespace cvx::test
