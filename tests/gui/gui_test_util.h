// SPDX-License-Identifier: MIT
// Shared by the GUI tests: the application set-up the viewer does, waiting for a window's loads,
// answering the modal dialogs a click opens, and comparing a widget's pixels with a committed baseline image.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFileDialog>
#include <QFont>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <cvx/core/segmentation.h>

#include "grab_shown.h"

namespace cvx::test {

inline void configureGuiApplication() {
  QApplication::setOrganizationName("CineVox");
  QApplication::setApplicationName("CineVox");
  QApplication::setFont(QFont("DejaVu Sans", 9));
}

// The user's data folder as the application sees it (inside the tests' temporary home).
inline QString appDataDir() { return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation); }

// Shows a main window at width x height and opens `path` in it, as a first run (fresh user
// folders); true once its loads have finished (two minutes at most). Window: MainWindow.
template <class Window>
bool showAndOpen(Window& w, int width, int height, const std::string& path);

// Empties the data and config folders: each test starts as a first run.
inline void freshUserFolders() {
  QDir(appDataDir()).removeRecursively();
  QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)).removeRecursively();
  QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + "/CineVox").removeRecursively();
}

template <class Window>
bool showAndOpen(Window& w, int width, int height, const std::string& path) {
  freshUserFolders();
  w.resize(width, height);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) return false;
  QSignalSpy loaded(&w, &Window::loadsFinished);
  w.openPath(QString::fromStdString(path));
  return QTest::qWaitFor([&] { return loaded.count() > 0; }, 120000);
}

// Answers the modal widgets a click opens: polls every 50 ms, while any event loop runs (a dialog's
// own exec() included), for the active modal widget that `match` accepts, and calls act on it from
// the event loop, outside the poll (act may open a modal of its own, or wait). Once: the first match
// only, then the poller goes. UntilGone: act again on each tick while that same widget is the active
// modal, until it is not (a file dialog still reading its folder may ignore the first accept, which
// left a test waiting on an open dialog); never on another one, such as the next click's dialog
// opened before this poller's next tick. *seen: set when a match came. The poller belongs to owner
// and gives up after timeoutMs: one left waiting for a dialog that never came must not answer a
// later test's.
enum class Answer { Once, UntilGone };
inline void whenModal(QObject* owner, std::function<bool(QWidget*)> match, std::function<void(QWidget*)> act,
                      Answer repeat = Answer::Once, bool* seen = nullptr, int timeoutMs = 10000) {
  auto* poll = new QTimer(owner);
  poll->setInterval(50);
  auto ticks = std::make_shared<int>(0);
  auto answered = std::make_shared<QPointer<QWidget>>();  // null until a match; then while it lives
  auto any = std::make_shared<bool>(false);
  QObject::connect(poll, &QTimer::timeout, poll, [=] {
    QWidget* m = QApplication::activeModalWidget();
    const bool again = *any && repeat == Answer::UntilGone && m && m == answered->data();
    if ((!*any && m && match(m)) || again) {
      if (seen) *seen = true;
      *any = true;
      *answered = m;
      QTimer::singleShot(0, m, [m, act] { act(m); });
    }
    const bool done = *any && (repeat == Answer::Once || !m || m != answered->data());
    if (done || ++*ticks * 50 > timeoutMs) {
      poll->stop();
      poll->deleteLater();
    }
  });
  poll->start();
}

// The modal widget whose object name is `name`, or of type T (a QMessageBox, a QFileDialog).
inline std::function<bool(QWidget*)> named(const char* name) {
  return [name](QWidget* w) { return w->objectName() == name; };
}
template <class T>
std::function<bool(QWidget*)> ofType() {
  return [](QWidget* w) { return qobject_cast<T*>(w) != nullptr; };
}

