// SPDX-License-Identifier: MIT
// The transfer-function editor (issue 11) through the real main window under Xvfb: on the CT, the
// "Edit TF" button opens the editor on the bone preset with the CT's histogram; dragging a point
// moves it in the viewer state as the drag says and the 3D view's picture changes; a double-click
// adds a point there, a right-click and the Delete key remove points, a double-click on a point
// colours it through the colour dialog; the preset box drops the edit; on the gradient-opacity
// curve, factor 0 hides the volume and factor 1 draws it as without a curve.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QColorDialog>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTemporaryDir>
#include <QTimer>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/tf_editor.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

QPoint handle(const view::TfPlot& pl, const TfPoint& p) {
  return QPoint(static_cast<int>(std::lround(pl.xOf(p.value))), static_cast<int>(std::lround(pl.yOf(p.alpha))));
}

QPoint at(const view::TfPlot& pl, double value, double alpha) {
  return QPoint(static_cast<int>(std::lround(pl.xOf(value))), static_cast<int>(std::lround(pl.yOf(alpha))));
}

// The CT in the main window (1280 x 960) with the editor open through its "Edit TF" button.
void openEditorOnCt(MainWindow& w, viewer::VolumeView*& v3d, viewer::TfEditor*& ed) {
  ASSERT_TRUE(test::showAndOpen(w, 1280, 960, test::dataPath("ct")));
  v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  ASSERT_EQ(w.state().preset3d(), "ct-bone");
  auto* button = w.findChild<QAction*>("editTransferFunction");
  ASSERT_NE(button, nullptr);
  button->trigger();
  ed = w.findChild<viewer::TfEditor*>("tfEditor");
  ASSERT_NE(ed, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(ed));
}

// The middle of the 3D view: the rendering, without the corner text and the orientation marker.
QImage middle(const QImage& im) { return im.copy(im.width() / 5, im.height() / 6, im.width() * 3 / 5, im.height() * 2 / 3); }

// Bright pixels (the bone drawn); the crosshair is green.
int64_t drawn(const QImage& im) {
  int64_t n = 0;
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) n += qRed(im.pixel(x, y)) > 100;
  return n;
}

}  // namespace

