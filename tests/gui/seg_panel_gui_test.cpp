// SPDX-License-Identifier: MIT
// The Segments dock (issue 12) through the real main window under Xvfb: on the CT, its RTSTRUCT
// opens as one row per ROI with the file's names and volumes; the row's check box hides the segment
// in the viewer state, selecting a row makes it the active segment, the opacity slider sets its
// opacity, Outline switches the segmentation to outlines; a file that is neither SEG nor RTSTRUCT
// is refused with a code.
#include <gtest/gtest.h>

#include <filesystem>

#include <QAction>
#include <QCheckBox>
#include <QSlider>
#include <QTableWidget>
#include <QTest>

#include <cvx/io/formats.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/seg_editing.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/seg_run.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

TEST(SegPanelGui, TheCtsRtStructListsItsRoisAndTheDockDrivesTheState) {
  CVX_REQUIRE_FOLDER("ct");
  CVX_REQUIRE_FOLDER("ct_rtstruct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 960, test::dataPath("ct")));
  auto* button = w.findChild<QAction*>("showSegments");
  ASSERT_NE(button, nullptr);
  button->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  EXPECT_EQ(panel->table()->rowCount(), 0);

  // A CT slice is neither: refused with the SEG reader's code, nothing added.
  const auto slice = *std::filesystem::directory_iterator(test::dataPath("ct"));
  const Status refused = viewer::openSegmentation(w.state(), slice.path().string());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code.rfind("seg.", 0), 0u) << refused.error().str();
  EXPECT_TRUE(w.state().segmentations().empty());
  ASSERT_TRUE(viewer::openSegmentation(w.state(), test::dataPath("ct_rtstruct/rtstruct.dcm")).ok());
  ASSERT_EQ(w.state().segmentations().size(), 1u);
  const auto& seg = *w.state().segmentations()[0].segmentation;
  QTableWidget* table = panel->table();
  ASSERT_EQ(table->rowCount(), static_cast<int>(seg.segments().size()));
  ASSERT_GE(table->rowCount(), 4);
  // The mL column is counted on a worker thread ("…" until then).
  EXPECT_EQ(table->item(0, 1)->text(), QString("…"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent(); }, 10000));
  int lung = -1;
  for (int r = 0; r < table->rowCount(); ++r) {
    const std::string name = table->item(r, 0)->text().toStdString();
    EXPECT_EQ(name, seg.segments()[static_cast<size_t>(r)].name);
    if (name == "Lung-Left") lung = r;
    // mL as the model computes it, to the one decimal shown
    EXPECT_NEAR(table->item(r, 1)->text().toDouble(), seg.volumeMl(static_cast<size_t>(r)), 0.051);
  }
  ASSERT_GE(lung, 0);
  EXPECT_GT(seg.volumeMl(static_cast<size_t>(lung)), 500) << "a left lung holds litres of air";
  test::saveTour(&w, "ct_rtstruct_segments");

  table->item(lung, 0)->setCheckState(Qt::Unchecked);
  EXPECT_FALSE(w.state().segmentations()[0].segments[static_cast<size_t>(lung)].visible);
  table->item(lung, 0)->setCheckState(Qt::Checked);
  EXPECT_TRUE(w.state().segmentations()[0].segments[static_cast<size_t>(lung)].visible);

  table->setCurrentCell(lung, 0);
  EXPECT_EQ(w.state().activeSegment(), (std::pair<int, int>{0, lung}));
  // The statistics shown: the lung's mean HU, computed here from its mask and the CT's voxels.
  {
    const Volume& ct = *w.state().layers()[0].volume;
    const double slope = ct.info.rescaleApplied ? 1.0 : ct.info.rescaleSlope;
    const double intercept = ct.info.rescaleApplied ? 0.0 : ct.info.rescaleIntercept;
    const std::vector<uint8_t> mask = seg.mask(static_cast<size_t>(lung));
    const auto& d = ct.dims();
    double sum = 0;
    int64_t n = 0;
    for (int64_t z = 0, i = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x, ++i)
          if (mask[static_cast<size_t>(i)]) sum += ct.valueAt(x, y, z) * slope + intercept, ++n;
    ASSERT_GT(n, 0);
    const double mean = sum / static_cast<double>(n);
    EXPECT_LT(mean, -500) << "a lung is mostly air";
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent(); }, 10000));  // figures come from a worker
    const QString text = panel->statsText();
    const int at = text.indexOf("mean ");
    ASSERT_GE(at, 0) << text.toStdString();
    EXPECT_NEAR(text.mid(at + 5).section(' ', 0, 0).toDouble(), mean, 0.051) << text.toStdString();
  }
  auto* opacity = w.findChild<QSlider*>("segOpacity");
  ASSERT_NE(opacity, nullptr);
  opacity->setValue(80);
  EXPECT_NEAR(w.state().segmentations()[0].segments[static_cast<size_t>(lung)].opacity, 0.8, 1e-9);
  auto* outline = w.findChild<QCheckBox*>("segOutline");
  ASSERT_NE(outline, nullptr);
  outline->setChecked(true);
  EXPECT_TRUE(w.state().segmentations()[0].outline);
}

