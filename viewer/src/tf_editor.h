// SPDX-License-Identifier: MIT
// The transfer-function editor of the 3D view (issue 11), a thin widget over view::TfEdit
// (tf_edit.h) bound to the viewer state: the histogram of the reference volume's values (log
// counts, grey), the opacity curve through the control points (x: value, y: alpha per unit
// distance), the points' colours as a bar under the plot, and handles: drag a point to move it,
// double-click empty space to add one, right-click or Delete to remove one, double-click a point
// (or "Colour...") to choose its colour. Every edit goes to ViewerState::setEditedPreset3d at once,
// so the 3D view redraws live (a coarse preview while dragging, the fine image once it rests).
// Choosing a preset in the toolbar drops the edit and the editor shows that preset.
// Under it, the gradient-opacity curve (tf_edit.h: opacity times f(|gradient|), a 2D transfer
// function) over the histogram of the volume's gradient magnitudes, edited the same way: an empty
// curve (opacity by value alone) is a dashed line at 1, and a double-click starts one.
// While the 3D view fuses a layer (PET on CT: ViewerState::fusedLayer3d), the box "tfTarget" picks
// what the editor edits: the volume, or the fused layer (its histogram, its preset in its own units,
// ViewerState::setEditedFusedPreset3d); Revert and Save as preset act on the one shown.
#pragma once
#include <memory>
#include <string>
#include <utility>

#include <QWidget>

#include <cvx/viewstate/state.h>
#include <cvx/viewstate/tf_edit.h>

class QComboBox;
class QLabel;
class QMainWindow;
class QPushButton;
class QToolBar;

namespace cvx::viewer {

class TfCanvas;

class TfEditor : public QWidget {
  Q_OBJECT
 public:
  explicit TfEditor(view::ViewerState& state, QWidget* parent = nullptr);

  // For tests: the points shown, the plot's mapping in the canvas's pixels, the canvas, the
  // selected point (-1: none) and the histogram drawn.
  const view::TfEdit& edit() const { return edit_; }
  view::TfPlot plot() const;
  QWidget* canvas() const;
  int selected() const { return selected_; }
  // The same for the gradient-opacity curve (x: |gradient| per mm, y: the factor).
  view::TfPlot gradientPlot() const;
  QWidget* gradientCanvas() const;
  int gradientSelected() const { return gradientSelected_; }
  // "Save as preset..." after its dialog: the points shown (with the preset's mode, shading and
  // unit) saved as the user's preset titled `title` (view::saveUserTransferPreset), then chosen.
  // Errors are shown in the editor and returned.
  Status saveAsPreset(const QString& title);
  const view::ValueHistogram& histogram() const { return hist_; }
  // The fused layer is edited (the target box's second entry), not the volume.
  bool editsFusedLayer() const { return fused_; }

 protected:
  void showEvent(QShowEvent* e) override;

 private:
  friend class TfCanvas;
  void sync();           // from the state: the edit or the chosen preset, the histogram
  void apply();          // the edit to the state
  // What the editor edits (the volume, or the fused layer when fused_): its volume and phase, the
  // state's edit of its preset, and the name of the preset it is drawn with otherwise.
  std::shared_ptr<const Volume> targetVolume() const;
  int targetPhase() const;
  const view::TransferPreset* targetEdit() const;
  std::string targetPresetName() const;
  void choosePreset(const std::string& name);  // for the target (drops its edit)
  void select(int i);
  void selectGradient(int i);
  void showInfo();
  void chooseColor(int i);
  void removeSelected(bool gradient);
  void paintCanvas(class QPainter& p);
  void paintGradientCanvas(class QPainter& p);  // tf_editor_gradient.cpp
  // Input on the value plot, or (gradient) on the gradient-opacity plot.
  void press(QPointF at, Qt::MouseButton button, bool gradient);
  void drag(QPointF at);
  void doubleClick(QPointF at, bool gradient);
  void pressGradient(QPointF at, Qt::MouseButton button);  // tf_editor_gradient.cpp
  void dragGradient(QPointF at);
  void doubleClickGradient(QPointF at);

  view::ViewerState& state_;
  view::ViewerState::Subscription subscription_;
  view::TfEdit edit_;
  std::string loadedName_;                // the preset file shown when there is no edit
  std::weak_ptr<const Volume> volume_;    // the volume the preset and the histogram are for
  int phase_ = -1;
  bool edited_ = false;                   // the state held an edit at the last sync
  bool fused_ = false;                    // the target: the fused layer
  bool syncedFused_ = false;              // the target at the last sync
  std::pair<double, double> extent_{0, 0};
  view::ValueHistogram hist_;
  view::ValueHistogram gradientHist_;  // |gradient| per mm, its range the plot's
  int selected_ = -1, gradientSelected_ = -1;
  bool dragging_ = false, draggingGradient_ = false;
  QWidget* canvas_ = nullptr;          // TfCanvas
  QWidget* gradientCanvas_ = nullptr;  // TfCanvas of the gradient-opacity curve
  QLabel* info_ = nullptr;
  QPushButton* color_ = nullptr;
  QPushButton* remove_ = nullptr;
  QLabel* error_ = nullptr;
  QComboBox* target_ = nullptr;  // "tfTarget": volume or fused layer, shown while one is fused
};

// Fills `box` with the transfer presets (shipped, then the user's) and keeps it showing the state's
// 3D preset: one chosen elsewhere (the editor's "Save as preset...", a hanging protocol) shows, and a
// name the box lacks (a preset just saved) lists the presets again.
[[nodiscard]] view::ViewerState::Subscription followPreset3d(QComboBox* box, view::ViewerState& state);

// The toolbar button "Edit TF" (objectName "editTransferFunction", checkable) that shows or hides
// the editor in a dock widget at the window's bottom (objectName "tfEditorDock"; the editor
// "tfEditor", its plot "tfCanvas"), made on first use.
void addTfEditorButton(QToolBar* bar, QMainWindow* window, view::ViewerState& state);

}  // namespace cvx::viewer
