#include "main_window.h"

#include <cstdio>

#include <QApplication>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include "plane_view.h"
#include "study_model.h"

namespace cvx::viewer {

MainWindow::MainWindow(const QString& screenshotPath, QWidget* parent)
    : QMainWindow(parent), model_(new StudyModel(this)), screenshotPath_(screenshotPath) {
  setWindowTitle("CineVox");
  buildUi();
  connect(model_, &StudyModel::opened, this, &MainWindow::onOpened);
  connect(model_, &StudyModel::progressChanged, this, [this](double f) { progress_->setValue(int(f * 1000)); });
  connect(model_, &StudyModel::slicesReady, this, [this](qint64) {
    for (PlaneView* v : views_) v->invalidate();
  });
  connect(model_, &StudyModel::loadFinished, this, &MainWindow::onLoadFinished);
}

void MainWindow::buildUi() {
  auto* splitter = new QSplitter(this);
  list_ = new QListWidget(splitter);
  list_->setMinimumWidth(260);
  auto* right = new QWidget(splitter);
  auto* rightLayout = new QVBoxLayout(right);
  auto* bar = new QHBoxLayout;
  presets_ = new QComboBox(right);
  slider_ = new QSlider(Qt::Horizontal, right);
  slider_->setToolTip(tr("Phase"));
  slider_->hide();
  bar->addWidget(presets_);
  bar->addWidget(slider_, 1);
  rightLayout->addLayout(bar);
  // 2x2: axial, coronal / sagittal, 3D (the volume renderer's place).
  auto* grid = new QGridLayout;
  grid->setSpacing(2);
  for (int v = 0; v < state_.viewCount(); ++v) {
    views_.push_back(new PlaneView(state_, v, right));
    grid->addWidget(views_.back(), v / 2, v % 2);
  }
  auto* threeD = new QLabel(tr("3D view\n(volume renderer: issue 11)"), right);
  threeD->setAlignment(Qt::AlignCenter);
  threeD->setStyleSheet("background: black; color: gray;");
  grid->addWidget(threeD, 1, 1);
  rightLayout->addLayout(grid, 1);
  splitter->setStretchFactor(1, 1);
  setCentralWidget(splitter);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(240);
  status_ = new QLabel(this);
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(progress_);
  connect(list_, &QListWidget::currentRowChanged, this, &MainWindow::onSeriesSelected);
  connect(slider_, &QSlider::valueChanged, this, [this](int t) { state_.setPhase(t); });
  connect(presets_, qOverload<int>(&QComboBox::activated), this, &MainWindow::onPresetChosen);
}

void MainWindow::openPath(const QString& path) {
  status_->setText(tr("Scanning %1 ...").arg(path));
  model_->open(path);
}

void MainWindow::onOpened(const QString& error) {
  list_->clear();
  if (!error.isEmpty()) {
    status_->setText(error);
    std::fprintf(stderr, "%s\n", error.toLocal8Bit().constData());
    takeScreenshotAndQuit(false);
    return;
  }
  for (const auto& s : model_->series()) {
    const auto& d = s.dims;
    QString text = QString("%1  %2\n%3 x %4 x %5").arg(QString::fromStdString(s.info.modality),
                                                       QString::fromStdString(s.info.seriesDescription))
                       .arg(d[0]).arg(d[1]).arg(d[2]);
    if (d[3] > 1) text += QString(" x %1 phases").arg(d[3]);
    list_->addItem(text);
  }
  status_->setText(tr("%1 series").arg(model_->series().size()));
  list_->setCurrentRow(model_->preferredSeries());
}

void MainWindow::onSeriesSelected(int row) {
  if (row < 0) return;
  model_->load(row);
  while (!state_.layers().empty()) state_.removeLayer(0);
  const auto volume = model_->volume();
  const auto& plan = model_->series()[row];
  if (volume) state_.addLayer(volume);
  fillPresets();
  slider_->blockSignals(true);
  slider_->setRange(0, state_.phaseCount() - 1);
  slider_->setValue(state_.phase());
  slider_->setVisible(state_.phaseCount() > 1);
  slider_->blockSignals(false);
  progress_->setValue(0);
  status_->setText(tr("Loading %1 ...").arg(QString::fromStdString(plan.info.seriesDescription)));
}

// The file's windows, then (CT) the named presets; choosing one sets the first layer's mapping.
void MainWindow::fillPresets() {
  presets_->clear();
  if (state_.layers().empty()) return;
  const Volume& v = *state_.layers().front().volume;
  for (const auto& w : v.info.windows)
    presets_->addItem(QString("%1  (W %2 / L %3)").arg(QString::fromStdString(w.name)).arg(w.width).arg(w.center));
  if (v.info.modality == "CT")
    for (const auto& w : view::ctWindowPresets())
      presets_->addItem(QString("%1  (W %2 / L %3)").arg(QString::fromStdString(w.name)).arg(w.width).arg(w.center));
}

void MainWindow::onPresetChosen(int index) {
  if (state_.layers().empty() || index < 0) return;
  const Volume& v = *state_.layers().front().volume;
  view::DisplayMapping m = state_.layers().front().mapping;
  const int files = static_cast<int>(v.info.windows.size());
  if (index < files) {
    m.center = v.info.windows[static_cast<size_t>(index)].center;
    m.width = v.info.windows[static_cast<size_t>(index)].width;
    m.source = "file";
  } else if (index - files < static_cast<int>(view::ctWindowPresets().size())) {
    const auto& p = view::ctWindowPresets()[static_cast<size_t>(index - files)];
    m.center = p.center;
    m.width = p.width;
    m.source = "preset:" + p.name;
  }
  state_.setMapping(0, m);
}

void MainWindow::onLoadFinished(const QString& error) {
  const auto volume = model_->volume();
  if (volume && error.isEmpty()) {
    // A window chosen from the voxels (no file window, not CT) is chosen again now they are all in.
    if (!state_.layers().empty() && state_.layers().front().mapping.source == "range")
      state_.setMapping(0, view::initialMapping(*volume));
    for (PlaneView* v : views_) v->invalidate();
    status_->setText(tr("Loaded %1 slices").arg(volume->slicesReady()));
  } else {
    status_->setText(error);
    std::fprintf(stderr, "%s\n", error.toLocal8Bit().constData());
  }
  takeScreenshotAndQuit(error.isEmpty());
}

void MainWindow::takeScreenshotAndQuit(bool ok) {
  if (screenshotPath_.isEmpty() || screenshotTaken_) return;
  screenshotTaken_ = true;
  QTimer::singleShot(200, this, [this, ok] {
    const bool saved = grab().save(screenshotPath_, "PNG");
    if (!saved) std::fprintf(stderr, "viewer.screenshot_failed: cannot write %s\n", screenshotPath_.toLocal8Bit().constData());
    QApplication::exit(ok && saved ? 0 : 1);
  });
}

}  // namespace cvx::viewer
