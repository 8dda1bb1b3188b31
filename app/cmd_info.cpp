#include <cstdio>

#include <cvx/io/dicom.h>
#include <cvx/io/report.h>

#include "commands.h"

namespace cvx::app {

int runInfo(const std::vector<std::string>& args) {
  std::string path;
  bool json = false;
  for (const auto& a : args) {
    if (a == "--json") json = true;
    else if (path.empty() && a.rfind("--", 0) != 0) path = a;
    else {
      std::fprintf(stderr, "info: unexpected argument %s\n", a.c_str());
      return kExitUsage;
    }
  }
  if (path.empty()) {
    std::fputs("usage: cinevox info PATH [--json]\n", stderr);
    return kExitUsage;
  }
  auto scanned = io::scan(path);
  if (!scanned) {
    std::fprintf(stderr, "error %s\n", scanned.error().str().c_str());
    return kExitError;
  }
  const io::GroupResult groups = io::planSeries(*scanned);
  const std::string out = json ? io::infoJson(*scanned, groups) + "\n" : io::infoText(*scanned, groups);
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace cvx::app
