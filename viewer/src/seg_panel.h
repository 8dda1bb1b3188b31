// SPDX-License-Identifier: MIT
// The "Segments" dock (issue 12): the segmentations of the viewer state as a table (shown, colour,
// name, volume in mL), the active segment (the row selected), fill or outline, the selected
// segment's opacity, and Open (a DICOM SEG or an RTSTRUCT onto the reference layer) / Save SEG / Save
// label map. A thin widget: everything it shows and changes is the ViewerState's.
#pragma once
#include <functional>
#include <future>
#include <string>
#include <vector>

#include <QWidget>

#include <cvx/core/error.h>
#include <cvx/viewstate/seg_figures.h>
#include <cvx/viewstate/state.h>

class QCheckBox;
class QLabel;
class QMainWindow;
class QSlider;
class QTableWidget;
class QToolBar;

namespace cvx::viewer {

// Reads a DICOM SEG (or, when the file is no SEG, an RTSTRUCT; a .nrrd/.nii(.gz)/.mha label map:
// io::readLabelMap, one segment per label) onto image layer 0's grid, else onto the first other
// layer it fits (a SEG of the PET of a PET/CT), and adds it over that layer. The reference's reader's
// errors (seg.*, rtstruct.*) when it fits none; its warnings (codes) into `warnings`.
Status openSegmentation(view::ViewerState& state, const std::string& path, std::vector<Diagnostic>* warnings = nullptr);

// "Export mesh...": by the path's extension, the surface of `segment` of s as a binary STL, or every
// segment's surface as one OBJ (one object each, with an .mtl of their colours); LPS mm, cvx::mesh's
// defaults (docs/segmentation.md, "Surfaces and meshes"). Errors: viewer.bad_mesh_path (another
// extension), viewer.no_mesh (a build without VTK), mesh.*, io.write_failed.
Status exportSegmentMesh(const Segmentation& s, size_t segment, const std::string& path);

// io.into_source when path lies in a folder any open series was read from (io::refuseSourceFolder over
// every layer: an export that measures the PET or a prior study's too): the dock's and the window's
// exports (label maps, meshes, the table, a curve, the measurements) check their path with it.
Status refuseSourceFolders(const view::ViewerState& state, const std::string& path);

// "Save label map...": the files that hold the label layers of a segmentation saved as `path`. One
// layer: path itself; several (overlapping segments): <stem>-1<ext>, <stem>-2<ext>, ... for layers
// 0, 1, ..., the extension being the image format's (.nii.gz, .nii, .nrrd, .mha: io::imageFormatFromPath).
std::vector<std::string> labelMapPaths(const std::string& path, size_t layers);
// Writes every label layer of s to labelMapPaths(path, layers) with io::writeLabelMap (uint8, each
// segment's label in its layer, the segmentation's geometry); the paths written. Errors: seg.no_layer (no
// layer yet), io.write_failed, format.* (from the first layer that fails; the layers before it stay).
Result<std::vector<std::string>> saveLabelMaps(const Segmentation& s, const std::string& path);

class SegEditing;

// The dock's line for PERCIST's response (SegPanel::showResponse fills it; hidden while empty).
QLabel* newResponseLabel(QWidget* parent);
// On a PET/CT: "\nPET: SUVmax ..., SUVpeak ..., SUVmean ...; MTV ... mL, TLG ...", the SUL line and
// PERCIST's (or why there is none); "" off a PET/CT or for an empty segment (seg_pet_actions.cpp).
QString petFiguresText(const view::ViewerState& state, const view::SegmentationLayer& sl,
                       const view::SegmentReportRow& r, const std::vector<view::SegmentReportRow>& all);
// Whether a PET is open (Liver ref. is enabled).
bool anyPet(const view::ViewerState& state);

class SegPanel : public QWidget {
  Q_OBJECT
 public:
  // editing: the window's (new segments, undo, redo, the brush's size, plugin results).
  SegPanel(view::ViewerState& state, SegEditing& editing, QWidget* parent = nullptr);
  QTableWidget* table() const { return table_; }  // for tests: one row per segment
  // The active segment's statistics as shown (volume, mean, SD, min, max in the series' units, and
  // on a PET/CT its uptake), and the table's mL: computed on a worker thread (view::SegmentFigures)
  // when a segment is added or chosen, when edits pause, or when Statistics is pressed; the last
  // figures stay shown until the new ones arrive.
  QString statsText() const;
  void refreshStats();
  // Whether the figures shown are those of the segmentations as they are now (tests wait on it).
  bool statsCurrent() const;
  // "Export table..." to `path`: the segments copied here, the table computed and written on a
  // worker (every segment's statistics and uptake: seconds for a label map of many organs on a PET/CT),
  // the outcome in the dock's message. exporting(): one runs.
  void exportTableTo(const QString& path);
  bool exporting() const { return export_.valid(); }
  // "Save label map..." to `path` (what the button does after its file dialog): the active segment's
  // segmentation, saveLabelMaps; the files and which label is which segment, or the error with its code
  // (seg.no_active without a segment), in the dock's message.
  void saveLabelMapTo(const QString& path);
  QString message() const;
  // "Liver ref.": PERCIST's liver reference (percist.h), a 3 cm ball about the active view's cursor on
  // the PET of that view's frame (the reference's, or a prior study's: PERCIST's baseline), as a new
  // segment "Liver reference" of type Liver (undoable, journaled). "Blood pool ref." (bloodPool): the
  // 1 x 2 cm cylinder in the descending aorta, "Blood pool reference" of type Aorta, for an abnormal
  // liver. Pressed again, it moves that PET's. Its outcome, or why none (viewer.no_pet,
  // seg.ball_outside), in the dock's message.
  void addReference(bool bloodPool);
  // "Go to max": the cursor, unsnapped, to the active segment's SUVmax voxel (PetStats::maxAt), set
  // from a view of the segment's frame (a prior study's offset applies).
  void goToMax();
  // The window's active view (the last clicked), for Liver ref.; without one, the reference's frame.
  void setActiveView(std::function<int()> activeView);
  // PERCIST's response between the first and the last PET with a reference (percist_response.h),
  // as shown under the statistics; "" with fewer than two.
  QString responseText() const;

