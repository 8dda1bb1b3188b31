// runViewer: the QApplication, the main window, and the --screenshot mode.
#include <cvx/viewer/viewer.h>

#include <cstdio>
#include <cstdlib>

#include <QApplication>
#include <QFont>
#include <QSettings>
#include <QTimer>

#include "main_window.h"

namespace cvx::viewer {

namespace {

// Qt aborts when its platform plugin finds no display; say so with a code instead.
bool displayAvailable() {
  const char* platform = std::getenv("QT_QPA_PLATFORM");
  if (platform && *platform && std::string(platform).rfind("xcb", 0) != 0 &&
      std::string(platform).rfind("wayland", 0) != 0)
    return true;  // offscreen, minimal, vnc...: no display needed
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

}  // namespace

int runViewer(int argc, char** argv, const std::string& path, const std::string& screenshotPath,
              const std::string& segPath) {
  if (!displayAvailable()) {
    std::fputs("viewer.no_display: no display (DISPLAY/WAYLAND_DISPLAY unset); run under xvfb-run "
               "or set QT_QPA_PLATFORM=offscreen\n", stderr);
    return 1;
  }
  QApplication app(argc, argv);
  QApplication::setOrganizationName("CineVox");
  QApplication::setApplicationName("CineVox");
  // One font everywhere (fonts-dejavu-core, installed by scripts/deps.sh): the annotations measure
  // the same on every machine, and screenshot baselines compare.
  QApplication::setFont(QFont("DejaVu Sans", 9));
  MainWindow window(QString::fromStdString(screenshotPath));
  // The size the reader left it at (restored by the window), else 1280 x 860; screenshots always
  // at 1280 x 860, so that they compare.
  if (!screenshotPath.empty() || !QSettings().contains("window/geometry")) window.resize(1280, 860);
  window.show();
  if (!segPath.empty()) window.openSegmentationAfterLoad(QString::fromStdString(segPath));
  if (!path.empty()) {
    window.openPath(QString::fromStdString(path));
  } else {
    window.takeScreenshotAndQuit(true);  // nothing to load: the empty window (no-op without a path)
    // Segmentation edits a crash left (on any series) are offered once the window shows.
    QTimer::singleShot(0, &window, [&window] { window.offerOtherSeries(); });
  }
  if (!screenshotPath.empty()) {
    // A screenshot run never hangs: give up after two minutes.
    QTimer::singleShot(120000, &app, [] {
      std::fputs("viewer.timeout: the series did not finish loading within 120 s\n", stderr);
      QApplication::exit(1);
    });
  }
  return app.exec();
}

}  // namespace cvx::viewer
