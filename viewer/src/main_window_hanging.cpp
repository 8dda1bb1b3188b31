// SPDX-License-Identifier: MIT
// Hanging a study: the protocol for its modalities (resources/hanging_protocols.json, or the
// user's own file in the config folder), the layout (the protocol's, or the one the reader chose
// for that protocol before: remembered), the series of each viewport and their first windows.
#include <algorithm>
#include <set>

#include <QActionGroup>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

#include "main_window.h"

#include <cvx/viewstate/tf_presets.h>
#include "study_model.h"
#include "viewport_grid.h"

static void initCinevoxResources() { Q_INIT_RESOURCE(cinevox); }

namespace cvx::viewer {

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

view::Orientation orientationOf(view::CellKind k) {
  switch (k) {
    case view::CellKind::Coronal: return view::Orientation::Coronal;
    case view::CellKind::Sagittal: return view::Orientation::Sagittal;
    default: return view::Orientation::Axial;
  }
}

}  // namespace

void MainWindow::loadProtocols() {
  initCinevoxResources();
  auto builtIn = view::parseProtocols(readAll(":/cinevox/hanging_protocols.json").toStdString());
  if (builtIn.ok()) protocols_ = builtIn.value();
  // A reader's own protocols replace the built-in ones when they parse; else they are reported.
  const QString own = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + "/hanging_protocols.json";
  if (!QFile::exists(own)) return;
  auto mine = view::parseProtocols(readAll(own).toStdString());
  if (mine.ok()) {
    protocols_ = mine.value();
  } else {
    QMetaObject::invokeMethod(this, [this, e = QString::fromStdString(mine.error().str()), own] {
      statusBar()->showMessage(tr("%1 (%2): built-in protocols used").arg(e, own), 15000);
    }, Qt::QueuedConnection);
  }
}

int MainWindow::seriesOfLayer(int layer) const {
  const auto it = layerSeries_.find(layer);
  return it == layerSeries_.end() ? -1 : it->second;
}

int MainWindow::layerOfSeries(int series, const std::string& preset) {
  for (const auto& [layer, s] : layerSeries_)
    if (s == series) return layer;
  const auto volume = model_->load(series);
  if (!volume) return -1;
  if (!model_->reduction(series).none())
    statusBar()->showMessage(tr("%1 loaded at reduced resolution (every %2th voxel)")
                                 .arg(QString::fromStdString(volume->info.seriesDescription))
                                 .arg(model_->reduction(series).inPlane), 20000);
  const int layer = state_.addLayer(volume, view::initialMapping(*volume, preset));
  layerSeries_[layer] = series;
  return layer;
}

void MainWindow::hang(int primary) {
  if (primary < 0 || primary >= static_cast<int>(model_->series().size())) return;
  std::vector<std::string> modalities;
  for (const auto& s : model_->series()) modalities.push_back(s.info.modality);
  const view::HangingProtocol* p = view::chooseProtocol(protocols_, modalities);
  protocol_ = p ? QString::fromStdString(p->name) : QString();
  view::Layout layout = p ? p->layout : *view::findLayout("2x2");
  // The reader's own choice of grid for this protocol wins (then every viewport shows the series).
  const QString chosen = QSettings().value("layout/" + (protocol_.isEmpty() ? QString("none") : protocol_)).toString();
  if (const view::Layout* l = view::findLayout(chosen.toStdString()); l && l->name != layout.name) layout = *l;
  applyLayout(layout, primary, p ? p->windowPreset : std::map<std::string, std::string>{});
}

