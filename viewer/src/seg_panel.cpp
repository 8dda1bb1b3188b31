// SPDX-License-Identifier: MIT
#include "seg_panel.h"

#include "seg_brush_panel.h"
#include "seg_logic_panel.h"
#include "seg_curve_view.h"
#include "seg_editing.h"
#include "seg_info_panel.h"
#include "seg_run.h"

#include <QCoreApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <chrono>

#include <cvx/viewstate/overlay.h>
#include <cvx/viewstate/percist.h>
#include <cvx/viewstate/probe.h>
#include <cvx/viewstate/seg_report.h>
#include <cvx/viewstate/seg_terms.h>

namespace cvx::viewer {
namespace {

// The row of each (segmentation, segment) pair, in table order.
std::vector<std::pair<int, int>> rowsOf(const view::ViewerState& s) {
  std::vector<std::pair<int, int>> rows;
  for (size_t i = 0; i < s.segmentations().size(); ++i)
    for (size_t k = 0; k < s.segmentations()[i].segments.size(); ++k)
      rows.emplace_back(static_cast<int>(i), static_cast<int>(k));
  return rows;
}

}  // namespace

SegPanel::SegPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent)
    : QWidget(parent), state_(state), editing_(editing) {
  setObjectName("segPanel");
  auto* layout = new QVBoxLayout(this);
  auto* buttons = new QHBoxLayout;
  auto* open = new QPushButton(tr("Open..."), this);
  open->setObjectName("segOpen");
  open->setToolTip(tr("Open a DICOM SEG, an RTSTRUCT or a label map (NIfTI, NRRD, MetaImage) of the series"));
  auto* save = new QPushButton(tr("Save SEG..."), this);
  save->setObjectName("segSave");
  outline_ = new QCheckBox(tr("Outline"), this);
  outline_->setObjectName("segOutline");
  auto* saveMap = new QPushButton(tr("Save label map..."), this);
  saveMap->setObjectName("segSaveLabelMap");
  saveMap->setToolTip(tr("The segments as a label map (NIfTI or NRRD) on the series' grid, for 3D Slicer, ITK-SNAP "
                         "or nnU-Net: one file per label layer where segments overlap"));
  connect(saveMap, &QPushButton::clicked, this, &SegPanel::saveLabelMap);
  buttons->addWidget(open);
  buttons->addWidget(save);
  buttons->addWidget(saveMap);
  auto* exportMeshButton = new QPushButton(tr("Export mesh..."), this);
  exportMeshButton->setObjectName("segExportMesh");
  exportMeshButton->setToolTip(tr("The active segment's surface as STL, or every segment's as OBJ (LPS mm)"));
#ifndef CVX_HAVE_MESH
  exportMeshButton->setEnabled(false);  // exportSegmentMesh would only say viewer.no_mesh
  exportMeshButton->setToolTip(tr("This CineVox was built without VTK: no surfaces to export"));
#endif
  buttons->addWidget(exportMeshButton);
  auto* table = new QPushButton(tr("Export table..."), this);
  table->setObjectName("segExportTable");
  table->setToolTip(tr("Every segment's volume and statistics (and PET uptake on a PET/CT) as CSV"));
  buttons->addWidget(table);
  connect(table, &QPushButton::clicked, this, &SegPanel::exportTable);
  buttons->addWidget(outline_);
  buttons->addStretch();
  layout->addLayout(buttons);
  table_ = new QTableWidget(0, 2, this);
  table_->setObjectName("segTable");
  table_->setHorizontalHeaderLabels({tr("Segment"), tr("mL")});
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  table_->verticalHeader()->hide();
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(table_);
  layout->addWidget(new SegInfoPanel(state_, editing_, this));  // the active segment's name, type, colour
  auto* statsRow = new QHBoxLayout;
  stats_ = new QLabel(this);
  stats_->setObjectName("segStats");
  stats_->setWordWrap(true);
  auto* statsButton = new QPushButton(tr("Statistics"), this);
  statsButton->setObjectName("segStatsButton");
  statsButton->setToolTip(tr("Recompute the active segment's volume, mean, SD, min and max"));
  auto* goToMax = new QPushButton(tr("Go to max"), this);  // on a PET/CT: the cursor to the SUVmax voxel
  goToMax->setObjectName("segGoToMax");
  goToMax->setToolTip(tr("Move the cursor to the active segment's hottest PET voxel (its SUVmax)"));
  auto* statsButtons = new QVBoxLayout;
  statsButtons->addWidget(statsButton);
  statsButtons->addWidget(goToMax);
  statsRow->addWidget(stats_, 1);
  statsRow->addLayout(statsButtons);
  layout->addLayout(statsRow);
  curve_ = new SegCurveView(this);  // over a 4D series: the active segment's curve
  curve_->setExportGuard([this](const std::string& path) { return refuseSourceFolders(state_, path); });
  layout->addWidget(curve_);
  layout->addWidget(response_ = newResponseLabel(this));
  connect(statsButton, &QPushButton::clicked, this, &SegPanel::refreshStats);
  connect(goToMax, &QPushButton::clicked, this, &SegPanel::goToMax);
  auto* op = new QHBoxLayout;
  op->addWidget(new QLabel(tr("Opacity"), this));
  opacity_ = new QSlider(Qt::Horizontal, this);
  opacity_->setObjectName("segOpacity");
  opacity_->setRange(0, 100);
  opacity_->setToolTip(tr("The active segment's fill over the images"));
  op->addWidget(opacity_);
  op->addWidget(new QLabel(tr("3D"), this));
  opacity3d_ = new QSlider(Qt::Horizontal, this);
  opacity3d_->setObjectName("segOpacity3d");
  opacity3d_->setRange(0, 100);
  opacity3d_->setToolTip(tr("The active segment's surface in the 3D view: below 100 it is translucent and shows what "
                            "it holds"));
  op->addWidget(opacity3d_);
  layout->addLayout(op);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  layout->addWidget(message_);
  {  // new segments, undo and redo of the edits; the brush under them
    auto* edit = new QHBoxLayout;
    auto* add = new QPushButton(tr("New segment"), this);
    add->setObjectName("segNew");
    auto* undo = new QPushButton(tr("Undo"), this);
    undo->setObjectName("segUndo");
    auto* redo = new QPushButton(tr("Redo"), this);
    redo->setObjectName("segRedo");
    auto* liverRef = new QPushButton(tr("Liver ref."), this);
    liverRef->setObjectName("segLiverRef");
    liverRef->setToolTip(tr("PERCIST's liver reference: a 3 cm ball on the active view's PET at its cursor (in the "
                            "normal right lobe); the dock then judges each lesion's SULpeak, and compares studies"));
    auto* bloodRef = new QPushButton(tr("Blood pool ref."), this);
    bloodRef->setObjectName("segBloodPoolRef");
    bloodRef->setToolTip(tr("PERCIST's blood pool reference where the liver is abnormal: a 1 cm wide, 2 cm long "
                            "cylinder in the descending aorta at the active view's cursor"));
    for (QPushButton* b : {add, liverRef, bloodRef}) edit->addWidget(b);
    connect(liverRef, &QPushButton::clicked, this, [this] { addReference(false); });
    connect(bloodRef, &QPushButton::clicked, this, [this] { addReference(true); });
    edit->addWidget(undo);
    edit->addWidget(redo);
    edit->addStretch(1);
    layout->addLayout(edit);
    layout->addWidget(new SegBrushPanel(state_, editing_, this));
    layout->addWidget(new SegLogicPanel(state_, editing_, this));
    connect(add, &QPushButton::clicked, this, [this] {
      Segment meta;
      meta.name = "Segment " + std::to_string(table_->rowCount() + 1);
      meta.rgb = view::newSegmentColour(static_cast<size_t>(table_->rowCount()));  // apart from the last
      auto r = editing_.addSegment(meta, nullptr);
      message_->setText(r.ok() ? QString() : QString::fromStdString(r.error().str()));
    });
    connect(undo, &QPushButton::clicked, this, [this] { editing_.undo(); });
    connect(redo, &QPushButton::clicked, this, [this] { editing_.redo(); });
  }
  layout->addWidget(new SegRunPanel(state_, editing_, this));  // run a plugin: the result is a new segment

  connect(open, &QPushButton::clicked, this, &SegPanel::openFile);
  connect(save, &QPushButton::clicked, this, &SegPanel::saveFile);
  connect(exportMeshButton, &QPushButton::clicked, this, &SegPanel::exportMesh);
  connect(outline_, &QCheckBox::toggled, this, [this](bool on) {
    if (syncing_) return;
    for (int i = 0; i < static_cast<int>(state_.segmentations().size()); ++i) state_.setSegmentationOutline(i, on);
  });
  connect(table_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (syncing_ || item->column() != 0) return;
    const auto rows = rowsOf(state_);
    if (item->row() >= static_cast<int>(rows.size())) return;
    const auto [i, k] = rows[static_cast<size_t>(item->row())];
    view::SegmentDisplay d = state_.segmentations()[static_cast<size_t>(i)].segments[static_cast<size_t>(k)];
    d.visible = item->checkState() == Qt::Checked;
    state_.setSegmentDisplay(i, k, d);
  });
  connect(table_, &QTableWidget::currentCellChanged, this, [this](int row, int, int, int) {
    if (syncing_) return;
    const auto rows = rowsOf(state_);
    if (row >= 0 && row < static_cast<int>(rows.size())) state_.setActiveSegment(rows[row].first, rows[row].second);
  });
  auto onOpacity = [this](double view::SegmentDisplay::*field) {
    return [this, field](int v) {
      const auto [i, k] = state_.activeSegment();
      if (syncing_ || i < 0) return;
      view::SegmentDisplay d = state_.segmentations()[static_cast<size_t>(i)].segments[static_cast<size_t>(k)];
      d.*field = v / 100.0;
      state_.setSegmentDisplay(i, k, d);
    };
  };
  connect(opacity_, &QSlider::valueChanged, this, onOpacity(&view::SegmentDisplay::opacity));
  connect(opacity3d_, &QSlider::valueChanged, this, onOpacity(&view::SegmentDisplay::opacity3d));
  // Every brush dab is a kSegmentation change: the figures (each segment's mL, the active one's
  // statistics) are passes over whole layers, computed on a worker from a copy of the labels; while
  // only voxels, the display, the phase or a window change, the copy waits until the edits pause (a
  // stroke's end). New rows and layers are shown at once.
  syncDue_ = new QTimer(this);
  syncDue_->setSingleShot(true);
  syncDue_->setInterval(250);
  connect(syncDue_, &QTimer::timeout, this, [this] {
    if (syncNeeded_) sync();  // not for a phase or a window alone
    syncNeeded_ = false;
    requestFigures();
  });
  poll_ = new QTimer(this);
  poll_->setInterval(30);
  connect(poll_, &QTimer::timeout, this, [this] {
    if (figures_.collect()) showFigures();
    // What changed while it ran; during a stroke, once the edits pause (syncDue_ asks then).
    if (!figures_.busy() && !syncDue_->isActive()) requestFigures();
    if (export_.valid() && export_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      const Status st = export_.get();
      message_->setText(st.ok() ? tr("Exported %1").arg(exportPath_) : QString::fromStdString(st.error().str()));
      if (auto* b = findChild<QPushButton*>("segExportTable")) b->setEnabled(true);
    }
    if (!figures_.busy() && !export_.valid()) poll_->stop();
  });
  // Slices that load after the figures were computed change no state: a slow check finds them (the
  // figures' key holds each series' loaded slices) and computes the figures again.
  auto* staleCheck = new QTimer(this);
  staleCheck->setInterval(1000);
  connect(staleCheck, &QTimer::timeout, this, [this] {
    if (!figures_.busy() && !syncDue_->isActive() && !figures_.current(state_)) requestFigures();
  });
  staleCheck->start();
  subscription_ = state_.subscribe([this](const view::ChangeEvent& e) {
    // PERCIST's new lesions follow the studies' link (a layer change redraws below anyway).
    if ((e.what & view::kLinks) && !(e.what & view::kLayers)) showFigures();
    if (!(e.what & (view::kSegmentation | view::kLayers | view::kPhase | view::kMapping))) return;
    if ((e.what & view::kPhase) && curve_->isVisible() && state_.activeSegment().first >= 0) {  // the marker, at once (cine)
      const int layer = state_.segmentations()[static_cast<size_t>(state_.activeSegment().first)].layer;
      curve_->setPhase(state_.phaseOf(*state_.layers()[static_cast<size_t>(layer)].volume));
    }
    if ((e.what & view::kLayers) || rowsOf(state_).size() != static_cast<size_t>(table_->rowCount()) ||
        state_.activeSegment() != shownActive_) {
      sync();
      requestFigures();
    } else {
      syncNeeded_ = syncNeeded_ || (e.what & view::kSegmentation);
      syncDue_->start();
    }
  });
  sync();
  requestFigures();
}

