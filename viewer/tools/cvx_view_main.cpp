// cvx_view: stand-alone launcher of the viewer window (what `cinevox view` runs).
//   cvx_view [--demo OUTDIR] [PATH] [--screenshot PNG]
// --demo writes the demo study into OUTDIR first and opens it.
#include <cstdio>
#include <string>

#include <cvx/io/demo.h>
#include <cvx/viewer/viewer.h>

int main(int argc, char** argv) {
  std::string path, screenshot, demo;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--screenshot" && i + 1 < argc) screenshot = argv[++i];
    else if (a == "--demo" && i + 1 < argc) demo = argv[++i];
    else if (!a.empty() && a[0] != '-') path = a;
    else {
      std::fputs("usage: cvx_view [--demo OUTDIR] [PATH] [--screenshot PNG]\n", stderr);
      return 2;
    }
  }
  if (!demo.empty()) {
    const cvx::Status s = cvx::io::writeDemoStudy(demo);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.error().str().c_str());
      return 1;
    }
    if (path.empty()) path = demo;
  }
  return cvx::viewer::runViewer(argc, argv, path, screenshot);
}
