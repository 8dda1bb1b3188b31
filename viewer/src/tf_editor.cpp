// SPDX-License-Identifier: MIT
#include "tf_editor.h"
#include "tf_editor_parts.h"

#include <QAction>
#include <QColorDialog>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cvx::viewer {
using namespace tfui;
namespace {

bool samePoints(const std::vector<TfPoint>& a, const std::vector<TfPoint>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].value != b[i].value || a[i].alpha != b[i].alpha || a[i].r != b[i].r || a[i].g != b[i].g ||
        a[i].b != b[i].b)
      return false;
  return true;
}

bool sameGradient(const std::vector<GradientPoint>& a, const std::vector<GradientPoint>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].magnitude != b[i].magnitude || a[i].factor != b[i].factor) return false;
  return true;
}

}  // namespace

// A plot (the value curve, or with `gradient` the gradient-opacity curve): painting and input go to
// the editor.
class TfCanvas : public QWidget {
 public:
  TfCanvas(TfEditor* editor, bool gradient) : QWidget(editor), editor_(editor), gradient_(gradient) {
    setObjectName(gradient ? "tfGradientCanvas" : "tfCanvas");
    setMinimumSize(360, gradient ? 80 : 170);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(gradient ? tr("Gradient opacity: opacity times this factor of the gradient's magnitude (per mm), to "
                             "show boundaries and fade uniform regions. Drag a point; double-click adds one; "
                             "right-click or Delete removes one (none: opacity by value alone)")
                        : tr("Drag a point to move it; double-click to add a point or to colour one; right-click or "
                             "Delete removes one"));
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    gradient_ ? editor_->paintGradientCanvas(p) : editor_->paintCanvas(p);
  }
  void mousePressEvent(QMouseEvent* e) override {
    setFocus();
    editor_->press(e->position(), e->button(), gradient_);
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    const bool dragging = gradient_ ? editor_->draggingGradient_ : editor_->dragging_;
    if (dragging) gradient_ ? editor_->dragGradient(e->position()) : editor_->drag(e->position());
    const QPointF at = e->position();
    const int over = gradient_ ? editor_->edit_.hitTestGradient(editor_->gradientPlot(), at.x(), at.y(), kPickRadius)
                               : editor_->edit_.hitTest(editor_->plot(), at.x(), at.y(), kPickRadius);
    setCursor(dragging ? Qt::ClosedHandCursor : over >= 0 ? Qt::OpenHandCursor : Qt::ArrowCursor);
  }
  void mouseReleaseEvent(QMouseEvent*) override { editor_->dragging_ = editor_->draggingGradient_ = false; }
  void mouseDoubleClickEvent(QMouseEvent* e) override { editor_->doubleClick(e->position(), gradient_); }
  void keyPressEvent(QKeyEvent* e) override {
    if (e->key() == Qt::Key_Delete || e->key() == Qt::Key_Backspace) {
      editor_->removeSelected(gradient_);
      e->accept();
      return;
    }
    QWidget::keyPressEvent(e);
  }

 private:
  TfEditor* editor_;
  bool gradient_;
};

TfEditor::TfEditor(view::ViewerState& state, QWidget* parent) : QWidget(parent), state_(state) {
  setObjectName("tfEditor");
  canvas_ = new TfCanvas(this, false);
  gradientCanvas_ = new TfCanvas(this, true);
  info_ = new QLabel(this);
  info_->setObjectName("tfPointInfo");
  color_ = new QPushButton(tr("Colour..."), this);
  color_->setObjectName("tfColor");
  remove_ = new QPushButton(tr("Remove point"), this);
  remove_->setObjectName("tfRemove");
  auto* save = new QPushButton(tr("Save as preset..."), this);
  save->setObjectName("tfSavePreset");
  save->setToolTip(tr("Keep these points as a preset of your own (in your data folder), listed with the others"));
  auto* revert = new QPushButton(tr("Revert"), this);
  revert->setObjectName("tfRevert");
  revert->setToolTip(tr("Back to the preset as its file defines it"));
  error_ = new QLabel(this);
  error_->setObjectName("tfError");
  error_->setStyleSheet("color: #e05050");
  target_ = new QComboBox(this);
  target_->setObjectName("tfTarget");
  target_->addItems({tr("Volume"), tr("Fused layer")});
  target_->setToolTip(tr("Edit the volume's transfer function or the fused layer's (PET on CT)"));
  target_->setVisible(false);
  connect(target_, &QComboBox::currentIndexChanged, this, [this](int i) {
    fused_ = i == 1;
    selected_ = gradientSelected_ = -1;
    sync();
  });
  auto* row = new QHBoxLayout;
  row->addWidget(target_);
  row->addWidget(info_, 1);
  row->addWidget(color_);
  row->addWidget(remove_);
  row->addWidget(save);
  row->addWidget(revert);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(canvas_, 1);
  layout->addWidget(gradientCanvas_);
  layout->addLayout(row);
  layout->addWidget(error_);
  connect(color_, &QPushButton::clicked, this, [this] { chooseColor(selected_); });
  connect(remove_, &QPushButton::clicked, this, [this] { removeSelected(gradientSelected_ >= 0); });
  connect(revert, &QPushButton::clicked, this, [this] { choosePreset(fused_ ? state_.fusedPreset3d() : state_.preset3d()); });
  connect(save, &QPushButton::clicked, this, [this] {
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Save as preset"), tr("Title of the new preset:"),
                                                QLineEdit::Normal, QString::fromStdString(edit_.preset().title), &ok);
    if (ok) (void)saveAsPreset(title);  // an error is shown in the editor
  });
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (isVisible() && (e.what & (view::kView3d | view::kLayers | view::kPhase))) sync();
  });
  select(-1);
}