// Answers the next file dialog with `path` (typed into its file name field, then accepted as its
// Save button does), or cancels it when path is empty; until it has gone, ten seconds at most.
// *seen: a dialog came.
inline void answerFileDialog(QObject* owner, const QString& path, bool* seen) {
  whenModal(
      owner, ofType<QFileDialog>(),
      [path](QWidget* m) {
        auto* d = static_cast<QFileDialog*>(m);
        if (path.isEmpty()) return d->reject();
        if (auto* name = d->findChild<QLineEdit*>("fileNameEdit")) name->setText(path);
        d->selectFile(path);
        static_cast<QDialog*>(d)->accept();  // QFileDialog::accept
      },
      Answer::UntilGone, seen);
}

// An empty segment over window w's first series, added to its state as `name` and made the active
// segment: its segmentation, or null when it could not be added.
template <class Window>
std::shared_ptr<Segmentation> activeEmptySegment(Window& w, const std::string& name) {
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*w.state().layers().front().volume));
  if (!seg->addSegment(Segment{}, nullptr).ok()) return nullptr;
  auto index = w.state().addSegmentation(seg, 0, name);
  if (!index.ok()) return nullptr;
  w.state().setActiveSegment(*index, 0);
  return seg;
}

// Waits (a minute at most) until a 3D view (viewer::VolumeView) shows the full-resolution picture
// of the state; false when it does not, or for no view.
template <class View>
bool refined(View* v, int timeoutMs = 60000) {
  return v && QTest::qWaitFor([&] { return v->refined(); }, timeoutMs);
}

// Shows w at 1280 x 860, opens `path` in it and waits for its 3D view's full-resolution picture:
// that view, or null when the loads, the view or the picture did not come.
template <class Window>
auto openWith3d(Window& w, const std::string& path) -> decltype(w.viewports()->volumeView()) {
  if (!showAndOpen(w, 1280, 860, path)) return nullptr;
  auto* v = w.viewports()->volumeView();
  return refined(v) ? v : nullptr;
}

// openWith3d, then the 3D camera in parallel projection (a plane seen edge on is one line), its
// picture waited for: the view, or null.
template <class Window>
auto openWith3dParallel(Window& w, const std::string& path) -> decltype(w.viewports()->volumeView()) {
  auto* v = openWith3d(w, path);
  if (!v) return nullptr;
  auto c = w.state().camera3d();
  c.perspective = false;
  w.state().setCamera3d(c);
  return refined(v) ? v : nullptr;
}

// The action `name` of the window's menu `menu` (object names), the menu built as it is when it
// opens (menus rebuilt on aboutToShow); null when either is missing.
template <class Window>
QAction* menuAction(Window& w, const char* menu, const char* name) {
  auto* m = w.template findChild<QMenu*>(menu);
  if (!m) return nullptr;
  emit m->aboutToShow();
  return m->template findChild<QAction*>(name);
}

// Saves a widget as <CVX_GUI_OUT>/tour_<name>.png: the user guide's screenshots come from these
// runs (looked at, then copied to docs/screenshots). Not compared.
inline void saveTour(QWidget* w, const std::string& name) {
  const char* outEnv = std::getenv("CVX_GUI_OUT");
  const QString out = QString(outEnv ? outEnv : "/tmp/cvx-gui-out");
  QDir().mkpath(out);
  QApplication::processEvents();
  cvx::viewer::grabShown(w).save(out + "/tour_" + QString::fromStdString(name) + ".png");
}

// Pixels of a and b whose largest channel differs by more than `threshold` (every pixel when the
// sizes differ).
inline int64_t differingPixels(const QImage& a, const QImage& b, int threshold) {
  if (a.size() != b.size()) return a.width() * int64_t{a.height()};
  const QImage x = a.convertToFormat(QImage::Format_RGB32), y = b.convertToFormat(QImage::Format_RGB32);
  int64_t n = 0;
  for (int r = 0; r < x.height(); ++r)
    for (int c = 0; c < x.width(); ++c) {
      const QRgb p = x.pixel(c, r), q = y.pixel(c, r);
      n += std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)), std::abs(qBlue(p) - qBlue(q))}) > threshold;
    }
  return n;
}

