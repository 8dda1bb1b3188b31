// SPDX-License-Identifier: MIT
// The Segments dock's time-intensity curve on the demo's 4D MR (docs/demo.md: a blob of 800 of radius
// 8 mm centred at (-40 + 8 t, 40, 0) in phase t, in a body of 300). A 5 mm ball at (-40, 40, 0): the
// blob fills it at phase 0 (mean 800) and has left it from phase 2 on (its centre 16 mm away: mean
// 300, the body). The curve is hidden without an active segment and shows with one; Export curve
// writes what it shows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <QAction>
#include <QTest>

#include <cvx/demo/demo.h>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/seg_curve_view.h"
#include "../../viewer/src/seg_panel.h"
#include "gui_test_util.h"
#include "seg_gui_util.h"
#include "temp_dir.h"

using namespace cvx;
using cvx::viewer::MainWindow;

TEST(SegCurveGui, TheActiveSegmentsCurveOverThe4dMr) {
  test::TempDir tmp("cvx_gui_curve");
  ASSERT_TRUE(demo::writeDemoStudy(tmp.path()).ok());
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, tmp.path() + "/MR4D"));
  ASSERT_FALSE(w.state().layers().empty());
  const Volume& v = *w.state().layers().front().volume;
  ASSERT_EQ(v.dims()[3], 10);
  ASSERT_TRUE(QTest::qWaitFor([&] { return v.slicesReady() == v.dims()[2] * v.dims()[3]; }, 30000));
  const std::vector<uint8_t> ball = test::ballMask(v, Vec3{-40, 40, 0}, 5);
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(v));
  Segment meta;
  meta.name = "Blob";
  ASSERT_TRUE(seg->addSegment(meta, ball.data()).ok());
  w.findChild<QAction*>("showSegments")->trigger();
  auto* panel = w.findChild<viewer::SegPanel*>("segPanel");
  ASSERT_NE(panel, nullptr);
  auto* curve = panel->findChild<viewer::SegCurveView*>("segCurve");
  ASSERT_NE(curve, nullptr);
  EXPECT_FALSE(curve->isVisible()) << "no active segment, no curve";
  auto index = w.state().addSegmentation(seg, 0, "blob");
  ASSERT_TRUE(index.ok());
  w.state().setActiveSegment(*index, 0);
  panel->refreshStats();
  ASSERT_TRUE(QTest::qWaitFor([&] { return panel->statsCurrent() && curve->curve().has_value(); }, 10000));
  EXPECT_TRUE(curve->isVisible());
  const auto& points = curve->curve()->points;
  ASSERT_EQ(points.size(), 10u);
  EXPECT_NEAR(points[0].stats.mean, 800, 1e-6);
  for (size_t t = 2; t < 10; ++t) EXPECT_NEAR(points[t].stats.mean, 300, 1e-6) << t;
  EXPECT_GT(points[1].stats.mean, 300);  // the blob half out
  EXPECT_LT(points[1].stats.mean, 800);
  EXPECT_EQ(points[3].timeMs, 240) << "TriggerTime 80 t ms";
  // The marker follows the phase shown at once (cine), without waiting for new figures.
  w.state().setPhase(4);
  EXPECT_EQ(curve->phaseShown(), 4);
  const std::string path = tmp.path() + "/curve.csv";
  ASSERT_TRUE(curve->exportTo(QString::fromStdString(path)).ok());
  std::ifstream f(path, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), view::segmentCurveCsv(*curve->curve()));
  test::saveTour(&w, "segment_curve_4d");
}
