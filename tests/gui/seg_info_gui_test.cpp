// SPDX-License-Identifier: MIT
// The active segment's name, type and Delete in the Segments dock (issue 12), through the real main
// window under Xvfb on the CT: choosing the type Liver gives the segment SNOMED CT's Liver (10200004)
// under Anatomical Structure (123037004), the term's colour and, for its default name, the name
// "Liver"; a name typed by the reader stays when the type changes; each change is one Undo step; a
// SEG written afterwards and read back by the SEG reader carries the name and both codes; Delete
// removes the segment and its voxels, and Undo brings both back with the segment's own display.
#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QTest>

#include <cvx/io/seg.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/plane_view.h"
#include "../../viewer/src/seg_panel.h"
#include "../../viewer/src/viewport_grid.h"
#include "gui_test_util.h"
#include "temp_dir.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

int comboIndex(QComboBox* box, const QString& text) {
  for (int i = 0; i < box->count(); ++i)
    if (box->itemText(i) == text) return i;
  return -1;
}

void choose(QComboBox* box, const QString& text) {
  const int i = comboIndex(box, text);
  ASSERT_GE(i, 0) << text.toStdString();
  box->setCurrentIndex(i);
  emit box->activated(i);  // as a reader's pick
}

}  // namespace

TEST(SegInfoGui, TypeNameAndDeleteAreUndoableStepsThatASegCarries) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("ct")));
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto* type = panel->findChild<QComboBox*>("segType");
  auto* name = panel->findChild<QLineEdit*>("segName");
  auto* del = panel->findChild<QPushButton*>("segDelete");
  ASSERT_TRUE(type && name && del);
  EXPECT_FALSE(type->isEnabled()) << "no segment yet";
  panel->findChild<QPushButton*>("segNew")->click();
  panel->findChild<QPushButton*>("segNew")->click();  // two: Delete must keep the other's display
  ASSERT_EQ(w.state().activeSegment(), (std::pair<int, int>{0, 1}));
  const Segmentation& seg = *w.state().segmentations()[0].segmentation;
  EXPECT_EQ(name->text(), "Segment 2");
  EXPECT_TRUE(type->isEnabled());

  // Voxels for the segment: a click of the Paint tool in the axial view.
  w.findChild<QAction*>("toolPaint")->trigger();
  viewer::PlaneView* axial = w.viewports()->views()[0];
  const QPoint at(axial->width() * 45 / 100, axial->height() / 2);
  QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, at);
  const int64_t painted = seg.voxelCount(1);
  ASSERT_GT(painted, 20);  // a 3 mm disk: pi 9 / 0.95 ~ 30 voxels

  choose(type, "Liver");
  const Segment& s = seg.segments()[1];
  EXPECT_EQ(s.name, "Liver");
  EXPECT_EQ(s.type, (CodedTerm{"10200004", "SCT", "Liver"}));
  EXPECT_EQ(s.category, (CodedTerm{"123037004", "SCT", "Anatomical Structure"}));
  EXPECT_NE(s.rgb, (std::array<uint8_t, 3>{128, 174, 128})) << "the term's colour, not the new segment's";
  EXPECT_TRUE(QTest::qWaitFor([&] { return panel->table()->item(1, 0)->text() == "Liver"; }, 2000));
  w.findChild<QAction*>("undo")->trigger();
  EXPECT_EQ(seg.segments()[1].name, "Segment 2");
  EXPECT_TRUE(seg.segments()[1].type.empty());
  EXPECT_EQ(seg.voxelCount(1), painted) << "undoing the type leaves the voxels";
  w.findChild<QAction*>("redo")->trigger();
  EXPECT_EQ(seg.segments()[1].name, "Liver");

  // A reader's own name stays when the type changes.
  name->setText("GTV primary");
  emit name->editingFinished();
  EXPECT_EQ(seg.segments()[1].name, "GTV primary");
  choose(type, "Neoplasm");
  EXPECT_EQ(seg.segments()[1].name, "GTV primary");
  EXPECT_EQ(seg.segments()[1].type.value, "108369006");
  EXPECT_EQ(seg.segments()[1].category.value, "49755003");

  // Written as a SEG and read back: the name and both codes.
  test::TempDir dir;
  const std::string path = dir.path() + "/gtv.dcm";
  const Status written = io::writeSeg(seg, *w.state().layers()[0].volume, path);
  ASSERT_TRUE(written.ok()) << written.error().str();
  auto back = io::readSeg(path, w.state().layers()[0].volume.get());
  ASSERT_TRUE(back.ok()) << back.error().str();
  bool found = false;
  for (const Segment& b : back->segmentation.segments())
    if (b.name == "GTV primary") {
      found = true;
      EXPECT_EQ(b.type, (CodedTerm{"108369006", "SCT", "Neoplasm"}));
      EXPECT_EQ(b.category, (CodedTerm{"49755003", "SCT", "Morphologically Abnormal Structure"}));
    }
  EXPECT_TRUE(found);

  // Delete the first segment (made 30 % opaque): the second keeps its own display and voxels.
  w.state().setActiveSegment(0, 0);
  panel->findChild<QSlider*>("segOpacity")->setValue(30);
  w.state().setActiveSegment(0, 1);
  panel->findChild<QSlider*>("segOpacity")->setValue(80);
  w.state().setActiveSegment(0, 0);
  del->click();
  ASSERT_EQ(seg.segments().size(), 1u);
  EXPECT_EQ(seg.segments()[0].name, "GTV primary");
  EXPECT_NEAR(w.state().segmentations()[0].segments[0].opacity, 0.8, 1e-9) << "its own display, not the removed one's";
  EXPECT_EQ(seg.voxelCount(0), painted);
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg.segments().size(), 2u);
  EXPECT_EQ(seg.segments()[0].name, "Segment 1");
  EXPECT_NEAR(w.state().segmentations()[0].segments[1].opacity, 0.8, 1e-9);

  // Deleting the only segment left still undoes.
  w.state().setActiveSegment(0, 1);
  del->click();
  w.state().setActiveSegment(0, 0);
  del->click();
  EXPECT_TRUE(seg.segments().empty());
  EXPECT_EQ(w.state().activeSegment().first, -1);
  EXPECT_FALSE(del->isEnabled());
  w.findChild<QAction*>("undo")->trigger();
  ASSERT_EQ(seg.segments().size(), 1u);
  EXPECT_EQ(seg.segments()[0].name, "Segment 1");
  test::saveTour(panel, "seg_info");

  // With no segment active (the last one's adding undone), Redo and New segment act on the
  // segmentation edited last instead of doing nothing or opening another one.
  del->click();
  ASSERT_TRUE(seg.segments().empty());
  w.findChild<QAction*>("redo")->trigger();  // nothing to redo after a new step: no change
  EXPECT_TRUE(seg.segments().empty());
  panel->findChild<QPushButton*>("segNew")->click();
  EXPECT_EQ(w.state().segmentations().size(), 1u) << "the emptied segmentation takes the new segment";
  ASSERT_EQ(seg.segments().size(), 1u);
  w.findChild<QAction*>("undo")->trigger();
  EXPECT_TRUE(seg.segments().empty());
  EXPECT_EQ(w.state().activeSegment().first, -1);
  w.findChild<QAction*>("redo")->trigger();
  EXPECT_EQ(seg.segments().size(), 1u) << "Redo brings the new segment back";
  EXPECT_EQ(w.state().activeSegment(), (std::pair<int, int>{0, 0}));
}
