// SPDX-License-Identifier: MIT
// The Segments dock's files (seg_panel.h): opening a segmentation onto the layer it fits, a
// segment's surface as STL or OBJ, label layers as label maps, and the dock's Open, Save SEG, Save label
// map, Export mesh and Export table.
#include "seg_panel.h"

#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStringList>
#include <QTimer>

#include <filesystem>
#include <future>
#include <optional>

#include <cvx/core/log.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>
#include <cvx/io/source_folder.h>
#include <cvx/viewstate/percist_response.h>
#include <cvx/viewstate/seg_report.h>
#ifdef CVX_HAVE_MESH
#include <cvx/io/mesh_files.h>
#include <cvx/mesh/surface.h>
#endif

namespace cvx::viewer {

Status openSegmentation(view::ViewerState& state, const std::string& path, std::vector<Diagnostic>* warnings) {
  std::vector<Diagnostic> own;
  std::vector<Diagnostic>& warned = warnings ? *warnings : own;
  if (state.layers().empty() || !state.layers().front().volume)
    return makeError("seg.no_reference", "open a series before its segmentation");
  // The reference first, then the other layers: a PET lesion's SEG references the PET.
  std::optional<Error> first;
  for (int l = 0; l < static_cast<int>(state.layers().size()); ++l) {
    if (!state.layers()[static_cast<size_t>(l)].volume) continue;
    std::vector<Diagnostic> these;
    auto seg = io::readAnySegmentation(path, *state.layers()[static_cast<size_t>(l)].volume, &these);
    if (!seg.ok()) {
      if (!first) first = seg.error();
      continue;
    }
    for (const Diagnostic& w : these) log::warn(w.code + ": " + w.message);
    warned.insert(warned.end(), these.begin(), these.end());
    auto added = state.addSegmentation(std::make_shared<Segmentation>(std::move(*seg)), l,
                                       path.substr(path.find_last_of('/') + 1));
    if (!added.ok()) return added.error();
    return {};
  }
  return *first;  // the reference's reader's error
}

Status exportSegmentMesh(const Segmentation& s, size_t segment, const std::string& path) {
  const auto endsWith = [&](const char* e) {
    const std::string x(e);
    return path.size() >= x.size() && path.compare(path.size() - x.size(), x.size(), x) == 0;
  };
  const bool stl = endsWith(".stl"), obj = endsWith(".obj");
  if (!stl && !obj) return makeError("viewer.bad_mesh_path", "a mesh file ends in .stl or .obj", path);
#ifdef CVX_HAVE_MESH
  if (stl) {
    auto m = mesh::segmentSurface(s, segment);
    if (!m.ok()) return m.error();
    return io::writeStl(*m, path);
  }
  auto all = mesh::segmentSurfaces(s);
  if (!all.ok()) return all.error();
  return io::writeObj(*all, path);
#else
  (void)s, (void)segment;
  return makeError("viewer.no_mesh", "this CineVox was built without VTK: no surfaces", path);
#endif
}

Status refuseSourceFolders(const view::ViewerState& state, const std::string& path) {
  for (const auto& layer : state.layers())
    if (layer.volume) CVX_TRY(io::refuseSourceFolder(*layer.volume, path));
  return {};
}

std::vector<std::string> labelMapPaths(const std::string& path, size_t layers) {
  if (layers <= 1) return {path};
  size_t ext = 0;  // the extension's length: <stem>-<n><extension>
  switch (io::imageFormatFromPath(path)) {
    case io::ImageFormat::NiftiGz: ext = 7; break;
    case io::ImageFormat::Nrrd: case io::ImageFormat::Nhdr: ext = 5; break;
    case io::ImageFormat::Nifti: case io::ImageFormat::Mha: case io::ImageFormat::Mhd: ext = 4; break;
    case io::ImageFormat::Unknown: break;
  }
  const std::string stem = path.substr(0, path.size() - ext), extension = path.substr(path.size() - ext);
  std::vector<std::string> paths;
  for (size_t l = 0; l < layers; ++l) paths.push_back(stem + "-" + std::to_string(l + 1) + extension);
  return paths;
}

Result<std::vector<std::string>> saveLabelMaps(const Segmentation& s, const std::string& path) {
  if (s.layers().empty()) return makeError("seg.no_layer", "the segmentation has no label layer yet", path);
  const std::vector<std::string> paths = labelMapPaths(path, s.layers().size());
  for (size_t l = 0; l < paths.size(); ++l)
    if (const Status st = io::writeLabelMap(s, l, paths[l]); !st.ok()) return st.error();
  return paths;
}

void SegPanel::openFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a segmentation"), {}, tr("Segmentations (*.dcm *.nrrd *.nhdr *.nii *.nii.gz *.mha *.mhd *);;All files (*)"));
  if (path.isEmpty()) return;
  std::vector<Diagnostic> warnings;
  const Status st = openSegmentation(state_, path.toStdString(), &warnings);
  QStringList lines;
  if (!st.ok()) lines << QString::fromStdString(st.error().str());
  for (const Diagnostic& w : warnings) lines << QString::fromStdString(w.code + ": " + w.message);
  message_->setText(lines.join('\n'));
}