TEST(TfEditorGui, DragAddAndRemovePointsEditTheCtBoneRenderingLive) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = nullptr;
  viewer::TfEditor* ed = nullptr;
  ASSERT_NO_FATAL_FAILURE(openEditorOnCt(w, v3d, ed));
  QWidget* canvas = ed->canvas();
  ASSERT_EQ(canvas->objectName(), "tfCanvas");
  // The bone preset as its file says (resources/transfer_functions/ct-bone.json), no edit yet.
  ASSERT_EQ(ed->edit().size(), 6);
  EXPECT_EQ(ed->edit().points()[2].value, 300);
  EXPECT_FLOAT_EQ(ed->edit().points()[2].alpha, 0.45f);
  EXPECT_EQ(w.state().editedPreset3d(), nullptr);
  // The histogram counts every voxel of the CT (512 x 512 x 134), over a range holding the points.
  const auto& h = ed->histogram();
  int64_t total = h.below + h.above;
  for (int64_t c : h.counts) total += c;
  EXPECT_EQ(total, int64_t{512} * 512 * 134);
  EXPECT_EQ(h.below + h.above, 0);
  EXPECT_LE(h.lo, -1024);
  EXPECT_GE(h.hi, 3071);

  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage before = cvx::viewer::grabShown(v3d);
  test::saveTour(&w, "ct_tf_editor");

  // Drag point 2 (300 HU, 0.45) to 250 HU, opacity 0.9: within its neighbours (150, 700).
  view::TfPlot pl = ed->plot();
  const double hu = (pl.hi - pl.lo) / pl.width, da = 1 / pl.height;  // one pixel
  ASSERT_LT(hu, 20);
  const QPoint from = handle(pl, ed->edit().points()[2]), to = at(pl, 250, 0.9);
  QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, from);
  EXPECT_EQ(ed->selected(), 2);
  QTest::mouseMove(canvas, (from + to) / 2);
  QTest::mouseMove(canvas, to);
  QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, to);
  const view::TransferPreset* edited = w.state().editedPreset3d();
  ASSERT_NE(edited, nullptr);
  ASSERT_EQ(edited->points.size(), 6u);
  EXPECT_NEAR(edited->points[2].value, 250, hu);
  EXPECT_NEAR(edited->points[2].alpha, 0.9, da);
  EXPECT_FLOAT_EQ(edited->points[2].r, 0.9f);  // colour kept
  for (size_t i : {0u, 1u, 3u, 4u, 5u}) EXPECT_EQ(edited->points[i].value, ed->edit().points()[i].value);
  EXPECT_EQ(edited->points[1].value, 150);
  // The 3D view draws the edit: more bone-like tissue, a different picture.
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage after = cvx::viewer::grabShown(v3d);
  test::saveTour(&w, "ct_tf_editor_edited");
  EXPECT_GT(test::differingPixels(before, after, 16), before.width() * int64_t{before.height()} / 100);

  // A drag past a neighbour stops on it.
  pl = ed->plot();
  QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, handle(pl, w.state().editedPreset3d()->points[2]));
  QTest::mouseMove(canvas, at(pl, 1200, 0.5));
  QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, at(pl, 1200, 0.5));
  EXPECT_EQ(w.state().editedPreset3d()->points[2].value, 700);
  EXPECT_NEAR(w.state().editedPreset3d()->points[2].alpha, 0.5, da);

  // Double-click in empty space (1000 HU, opacity 0.3; the curve is at 0.84 there) adds a point
  // there, coloured as the function is at 1000 HU: 3/8 of the way from 700's to 1500's colour.
  QTest::mouseDClick(canvas, Qt::LeftButton, Qt::NoModifier, at(pl, 1000, 0.3));
  edited = w.state().editedPreset3d();
  ASSERT_EQ(edited->points.size(), 7u);
  const TfPoint& added = edited->points[4];
  EXPECT_NEAR(added.value, 1000, hu);
  EXPECT_NEAR(added.alpha, 0.3, da);
  EXPECT_NEAR(added.r, 0.96 + 0.375 * 0.04, 0.002);
  EXPECT_NEAR(added.g, 0.92 + 0.375 * 0.06, 0.002);
  EXPECT_NEAR(added.b, 0.82 + 0.375 * 0.12, 0.002);
  EXPECT_EQ(ed->selected(), 4);

  // A right-click on it removes it.
  QTest::mouseClick(canvas, Qt::RightButton, Qt::NoModifier, handle(pl, added));
  edited = w.state().editedPreset3d();
  ASSERT_EQ(edited->points.size(), 6u);
  for (const TfPoint& p : edited->points) EXPECT_GT(std::abs(p.value - 1000), 100);

  // Select point 1 (150 HU) and press Delete.
  QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, handle(pl, edited->points[1]));
  EXPECT_EQ(ed->selected(), 1);
  QTest::keyClick(canvas, Qt::Key_Delete);
  edited = w.state().editedPreset3d();
  ASSERT_EQ(edited->points.size(), 5u);
  for (const TfPoint& p : edited->points) EXPECT_NE(p.value, 150);
  EXPECT_EQ(ed->edit().size(), 5);

  // Double-click point 3 (1500 HU): the colour dialog; choosing pure red colours the point.
  bool dialogSeen = false;
  QTimer::singleShot(300, &w, [&] {
    auto* dialog = qobject_cast<QColorDialog*>(QApplication::activeModalWidget());
    if (!dialog) return;
    dialogSeen = true;
    dialog->setCurrentColor(QColor(255, 0, 0));
    dialog->accept();
  });
  QTest::mouseDClick(canvas, Qt::LeftButton, Qt::NoModifier, handle(pl, edited->points[3]));
  EXPECT_TRUE(dialogSeen);
  edited = w.state().editedPreset3d();
  ASSERT_EQ(edited->points.size(), 5u);
  EXPECT_EQ(edited->points[3].value, 1500);
  EXPECT_EQ(edited->points[3].r, 1.0f);
  EXPECT_EQ(edited->points[3].g, 0.0f);
  EXPECT_EQ(edited->points[3].b, 0.0f);

  // Choosing the preset again in the toolbar drops the edit; the editor shows the file's points.
  auto* box = w.findChild<QComboBox*>("preset3d");
  ASSERT_NE(box, nullptr);
  box->textActivated("ct-bone");
  EXPECT_EQ(w.state().editedPreset3d(), nullptr);
  ASSERT_EQ(ed->edit().size(), 6);
  EXPECT_EQ(ed->edit().points()[2].value, 300);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  EXPECT_LT(test::differingPixels(before, cvx::viewer::grabShown(v3d), 16), before.width() * int64_t{before.height()} / 1000);
}

