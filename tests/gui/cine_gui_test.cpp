// SPDX-License-Identifier: MIT
// Cine through the real main window under Xvfb: a 4D series (the Philips fMRI, 4 phases) shows the
// play button with the phase slider (a 3D series does not); playing moves the state's phase, and
// so every view and the slider, through every phase at the chosen rate; back and forth turns at
// the ends without repeating them; pausing holds the phase.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include <QAction>
#include <QElapsedTimer>
#include <QSlider>
#include <QTest>
#include <QToolButton>

#include "../../viewer/src/main_window.h"
#include "../../viewer/src/viewport_grid.h"
#include "../../viewer/src/volume_view.h"
#include "gui_test_util.h"
#include "test_data.h"

using namespace cvx;
using cvx::viewer::MainWindow;

namespace {

// The state's phases seen every 5 ms for `ms` milliseconds, each change once.
// The phases shown for ms milliseconds (or until `distinct` different ones were seen).
std::vector<int> watch(MainWindow& w, int ms, size_t distinct = 0) {
  std::vector<int> seen{w.state().phase()};
  std::set<int> kinds{seen.back()};
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < ms && (distinct == 0 || kinds.size() < distinct)) {
    QTest::qWait(5);
    if (w.state().phase() != seen.back()) seen.push_back(w.state().phase()), kinds.insert(seen.back());
  }
  return seen;
}

}  // namespace

TEST(CineGui, PlayRunsThroughEveryPhaseAndPauseHoldsIt) {
  CVX_REQUIRE_FOLDER("4d/philips_classic_fmri");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("4d/philips_classic_fmri")));
  auto& state = w.state();
  ASSERT_EQ(state.phaseCount(), 4);
  auto* play = w.findChild<QToolButton*>("cinePlay");
  auto* slider = w.findChild<QSlider*>("phase");
  ASSERT_NE(play, nullptr);
  ASSERT_NE(slider, nullptr);
  EXPECT_TRUE(play->isVisible());
  EXPECT_TRUE(slider->isVisible());

  auto* fps20 = w.findChild<QAction*>("cineFps20");
  auto* loop = w.findChild<QAction*>("cineLoop");
  auto* bounce = w.findChild<QAction*>("cineBounce");
  ASSERT_TRUE(fps20 && loop && bounce);
  fps20->trigger();  // 50 ms a phase
  loop->trigger();
  EXPECT_TRUE(fps20->isChecked());
  play->click();
  EXPECT_TRUE(play->isChecked());
  const std::vector<int> looped = watch(w, 700);  // 14 steps at 20 phases a second
  EXPECT_GE(looped.size(), 6u) << "too few phase changes";
  EXPECT_EQ(std::set<int>(looped.begin(), looped.end()).size(), 4u) << "every phase is shown";
  for (size_t i = 1; i < looped.size(); ++i)  // a loop only goes forward (a slow frame may skip one)
    EXPECT_NE((looped[i] - looped[i - 1] + 4) % 4, 0) << "at " << i;
  EXPECT_EQ(slider->value(), state.phase()) << "the slider follows";

  play->click();  // pause
  EXPECT_FALSE(play->isChecked());
  const int held = state.phase();
  EXPECT_EQ(watch(w, 250), std::vector<int>{held});

  // Back and forth from phase 0: up to 3, down to 0, never 3 twice in a row nor a jump 3 -> 0.
  state.setPhase(0);
  bounce->trigger();
  play->click();
  const std::vector<int> bounced = watch(w, 700);
  play->click();
  ASSERT_GE(bounced.size(), 6u);
  bool turned = false;
  for (size_t i = 1; i < bounced.size(); ++i) {
    EXPECT_FALSE(bounced[i - 1] == 3 && bounced[i] == 0) << "a loop's jump, not a turn";
    turned = turned || (bounced[i - 1] == 3 && bounced[i] == 2);
  }
  EXPECT_TRUE(turned) << "the bounce turns at the last phase";

  // With the 3D view in the grid (2x2): the phases play through it too, and once paused it draws the
  // phase shown, the same picture as when that phase is chosen afresh.
  auto* twoByTwo = w.findChild<QAction*>("layout2x2");
  ASSERT_NE(twoByTwo, nullptr);
  twoByTwo->trigger();
  viewer::VolumeView* v3d = w.viewports()->volumeView();
  ASSERT_NE(v3d, nullptr);
  loop->trigger();
  play->click();
  // 600 ms at 20 phases a second on an idle machine; up to 2 s on a loaded one (CI runs two tests at
  // once on two cores), where the 3D view's first previews of each phase draw without their maps.
  const std::vector<int> in3d = watch(w, 2000, 3);
  play->click();
  EXPECT_GE(std::set<int>(in3d.begin(), in3d.end()).size(), 3u) << "the 3D view held the phases back";
  const int shownPhase = state.phase();
  ASSERT_TRUE(test::refined(v3d));
  // The 3D view says which phase it draws, as the MPR views do.
  EXPECT_TRUE(v3d->headerText().contains(QString("phase %1/4").arg(shownPhase + 1))) << v3d->headerText().toStdString();
  test::saveTour(&w, "cine_2x2_paused");
  QTest::qWait(50);
  const QImage paused = viewer::grabShown(v3d);
  state.setPhase((shownPhase + 1) % 4);
  ASSERT_TRUE(test::refined(v3d));
  state.setPhase(shownPhase);
  ASSERT_TRUE(test::refined(v3d));
  QTest::qWait(50);
  EXPECT_LT(test::differingPixels(paused, viewer::grabShown(v3d), 2), paused.width() * paused.height() / 1000);
  // The preview and the full-resolution renderer drew every phase from one map each.
  EXPECT_EQ(v3d->phaseBricks().rangeBuilds(), 4u);
  EXPECT_EQ(v3d->phaseBricks().skipBuilds(), 4u);
}

TEST(CineGui, AThreeDSeriesHasNoPlayButton) {
  CVX_REQUIRE_FOLDER("slicecount");
  MainWindow w;
  ASSERT_TRUE(test::showAndOpen(w, 1280, 860, test::dataPath("slicecount")));
  ASSERT_EQ(w.state().phaseCount(), 1);
  auto* play = w.findChild<QToolButton*>("cinePlay");
  ASSERT_NE(play, nullptr);
  EXPECT_FALSE(play->isVisible());
  play->click();  // even if reached: nothing to play
  EXPECT_FALSE(play->isChecked());
}
