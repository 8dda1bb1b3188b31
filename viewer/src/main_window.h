// The first CineVox window: the series of a study on the left, the selected series' native slice
// on the right with its window presets and a slice slider, load progress in the status bar.
#pragma once
#include <QMainWindow>
#include <QString>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QSlider;

namespace cvx::viewer {

class SliceView;
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

  StudyModel* model_ = nullptr;
  QListWidget* list_ = nullptr;
  SliceView* view_ = nullptr;
  QSlider* slider_ = nullptr;
  QComboBox* presets_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QString screenshotPath_;
  bool screenshotTaken_ = false;
};

}  // namespace cvx::viewer