void SegPanel::saveFile() {
  const auto [i, k] = state_.activeSegment();
  if (i < 0) return;
  const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
  const auto& layer = state_.layers()[static_cast<size_t>(sl.layer)];
  const QString path = QFileDialog::getSaveFileName(this, tr("Save as DICOM SEG"), {}, tr("DICOM SEG (*.dcm)"));
  if (path.isEmpty()) return;
  std::vector<Diagnostic> warnings;
  io::SegWriteOptions options;
  options.warnings = &warnings;
  const Status st = io::writeSeg(*sl.segmentation, *layer.volume, path.toStdString(), options);
  QStringList lines{st.ok() ? tr("Saved %1").arg(path) : QString::fromStdString(st.error().str())};
  for (const Diagnostic& w : warnings) lines << QString::fromStdString(w.code + ": " + w.message);
  message_->setText(lines.join('\n'));
}

void SegPanel::saveLabelMap() {
  if (state_.activeSegment().first < 0) return saveLabelMapTo({});  // no dialog: the message says why
  QString filter;
  QString path = QFileDialog::getSaveFileName(this, tr("Save as a label map"), {},
                                              tr("NIfTI (*.nii.gz *.nii);;NRRD (*.nrrd)"), &filter);
  if (path.isEmpty()) return;
  const bool appended = io::imageFormatFromPath(path.toStdString()) == io::ImageFormat::Unknown;
  if (appended) path += filter.startsWith("NRRD") ? ".nrrd" : ".nii.gz";  // "liver": the filter's
  // The dialog asked about the name chosen only: files of other names (a layer's, the extension's)
  // that are there already are replaced only when the user says so.
  const auto& seg = *state_.segmentations()[static_cast<size_t>(state_.activeSegment().first)].segmentation;
  QStringList there;
  for (const std::string& p : labelMapPaths(path.toStdString(), seg.layers().size()))
    if (std::filesystem::exists(p) && (appended || p != path.toStdString())) there << QString::fromStdString(p);
  if (!there.isEmpty() &&
      QMessageBox::question(this, tr("Save label map"), tr("Replace these files?\n%1").arg(there.join('\n'))) !=
          QMessageBox::Yes)
    return;
  saveLabelMapTo(path);
}