void SegPanel::sync() {
  syncing_ = true;
  const auto rows = rowsOf(state_);
  table_->setRowCount(static_cast<int>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto [i, k] = rows[r];
    const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
    const Segment& g = sl.segmentation->segments()[static_cast<size_t>(k)];
    auto* name = new QTableWidgetItem(QString::fromStdString(g.name));
    name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    name->setCheckState(sl.segments[static_cast<size_t>(k)].visible ? Qt::Checked : Qt::Unchecked);
    name->setIcon(segmentSwatch(g.rgb));
    // The file it came from, and the series it lies on with its study's date (two studies' lesions).
    const SeriesInfo& on = state_.layers()[static_cast<size_t>(sl.layer)].volume->info;
    name->setToolTip(QString::fromStdString(sl.name + " on " + on.modality + " " + std::to_string(on.seriesNumber) + " (" +
                                            view::formatDicomDate(on.studyDate) + ")"));
    table_->setItem(static_cast<int>(r), 0, name);
    auto* ml = new QTableWidgetItem;  // showFigures() writes it
    ml->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table_->setItem(static_cast<int>(r), 1, ml);
  }
  const auto active = state_.activeSegment();
  for (size_t r = 0; r < rows.size(); ++r)
    if (rows[r] == active) table_->selectRow(static_cast<int>(r));
  if (active.first >= 0) {
    const auto& sl = state_.segmentations()[static_cast<size_t>(active.first)];
    opacity_->setValue(static_cast<int>(sl.segments[static_cast<size_t>(active.second)].opacity * 100 + 0.5));
    opacity3d_->setValue(static_cast<int>(sl.segments[static_cast<size_t>(active.second)].opacity3d * 100 + 0.5));
    outline_->setChecked(sl.outline);
  }
  shownActive_ = active;
  syncing_ = false;
  showFigures();
}