// A widget's pixels against tests/gui/baselines/<name>.png. Tolerance (stated in docs/testing.md):
// same size; mean absolute difference over all channels at most 1.5 grey levels, and at most 0.5%
// of the pixels differ by more than 32 in any channel (anti-aliased text and interpolation may
// move by a level; a shifted line, a wrong window or a flipped image does not pass). A missing or
// failing baseline's new image is written to $CVX_GUI_OUT (default /tmp/cvx-gui-out) to be looked at;
// CVX_UPDATE_BASELINES=1 writes it into the source tree instead (commit it only after looking).
inline void expectMatchesBaseline(QWidget* w, const std::string& name) {
  const QImage got = cvx::viewer::grabShown(w).convertToFormat(QImage::Format_RGB32);
  const QString source = QString(CVX_SOURCE_DIR) + "/tests/gui/baselines/" + QString::fromStdString(name) + ".png";
  const char* outEnv = std::getenv("CVX_GUI_OUT");
  const QString out = QString(outEnv ? outEnv : "/tmp/cvx-gui-out");
  QDir().mkpath(out);
  const bool update = std::getenv("CVX_UPDATE_BASELINES") && std::string(std::getenv("CVX_UPDATE_BASELINES")) == "1";
  if (update) {
    ASSERT_TRUE(got.save(source)) << source.toStdString();
    return;
  }
  QImage want(source);
  const QString written = out + "/" + QString::fromStdString(name) + ".png";
  if (want.isNull()) {
    got.save(written);
    FAIL() << "no baseline " << source.toStdString() << "; this run's image: " << written.toStdString();
  }
  want = want.convertToFormat(QImage::Format_RGB32);
  ASSERT_EQ(got.size(), want.size()) << name << ": this run's image " << (got.save(written), written.toStdString());
  double sum = 0;
  int64_t far = 0;
  for (int y = 0; y < got.height(); ++y) {
    const QRgb* a = reinterpret_cast<const QRgb*>(got.constScanLine(y));
    const QRgb* b = reinterpret_cast<const QRgb*>(want.constScanLine(y));
    for (int x = 0; x < got.width(); ++x) {
      const int dr = std::abs(qRed(a[x]) - qRed(b[x])), dg = std::abs(qGreen(a[x]) - qGreen(b[x])),
                db = std::abs(qBlue(a[x]) - qBlue(b[x]));
      sum += dr + dg + db;
      if (std::max({dr, dg, db}) > 32) ++far;
    }
  }
  const double pixels = double(got.width()) * got.height();
  const double mean = sum / (3 * pixels), farShare = far / pixels;
  if (mean > 1.5 || farShare > 0.005) got.save(written);
  EXPECT_LE(mean, 1.5) << name << ": mean difference; this run's image " << written.toStdString();
  EXPECT_LE(farShare, 0.005) << name << ": share of pixels off by > 32; this run's image " << written.toStdString();
}

// Whether (x, y) lies inside the polygon of widget pixels (even-odd, a ray towards +x).
inline bool insidePolygon(const std::vector<QPoint>& poly, double x, double y) {
  bool in = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const double ax = poly[i].x(), ay = poly[i].y(), bx = poly[j].x(), by = poly[j].y();
    if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) in = !in;
  }
  return in;
}

// A left drag through the points (a lasso, an outline) with the modifiers held.
inline void dragThrough(QWidget* w, const std::vector<QPoint>& points, Qt::KeyboardModifiers mods) {
  QTest::mousePress(w, Qt::LeftButton, mods, points[0]);
  for (size_t i = 1; i < points.size(); ++i) QTest::mouseMove(w, points[i]);
  QTest::mouseRelease(w, Qt::LeftButton, mods, points.back());
}

}  // namespace cvx::test
