// SPDX-License-Identifier: MIT
// The GUI tests' main: a QApplication on the X display ctest gives it (xvfb-run), the user's data
// and config folders moved into a temporary folder (the tests never touch the real ones), the
// application's names and the pinned font (DejaVu Sans, fonts-dejavu-core) as the viewer sets them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <QApplication>
#include <QFont>

#include "gui_test_util.h"
#include "temp_dir.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  cvx::test::TempDir home("cvx_gui");
  ::setenv("XDG_DATA_HOME", (home.path() + "/data").c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (home.path() + "/config").c_str(), 1);
  ::setenv("XDG_CACHE_HOME", (home.path() + "/cache").c_str(), 1);
  if (!std::getenv("DISPLAY") && !std::getenv("QT_QPA_PLATFORM")) {
    std::fputs("gui_tests: no DISPLAY; run them under xvfb-run (ctest does)\n", stderr);
    return 1;
  }
  QApplication app(argc, argv);
  cvx::test::configureGuiApplication();
  return RUN_ALL_TESTS();
}