 private:
  void sync();
  void openFile();
  void saveFile();
  void saveLabelMap();  // the file dialog, then saveLabelMapTo
  void exportMesh();
  void exportTable();  // "Export table...": view::segmentReport as CSV
  void requestFigures();  // a job for what changed (view::SegmentFigures::update), polled until in
  void showFigures();     // the mL column and the active segment's statistics from the figures
  void showResponse(const std::vector<view::SegmentReportRow>& all);  // seg_pet_actions.cpp

  view::ViewerState& state_;
  SegEditing& editing_;
  QTableWidget* table_ = nullptr;
  QCheckBox* outline_ = nullptr;
  QSlider* opacity_ = nullptr;
  QSlider* opacity3d_ = nullptr;  // the active segment's surface opacity in 3D
  QLabel* message_ = nullptr;
  QLabel* stats_ = nullptr;
  QLabel* response_ = nullptr;  // PERCIST's response (showResponse)
  std::function<int()> activeView_;
  class SegCurveView* curve_ = nullptr;  // the active segment's time-intensity curve (4D)
  std::pair<int, int> shownActive_{-1, -1};  // the active segment the last sync() selected
  class QTimer* syncDue_ = nullptr;  // edits pause: the mL column and the statistics again
  class QTimer* poll_ = nullptr;     // a figures job runs
  bool syncNeeded_ = false;          // syncDue_ rebuilds the rows too (segments changed, not only a phase or window)
  view::SegmentFigures figures_;
  std::future<Status> export_;  // "Export table..." in flight (polled by poll_)
  QString exportPath_;
  view::ViewerState::Subscription subscription_;
  bool syncing_ = false;
};

// A toolbar button that shows and hides the Segments dock (created on first use).
// activeView: the window's active view (SegPanel::setActiveView).
void addSegmentsButton(QToolBar* bar, QMainWindow* window, view::ViewerState& state, SegEditing& editing,
                       std::function<int()> activeView);

}  // namespace cvx::viewer
