// SPDX-License-Identifier: MIT
// The CineVox window: the study browser and the open study's series on the left; on the right the
// viewports of a layout (1x1, 1x2, 2x2, 1x3) over one viewer state, hung by the hanging protocols;
// a toolbar (layouts, window presets, slab, convention, hide patient text, phase slider for 4D),
// load progress in the status bar. Settings (layout per protocol, convention, ...) are remembered.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <QMainWindow>
#include <QString>
#include <QStringList>

#include <cvx/viewstate/hanging.h>
#include <cvx/viewstate/measure_store.h>
#include <cvx/viewstate/state.h>

#include "view_tools.h"

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QToolBar;
class QSlider;

namespace cvx::viewer {

class CinePlayer;
class JournalPeeks;

class SegEditing;
class StudyBrowser;
class StudyModel;
class ViewportGrid;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // With a screenshot path the window grabs itself once the first load ends, then quits.
  explicit MainWindow(const QString& screenshotPath = {}, QWidget* parent = nullptr);
  ~MainWindow() override;
  void openPath(const QString& path);
  void openFiles(const QStringList& files);  // a series the study database knows
  // Opens a series of the study database with the rest of its study (so that a PET/CT hangs side
  // by side); the series is the primary one. Missing files are reported in the status bar.
  void openSeries(const QString& seriesKey);
  // A standard layout by name (1x1, 1x2, 2x2, 1x3): the study is hung again on it and the choice
  // is remembered for the protocol in use.
  void setLayoutByName(const QString& name);
  // A DICOM SEG or RTSTRUCT to open over the series once its loads finish (cinevox view --seg).
  void openSegmentationAfterLoad(const QString& path) { segPath_ = path; }
  // Saves the window to the screenshot path (if any) and quits with 0 when ok and saved.
  void takeScreenshotAndQuit(bool ok);

  // For the GUI tests and the recorder: what the window shows.
  view::ViewerState& state() { return state_; }
  ViewportGrid* viewports() const { return grid_; }
  StudyBrowser* browser() const { return browser_; }
  StudyModel* study() const { return model_; }
  QString protocolName() const { return protocol_; }
  int seriesOfLayer(int layer) const;
  ViewTools& tools() { return tools_; }
  SegEditing* editing() const { return editing_.get(); }
  // Once per run (the first call; not in --screenshot mode): segmentation edits a crash left on series
  // that are not open, listed in one dialog (recovery_dialog.h) to open and recover, keep or discard.
  // Called after the first loads end, or at start-up without a series (main_window_tools.cpp).
  void offerOtherSeries();
  // The pending journals read so far (JournalPeeks::reads: offerRecovery reads each once while unchanged).
  int journalReads() const;
  void setTool(Tool tool);

 signals:
  void studyHung();                       // layers and views are set for the open study
  void loadsFinished(const QString& error);  // every load of the hung study ended

 private:
  void buildUi();
  void buildToolbar();
  void buildToolsBar();
  void openMeasureSession(const std::string& key);
  void openSegmentationFromCommandLine();  // cinevox view --seg (main_window_tools.cpp)
  // Segmentation edits a crashed session left on the open series: recover them? Then, the first time,
  // offerOtherSeries (main_window_tools.cpp).
  void offerRecovery();
  // The Lesion tool's click in 2D view `view` (-1: the 3D view; ViewTools::lesion): the Segments
  // dock's lesion plugin on the PET of the reference's frame, from the cursor (main_window_tools.cpp).
  void lesionAtCursor(int view);
  // A click made while a plugin ran waits in lesionQueue_ (the cursor where it was clicked); each run's
  // end starts the next, from its point (main_window_tools.cpp).
  void nextQueuedLesion();
  void dropQueuedLesions() { lesionQueue_.clear(); }  // Cancel in the dock
  void exportMeasurements();
  void loadProtocols();
  void onOpened(const QString& error);
  void onSeriesSelected(int row);
  void hang(int primary);
  void applyLayout(const view::Layout& layout, int primary, const std::map<std::string, std::string>& presets);
  void add3dActions(QToolBar* bar);  // main_window_tools.cpp
  void addClipMenu(class QMenu* menu);    // main_window_clip.cpp
  void addSlicesMenu(class QMenu* menu);  // main_window_clip.cpp
  void addPunchMenu(class QMenu* menu);   // main_window_punch.cpp
  // Applies edit to a copy of the 3D view's punches, and gives the state the copy when it says it changed.
  void editPunches(const std::function<bool(view::Punches3D&)>& edit);
  int layerOfSeries(int series, const std::string& preset = {});
  void onSeriesDropped(int view, int series);
  void onLoadFinished(int index, const QString& error);
  void onPresetChosen(int index);
  void setActiveView(int view);
  void setPreset3d(const std::string& name);
  void saveScreenshotWhenRefined(bool ok, int waitedMs);  // the 3D view's transfer function, and the box showing it
  void fillPresets();
  void syncSlab();
  void updatePhaseSlider();

  StudyModel* model_ = nullptr;
  QListWidget* list_ = nullptr;
  StudyBrowser* browser_ = nullptr;
  QString primaryKey_;               // the series to hang first once the files are read
  ViewportGrid* grid_ = nullptr;
  view::ViewerState state_;
  ViewTools tools_;
  std::unique_ptr<SegEditing> editing_;  // segmentation edits, journaled in the user's data folder
  std::unique_ptr<view::MeasureSession> session_;
  std::string sessionKey_;  // the study (UID) whose measurements session_ holds
  int measureListener_ = 0;
  QActionGroup* toolGroup_ = nullptr;
  struct QueuedLesion {
    Vec3 at;              // the cursor where it was clicked
    uint64_t pet = 0;     // the PET it was clicked on (Volume::serial): another study's PET drops it
    int view = -1;        // the view clicked (its frame's cursor), -1: the 3D view (the reference's)
  };
  std::deque<QueuedLesion> lesionQueue_;  // Lesion clicks waiting for the plugin (cleared by another tool)
  std::vector<view::HangingProtocol> protocols_;
  QString protocol_;                 // the protocol the study is hung by ("" for none)
  int primary_ = -1;                 // the series of layer 0
  std::map<int, int> layerSeries_;   // layer -> series index
  int activeView_ = 0;
  QActionGroup* layoutGroup_ = nullptr;
  QSlider* slider_ = nullptr;
  QAction* phaseAction_ = nullptr;
  CinePlayer* cine_ = nullptr;  // the play button (cine_player.h), owned by the toolbar
  QComboBox* presets_ = nullptr;
  QComboBox* slab_ = nullptr;
  QComboBox* slabMode_ = nullptr;
  QComboBox* preset3d_ = nullptr;
  view::ViewerState::Subscription presetFollow_;  // the chooser follows the state's 3D preset
  view::ViewerState::Subscription fusionFollow_;  // "Fuse 3D" follows the state (key F)
  view::ViewerState::Subscription slabFollow_;    // the slab boxes follow the active view's slab
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* reduced_ = nullptr;  // "Load at 1/n resolution" after io.over_budget
  QString screenshotPath_;
  QString segPath_;
  QString loadError_;
  bool screenshotTaken_ = false;
  bool otherSeriesOffered_ = false;  // offerOtherSeries ran
  std::string recoverSeries_;        // chosen in its dialog: recovered without asking once it has loaded
  std::unique_ptr<JournalPeeks> peeks_;  // the pending journals' summaries, for every load's offerRecovery
};

}  // namespace cvx::viewer
