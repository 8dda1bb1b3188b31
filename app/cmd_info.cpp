#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <cvx/io/dicom.h>
#include "report.h"

#include "commands.h"

namespace cvx::app {
namespace {
using Clock = std::chrono::steady_clock;
double ms(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

int runInfo(const std::vector<std::string>& args) {
  std::string path;
  bool json = false, load = false;
  io::LoadOptions options;  // --reduce N, --memory-budget MIB: as the viewer's settings
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool valued = (a == "--reduce" || a == "--memory-budget") && i + 1 < args.size();
    long long n = 0;
    if (valued) {
      char* end = nullptr;
      n = std::strtoll(args[i + 1].c_str(), &end, 10);
      if (!end || *end || n < 1 || n > (a == "--reduce" ? 64 : (1LL << 40))) {
        std::fprintf(stderr, "info: %s needs a whole number from 1 (got %s)\n", a.c_str(), args[i + 1].c_str());
        return kExitUsage;
      }
    }
    if (a == "--json") json = true;
    else if (a == "--load") load = true;
    else if (valued && a == "--reduce") options.reduce = {static_cast<int>(n), static_cast<int>(n)}, ++i;
    else if (valued) options.memoryBudgetBytes = static_cast<uint64_t>(n) << 20, ++i;
    else if (path.empty() && a.rfind("--", 0) != 0) path = a;
    else {
      std::fprintf(stderr, "info: unexpected argument %s\n", a.c_str());
      return kExitUsage;
    }
  }
  if (path.empty()) {
    std::fputs("usage: cinevox info PATH [--json] [--load [--reduce N] [--memory-budget MIB]]\n", stderr);
    return kExitUsage;
  }
  const auto t0 = Clock::now();
  auto scanned = io::scan(path);
  if (!scanned) return fail(scanned.error());
  const io::GroupResult groups = io::planSeries(*scanned);
  const std::string out = json ? app::infoJson(*scanned, groups) + "\n" : app::infoText(*scanned, groups);
  std::fputs(out.c_str(), stdout);
  const double scanMs = ms(t0);
  if (!load) return kExitOk;
  if (groups.series.empty()) {  // nothing to load: every file was skipped (each with its code above)
    std::fprintf(stderr, "error series.none: no image series to load in %s\n", path.c_str());
    std::fprintf(stderr, "scan+plan %.1f ms\n", scanMs);
    return kExitError;
  }
  // --load: decode every series and report its time and status (to stderr, so --json stays clean).
  int failures = 0;
  for (const auto& plan : groups.series) {
    const auto t1 = Clock::now();
    io::LoadReport report;
    auto vol = io::loadSeries(*scanned, plan, options, nullptr, &report);
    if (!vol) ++failures;
    std::string dims;
    if (vol)
      dims = " " + std::to_string((*vol)->dims()[0]) + "x" + std::to_string((*vol)->dims()[1]) + "x" +
             std::to_string((*vol)->dims()[2]);
    std::fprintf(stderr, "load %s: %s%s in %.1f ms\n", plan.id.c_str(), vol ? "ok" : vol.error().str().c_str(),
                 dims.c_str(), ms(t1));
    // What the load left out: each failed file with its code, then the slices left zero.
    for (const auto& w : report.warnings) std::fprintf(stderr, "  warning %s\n", w.str().c_str());
    if (vol && !report.blankSlices.empty()) {
      std::string list;
      for (int64_t z : report.blankSlices) list += (list.empty() ? "" : ",") + std::to_string(z);
      std::fprintf(stderr, "  %zu blank slice(s) (zero): %s\n", report.blankSlices.size(), list.c_str());
    }
  }
  std::fprintf(stderr, "scan+plan %.1f ms\n", scanMs);
  return failures ? kExitError : kExitOk;
}

}  // namespace cvx::app
