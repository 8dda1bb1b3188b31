// SPDX-License-Identifier: MIT
// The play button of a 4D series (view::Cine, viewstate/cine.h): a click plays the phases at the
// chosen rate in every view (2D and 3D: the state's phase), a click again pauses; its menu sets the
// rate (5 to 30 phases a second) and loop or bounce, kept in the settings. The phase follows the
// clock, so a slow frame drops phases and the rate holds. Moving the phase slider while playing
// plays on from there. It keeps the slider on the state's phase.
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cvx/viewstate/cine.h>
#include <cvx/viewstate/state.h>

class QAction;
class QSlider;
class QToolBar;
class QToolButton;

namespace cvx::viewer {

class CinePlayer : public QObject {
 public:
  // The button goes into bar (objectName "cinePlay"; its menu's actions "cineFps<N>", "cineLoop",
  // "cineBounce"); slider: the window's phase slider.
  CinePlayer(QToolBar* bar, QSlider* slider, view::ViewerState& state);
  QAction* action() const { return action_; }  // the button's place in the bar: shown for 4D only
  bool playing() const { return timer_.isActive(); }
  void setPlaying(bool on);
  void setCine(const view::Cine& c);
  // The button shown and the slider's range and value from the state (its changes call this too);
  // play stops where there is nothing to play.
  void sync();

 private:
  void tick();
  void restart();     // the clock from the state's phase now
  void startClock();  // restart, and the timer at the rate
  view::ViewerState& state_;
  QSlider* slider_;
  QToolButton* button_ = nullptr;
  QAction* action_ = nullptr;
  QTimer timer_;
  QElapsedTimer clock_;
  view::Cine cine_;
  int start_ = 0;
  view::ViewerState::Subscription follow_;
};

}  // namespace cvx::viewer
