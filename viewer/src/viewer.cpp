// runViewer: the QApplication, the main window, and the --screenshot mode.
#include <cvx/viewer/viewer.h>

#include <cstdio>

#include <QApplication>
#include <QTimer>

#include "main_window.h"

namespace cvx::viewer {

int runViewer(int argc, char** argv, const std::string& path, const std::string& screenshotPath) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("CineVox");
  MainWindow window(QString::fromStdString(screenshotPath));
  window.resize(1280, 860);
  window.show();
  if (!path.empty()) {
    window.openPath(QString::fromStdString(path));
  } else if (!screenshotPath.empty()) {
    QTimer::singleShot(300, &app, [&window, screenshotPath] {
      QApplication::exit(window.grab().save(QString::fromStdString(screenshotPath), "PNG") ? 0 : 1);
    });
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
