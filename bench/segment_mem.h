// SPDX-License-Identifier: MIT
// The process's resident memory for bench_segment, from /proc/self/status. VmHWM (peak RSS) only
// grows, so each measured call starts with resetPeak(): writing "5" to /proc/self/clear_refs sets
// VmHWM back to the current RSS (Linux >= 4.0). peak growth = VmHWM after the call - RSS before it.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace cvx::bench {

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"), -1 when unreadable.
inline int64_t statusBytes(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  int64_t kb = -1;
  const size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') {
      long long v = 0;
      if (std::sscanf(line + n + 1, "%lld", &v) == 1) kb = v;
      break;
    }
  std::fclose(f);
  return kb < 0 ? -1 : kb * 1024;
}

inline int64_t rssBytes() { return statusBytes("VmRSS"); }
inline int64_t peakBytes() { return statusBytes("VmHWM"); }

// Resets VmHWM to the current RSS; false when the kernel refuses (the peaks are then the
// process's, since its start).
inline bool resetPeak() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

// Measures the growth of the peak RSS over a call: reset, RSS before (or a baseline), run, VmHWM after.
struct PeakProbe {
  bool reset = false;
  int64_t before = 0;
  // baseline >= 0: the growth is measured from it (e.g. the RSS with only the input resident),
  // else from the RSS now.
  void start(int64_t baseline = -1) {
    reset = resetPeak();
    before = baseline >= 0 ? baseline : rssBytes();
  }
  int64_t growth() const {
    const int64_t p = peakBytes();
    return p < 0 || before < 0 ? -1 : p - before;
  }
};

}  // namespace cvx::bench