// "Save as preset...": an edit saved under a title of the user's becomes a preset of their own, in
// their data folder (XDG_DATA_HOME, a temporary folder here), chosen at once and listed in the
// toolbar's preset box; the 3D view keeps drawing the same points; the resources stay untouched.
TEST(TfEditorGui, SaveAsPresetKeepsAnEditAsTheUsersOwnPreset) {
  CVX_REQUIRE_FOLDER("ct");
  const QTemporaryDir home;
  ASSERT_TRUE(home.isValid());
  const QByteArray oldHome = qgetenv("XDG_DATA_HOME");
  qputenv("XDG_DATA_HOME", home.path().toUtf8());
  const QStringList resourcesBefore = QDir(QString(CVX_SOURCE_DIR) + "/resources/transfer_functions").entryList(QDir::Files);
  {
    MainWindow w;
    ASSERT_TRUE(test::showAndOpen(w, 1280, 960, test::dataPath("ct")));
    viewer::VolumeView* v3d = w.viewports()->volumeView();
    ASSERT_NE(v3d, nullptr);
    w.findChild<QAction*>("editTransferFunction")->trigger();
    auto* ed = w.findChild<viewer::TfEditor*>("tfEditor");
    ASSERT_NE(ed, nullptr);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(ed));
    // Drag point 2 (300 HU, 0.45) to 250 HU, opacity 0.9.
    const view::TfPlot pl = ed->plot();
    const QPoint from = handle(pl, ed->edit().points()[2]), to = at(pl, 250, 0.9);
    QTest::mousePress(ed->canvas(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(ed->canvas(), to);
    QTest::mouseRelease(ed->canvas(), Qt::LeftButton, Qt::NoModifier, to);
    ASSERT_NE(w.state().editedPreset3d(), nullptr);
    const std::vector<TfPoint> points = w.state().editedPreset3d()->points;
    ASSERT_TRUE(test::refined(v3d));
    QTest::qWait(50);
    const QImage edited = cvx::viewer::grabShown(v3d);

    // The button asks for a title (its dialog answered here), saves and chooses the new preset.
    bool dialogSeen = false;
    QTimer::singleShot(300, &w, [&] {
      auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
      if (!dialog) return;
      dialogSeen = true;
      dialog->setTextValue("Bone, bright ribs");
      dialog->accept();
    });
    auto* save = ed->findChild<QPushButton*>("tfSavePreset");
    ASSERT_NE(save, nullptr);
    save->click();
    EXPECT_TRUE(dialogSeen);
    EXPECT_EQ(w.state().preset3d(), "bone-bright-ribs");
    EXPECT_EQ(w.state().editedPreset3d(), nullptr);
    const QString file = home.path() + "/CineVox/CineVox/transfer_functions/bone-bright-ribs.json";
    EXPECT_TRUE(QFileInfo::exists(file)) << file.toStdString();
    auto* box = w.findChild<QComboBox*>("preset3d");
    ASSERT_NE(box, nullptr);
    EXPECT_GE(box->findText("bone-bright-ribs"), 0);
    EXPECT_GE(box->findText("ct-bone"), 0);
    EXPECT_EQ(box->currentText(), "bone-bright-ribs");
    // The editor shows the saved points; the 3D view draws what it drew for the edit.
    ASSERT_EQ(ed->edit().size(), static_cast<int>(points.size()));
    for (size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(ed->edit().points()[i].value, points[i].value) << i;
      EXPECT_EQ(ed->edit().points()[i].alpha, points[i].alpha) << i;
    }
    ASSERT_TRUE(test::refined(v3d));
    QTest::qWait(50);
    // Below the title line (it reads the preset's title: "CT bone (edited)", then the one given).
    const QRect body(0, 40, edited.width(), edited.height() - 40);
    EXPECT_LT(test::differingPixels(edited.copy(body), cvx::viewer::grabShown(v3d).copy(body), 16), body.width() * int64_t{body.height()} / 1000);
    // A title without a letter or digit is refused in the editor, and nothing changes.
    EXPECT_FALSE(ed->saveAsPreset("  ?!  ").ok());
    EXPECT_EQ(w.state().preset3d(), "bone-bright-ribs");
    EXPECT_FALSE(ed->findChild<QLabel*>("tfError")->text().isEmpty());
  }
  EXPECT_EQ(QDir(QString(CVX_SOURCE_DIR) + "/resources/transfer_functions").entryList(QDir::Files), resourcesBefore);
  if (oldHome.isEmpty())
    qunsetenv("XDG_DATA_HOME");
  else
    qputenv("XDG_DATA_HOME", oldHome);
}

// The gradient-opacity curve on the bone preset (which has none): the plot starts empty (opacity by
// value alone); a double-click at factor 0 starts a curve that is 0 at every magnitude, so nothing
// is drawn (opacity times 0); the point dragged to factor 1 draws the bone again, as without a
// curve; a right-click removes it, and the preset is 1D again.
TEST(TfEditorGui, GradientOpacityZeroHidesTheVolumeAndOneDrawsItAsWithout) {
  CVX_REQUIRE_FOLDER("ct");
  MainWindow w;
  viewer::VolumeView* v3d = nullptr;
  viewer::TfEditor* ed = nullptr;
  ASSERT_NO_FATAL_FAILURE(openEditorOnCt(w, v3d, ed));
  QWidget* canvas = ed->gradientCanvas();
  ASSERT_EQ(canvas->objectName(), "tfGradientCanvas");
  EXPECT_EQ(ed->edit().gradientSize(), 0) << "ct-bone has no gradient-opacity curve";
  const view::TfPlot pl = ed->gradientPlot();
  EXPECT_GT(pl.hi, 0);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage before = middle(viewer::grabShown(v3d));
  ASSERT_GT(drawn(before), before.width() * int64_t{before.height()} / 50);

  // Factor 0 at a tenth of the range: the curve is 0 everywhere (held beyond its one point).
  QTest::mouseDClick(canvas, Qt::LeftButton, Qt::NoModifier, at(pl, 0.1 * pl.hi, 0));
  const view::TransferPreset* edited = w.state().editedPreset3d();
  ASSERT_NE(edited, nullptr);
  ASSERT_EQ(edited->gradientOpacity.size(), 1u);
  EXPECT_NEAR(edited->gradientOpacity[0].magnitude, 0.1 * pl.hi, 1.5 * pl.hi / pl.width);
  EXPECT_EQ(edited->gradientOpacity[0].factor, 0);
  EXPECT_EQ(ed->gradientSelected(), 0);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage hidden = middle(viewer::grabShown(v3d));
  test::saveTour(&w, "ct_tf_gradient_zero");
  EXPECT_LT(drawn(hidden), drawn(before) / 100) << "opacity times 0 draws nothing";

  // Dragged to factor 1: every opacity as without the curve (through the 2D table).
  const QPoint from = at(pl, edited->gradientOpacity[0].magnitude, 0), to = at(pl, 0.1 * pl.hi, 1);
  QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, from);
  QTest::mouseMove(canvas, (from + to) / 2);
  QTest::mouseMove(canvas, to);
  QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, to);
  edited = w.state().editedPreset3d();
  ASSERT_EQ(edited->gradientOpacity.size(), 1u);
  EXPECT_EQ(edited->gradientOpacity[0].factor, 1);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  const QImage one = middle(viewer::grabShown(v3d));
  EXPECT_LT(test::differingPixels(before, one, 16), before.width() * int64_t{before.height()} / 100);

  // A right-click removes the point: no curve, the preset is 1D again and draws as before.
  QTest::mouseClick(canvas, Qt::RightButton, Qt::NoModifier, to);
  edited = w.state().editedPreset3d();
  ASSERT_NE(edited, nullptr);
  EXPECT_TRUE(edited->gradientOpacity.empty());
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  EXPECT_LT(test::differingPixels(before, middle(viewer::grabShown(v3d)), 16), before.width() * int64_t{before.height()} / 1000);
}