void MainWindow::applyLayout(const view::Layout& layout, int primary,
                             const std::map<std::string, std::string>& presets) {
  // Hung again on the same series (another grid): the reader keeps the point being read.
  const bool again = primary >= 0 && primary == primary_ && !state_.layers().empty();
  const Vec3 cursor = state_.cursor();
  // The 3D view's cuts stay where they are for another grid (as fixed planes: the views they followed
  // go), and go with the series for a new one.
  std::vector<view::ClipPlane3D> cuts;
  std::vector<view::Orientation> inThreeD;  // and the slices shown in 3D stay, by orientation
  if (again) {
    for (const view::ClipPlane3D& c : state_.clipPlanes3d()) cuts.push_back(state_.fixedClip3d(c));
    for (int v = 0; v < state_.viewCount(); ++v)
      if (state_.view(v).shownIn3d) inThreeD.push_back(state_.view(v).orientation);
  }
  while (!state_.layers().empty()) state_.removeLayer(static_cast<int>(state_.layers().size()) - 1);
  layerSeries_.clear();
  loadError_.clear();
  primary_ = primary;
  std::vector<view::Orientation> orientations;
  std::vector<std::vector<int>> viewLayers;
  if (primary >= 0) {
    const auto& plans = model_->series();
    const std::string frame = plans[static_cast<size_t>(primary)].info.frameOfReferenceUid;
    auto presetOf = [&](int s) {
      const auto it = presets.find(plans[static_cast<size_t>(s)].info.modality);
      return it == presets.end() ? std::string() : it->second;
    };
    layerOfSeries(primary, presetOf(primary));  // layer 0: the reference
    // The measurements of the study, from the user's data folder (journaled).
    const auto& info = plans[static_cast<size_t>(primary)].info;
    openMeasureSession(info.studyInstanceUid.empty() ? info.seriesInstanceUid : info.studyInstanceUid);
    for (const auto& cell : layout.cells) {
      if (cell.kind == view::CellKind::ThreeD) continue;
      int s = cell.modality.empty() ? primary : model_->seriesOf(cell.modality, frame);
      if (s < 0) s = primary;
      const int layer = layerOfSeries(s, presetOf(s));
      orientations.push_back(orientationOf(cell.kind));
      viewLayers.push_back(layer >= 0 ? std::vector<int>{layer} : std::vector<int>{});
    }
    // A 3D cell fuses PET with CT (ViewerState::fusedLayer3d): the partner series in the primary's
    // frame of reference is loaded as a layer no 2D cell lists, unless a cell shows it already.
    const bool threeD = std::any_of(layout.cells.begin(), layout.cells.end(),
                                    [](const view::LayoutCell& c) { return c.kind == view::CellKind::ThreeD; });
    const std::string& modality = plans[static_cast<size_t>(primary)].info.modality;
    const std::string partner = modality == "CT" ? "PT" : (modality == "PT" ? "CT" : "");
    if (threeD && !partner.empty())
      if (const int s = model_->seriesOf(partner, frame); s >= 0 && s != primary) layerOfSeries(s, presetOf(s));
    std::vector<int> keep;
    for (const auto& [layer, s] : layerSeries_) keep.push_back(s);
    model_->keepOnly(keep);
  } else {
    for (const auto& cell : layout.cells)
      if (cell.kind != view::CellKind::ThreeD) orientations.push_back(orientationOf(cell.kind));
  }
  state_.setViews(orientations, viewLayers);
  (void)state_.setClipPlanes3d(cuts);  // free planes that were accepted: accepted again
  for (int v = 0; v < state_.viewCount(); ++v)  // each shown view once: the first of its orientation
    if (auto it = std::find(inThreeD.begin(), inThreeD.end(), state_.view(v).orientation); it != inThreeD.end()) {
      state_.setShownIn3d(v, true);
      inThreeD.erase(it);
    }
  if (again) state_.setCursor(cursor);
  // A new series opens its 3D view with its modality's preset; another grid keeps the reader's.
  if (!again && primary >= 0)
    setPreset3d(view::defaultTransferPreset(model_->series()[static_cast<size_t>(primary)].info.modality));
  grid_->setLayout(layout);
  for (QAction* a : layoutGroup_ ? layoutGroup_->actions() : QList<QAction*>{})
    a->setChecked(a->text() == QString::fromStdString(layout.name));
  setActiveView(0);
  updatePhaseSlider();
  emit studyHung();
}

void MainWindow::setLayoutByName(const QString& name) {
  const view::Layout* l = view::findLayout(name.toStdString());
  if (!l) return;
  QSettings().setValue("layout/" + (protocol_.isEmpty() ? QString("none") : protocol_), name);
  if (primary_ < 0) {
    applyLayout(*l, -1, {});
    return;
  }
  const view::HangingProtocol* p = nullptr;
  for (const auto& q : protocols_)
    if (QString::fromStdString(q.name) == protocol_) p = &q;
  // The protocol's own grid keeps its viewports' series; another grid shows the primary series.
  applyLayout(p && p->layout.name == l->name ? p->layout : *l, primary_,
              p ? p->windowPreset : std::map<std::string, std::string>{});
}

void MainWindow::onSeriesDropped(int view, int series) {
  if (view < 0 || view >= state_.viewCount() || series < 0 || series >= static_cast<int>(model_->series().size()))
    return;
  if (state_.layers().empty()) {
    hang(series);
    return;
  }
  const int layer = layerOfSeries(series);
  if (layer < 0) return;
  state_.setViewLayers(view, {layer});
  setActiveView(view);
}

}  // namespace cvx::viewer
