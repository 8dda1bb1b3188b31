#include "main_window.h"

#include <cstdio>

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include "slice_view.h"
#include "study_model.h"

namespace cvx::viewer {

MainWindow::MainWindow(const QString& screenshotPath, QWidget* parent)
    : QMainWindow(parent), model_(new StudyModel(this)), screenshotPath_(screenshotPath) {
  setWindowTitle("CineVox");
  buildUi();
  connect(model_, &StudyModel::opened, this, &MainWindow::onOpened);
  connect(model_, &StudyModel::progressChanged, this, [this](double f) { progress_->setValue(int(f * 1000)); });
  connect(model_, &StudyModel::slicesReady, view_, [this](qint64) { view_->refresh(); });
  connect(model_, &StudyModel::loadFinished, this, &MainWindow::onLoadFinished);
}

void MainWindow::buildUi() {
  auto* splitter = new QSplitter(this);
  list_ = new QListWidget(splitter);
  list_->setMinimumWidth(300);
  auto* right = new QWidget(splitter);
  auto* rightLayout = new QVBoxLayout(right);
  presets_ = new QComboBox(right);
  rightLayout->addWidget(presets_);
  auto* row = new QHBoxLayout;
  view_ = new SliceView(right);
  slider_ = new QSlider(Qt::Vertical, right);
  row->addWidget(view_, 1);
  row->addWidget(slider_);
  rightLayout->addLayout(row, 1);
  splitter->setStretchFactor(1, 1);
  setCentralWidget(splitter);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(240);
  status_ = new QLabel(this);
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(progress_);
  connect(list_, &QListWidget::currentRowChanged, this, &MainWindow::onSeriesSelected);
  connect(slider_, &QSlider::valueChanged, this, [this](int z) { view_->setSlice(z); });
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
  const auto volume = model_->volume();
  const auto& plan = model_->series()[row];
  view_->setVolume(volume, QString::fromStdString(plan.info.modality + "  " + plan.info.seriesDescription));
  presets_->clear();
  if (!volume) return;
  if (!volume->info.windows.empty()) view_->setWindow(volume->info.windows.front());
  for (const auto& w : volume->info.windows)
    presets_->addItem(QString("%1  (W %2 / L %3)").arg(QString::fromStdString(w.name)).arg(w.width).arg(w.center));
  slider_->blockSignals(true);
  slider_->setRange(0, int(volume->dims()[2] - 1));
  slider_->setValue(int(view_->slice()));
  slider_->blockSignals(false);
  progress_->setValue(0);
  status_->setText(tr("Loading %1 ...").arg(QString::fromStdString(plan.info.seriesDescription)));
}

void MainWindow::onPresetChosen(int index) {
  const auto volume = model_->volume();
  if (volume && index >= 0 && index < int(volume->info.windows.size())) view_->setWindow(volume->info.windows[index]);
}

void MainWindow::onLoadFinished(const QString& error) {
  const auto volume = model_->volume();
  if (volume && error.isEmpty()) {
    if (volume->info.windows.empty()) view_->setWindow(defaultWindow(*volume, view_->slice()));
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
