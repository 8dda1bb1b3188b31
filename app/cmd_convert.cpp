#include <cstdio>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>

#include "commands.h"

namespace cvx::app {

int runConvert(const std::vector<std::string>& args) {
  std::string path, series, out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--series" || a == "--out") && i + 1 < args.size()) {
      (a == "--series" ? series : out) = args[++i];
    } else if (path.empty() && a.rfind("--", 0) != 0) {
      path = a;
    } else {
      std::fprintf(stderr, "convert: unexpected argument %s\n", a.c_str());
      return kExitUsage;
    }
  }
  if (path.empty() || out.empty()) {
    std::fputs("usage: cinevox convert PATH [--series UID] --out FILE(.nii.gz|.nii|.nrrd)\n", stderr);
    return kExitUsage;
  }
  auto scanned = io::scan(path);
  if (!scanned) return fail(scanned.error());
  const io::GroupResult groups = io::planSeries(*scanned);
  const io::SeriesPlan* plan = io::findSeries(groups, series);
  if (!plan) {
    std::fprintf(stderr, "error series.not_found: no series %s in %s\n", series.c_str(), path.c_str());
    return kExitError;
  }
  if (series.empty() && groups.series.size() > 1)
    std::fprintf(stderr, "note: %zu series found; converting %s (choose with --series)\n", groups.series.size(),
                 plan->id.c_str());
  for (const auto& w : plan->warnings) std::fprintf(stderr, "warning %s: %s\n", w.code.c_str(), w.message.c_str());
  auto vol = io::loadSeries(*scanned, *plan);
  if (!vol) return fail(vol.error());
  if (auto st = io::writeImage(**vol, out); !st) return fail(st.error());
  return kExitOk;
}

}  // namespace cvx::app