QString SegPanel::statsText() const { return stats_->text(); }

bool SegPanel::statsCurrent() const { return figures_.current(state_) && !figures_.busy(); }

void SegPanel::requestFigures() {
  figures_.update(state_);
  if (figures_.busy() && !poll_->isActive()) poll_->start();
}

void SegPanel::refreshStats() {
  figures_.forget(state_, state_.activeSegment().first);
  requestFigures();
  showFigures();
}

void SegPanel::showFigures() {
  const auto rows = rowsOf(state_);
  std::vector<view::SegmentReportRow> all;  // every segment's figures there are (PERCIST's reference)
  for (size_t r = 0; r < rows.size() && static_cast<int>(r) < table_->rowCount(); ++r) {
    const view::SegmentReportRow* f = figures_.row(state_, rows[r].first, rows[r].second);
    if (f) all.push_back(*f);
    if (QTableWidgetItem* ml = table_->item(static_cast<int>(r), 1))
      ml->setText(f ? QString::number(f->volumeMl, 'f', 1) : QStringLiteral("…"));
  }
  showResponse(all);
  const auto [i, k] = state_.activeSegment();
  const view::SegmentReportRow* active = i < 0 ? nullptr : figures_.row(state_, i, k);
  // PET tools where there is a PET: the liver reference on the reference's frame, the active segment's max.
  for (const char* name : {"segLiverRef", "segBloodPoolRef"})
    if (auto* b = findChild<QPushButton*>(name)) b->setEnabled(anyPet(state_));
  if (auto* b = findChild<QPushButton*>("segGoToMax")) b->setEnabled(active && active->pet && std::isfinite(active->pet->suvMax));
  curve_->setCurve(active ? active->curve : std::nullopt,
                   i < 0 ? 0 : state_.phaseOf(*state_.layers()[static_cast<size_t>(state_.segmentations()[static_cast<size_t>(i)].layer)].volume));
  if (i < 0) {
    stats_->clear();
    return;
  }
  const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
  const QString name = QString::fromStdString(sl.segmentation->segments()[static_cast<size_t>(k)].name);
  const view::SegmentReportRow* f = figures_.row(state_, i, k);
  if (const Diagnostic e = figures_.error(state_, i); !e.code.empty()) {
    stats_->setText(QString::fromStdString(e.str()));
    return;
  }
  if (!f) {
    stats_->setText(tr("%1: measuring…").arg(name));
    return;
  }
  if (!f->stats) {  // e.g. a colour series: seg.bad_pixel_type
    stats_->setText(QString::fromStdString(f->error.str()));
    return;
  }
  const view::SegmentStats& s = *f->stats;
  // In the units the window shows (a PET's SUVbw: its modality values times the SUV factor).
  const double u = f->scale;
  const int fine = u == 1.0 ? 1 : 2, coarse = u == 1.0 ? 0 : 2;  // SUVs are small numbers
  stats_->setText(tr("%1: %2 mL, mean %3%4, SD %5, min %6, max %7")
                      .arg(name)
                      .arg(s.volumeMl, 0, 'f', 1)
                      .arg(s.mean * u, 0, 'f', fine)
                      .arg(f->units.empty() ? QString() : " " + QString::fromStdString(f->units))
                      .arg(s.sd * u, 0, 'f', fine)
                      .arg(s.min * u, 0, 'f', coarse)
                      .arg(s.max * u, 0, 'f', coarse) +
                  petFiguresText(state_, sl, *f, all));
}

void addSegmentsButton(QToolBar* bar, QMainWindow* window, view::ViewerState& state, SegEditing& editing,
                       std::function<int()> activeView) {
  QAction* button = bar->addAction(QObject::tr("Segments"));
  button->setObjectName("showSegments");
  button->setCheckable(true);
  button->setToolTip(QObject::tr("The segmentations: show, hide, outline, open and save"));
  QObject::connect(button, &QAction::toggled, window, [window, button, &state, &editing, activeView](bool on) {
    auto* dock = window->findChild<QDockWidget*>("segDock");
    if (!dock && on) {
      dock = new QDockWidget(QObject::tr("Segments"), window);
      dock->setObjectName("segDock");
      auto* panel = new SegPanel(state, editing, dock);
      panel->setActiveView(activeView);
      dock->setWidget(panel);
      window->addDockWidget(Qt::RightDockWidgetArea, dock);
      QObject::connect(dock->toggleViewAction(), &QAction::toggled, button, &QAction::setChecked);
    }
    if (dock) dock->setVisible(on);
  });
}

}  // namespace cvx::viewer
