// SPDX-License-Identifier: MIT
// The Segments dock's "Save label map..." when files of other names than the one chosen are there
// already (seg_files.cpp): two overlapping segments on the tilted CT save as <stem>-1.nii.gz and
// <stem>-2.nii.gz, and the file dialog asked only about <stem>.nii.gz. With <stem>-2.nii.gz there, a
// question lists it; No writes nothing (the file byte for byte as it was, <stem>-1 still absent);
// Yes replaces it with the layer's label map. A name typed without an extension gets the filter's
// (.nii.gz), which the dialog did not ask about either: that file is asked about too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <QAction>
#include <QMessageBox>
#include <QPushButton>

#include <cvx/io/formats.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_panel.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// A box of the series' grid, [x0, x1) x [y0, y1) on every slice, as a new segment `name`.
Status addBox(MainWindow& w, const char* name, int64_t x0, int64_t x1, int64_t y0, int64_t y1) {
  const auto& d = w.state().layers()[0].volume->dims();
  std::vector<uint8_t> box(static_cast<size_t>(d[0] * d[1] * d[2]), 0);
  for (int64_t z = 0; z < d[2]; ++z)
    for (int64_t y = y0; y < y1; ++y)
      for (int64_t x = x0; x < x1; ++x) box[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
  Segment meta;
  meta.name = name;
  auto added = w.editing()->addSegment(meta, box.data());
  if (!added.ok()) return added.error();
  return {};
}

// Clicks "Save label map...", answers its file dialog with `path` and the question that may follow
// with `answer`; the question's text ("" when none came).
QString saveAnswering(MainWindow& w, const std::string& path, QMessageBox::StandardButton answer) {
  bool dialog = false;
  QString asked;
  test::answerFileDialog(&w, QString::fromStdString(path), &dialog);
  test::whenModal(&w, test::ofType<QMessageBox>(), [&asked, answer](QWidget* m) {
    auto* box = static_cast<QMessageBox*>(m);
    asked = box->text();
    box->button(answer)->click();
  });
  w.findChild<QPushButton*>("segSaveLabelMap")->click();
  EXPECT_TRUE(dialog);
  return asked;
}

}  // namespace

TEST(SegLabelMapGui, FilesOfOtherNamesAreReplacedOnlyAfterAQuestion) {
  CVX_REQUIRE_FOLDER("tilt");
  MainWindow w;
  viewer::SegPanel* panel = test::openWithSegments(w, "tilt");
  ASSERT_NE(panel, nullptr);
  ASSERT_TRUE(addBox(w, "Left", 100, 260, 150, 300).ok());
  ASSERT_TRUE(addBox(w, "Right", 200, 360, 150, 300).ok());  // overlaps Left: a second label layer
  const Segmentation& seg = *w.state().segmentations()[0].segmentation;
  ASSERT_EQ(seg.layers().size(), 2u);

  const test::TempDir tmp("cvx_gui_labelmap_replace");
  const std::string first = tmp.file("boxes-1.nii.gz"), second = tmp.file("boxes-2.nii.gz");
  const std::string precious = "a file of the user's, not to be lost without asking";
  std::ofstream(second, std::ios::binary) << precious;
  const QString before = panel->message();

  // No: nothing written, the file there as it was, the dock's message unchanged.
  const QString asked = saveAnswering(w, tmp.file("boxes.nii.gz"), QMessageBox::No);
  EXPECT_TRUE(asked.contains(QString::fromStdString(second))) << "the question names the file: " << asked.toStdString();
  EXPECT_FALSE(asked.contains(QString::fromStdString(first))) << "only files that are there: " << asked.toStdString();
  EXPECT_TRUE(slurp(second) == precious) << "replaced after No";
  EXPECT_FALSE(fs::exists(first)) << "No writes no layer";
  EXPECT_FALSE(fs::exists(tmp.file("boxes.nii.gz")));
  EXPECT_EQ(panel->message(), before);

  // Yes: both layers written, the file replaced by the second layer's label map.
  const QString again = saveAnswering(w, tmp.file("boxes.nii.gz"), QMessageBox::Yes);
  EXPECT_TRUE(again.contains(QString::fromStdString(second))) << again.toStdString();
  EXPECT_TRUE(panel->message().startsWith("Saved 2 label maps")) << panel->message().toStdString();
  for (size_t l = 0; l < 2; ++l) {
    const std::string path = l == 0 ? first : second;
    auto read = io::readImage(path);
    ASSERT_TRUE(read.ok()) << path << ": " << read.error().str();
    const Volume &got = **read, &want = *seg.layers()[l];
    ASSERT_EQ(got.dims(), want.dims()) << path;
    int64_t differ = 0;
    for (int64_t z = 0; z < want.dims()[2]; ++z)
      for (int64_t y = 0; y < want.dims()[1]; ++y)
        for (int64_t x = 0; x < want.dims()[0]; ++x) differ += got.valueAt(x, y, z) != want.valueAt(x, y, z);
    EXPECT_EQ(differ, 0) << path << " holds layer " << l;
  }

  // A name without an extension: boxes2 -> boxes2-<n>.nii.gz; one of them there: asked, No keeps it.
  const std::string typed = tmp.file("boxes2-1.nii.gz");
  std::ofstream(typed, std::ios::binary) << precious;
  const QString extension = saveAnswering(w, tmp.file("boxes2"), QMessageBox::No);
  EXPECT_TRUE(extension.contains(QString::fromStdString(typed))) << extension.toStdString();
  EXPECT_TRUE(slurp(typed) == precious) << "replaced after No";
  EXPECT_FALSE(fs::exists(tmp.file("boxes2-2.nii.gz")));
}