QWidget* TfEditor::canvas() const { return canvas_; }

view::TfPlot TfEditor::plot() const {
  view::TfPlot p;
  p.lo = hist_.lo;
  p.hi = hist_.hi;
  p.left = kMargin;
  p.top = kMargin;
  p.width = std::max(1, canvas_->width() - 2 * kMargin);
  p.height = std::max(1, canvas_->height() - 2 * kMargin - kBarHeight - kAxisHeight);
  return p;
}

void TfEditor::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  sync();
}

void TfEditor::sync() {
  // The target box while a layer is fused; without one, the volume.
  const int fusedLayer = state_.fusedLayer3d();
  target_->setVisible(fusedLayer >= 0);
  if (fusedLayer < 0 && fused_) {
    const QSignalBlocker block(target_);
    target_->setCurrentIndex(0);
    fused_ = false;
    selected_ = gradientSelected_ = -1;
  }
  if (fusedLayer >= 0) {
    const std::string& m = state_.layers()[static_cast<size_t>(fusedLayer)].volume->info.modality;
    target_->setItemText(1, m.empty() ? tr("Fused layer") : tr("Fused %1").arg(QString::fromStdString(m)));
  }
  const auto volume = targetVolume();
  const int phase = targetPhase();
  const bool newVolume = volume != volume_.lock() || phase != phase_ || fused_ != syncedFused_;
  syncedFused_ = fused_;
  bool reloaded = false;
  if (const view::TransferPreset* e = targetEdit()) {
    if (!samePoints(e->points, edit_.points()) || !sameGradient(e->gradientOpacity, edit_.gradientPoints())) {
      edit_ = view::TfEdit(*e);
      reloaded = true;
    }
  } else if (volume && (edited_ || newVolume || targetPresetName() != loadedName_)) {
    loadedName_ = targetPresetName();
    auto file = view::loadTransferPreset(loadedName_);
    auto p = file ? view::editablePreset(*file, *volume) : Result<view::TransferPreset>(file.error());
    error_->setText(p ? QString() : QString::fromStdString(p.error().str()));
    if (p) edit_ = view::TfEdit(std::move(*p));
    reloaded = true;
  }
  edited_ = targetEdit() != nullptr;
  if (volume && newVolume) {
    extent_ = view::valueExtent(*volume, phase);
    gradientHist_ = view::gradientHistogram(*volume, phase, kBins);
  }
  if (volume && (newVolume || reloaded) && edit_.size() > 0) {
    // The plot spans the volume's values and the points' (an edit keeps it while it drags). A range
    // that still holds them and is at most twice as wide is kept: the 3D view's window drag moves the
    // points at every mouse event, and a histogram is a pass over the whole phase. Points past the
    // volume's values get a quarter of the span more room on that side.
    double lo = std::min(extent_.first, edit_.points().front().value);
    double hi = std::max(extent_.second, edit_.points().back().value);
    if (!(lo < hi)) lo -= 1, hi += 1;
    const bool holds = hist_.lo <= lo && hi <= hist_.hi && hist_.hi - hist_.lo <= 2 * (hi - lo);
    if (newVolume || !holds) {
      const double room = 0.25 * (hi - lo);
      if (lo < extent_.first) lo -= room;
      if (hi > extent_.second) hi += room;
      hist_ = view::valueHistogram(*volume, phase, lo, hi, kBins);
    }
  }
  volume_ = volume;
  phase_ = phase;
  if (selected_ >= edit_.size()) selected_ = -1;
  if (gradientSelected_ >= edit_.gradientSize()) gradientSelected_ = -1;
  select(selected_);
}

