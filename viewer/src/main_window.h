// The CineVox window: the series of a study on the left; on the right a 2x2 layout of axial,
// coronal and sagittal views of one viewer state (and the 3D view's place), window presets, a phase
// slider for 4D series, load progress in the status bar.
#pragma once
#include <QMainWindow>
#include <QString>
#include <vector>

#include <cvx/viewstate/state.h>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QSlider;

namespace cvx::viewer {

class PlaneView;
class StudyModel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // With a screenshot path the window grabs itself once the first load ends, then quits.
  explicit MainWindow(const QString& screenshotPath = {}, QWidget* parent = nullptr);
  void openPath(const QString& path);
  // Saves the window to the screenshot path (if any) and quits with 0 when ok and saved.
  void takeScreenshotAndQuit(bool ok);

 private:
  void buildUi();
  void onOpened(const QString& error);
  void onSeriesSelected(int row);
  void onLoadFinished(const QString& error);
  void onPresetChosen(int index);
  void fillPresets();

  StudyModel* model_ = nullptr;
  QListWidget* list_ = nullptr;
  view::ViewerState state_;
  std::vector<PlaneView*> views_;
  QSlider* slider_ = nullptr;
  QComboBox* presets_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QString screenshotPath_;
  bool screenshotTaken_ = false;
};

}  // namespace cvx::viewer
