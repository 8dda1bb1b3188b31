// demo and view: thin wrappers over demo::writeDemoStudy and viewer::runViewer.
#include <cstdio>

#include <cvx/demo/demo.h>

#include "commands.h"
#if defined(CVX_HAVE_VIEWER)
#include <cvx/viewer/viewer.h>
#endif

namespace cvx::app {

int runDemo(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fputs("usage: cinevox demo OUTDIR\n", stderr);
    return kExitUsage;
  }
  if (auto st = demo::writeDemoStudy(args[0]); !st) return fail(st.error());
  std::printf("demo study written to %s\n", args[0].c_str());
  return kExitOk;
}

int runView(int argc, char** argv, const std::vector<std::string>& args) {
  std::string path, screenshot, seg;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--screenshot" && i + 1 < args.size()) screenshot = args[++i];
    else if (args[i] == "--seg" && i + 1 < args.size()) seg = args[++i];
    else if (path.empty()) path = args[i];
    else {
      std::fprintf(stderr, "view: unexpected argument %s\n", args[i].c_str());
      return kExitUsage;
    }
  }
#if defined(CVX_HAVE_VIEWER)
  return viewer::runViewer(argc, argv, path, screenshot, seg);
#else
  (void)argc;
  (void)argv;
  (void)seg;
  std::fputs("error app.no_viewer: this build has no viewer (configured with CVX_WITH_GUI=OFF)\n", stderr);
  return kExitError;
#endif
}

}  // namespace cvx::app
