// The viewer's entry point: app/ calls this; no Qt type crosses this header.
#pragma once
#include <string>

namespace cvx::viewer {

// Opens the main window (study browser + slice view) on path (a DICOM folder or file; empty:
// an empty window) and runs the Qt event loop; returns the process exit code.
// With screenshotPath, the window is grabbed to that PNG once the first series has finished
// loading, and the application quits: exit code 0 when the image was written and the load
// succeeded, 1 otherwise (the error is printed with its code). Needs a display (Xvfb is fine).
// segPath: a DICOM SEG or RTSTRUCT opened over the series once it has loaded.
int runViewer(int argc, char** argv, const std::string& path, const std::string& screenshotPath = {},
              const std::string& segPath = {});

}  // namespace cvx::viewer
