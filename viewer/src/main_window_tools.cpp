// SPDX-License-Identifier: MIT
// The window's tools: the mouse tool (navigate, measurements), undo/redo, hiding patient text, and
// the study's measurement session (saved in the user's data folder, journaled) with its export.
#include <algorithm>
#include <cstdio>

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QActionGroup>
#include <QDir>
#include <QFileDialog>
#include <QKeySequence>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSignalBlocker>
#include <QMenu>
#include <QToolBar>
#include <QTimer>
#include <QToolButton>

#include <cvx/viewstate/camera_3d.h>
#include <cvx/viewstate/measure_export.h>
#include <cvx/viewstate/probe.h>

#include "browser.h"
#include "main_window.h"
#include "recovery_dialog.h"
#include "plane_view.h"
#include "tool_buttons.h"

#include <cvx/viewstate/tf_presets.h>
#include "seg_editing.h"
#include "seg_panel.h"
#include "seg_run.h"
#include "viewport_grid.h"

namespace cvx::viewer {

void MainWindow::openSegmentationFromCommandLine() {
  if (segPath_.isEmpty() || !loadError_.isEmpty()) return;  // --seg: once, over the loaded series
  std::vector<Diagnostic> warnings;
  const Status st = openSegmentation(state_, segPath_.toStdString(), &warnings);
  for (const Diagnostic& w : warnings) std::fprintf(stderr, "warning %s: %s\n", w.code.c_str(), w.message.c_str());
  if (!st.ok()) loadError_ = QString::fromStdString(st.error().str());
  status_->setText(st.ok() ? tr("Opened %1").arg(segPath_) : loadError_);
  if (!st.ok()) std::fprintf(stderr, "%s\n", loadError_.toLocal8Bit().constData());
  segPath_.clear();
}

namespace {
// A pending journal the open series take (SegEditing::recoverPending's rule): its series is open, or
// it or an open series has no SeriesInstanceUID (then the grid decides).
bool forOpenSeries(const view::ViewerState& state, const PendingSeries& row) {
  if (!row.readable) return false;
  for (const auto& l : state.layers())
    if (l.volume && (row.seriesUid.empty() || l.volume->info.seriesInstanceUid.empty() ||
                     l.volume->info.seriesInstanceUid == row.seriesUid))
      return true;
  return false;
}
}  // namespace

int MainWindow::journalReads() const { return peeks_ ? peeks_->reads() : 0; }

void MainWindow::offerRecovery() {
  if (!screenshotPath_.isEmpty() || !editing_) return;
  // On every load: the folder listed (a file open and flock'd each), but a journal read only once
  // while it is unchanged (peeks_), not the megabytes of every pending journal each time.
  if (!peeks_) peeks_ = std::make_unique<JournalPeeks>();
  const auto rows = pendingSeries(editing_->pending(), peeks_.get());
  const bool chosen = std::any_of(rows.begin(), rows.end(), [this](const PendingSeries& r) {
    return !recoverSeries_.empty() && r.seriesUid == recoverSeries_ && forOpenSeries(state_, r);
  });
  recoverSeries_.clear();
  if (std::any_of(rows.begin(), rows.end(), [this](const PendingSeries& r) { return forOpenSeries(state_, r); })) {
    const auto answer =
        chosen ? QMessageBox::Yes
               : QMessageBox::question(this, tr("Recover segmentation edits"),
                                       tr("CineVox did not close cleanly while segmentations were being edited. "
                                          "Recover the edits made on this series?"));
    if (answer == QMessageBox::Yes) {
      auto n = editing_->recoverPending();
      statusBar()->showMessage(
          n.ok() ? tr("Recovered %1 segmentation(s)").arg(*n) : QString::fromStdString(n.error().str()), 15000);
    }
  }
  // After this load has ended (its handlers return first).
  if (!otherSeriesOffered_) QTimer::singleShot(0, this, &MainWindow::offerOtherSeries);
}

void MainWindow::offerOtherSeries() {
  if (!screenshotPath_.isEmpty() || !editing_ || otherSeriesOffered_) return;
  otherSeriesOffered_ = true;
  if (!peeks_) peeks_ = std::make_unique<JournalPeeks>();
  auto rows = pendingSeries(editing_->pending(), peeks_.get());
  std::erase_if(rows, [this](const PendingSeries& r) { return forOpenSeries(state_, r); });
  if (rows.empty()) return;
  describeFromDatabase(rows, browser_->database());
  RecoveryDialog dialog(std::move(rows), tools_.overlay.hidePhi, this);
  if (dialog.exec() != QDialog::Accepted || !dialog.chosen()) return;
  recoverSeries_ = dialog.chosen()->seriesUid;  // offerRecovery recovers it once it has loaded
  openSeries(dialog.chosen()->seriesKey);
}

void MainWindow::lesionAtCursor(int view) {
  if (state_.layers().empty() || !state_.layers().front().volume) return;
  // The PET of the clicked view's frame (a prior study's, PERCIST's baseline), seeded at that view's
  // cursor; the reference's frame from the 3D view.
  const bool inView = view >= 0 && view < state_.viewCount() && state_.viewLayer(view) >= 0;
  const int pet = view::petLayerOfFrame(state_, inView ? state_.viewLayer(view) : 0);
  auto say = [this](const QString& text) { statusBar()->showMessage(text, 15000); };
  if (pet < 0)
    return say(tr("viewer.no_pet: the Lesion tool delineates a PET lesion, and no PET of this frame of reference is "
                  "open"));
  const Vec3 at = inView ? state_.viewCursor(view) : state_.cursor();
  if (auto* show = findChild<QAction*>("showSegments"); show && !show->isChecked()) show->trigger();
  auto* run = findChild<SegRunPanel*>("segRunPanel");
  if (!run) return;
  if (run->running()) {  // kept: delineated when the run ends, from where it was clicked
    if (lesionQueue_.empty()) {
      connect(run, &SegRunPanel::finished, this, &MainWindow::nextQueuedLesion,
              Qt::ConnectionType(Qt::QueuedConnection | Qt::UniqueConnection));
      if (auto* cancel = run->findChild<QPushButton*>("segCancel"))
        connect(cancel, &QPushButton::clicked, this, &MainWindow::dropQueuedLesions, Qt::UniqueConnection);
    }
    lesionQueue_.push_back({at, state_.layers()[static_cast<size_t>(pet)].volume->serial(), inView ? view : -1});
    return say(tr("Lesion queued: %n waiting for the plugin", "", static_cast<int>(lesionQueue_.size())));
  }
  if (!run->choose("lesion")) return say(tr("plugin.not_found: the lesion plugin is not installed"));
  if (!run->chooseLayer(pet)) return say(tr("viewer.series_closed: the PET is no longer listed"));
  run->setSeedAt(at);
  run->run();  // its progress, result and errors show in the dock
  if (!run->running()) say(run->message());  // refused at once (a cursor off the PET)
}

void MainWindow::nextQueuedLesion() {
  if (tools_.tool != Tool::Lesion) return lesionQueue_.clear();
  auto* run = findChild<SegRunPanel*>("segRunPanel");
  // Until one starts: a point refused at once (a seed off the PET) does not hold up the next.
  while (!lesionQueue_.empty() && !(run && run->running())) {
    const QueuedLesion q = lesionQueue_.front();
    lesionQueue_.pop_front();
    const bool inView = q.view >= 0 && q.view < state_.viewCount() && state_.viewLayer(q.view) >= 0;
    const int pet = state_.layers().empty() || !state_.layers().front().volume
                        ? -1
                        : view::petLayerOfFrame(state_, inView ? state_.viewLayer(q.view) : 0);
    if (pet < 0 || state_.layers()[static_cast<size_t>(pet)].volume->serial() != q.pet) continue;  // another study now
    state_.setCursorUnsnapped(q.at, inView ? q.view : -1);  // the plugin's seed, where the click put the cursor
    lesionAtCursor(inView ? q.view : -1);
  }
}

void MainWindow::buildToolsBar() {
  addToolBarBreak();  // a second row: the view bar fills the first on a 1280-pixel screen
  QToolBar* bar = addToolBar(tr("Tools"));
  bar->setObjectName("toolsToolbar");
  bar->setMovable(false);
  toolGroup_ = new QActionGroup(this);
  for (const auto& [tool, name, tip] : kToolButtons) {
    QAction* a = bar->addAction(tr(name));
    a->setObjectName(QString("tool%1").arg(name));
    a->setCheckable(true);
    a->setChecked(tool == Tool::Navigate);
    if (tip) a->setToolTip(tr(tip));
    toolGroup_->addAction(a);
    connect(a, &QAction::triggered, this, [this, tool = tool] { setTool(tool); });
  }
  bar->addSeparator();
  QAction* undo = bar->addAction(tr("Undo"));
  undo->setObjectName("undo");
  undo->setShortcut(QKeySequence::Undo);
  // Undo and Redo act on what the tool edits: the active segment under Paint, Erase and Scissors,
  // the 3D view's punches under Punch, the measurements otherwise.
  connect(undo, &QAction::triggered, this, [this] {
    if (tools_.tool == Tool::Punch)
      editPunches([](view::Punches3D& p) { return p.undo(); });
    else if (segmentTool(tools_.tool) && tools_.editing)
      (void)tools_.editing->undo();
    else if (tools_.measurements)
      (void)tools_.measurements->undo();
  });
  QAction* redo = bar->addAction(tr("Redo"));
  redo->setObjectName("redo");
  redo->setShortcut(QKeySequence::Redo);
  connect(redo, &QAction::triggered, this, [this] {
    if (tools_.tool == Tool::Punch)
      editPunches([](view::Punches3D& p) { return p.redo(); });
    else if (segmentTool(tools_.tool) && tools_.editing)
      (void)tools_.editing->redo();
    else if (tools_.measurements)
      (void)tools_.measurements->redo();
  });
  QAction* exportAction = bar->addAction(tr("Export..."));
  exportAction->setObjectName("exportMeasurements");
  exportAction->setToolTip(tr("Export the measurements as CSV or JSON"));
  connect(exportAction, &QAction::triggered, this, &MainWindow::exportMeasurements);
  bar->addSeparator();
  QAction* hide = bar->addAction(tr("Hide patient"));
  hide->setObjectName("hidePhi");
  hide->setCheckable(true);
  hide->setToolTip(tr("Hide the patient's name, ID, birth date and accession number"));
  tools_.overlay.hidePhi = QSettings().value("view/hidePhi", false).toBool();
  hide->setChecked(tools_.overlay.hidePhi);
  connect(hide, &QAction::toggled, this, [this](bool on) {
    tools_.overlay.hidePhi = on;
    QSettings().setValue("view/hidePhi", on);
    grid_->repaint();
  });
}

void MainWindow::setTool(Tool tool) {
  tools_.tool = tool;
  if (tool != Tool::Lesion) lesionQueue_.clear();
  const int index = static_cast<int>(tool);
  if (toolGroup_ && index < toolGroup_->actions().size()) toolGroup_->actions()[index]->setChecked(true);
  if (grid_)
    for (PlaneView* v : grid_->views()) v->toolChanged();
}

void MainWindow::openMeasureSession(const std::string& key) {
  if (session_ && key == sessionKey_) return;  // the same study hung again (a layout change): keep it
  sessionKey_ = key;
  if (session_) {
    session_->measurements().unsubscribe(measureListener_);
    (void)session_->save();
    session_.reset();
  }
  tools_.measurements = nullptr;
  tools_.selected = 0;
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/measurements";
  // A key the store refuses (not a UID) keeps measurements in memory only, and says so.
  auto s = view::MeasureSession::open(folder.toStdString(), key);
  if (!s.ok()) {
    statusBar()->showMessage(QString::fromStdString(s.error().str()), 15000);
    return;
  }
  session_ = std::move(s.value());
  for (const auto& w : session_->warnings()) statusBar()->showMessage(QString::fromStdString(w.str()), 15000);
  tools_.measurements = &session_->measurements();
  measureListener_ = session_->measurements().subscribe([this](const view::MeasureChange&) { grid_->repaint(); });
}

void MainWindow::exportMeasurements() {
  if (!tools_.measurements) return;
  const QString path = QFileDialog::getSaveFileName(this, tr("Export measurements"), QDir::homePath() + "/measurements.csv",
                                                    tr("CSV (*.csv);;JSON (*.json)"));
  if (path.isEmpty()) return;
  if (const Status st = refuseSourceFolders(state_, path.toStdString()); !st.ok())  // never beside a series measured
    return statusBar()->showMessage(QString::fromStdString(st.error().str()), 10000);
  const auto rows = view::measureAll(*tools_.measurements, state_.layers());
  const Status s = path.endsWith(".json", Qt::CaseInsensitive) ? view::exportJson(path.toStdString(), rows)
                                                               : view::exportCsv(path.toStdString(), rows);
  statusBar()->showMessage(s.ok() ? tr("Exported %1 measurements to %2").arg(rows.size()).arg(path)
                                  : QString::fromStdString(s.error().str()), 10000);
}

// The 3D view's actions in one "3D" menu button (the view bar is full on a 1280-pixel screen): the
// crop box (key C in the 3D view) and its reset, PET/CT fusion (key F) and the fused series' preset.
void MainWindow::add3dActions(QToolBar* bar) {
  auto* button = new QToolButton(bar);
  button->setObjectName("menu3d");
  button->setText(tr("3D"));
  button->setToolTip(tr("The 3D view: crop box, camera, fusion"));
  button->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(button);
  button->setMenu(menu);
  bar->addWidget(button);
  // The 3D view's crop box: show or hide its edges and face handles, reset it.
  QAction* crop = menu->addAction(tr("Crop box"));
  crop->setObjectName("crop3d");
  crop->setToolTip(tr("Show or hide the 3D view's crop box; drag a face handle to crop (key C in the 3D view)"));
  connect(crop, &QAction::triggered, this, [this] {
    view::CropBox3D c = state_.crop3d();
    c.shown = !c.shown;
    state_.setCrop3d(c);
  });
  QAction* resetCrop = menu->addAction(tr("Reset crop"));
  resetCrop->setObjectName("resetCrop3d");
  resetCrop->setToolTip(tr("Show the whole volume in the 3D view"));
  connect(resetCrop, &QAction::triggered, this, [this] { state_.resetCrop3d(); });
  addClipMenu(menu);
  addPunchMenu(menu);
  addSlicesMenu(menu);
  menu->addSeparator();
  // The camera (camera_3d.h): the views from each side (the keys A, P, L, R, S, I in the 3D view),
  // the projection, and a fit to what the preset shows now (zoom 1, no pan, the angles kept).
  QMenu* sides = menu->addMenu(tr("View from"));
  sides->setObjectName("viewFrom3d");
  const std::pair<char, const char*> named[] = {{'A', "Anterior"}, {'P', "Posterior"}, {'L', "Left"},
                                                {'R', "Right"},    {'S', "Superior"},  {'I', "Inferior"}};
  for (const auto& [side, name] : named) {
    QAction* a = sides->addAction(tr(name) + QString("\t%1").arg(QChar(side)));
    a->setObjectName(QString("viewFrom3d") + QChar(side));
    connect(a, &QAction::triggered, this,
            [this, side] { state_.setCamera3d(view::cameraPreset(state_.camera3d(), side)); });
  }
  QAction* perspective = menu->addAction(tr("Perspective"));
  perspective->setObjectName("perspective3d");
  perspective->setCheckable(true);
  perspective->setChecked(state_.camera3d().perspective);
  perspective->setToolTip(tr("Perspective projection (off: parallel, lengths the same at every depth)"));
  connect(perspective, &QAction::toggled, this, [this](bool on) {
    view::Camera3DView c = state_.camera3d();
    c.perspective = on;
    state_.setCamera3d(c);
  });
  QAction* fit = menu->addAction(tr("Fit to content"));
  fit->setObjectName("fit3d");
  fit->setToolTip(tr("Frame what the transfer function shows now: zoom 1, no pan, the same side"));
  connect(fit, &QAction::triggered, this, [this] {
    view::Camera3DView c = state_.camera3d();
    c.zoom = 1;
    c.panMm = {};
    c.frame = {};  // the 3D view frames it again
    state_.setCamera3d(c);
  });
  menu->addSeparator();
  // PET/CT in one 3D picture (ViewerState::fusedLayer3d): on by default, key F in the 3D view.
  QAction* fuse = menu->addAction(tr("Fuse 3D"));
  fuse->setObjectName("fusion3d");
  fuse->setCheckable(true);
  fuse->setChecked(state_.fusion3d());
  fuse->setToolTip(tr("Draw the PET (or the CT's partner series) in the 3D view with the CT (key F in the 3D view)"));
  connect(fuse, &QAction::toggled, this, [this](bool on) { state_.setFusion3d(on); });
  // The fused layer's preset: its modality's by default (PET: hot iron), or one chosen here.
  QMenu* fused = menu->addMenu(tr("Fused series' preset"));
  fused->setObjectName("fusedPreset3d");
  auto* group = new QActionGroup(fused);
  auto addPreset = [this, fused, group](const QString& text, const QString& name) {
    QAction* a = fused->addAction(text);
    a->setData(name);
    a->setCheckable(true);
    a->setChecked(name.toStdString() == state_.fusedPreset3d());
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, name] { state_.setFusedPreset3d(name.toStdString()); });
  };
  addPreset(tr("auto (the modality's)"), QString());
  for (const std::string& n : view::transferPresetNames())
    addPreset(QString::fromStdString(n), QString::fromStdString(n));
  // Both follow the state (key F, a session, a test).
  // A preset the menu lacks (one just saved from the editor for the fused layer) is added to it.
  fusionFollow_ = state_.subscribe([this, fuse, perspective, group, addPreset](const view::ChangeEvent& e) {
    if (!(e.what & view::kView3d)) return;
    if (perspective->isChecked() != state_.camera3d().perspective) {
      const QSignalBlocker quiet(perspective);
      perspective->setChecked(state_.camera3d().perspective);
    }
    if (fuse->isChecked() != state_.fusion3d()) {
      const QSignalBlocker quiet(fuse);
      fuse->setChecked(state_.fusion3d());
    }
    bool listed = false;
    for (QAction* a : group->actions())
      if (a->data().toString().toStdString() == state_.fusedPreset3d()) {
        listed = true;
        if (!a->isChecked()) a->setChecked(true);
      }
    if (!listed) addPreset(QString::fromStdString(state_.fusedPreset3d()), QString::fromStdString(state_.fusedPreset3d()));
  });
}

// The slab boxes show the active view's slab (a width not in the list is added to it, in order);
// both are disabled for a view without one (the 3D view), the mode while the slab is thin.
void MainWindow::syncSlab() {
  const bool mpr = activeView_ < state_.viewCount();
  const double mm = mpr ? state_.view(activeView_).slabMm : 0;
  int i = slab_->findData(mm);
  if (i < 0) {
    i = 0;
    while (i < slab_->count() && slab_->itemData(i).toDouble() < mm) ++i;
    slab_->insertItem(i, tr("slab %1 mm").arg(mm), mm);
  }
  slab_->setCurrentIndex(i);
  slab_->setEnabled(mpr);
  if (mpr) slabMode_->setCurrentIndex(std::max(0, slabMode_->findData(int(state_.view(activeView_).slabMode))));
  slabMode_->setEnabled(mpr && mm > 0);
}

}  // namespace cvx::viewer
