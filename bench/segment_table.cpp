// SPDX-License-Identifier: MIT
#include "segment_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace cvx::bench {

int64_t countForeground(const Volume& mask) {
  const uint8_t* p = mask.as<uint8_t>();
  int64_t c = 0;
  for (int64_t i = 0; i < mask.voxelsPerPhase(); ++i) c += p[i] != 0;
  return c;
}

std::string fmt(double v, const char* f) {
  if (!std::isfinite(v)) return "NA";
  char s[48];
  std::snprintf(s, sizeof s, f, v);
  return s;
}

std::string loadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double Side::lo() const { return ms.empty() ? NAN : *std::min_element(ms.begin(), ms.end()); }
double Side::hi() const { return ms.empty() ? NAN : *std::max_element(ms.begin(), ms.end()); }

int checkCounts(const Row& r) {
  int n = 0;
  const int64_t want = r.cvx.counts.empty() ? -1 : r.cvx.counts.front();
  for (const auto* side : {&r.cvx, &r.itk})
    for (size_t i = 0; i < side->counts.size(); ++i)
      if (side->counts[i] != want) {
        ++n;
        std::printf("!!! MISMATCH %s %s: %s run %zu counted %lld voxels, CineVox's first run %lld\n",
                    r.input.c_str(), r.algo.c_str(), side == &r.cvx ? "CineVox" : "ITK", i + 1,
                    static_cast<long long>(side->counts[i]), static_cast<long long>(want));
      }
  return n;
}

void printRows(const std::vector<Row>& rows) {
  std::printf("\n%-7s %-10s %11s %26s %26s %8s %13s %8s %9s  %s\n", "input", "algorithm", "voxels",
              "CineVox ms med [min..max]", "ITK ms med [min..max]", "ITK/cvx", "cvx peak MiB", "out B/vx",
              "ITK peak", "notes");
  for (const Row& r : rows) {
    if (!r.ran()) continue;
    auto span = [](const Side& s) {
      return fmt(s.med(), "%.1f") + " [" + fmt(s.lo(), "%.1f") + ".." + fmt(s.hi(), "%.1f") + "]";
    };
    auto mib = [](int64_t b) { return b < 0 ? std::string("NA") : fmt(double(b) / kMiB, "%.1f"); };
    const std::string cvxPeak = mib(r.cvx.peak) + " (" +
                                fmt(r.cvx.peak < 0 ? NAN : double(r.cvx.peak) / double(r.voxels), "%.2f") +
                                ")";
    std::printf("%-7s %-10s %11lld %26s %26s %8s %13s %8s %9s  %s%s\n", r.input.c_str(), r.algo.c_str(),
                r.cvx.counts.empty() ? -1LL : (long long)r.cvx.counts.front(), span(r.cvx).c_str(),
                span(r.itk).c_str(), fmt(r.ratio()).c_str(), cvxPeak.c_str(),
                fmt(double(r.outBytes) / double(r.voxels)).c_str(), mib(r.itk.peak).c_str(), r.note.c_str(),
                !std::isfinite(r.ratio()) ? ""
                : r.ratio() >= 3          ? "; meets 3x"
                                          : "; BELOW 3x");
  }
}

}  // namespace cvx::bench
