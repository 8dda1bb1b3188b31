// SPDX-License-Identifier: MIT
#include "cine_player.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolBar>
#include <QToolButton>

namespace cvx::viewer {

CinePlayer::CinePlayer(QToolBar* bar, QSlider* slider, view::ViewerState& state)
    : QObject(bar), state_(state), slider_(slider) {
  button_ = new QToolButton(bar);
  button_->setObjectName("cinePlay");
  button_->setText(tr("Play"));
  button_->setCheckable(true);
  button_->setToolTip(tr("Play the phases in every view (cine); the arrow sets the rate"));
  button_->setPopupMode(QToolButton::MenuButtonPopup);
  auto* menu = new QMenu(button_);
  auto* rates = new QActionGroup(menu);
  QSettings settings;
  cine_.fps = std::clamp(settings.value("cine/fps", 10).toDouble(), view::kCineMinFps, view::kCineMaxFps);
  cine_.mode = settings.value("cine/mode").toString() == "bounce" ? view::CineMode::Bounce : view::CineMode::Loop;
  for (int fps : {5, 10, 15, 20, 30}) {
    QAction* a = menu->addAction(tr("%1 phases a second").arg(fps));
    a->setObjectName(QString("cineFps%1").arg(fps));
    a->setCheckable(true);
    a->setChecked(std::abs(cine_.fps - fps) < 0.5);
    rates->addAction(a);
    connect(a, &QAction::triggered, this, [this, fps] { setCine({double(fps), cine_.mode}); });
  }
  menu->addSeparator();
  auto* modes = new QActionGroup(menu);
  for (const auto& [name, text, mode] : {std::tuple{"cineLoop", tr("Loop"), view::CineMode::Loop},
                                         std::tuple{"cineBounce", tr("Back and forth"), view::CineMode::Bounce}}) {
    QAction* a = menu->addAction(text);
    a->setObjectName(name);
    a->setCheckable(true);
    a->setChecked(cine_.mode == mode);
    modes->addAction(a);
    connect(a, &QAction::triggered, this, [this, m = mode] { setCine({cine_.fps, m}); });
  }
  button_->setMenu(menu);
  action_ = bar->addWidget(button_);
  action_->setVisible(false);
  connect(button_, &QToolButton::toggled, this, [this](bool on) { setPlaying(on); });
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, [this] { tick(); });
  // The reader moves the slider while playing: play on from there.
  connect(slider_, &QSlider::sliderMoved, this, [this] {
    if (playing()) restart();
  });
  follow_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.what & (view::kPhase | view::kLayers)) sync();
  });
}

void CinePlayer::sync() {
  const bool fourD = state_.phaseCount() > 1;
  if (!fourD && playing()) setPlaying(false);
  action_->setVisible(fourD);
  const QSignalBlocker quiet(slider_);
  slider_->setRange(0, std::max(0, state_.phaseCount() - 1));
  slider_->setValue(state_.phase());
}

void CinePlayer::setPlaying(bool on) {
  on = on && state_.phaseCount() > 1;
  if (on && !playing()) {
    startClock();
  } else if (!on) {
    timer_.stop();
  }
  const QSignalBlocker quiet(button_);
  button_->setChecked(on);
  button_->setText(on ? tr("Pause") : tr("Play"));
}

void CinePlayer::setCine(const view::Cine& c) {
  cine_.fps = std::clamp(c.fps, view::kCineMinFps, view::kCineMaxFps);
  cine_.mode = c.mode;
  QSettings settings;
  settings.setValue("cine/fps", cine_.fps);
  settings.setValue("cine/mode", cine_.mode == view::CineMode::Bounce ? "bounce" : "loop");
  for (QAction* a : button_->menu()->actions()) {
    const QString n = a->objectName();
    const QSignalBlocker quiet(a);
    if (n.startsWith("cineFps")) a->setChecked(std::abs(n.mid(7).toDouble() - cine_.fps) < 0.5);
    if (n == "cineLoop") a->setChecked(cine_.mode == view::CineMode::Loop);
    if (n == "cineBounce") a->setChecked(cine_.mode == view::CineMode::Bounce);
  }
  if (playing()) startClock();
}

void CinePlayer::startClock() {
  restart();
  timer_.start(static_cast<int>(std::lround(1000.0 / cine_.fps)));
}

void CinePlayer::restart() {
  start_ = state_.phase();
  clock_.restart();
}

void CinePlayer::tick() {
  const int n = state_.phaseCount();
  if (n < 2) return setPlaying(false);
  const int phase = view::cinePhase(cine_, start_, n, static_cast<double>(clock_.nsecsElapsed()) / 1e6);
  if (phase != state_.phase()) state_.setPhase(phase);
}

}  // namespace cvx::viewer
