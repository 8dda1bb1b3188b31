// SPDX-License-Identifier: MIT
#include "main_window.h"

#include "cine_player.h"
#include "grab_shown.h"
#include "recovery_dialog.h"
#include "seg_editing.h"
#include "seg_panel.h"

#include <algorithm>
#include <cstdio>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QTabWidget>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <cvx/studydb/database.h>
#include <cvx/viewstate/overlay.h>

#include "browser.h"
#include "plane_view.h"
#include "series_list.h"
#include "study_model.h"
#include "tf_editor.h"
#include "viewport_grid.h"
#include "volume_view.h"

namespace cvx::viewer {

MainWindow::MainWindow(const QString& screenshotPath, QWidget* parent)
    : QMainWindow(parent), model_(new StudyModel(this)), screenshotPath_(screenshotPath) {
  setWindowTitle("CineVox");
  editing_ = std::make_unique<SegEditing>(
      state_, (QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/segmentations").toStdString());
  tools_.editing = editing_.get();
  tools_.lesion = [this](int view) { lesionAtCursor(view); };
  loadProtocols();
  buildUi();
  buildToolbar();
  buildToolsBar();
  applyLayout(*view::findLayout("2x2"), -1, {});
  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  state_.setConvention(settings.value("view/convention").toString() == "neurological" ? view::Convention::Neurological
                                                                                      : view::Convention::Radiological);
  connect(model_, &StudyModel::opened, this, &MainWindow::onOpened);
  connect(model_, &StudyModel::progressChanged, this, [this](double f) { progress_->setValue(int(f * 1000)); });
  connect(model_, &StudyModel::slicesReady, this, [this](int, qint64) { grid_->invalidate(); });
  connect(model_, &StudyModel::loadFinished, this, &MainWindow::onLoadFinished);
}

MainWindow::~MainWindow() {
  QSettings().setValue("window/geometry", saveGeometry());
  if (session_) {
    session_->measurements().unsubscribe(measureListener_);
    (void)session_->save();  // the journal holds every edit anyway
  }
}

void MainWindow::buildUi() {
  auto* splitter = new QSplitter(this);
  auto* tabs = new QTabWidget(splitter);
  tabs->setObjectName("leftTabs");
  tabs->setMinimumWidth(300);
  browser_ = new StudyBrowser(tabs);
  list_ = new SeriesList(tabs);
  tabs->addTab(browser_, tr("Studies"));
  tabs->addTab(list_, tr("Series"));
  if (Status s = browser_->openDatabase(); !s.ok())
    QMetaObject::invokeMethod(this, [this, e = QString::fromStdString(s.error().str())] { status_->setText(e); },
                              Qt::QueuedConnection);
  connect(browser_, &StudyBrowser::seriesActivated, this, [this, tabs](const QString& key) {
    openSeries(key);
    tabs->setCurrentWidget(list_);
  });
  connect(browser_, &StudyBrowser::openFolderRequested, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open folder"));
    if (!dir.isEmpty()) browser_->importPaths({dir});
  });
  auto openFile = [this](const QString& title, const QString& filter) {
    const QString f = QFileDialog::getOpenFileName(this, title, {}, filter);
    if (!f.isEmpty()) browser_->importPaths({f});
  };
  connect(browser_, &StudyBrowser::openFileRequested, this, [openFile] { openFile(tr("Open file"), {}); });
  connect(browser_, &StudyBrowser::openDicomdirRequested, this,
          [openFile] { openFile(tr("Open DICOMDIR"), "DICOMDIR (DICOMDIR dicomdir)"); });
  grid_ = new ViewportGrid(state_, tools_, splitter);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({440, 1060});  // room for the browser's names and thumbnails
  setCentralWidget(splitter);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(240);
  status_ = new QLabel(this);
  status_->setObjectName("status");
  statusBar()->addWidget(status_, 1);
  reduced_ = new QPushButton(this);
  reduced_->setObjectName("loadReduced");
  reduced_->hide();
  statusBar()->addPermanentWidget(reduced_);
  statusBar()->addPermanentWidget(progress_);
  // The memory budget of a load in MiB (settings; 0 or unset: io's rule, 80% of what is available).
  model_->setMemoryBudget(QSettings().value("memory/budgetMiB", 0).toULongLong() << 20);
  connect(list_, &QListWidget::currentRowChanged, this, &MainWindow::onSeriesSelected);
  connect(grid_, &ViewportGrid::seriesDropped, this, &MainWindow::onSeriesDropped);
  connect(grid_, &ViewportGrid::viewActivated, this, &MainWindow::setActiveView);
}

void MainWindow::buildToolbar() {
  QToolBar* bar = addToolBar(tr("View"));
  bar->setObjectName("viewToolbar");
  bar->setMovable(false);
  layoutGroup_ = new QActionGroup(this);
  for (const auto& l : view::standardLayouts()) {
    QAction* a = bar->addAction(QString::fromStdString(l.name));
    a->setObjectName(QString("layout%1").arg(QString::fromStdString(l.name)));
    a->setCheckable(true);
    a->setToolTip(tr("Layout %1").arg(QString::fromStdString(l.name)));
    layoutGroup_->addAction(a);
    connect(a, &QAction::triggered, this, [this, name = QString::fromStdString(l.name)] { setLayoutByName(name); });
  }
  bar->addSeparator();
  presets_ = new QComboBox(this);
  presets_->setObjectName("presets");
  presets_->setToolTip(tr("Window of the active view's series"));
  presets_->setMinimumContentsLength(22);
  bar->addWidget(presets_);
  connect(presets_, qOverload<int>(&QComboBox::activated), this, &MainWindow::onPresetChosen);
  slab_ = new QComboBox(this);
  slab_->setObjectName("slab");
  for (int mm : {0, 3, 5, 10, 20, 40}) slab_->addItem(mm ? tr("slab %1 mm").arg(mm) : tr("thin"), mm);
  slabMode_ = new QComboBox(this);
  slabMode_->setObjectName("slabMode");
  slabMode_->addItem("MIP", int(view::SlabMode::Mip));
  slabMode_->addItem("MinIP", int(view::SlabMode::MinIp));
  slabMode_->addItem(tr("mean"), int(view::SlabMode::Mean));
  bar->addWidget(slab_);
  bar->addWidget(slabMode_);
  slabMode_->setEnabled(false);  // a thin slice has no projection
  auto applySlab = [this] {
    if (activeView_ < state_.viewCount())
      state_.setSlab(activeView_, slab_->currentData().toDouble(), view::SlabMode(slabMode_->currentData().toInt()));
  };
  connect(slab_, qOverload<int>(&QComboBox::activated), this, applySlab);
  connect(slabMode_, qOverload<int>(&QComboBox::activated), this, applySlab);
  slabFollow_ = state_.subscribe([this](const view::ChangeEvent& e) {
    if (e.what & (view::kSlab | view::kLayers)) syncSlab();
  });
  preset3d_ = new QComboBox(this);
  preset3d_->setObjectName("preset3d");
  preset3d_->setToolTip(tr("Transfer function of the 3D view"));
  bar->addWidget(preset3d_);
  presetFollow_ = followPreset3d(preset3d_, state_);
  connect(preset3d_, &QComboBox::textActivated, this, [this](const QString& name) { setPreset3d(name.toStdString()); });
  addTfEditorButton(bar, this, state_);  // "Edit TF": the transfer-function editor's dock
  addSegmentsButton(bar, this, state_, *editing_, [this] { return activeView_; });  // "Segments": the segmentations' dock
  add3dActions(bar);  // crop box, reset crop, "Fuse 3D"
  bar->addSeparator();
  QAction* neuro = bar->addAction(tr("Neurological"));
  neuro->setObjectName("neurological");
  neuro->setCheckable(true);
  neuro->setToolTip(tr("Patient's right on the screen's right (default: radiological)"));
  neuro->setChecked(QSettings().value("view/convention").toString() == "neurological");
  connect(neuro, &QAction::toggled, this, [this](bool on) {
    state_.setConvention(on ? view::Convention::Neurological : view::Convention::Radiological);
    QSettings().setValue("view/convention", on ? "neurological" : "radiological");
  });
  QAction* reset = bar->addAction(tr("Reset"));
  reset->setObjectName("reset");
  connect(reset, &QAction::triggered, this, [this] { state_.reset(); });
  // A prior or another frame of reference: the reader brings the same anatomy under both cursors,
  // then links them by that offset (shown as "linked by manual offset"); unlinking undoes it.
  QAction* link = bar->addAction(tr("Link here"));
  link->setObjectName("linkByOffset");
  link->setToolTip(tr("Link the views of another frame of reference by the offset between their cursors"));
  connect(link, &QAction::triggered, this, [this] {
    for (int v = 0; v < state_.viewCount(); ++v) {
      if (state_.linkOf(v) != view::LinkKind::Unlinked) continue;
      const auto& frame = state_.layers()[static_cast<size_t>(state_.viewLayer(v))].volume->info.frameOfReferenceUid;
      state_.linkFrameByOffset(frame, state_.viewCursor(v) - state_.cursor());
    }
  });
  QAction* unlink = bar->addAction(tr("Unlink"));
  unlink->setObjectName("unlinkOffsets");
  connect(unlink, &QAction::triggered, this, [this] {
    for (int v = 0; v < state_.viewCount(); ++v)
      if (state_.linkOf(v) == view::LinkKind::ManualOffset)
        state_.unlinkFrame(state_.layers()[static_cast<size_t>(state_.viewLayer(v))].volume->info.frameOfReferenceUid);
  });
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setObjectName("phase");
  slider_->setToolTip(tr("Phase"));
  slider_->setMaximumWidth(240);
  cine_ = new CinePlayer(bar, slider_, state_);  // "Play" before the slider: cine
  phaseAction_ = bar->addWidget(slider_);
  phaseAction_->setVisible(false);
  connect(slider_, &QSlider::valueChanged, this, [this](int t) { state_.setPhase(t); });
}

void MainWindow::openPath(const QString& path) {
  status_->setText(tr("Scanning %1 ...").arg(path));
  model_->open(path);
}

void MainWindow::openFiles(const QStringList& files) {
  status_->setText(tr("Reading %1 files ...").arg(files.size()));
  model_->openFiles(files);
}

void MainWindow::openSeries(const QString& key) {
  studydb::StudyDatabase* db = browser_->database();
  auto chosen = browser_->filesOf(key);  // checked now; the study becomes recent
  if (!db || !chosen.ok()) {
    status_->setText(chosen.ok() ? tr("no study database") : QString::fromStdString(chosen.error().str()));
    return;
  }
  QStringList files = chosen.value().files, missing = chosen.value().missing;
  if (const auto study = db->studyOf(key))
    for (const auto& row : db->series(study->id)) {
      if (row.key == key) continue;
      if (auto f = db->seriesFiles(row.key); f.ok()) {
        files += f.value().files;
        missing += f.value().missing;
      }
    }
  for (const QString& m : missing) files.removeAll(m);
  primaryKey_ = key;
  openFiles(files);
  if (!missing.isEmpty())
    statusBar()->showMessage(tr("viewer.files_missing: %1 files of this study are missing (moved or deleted since import), e.g. %2")
                                 .arg(missing.size()).arg(missing.front()), 20000);
}

void MainWindow::onOpened(const QString& error) {
  list_->blockSignals(true);
  list_->clear();
  list_->blockSignals(false);
  if (!error.isEmpty()) {
    status_->setText(error);
    std::fprintf(stderr, "%s\n", error.toLocal8Bit().constData());
    offerRecovery();  // nothing opened: edits left on other series are still offered
    takeScreenshotAndQuit(false);
    return;
  }
  const auto& all = model_->series();  // several studies (a follow-up beside its baseline): each dated
  const bool dated = std::any_of(all.begin(), all.end(), [&](const auto& s) { return s.info.studyInstanceUid != all.front().info.studyInstanceUid; });
  for (const auto& s : all) {
    const auto& d = s.dims;
    QString text = QString("%1  %2\n%3 x %4 x %5").arg(QString::fromStdString(s.info.modality),
                                                       QString::fromStdString(s.info.seriesDescription))
                       .arg(d[0]).arg(d[1]).arg(d[2]);
    if (d[3] > 1) text += QString(" x %1 phases").arg(d[3]);
    if (dated) text += "   " + QString::fromStdString(view::formatDicomDate(s.info.studyDate));
    list_->addItem(text);
  }
  status_->setText(tr("%1 series").arg(model_->series().size()));
  if (auto* tabs = findChild<QTabWidget*>("leftTabs")) tabs->setCurrentWidget(list_);
  int first = model_->preferredSeries();
  for (int i = 0; i < static_cast<int>(model_->series().size()); ++i)
    if (QString::fromStdString(model_->series()[static_cast<size_t>(i)].id) == primaryKey_) first = i;
  primaryKey_.clear();
  primary_ = -1;  // a new study: its first hanging is not the last study's hung again (cursor, preset, cuts)
  list_->setCurrentRow(first);  // hangs it (onSeriesSelected)
}

void MainWindow::onSeriesSelected(int row) {
  if (row < 0) return;
  hang(row);
  status_->setText(tr("Loading %1 ...").arg(QString::fromStdString(model_->series()[static_cast<size_t>(row)].info.seriesDescription)));
}

void MainWindow::setActiveView(int view) {
  activeView_ = view;
  fillPresets();
  syncSlab();
}

// The file's windows, then (CT) the named presets of the active view's layer; each item carries its
// centre, width and source, which choosing it sets and which select the item of the window in use.
void MainWindow::fillPresets() {
  presets_->clear();
  presets_->setPlaceholderText(tr("window"));
  if (state_.layers().empty() || activeView_ >= state_.viewCount()) return;
  const view::Layer& layer = state_.layers()[static_cast<size_t>(state_.viewLayer(activeView_))];
  const Volume& v = *layer.volume;
  const double shown = layer.mapping.shownPerValue();  // labelled in the units the window shows (a PET's SUVbw)
  auto add = [this, shown](const QString& name, double c, double w, const std::string& source) {
    presets_->addItem(QString("%1  (W %2 / L %3)").arg(name).arg(w * shown, 0, 'g', 6).arg(c * shown, 0, 'g', 6),
                      QVariantList{c, w, QString::fromStdString(source)});
  };
  for (const auto& w : v.info.windows)
    add(w.name.empty() ? tr("file window") : QString::fromStdString(w.name), w.center, w.width, "file");
  if (v.info.modality == "CT")
    for (const auto& w : view::ctWindowPresets()) add(QString::fromStdString(w.name), w.center, w.width, "preset:" + w.name);
  int current = -1;  // the window in use, when it is one of them (a protocol's preset counts as that preset)
  const auto& m = layer.mapping;
  for (int i = 0; i < presets_->count() && current < 0; ++i) {
    const QVariantList d = presets_->itemData(i).toList();
    const std::string source = d[2].toString().toStdString();
    const bool sameSource = source == "file" ? m.source == "file"
                                             : m.source.find(source.substr(source.find(':') + 1)) != std::string::npos;
    if (d[0].toDouble() == m.center && d[1].toDouble() == m.width && sameSource) current = i;
  }
  presets_->setCurrentIndex(current);
}

void MainWindow::onPresetChosen(int index) {
  if (state_.layers().empty() || index < 0 || activeView_ >= state_.viewCount()) return;
  const int layer = state_.viewLayer(activeView_);
  const QVariantList d = presets_->itemData(index).toList();
  if (d.size() != 3) return;
  view::DisplayMapping m = state_.layers()[static_cast<size_t>(layer)].mapping;
  m.center = d[0].toDouble();
  m.width = d[1].toDouble();
  m.source = d[2].toString().toStdString();
  state_.setMapping(layer, m);
}

void MainWindow::updatePhaseSlider() {
  cine_->sync();  // the slider's range and value, the play button
  phaseAction_->setVisible(state_.phaseCount() > 1);
}

void MainWindow::onLoadFinished(int index, const QString& error) {
  if (error.startsWith("io.over_budget") && index >= 0 && index < static_cast<int>(model_->series().size())) {
    // Refused before anything was allocated: offer the least reduction that fits the budget.
    const uint64_t budget = model_->memoryBudget() ? model_->memoryBudget() : io::defaultMemoryBudget().bytes;
    if (const auto r = io::fitReduction(model_->series()[static_cast<size_t>(index)], budget)) {
      reduced_->setText(tr("Load at 1/%1 resolution").arg(r->inPlane));
      reduced_->disconnect();
      connect(reduced_, &QPushButton::clicked, this, [this, index, r = *r] {
        reduced_->hide();
        model_->setReduction(index, r);
        hang(primary_ >= 0 ? primary_ : index);
      });
      reduced_->show();
    }
  }
  if (!error.isEmpty()) {
    loadError_ = error;
    status_->setText(error);
    std::fprintf(stderr, "%s\n", error.toLocal8Bit().constData());
  }
  for (const auto& [layer, series] : layerSeries_) {
    if (series != index || layer >= static_cast<int>(state_.layers().size())) continue;
    // A window chosen from the voxels (no file window, not CT) is chosen again now they are all in.
    const auto& l = state_.layers()[static_cast<size_t>(layer)];
    if (error.isEmpty() && l.mapping.source == "range") state_.setMapping(layer, view::initialMapping(*l.volume));
  }
  grid_->invalidate();
  if (model_->loading()) return;
  if (loadError_.isEmpty())
    status_->setText(tr("Loaded %1 slices").arg(state_.layers().empty() ? 0 : state_.layers().front().volume->slicesReady()));
  emit loadsFinished(loadError_);
  openSegmentationFromCommandLine();
  offerRecovery();
  takeScreenshotAndQuit(loadError_.isEmpty());
}

void MainWindow::takeScreenshotAndQuit(bool ok) {
  if (screenshotPath_.isEmpty() || screenshotTaken_) return;
  screenshotTaken_ = true;
  QTimer::singleShot(200, this, [this, ok] { saveScreenshotWhenRefined(ok, 200); });
}

// The 3D view's full-resolution image comes from a worker: wait for it (at most 30 s), then grab.
void MainWindow::saveScreenshotWhenRefined(bool ok, int waitedMs) {
  const VolumeView* v3d = grid_->volumeView();
  if (v3d && !v3d->refined() && waitedMs < 30000) {
    QTimer::singleShot(100, this, [this, ok, waitedMs] { saveScreenshotWhenRefined(ok, waitedMs + 100); });
    return;
  }
  const bool saved = grabShown(this).save(screenshotPath_, "PNG");
  if (!saved) std::fprintf(stderr, "viewer.screenshot_failed: cannot write %s\n", screenshotPath_.toLocal8Bit().constData());
  QApplication::exit(ok && saved ? 0 : 1);
}

void MainWindow::setPreset3d(const std::string& name) {
  state_.setPreset3d(name);
  preset3d_->setCurrentText(QString::fromStdString(name));
}

}  // namespace cvx::viewer