// A label map opens like a SEG: here a map cropped to a box of the CT (its own origin, the CT's
// spacing), holding label 5 in a 20x10x4 block: one row "Label 5", the block's voxels at the
// block's place on the CT's grid.
TEST(SegPanelGui, ALabelMapOpensAsOneSegmentPerLabel) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  auto* panel = test::openWithSegments(w, "ct");
  ASSERT_NE(panel, nullptr);
  const Volume& ct = *w.state().layers()[0].volume;
  auto map = Volume::create(PixelType::UInt8, {30, 20, 6, 1});
  ASSERT_TRUE(map.ok());
  (*map)->geometry = ct.geometry;
  (*map)->geometry.originMm = ct.geometry.worldAt(200, 250, 60);
  uint8_t* m = (*map)->as<uint8_t>();
  for (int64_t z = 1; z < 5; ++z)
    for (int64_t y = 5; y < 15; ++y)
      for (int64_t x = 5; x < 25; ++x) m[(z * 20 + y) * 30 + x] = 5;
  test::TempDir dir;
  const std::string path = dir.path() + "/block.nii.gz";
  ASSERT_TRUE(io::writeImage(**map, path).ok());
  std::vector<Diagnostic> warnings;
  ASSERT_TRUE(viewer::openSegmentation(w.state(), path, &warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);  // another grid than the CT's: resampled, and said
  EXPECT_EQ(warnings[0].code, "seg.label_map_resampled");
  ASSERT_EQ(w.state().segmentations().size(), 1u);
  const auto& seg = *w.state().segmentations()[0].segmentation;
  ASSERT_EQ(panel->table()->rowCount(), 1);
  EXPECT_EQ(panel->table()->item(0, 0)->text().toStdString(), "Label 5");
  const std::vector<uint8_t> mask = seg.mask(0);
  const auto& d = ct.dims();
  int64_t wrong = 0;
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i)
        wrong += (mask[static_cast<size_t>(i)] != 0) !=
                 (x >= 205 && x < 225 && y >= 255 && y < 265 && z >= 61 && z < 65);
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(seg.voxelCount(0), 20 * 10 * 4);
}

// The threshold plugin from the dock: its form comes from the manifest, Preview drives the state's
// live preview as the fields change, Run adds a segment holding exactly the CT's voxels in range
// (counted here from the CT the window loaded).
TEST(SegPanelGui, ThresholdPluginPreviewsLiveAndRunsIntoANewSegment) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 960, test::dataPath("ct")));
  w.findChild<QAction*>("showSegments")->trigger();
  auto* run = w.findChild<viewer::SegRunPanel*>("segRunPanel");
  ASSERT_NE(run, nullptr);
  ASSERT_TRUE(run->choose("threshold")) << run->message().toStdString();
  auto* preview = w.findChild<QCheckBox*>("segPreview");
  ASSERT_NE(preview, nullptr);
  ASSERT_TRUE(preview->isEnabled());
  preview->setChecked(true);
  run->setField("lower", 150);
  run->setField("upper", 2000);
  EXPECT_TRUE(w.state().thresholdPreview().on);
  EXPECT_EQ(w.state().thresholdPreview().lo, 150);
  EXPECT_EQ(w.state().thresholdPreview().hi, 2000);
  QTest::qWait(300);
  test::saveTour(&w, "ct_threshold_preview");
  ASSERT_TRUE(test::runToEnd(run));
  ASSERT_EQ(w.state().segmentations().size(), 1u);
  const auto& seg = *w.state().segmentations()[0].segmentation;
  ASSERT_EQ(seg.segments().size(), 1u);
  EXPECT_EQ(seg.segments()[0].algorithmName, "threshold");
  const Volume& ct = *w.state().layers()[0].volume;
  const double slope = ct.info.rescaleApplied ? 1.0 : ct.info.rescaleSlope;
  const double intercept = ct.info.rescaleApplied ? 0.0 : ct.info.rescaleIntercept;
  int64_t expected = 0;
  const auto& d = ct.dims();
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) {
        const double hu = ct.valueAt(i, j, k) * slope + intercept;
        expected += hu >= 150 && hu <= 2000;
      }
  EXPECT_EQ(seg.voxelCount(0), expected);
  preview->setChecked(false);
  EXPECT_FALSE(w.state().thresholdPreview().on);
  QTest::qWait(300);
  test::saveTour(&w, "ct_threshold_segment");
}

