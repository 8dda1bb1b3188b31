// SPDX-License-Identifier: MIT
// Running a segmentation plugin from the Segments dock (issue 12): the plugins the host discovers
// (manifests only; a library loads on first run), a form built from the chosen plugin's parameter
// specs, and the series it reads ("on": the reference or another series of its frame of reference,
// the PET of a PET/CT; "series" parameters in the units that series shows, SUV for a PET); a live
// preview for threshold-like plugins (float parameters "lower" and "upper": the state's
// ThresholdPreview follows the fields as they change); Run on a worker thread with progress and
// Cancel. The result becomes a new segment on the grid of the series read, in the segmentation
// SegEditing::targetFor picks over it (undoable, journaled). A plugin's error is shown with its
// code; the application lives on. A plugin whose manifest input is "segment" runs on the active
// segment's mask and its result is a new segment named after the operation ("Liver dilated 2 mm");
// "seeds": the active segmentation's segments are the seed classes 1..n and output label k replaces
// segment k (one undo step). Without an active segment such a plugin's Run is disabled, with a
// tooltip.
#pragma once
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include <cvx/core/error.h>
#include <cvx/core/plugin/host.h>
#include <cvx/core/progress.h>
#include <cvx/viewstate/state.h>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace cvx::viewer {

class SegRunPanel : public QWidget {
  Q_OBJECT
 public:
  // editing: where results go (undoable, journaled).
  SegRunPanel(view::ViewerState& state, class SegEditing& editing, QWidget* parent = nullptr);
  ~SegRunPanel() override;
  // For tests: choose a plugin by id, the input series by modality, set a field (in the units the
  // form shows), run and wait.
  bool choose(const std::string& id);
  bool chooseInput(const std::string& modality);
  bool chooseLayer(int layer);  // "on" the state's image layer `layer` (false: not listed)
  void setField(const std::string& name, double value);
  void run();
  // The next run's seed (patient mm in its input's frame): a Lesion click in a prior study's view;
  // without one, the cursor as the input's frame sees it (probe.h's cursorInFrameOf).
  void setSeedAt(std::optional<Vec3> world) { seedAt_ = world; }
  // The window's active view: a seed at its cursor when it shows the input's frame.
  void setActiveView(std::function<int()> activeView) { activeView_ = std::move(activeView); }
  bool running() const { return job_.valid(); }
  QString message() const;

 signals:
  void finished(bool ok);

 private:
  void buildForm();
  // "on": the series an image plugin reads, the reference layer or another of its frame of
  // reference (on a PET/CT, the PET: its result is a segment on the PET's grid). Items carry
  // Volume::serial. inputLayer(): the chosen layer's index (0 when none is chosen or it closed).
  void listInputs();
  int inputLayer() const;    // an image plugin's "on"; a segment or seeds plugin's: its segments' layer
  uint64_t inputSerial() const;
  double unitScale() const;  // the input layer's display units per series unit (SUV per Bq/ml)
  Result<plugin::ParamValues> values() const;
  void updatePreview();
  void poll();
  void done(Result<std::shared_ptr<Volume>> labels);
  QString reportNote() const;
  const plugin::Manifest* chosen() const;
  // Run's enabled state and tooltip for the chosen plugin and the active segment.
  void updateRunState();
  // The mask ("segment") or seed label map ("seeds") of the active segment(ation); an error says why none.
  Result<std::shared_ptr<Volume>> maskInput(const plugin::Manifest& m);

  view::ViewerState& state_;
  class SegEditing& editing_;
  plugin::PluginHost host_;
  std::vector<const plugin::Manifest*> segmenters_;
  QComboBox* plugins_ = nullptr;
  QComboBox* input_ = nullptr;
  QLabel* inputLabel_ = nullptr;
  std::vector<uint64_t> inputsListed_;  // the serials input_ lists
  const plugin::Manifest* formPlugin_ = nullptr;  // the plugin and series (serial) the form was built for
  uint64_t formSerial_ = 0;
  std::string formUnits_;  // the display units its "series" fields were shown in
  std::optional<Vec3> seedAt_;
  std::function<int()> activeView_;
  const plugin::Manifest* jobManifest_ = nullptr;  // the running job's plugin
  QWidget* form_ = nullptr;
  QFormLayout* formLayout_ = nullptr;
  std::vector<QWidget*> fields_;  // per parameter spec of the chosen plugin
  QCheckBox* preview_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* message_ = nullptr;
  QTimer* timer_ = nullptr;
  std::shared_ptr<Progress> jobProgress_;
  std::future<Result<std::shared_ptr<Volume>>> job_;
  std::string jobName_;
  uint64_t jobInput_ = 0;  // Volume::serial of the series the running job reads
  std::shared_ptr<Volume> jobMask_;  // RunOptions::mask of the running job (kept alive here)
  std::shared_ptr<plugin::RunReport> jobReport_;  // RunOptions::report of the running job: its back end and warnings
  int jobSegmentation_ = -1;         // "segment"/"seeds": the segmentation and segment(s) it ran on
  std::vector<size_t> jobSegments_;
  std::weak_ptr<Segmentation> jobSegmentationRef_;  // "segment": its segmentation, the segment's number
  uint16_t jobSegmentNumber_ = 0;                   // (indices may move during the run), and its editor's
  uint64_t jobRemovals_ = 0;                        // removals then (a removal may free that number)
  void applyInPlace(const plugin::Manifest& m, std::shared_ptr<Volume> input, std::shared_ptr<Volume> labels);
  view::ViewerState::Subscription subscription_;
};

}  // namespace cvx::viewer