void TfEditor::apply() {
  view::TransferPreset p = view::markedEdited(edit_.preset());
  edit_ = view::TfEdit(p);
  const Status s = fused_ ? state_.setEditedFusedPreset3d(std::move(p)) : state_.setEditedPreset3d(std::move(p));
  error_->setText(s ? QString() : QString::fromStdString(s.error().str()));
  select(selected_);
}

Status TfEditor::saveAsPreset(const QString& title) {
  auto saved = view::saveUserTransferPreset(edit_.preset(), title.trimmed().toStdString());
  error_->setText(saved ? QString() : QString::fromStdString(saved.error().str()));
  if (!saved) return saved.error();
  choosePreset(*saved);  // the saved preset is chosen for the target; the edit is dropped, its points kept
  return {};
}

void TfEditor::select(int i) {
  selected_ = i >= 0 && i < edit_.size() ? i : -1;
  if (selected_ >= 0) gradientSelected_ = -1;
  showInfo();
}

void TfEditor::showInfo() {
  color_->setEnabled(selected_ >= 0);
  remove_->setEnabled((selected_ >= 0 && edit_.size() > 2) || gradientSelected_ >= 0);
  const auto volume = volume_.lock();
  const QString units = volume && !volume->info.units.empty() ? QString::fromStdString(volume->info.units) : "";
  if (gradientSelected_ >= 0) {
    const GradientPoint& g = edit_.gradientPoints()[static_cast<size_t>(gradientSelected_)];
    info_->setText(tr("Gradient point %1 of %2: %3 %4/mm, factor %5")
                       .arg(gradientSelected_ + 1)
                       .arg(edit_.gradientSize())
                       .arg(g.magnitude, 0, 'f', 1)
                       .arg(units)
                       .arg(g.factor, 0, 'f', 2));
  } else if (selected_ < 0) {
    info_->setText(tr("%1 points").arg(edit_.size()));
  } else {
    const TfPoint& p = edit_.points()[static_cast<size_t>(selected_)];
    info_->setText(tr("Point %1 of %2: %3 %4, opacity %5")
                       .arg(selected_ + 1)
                       .arg(edit_.size())
                       .arg(p.value, 0, 'f', 0)
                       .arg(units)
                       .arg(p.alpha, 0, 'f', 2));
  }
  canvas_->update();
  gradientCanvas_->update();
}

void TfEditor::chooseColor(int i) {
  if (i < 0 || i >= edit_.size()) return;
  const QColor c = QColorDialog::getColor(colorOf(edit_.points()[static_cast<size_t>(i)]), this,
                                          tr("Colour of point %1").arg(i + 1));
  if (!c.isValid()) return;
  edit_.setColor(i, static_cast<float>(c.redF()), static_cast<float>(c.greenF()), static_cast<float>(c.blueF()));
  apply();
}

void TfEditor::removeSelected(bool gradient) {
  if (gradient) {
    if (!edit_.removeGradientPoint(gradientSelected_)) return;
    gradientSelected_ = -1;
  } else {
    if (!edit_.removePoint(selected_)) return;
    selected_ = -1;
  }
  apply();
}

void TfEditor::press(QPointF at, Qt::MouseButton button, bool gradient) {
  if (gradient) return pressGradient(at, button);
  const int hit = edit_.hitTest(plot(), at.x(), at.y(), kPickRadius);
  if (button == Qt::RightButton) {
    if (hit >= 0 && edit_.removePoint(hit)) {
      selected_ = -1;
      apply();
    }
    return;
  }
  if (button != Qt::LeftButton) return;
  select(hit);
  dragging_ = hit >= 0;
}

void TfEditor::drag(QPointF at) {
  const view::TfPlot pl = plot();
  const double value = std::clamp(pl.valueAt(at.x()), pl.lo, pl.hi);
  if (edit_.movePoint(selected_, value, pl.alphaAt(at.y()))) apply();
}

void TfEditor::doubleClick(QPointF at, bool gradient) {
  if (gradient) return doubleClickGradient(at);
  const view::TfPlot pl = plot();
  const int hit = edit_.hitTest(pl, at.x(), at.y(), kPickRadius);
  dragging_ = false;
  if (hit >= 0) {
    select(hit);
    chooseColor(hit);
    return;
  }
  if (at.x() < pl.left || at.x() > pl.left + pl.width || at.y() < pl.top || at.y() > pl.top + pl.height) return;
  // The new point takes the function's colour there, and the opacity where it was placed.
  const int i = edit_.addPoint(pl.valueAt(at.x()));
  if (i < 0) return;
  edit_.movePoint(i, pl.valueAt(at.x()), pl.alphaAt(at.y()));
  selected_ = i;
  apply();
}

}  // namespace cvx::viewer