// The Paint tool in the axial view: a drag paints the active segment with a disk of the brush's
// radius along the path (area 2 r L + pi r^2, in the CT's pixels), undo and redo restore it, and a
// session that ends without closing (a crash) leaves a journal that the next session recovers.
TEST(SegPanelGui, PaintingIsUndoableAndAJournalRecoversItAfterACrash) {
  CVX_REQUIRE_FOLDER("ct");
  int64_t painted = 0;
  std::shared_ptr<const Volume> ct;
  {
    auto w = std::make_unique<MainWindow>();
    ASSERT_TRUE(test::showAndOpen(*w, 1280, 960, test::dataPath("ct")));
    ct = w->state().layers()[0].volume;
    viewer::SegEditing* editing = w->editing();
    ASSERT_NE(editing, nullptr);
    Segment meta;
    meta.name = "painted";
    ASSERT_TRUE(editing->addSegment(meta, nullptr).ok());
    editing->brushMm = 6;
    w->setTool(viewer::Tool::Paint);
    viewer::PlaneView* axial = w->viewports()->views()[0];
    const QPoint a(axial->width() / 2 - 30, axial->height() / 2), b(axial->width() / 2 + 30, axial->height() / 2);
    const double mmPerPixel = w->state().pixelFrame(0, axial->width(), axial->height()).mmPerPixel;
    QTest::mousePress(axial, Qt::LeftButton, {}, a);
    for (int i = 1; i <= 6; ++i) QTest::mouseMove(axial, a + (b - a) * i / 6);
    QTest::mouseRelease(axial, Qt::LeftButton, {}, b);
    const auto& seg = *w->state().segmentations()[0].segmentation;
    painted = seg.voxelCount(0);
    const double r = 6, len = 60 * mmPerPixel, px = ct->geometry.spacingMm.x * ct->geometry.spacingMm.y;
    const double expected = (2 * r * len + 3.14159265 * r * r) / px;  // one slice thick
    EXPECT_NEAR(static_cast<double>(painted), expected, 0.1 * expected);
    ASSERT_TRUE(editing->undo());
    EXPECT_EQ(seg.voxelCount(0), 0);
    ASSERT_TRUE(editing->redo());
    EXPECT_EQ(seg.voxelCount(0), painted);
    editing->abandonForTest();  // the window goes as in a crash: the journal stays
  }
  view::ViewerState next;
  next.addLayer(ct);
  viewer::SegEditing recovering(next, (test::appDataDir() + "/segmentations").toStdString());
  ASSERT_EQ(recovering.pending().size(), 1u);
  auto n = recovering.recoverPending();
  ASSERT_TRUE(n.ok()) << n.error().str();
  EXPECT_EQ(*n, 1);
  ASSERT_EQ(next.segmentations().size(), 1u);
  const auto& back = *next.segmentations()[0].segmentation;
  ASSERT_EQ(back.segments().size(), 1u);
  EXPECT_EQ(back.segments()[0].name, "painted");
  EXPECT_EQ(back.voxelCount(0), painted);
  EXPECT_TRUE(recovering.pending().empty()) << "the old journal is gone, the new one is live";
}