void SegPanel::saveLabelMapTo(const QString& path) {
  const int i = state_.activeSegment().first;
  if (i < 0) {
    message_->setText(QString::fromStdString(
        makeError("seg.no_active", "no segmentation to save: open one, or add a segment and paint").str()));
    return;
  }
  const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
  const Segmentation& s = *sl.segmentation;
  if (const Status st = refuseSourceFolders(state_, path.toStdString()); !st.ok()) {
    message_->setText(QString::fromStdString(st.error().str()));
    return;
  }
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const auto saved = saveLabelMaps(s, path.toStdString());
  QApplication::restoreOverrideCursor();
  if (!saved.ok()) {
    message_->setText(QString::fromStdString(saved.error().str()));
    return;
  }
  // Which label is which segment, per file (a label map holds no names).
  QStringList lines{saved->size() == 1 ? tr("Saved %1").arg(path)
                                       : tr("Saved %1 label maps, one per layer (overlapping segments):")
                                             .arg(saved->size())};
  for (size_t l = 0; l < saved->size(); ++l) {
    QStringList labels;
    for (const Segment& g : s.segments())
      if (g.layer == l) labels << tr("%1 = %2").arg(g.label).arg(QString::fromStdString(g.name));
    const QString file = QString::fromStdString((*saved)[l]);
    lines << (saved->size() == 1 ? "" : file + ": ") +
                 (labels.isEmpty() ? tr("no segment") : tr("label %1").arg(labels.join(", ")));
  }
  message_->setText(lines.join('\n'));
}

void SegPanel::exportTable() {
  if (export_.valid()) return;  // one at a time (the message says it runs)
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the segments' table"), {}, tr("CSV (*.csv)"));
  if (!path.isEmpty()) exportTableTo(path);
}

void SegPanel::exportTableTo(const QString& path) {
  if (export_.valid()) return;
  if (const Status st = refuseSourceFolders(state_, path.toStdString()); !st.ok()) {  // nor beside a PET it measures
    message_->setText(QString::fromStdString(st.error().str()));
    return;
  }
  std::vector<view::SegmentReportSource> sources;
  for (int i = 0; i < static_cast<int>(state_.segmentations().size()); ++i) {
    sources.push_back(view::segmentReportSource(state_, i));  // the labels copied here; every segment's uptake
    if (!sources.back().error.code.empty()) {
      message_->setText(QString::fromStdString(sources.back().error.str()));
      return;
    }
  }
  exportPath_ = path;
  try {
    export_ = std::async(std::launch::async, [sources = std::move(sources), out = path.toStdString(),
                                              frames = view::percistFrames(state_)]() -> Status {
      try {
        return view::exportSegmentReportCsv(out, view::segmentReport(sources), &frames);
      } catch (const std::exception& e) {  // nothing escapes the worker (no memory)
        return makeError("seg.export_failed", std::string("the table could not be computed: ") + e.what(), out);
      }
    });
  } catch (const std::exception& e) {
    message_->setText(QString::fromStdString(makeError("seg.export_failed", e.what()).str()));
    return;
  }
  message_->setText(tr("Exporting the table to %1…").arg(path));
  if (auto* b = findChild<QPushButton*>("segExportTable")) b->setEnabled(false);  // until it is written
  if (!poll_->isActive()) poll_->start();
}

QString SegPanel::message() const { return message_->text(); }

void SegPanel::exportMesh() {
  const auto [i, k] = state_.activeSegment();
  if (i < 0) return;
  const view::SegmentationLayer& sl = state_.segmentations()[static_cast<size_t>(i)];
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export mesh (LPS mm)"), {}, tr("STL, the active segment (*.stl);;OBJ, every segment (*.obj)"));
  if (path.isEmpty()) return;
  if (const Status st = refuseSourceFolders(state_, path.toStdString()); !st.ok())
    return message_->setText(QString::fromStdString(st.error().str()));
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const Status st = exportSegmentMesh(*sl.segmentation, static_cast<size_t>(k), path.toStdString());
  QApplication::restoreOverrideCursor();
  message_->setText(st.ok() ? tr("Exported %1").arg(path) : QString::fromStdString(st.error().str()));
}

}  // namespace cvx::viewer
