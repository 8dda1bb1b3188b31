// SPDX-License-Identifier: MIT
#include "bench_segment_gpu.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include <cvx/cuda/device.h>
#include <cvx/cuda/segment.h>

#include "segment_table.h"

namespace cvx::bench {
namespace {

// One warm-up call (module load, allocator), then `runs` timed calls.
int timeGpu(GpuRow& row, int runs, int64_t want,
            const std::function<Result<cuda::seg::VolumePtr>(cuda::seg::Timing*)>& fn) {
  int mismatches = 0;
  for (int i = -1; i < runs; ++i) {
    cuda::seg::Timing t;
    auto r = fn(&t);
    if (!r.ok()) {
      std::printf("!!! MISMATCH %s %s: CUDA failed: %s\n", row.input.c_str(), row.algo.c_str(),
                  r.error().str().c_str());
      return 1;
    }
    if (i < 0) continue;
    row.uploadMs.push_back(t.uploadMs);
    row.kernelMs.push_back(t.kernelMs);
    row.downloadMs.push_back(t.downloadMs);
    row.passes = t.passes;
    const int64_t got = countForeground(**r);
    if (want >= 0 && got != want) {
      ++mismatches;
      std::printf("!!! MISMATCH %s %s: CUDA run %d counted %lld voxels, the CPU %lld\n", row.input.c_str(),
                  row.algo.c_str(), i + 1, static_cast<long long>(got), static_cast<long long>(want));
    }
  }
  return mismatches;
}

}  // namespace

bool gpuUsable(std::string& why) {
  auto d = cuda::probeDevice();
  if (d.ok()) {
    why = d->name;
    return true;
  }
  why = d.error().str();
  return false;
}

int runGpuInput(const std::string& input, const GpuJob& job, std::vector<GpuRow>& rows) {
  const char* const algos[4] = {"threshold", "regiongrow", "otsu", "dilate"};
  const Volume& v = *job.volume;
  int mismatches = 0;
  for (int a = 0; a < 4; ++a) {
    if (!job.only.empty() && job.only != algos[a]) continue;
    GpuRow row;
    row.input = input, row.algo = algos[a];
    const int64_t want = job.cpuCounts[a];
    switch (a) {
      case 0:
        mismatches += timeGpu(row, job.runs, want, [&](cuda::seg::Timing* t) {
          return cuda::seg::threshold(v, job.boneLo, job.boneHi, 0, t);
        });
        break;
      case 1:
        mismatches += timeGpu(row, job.runs, want, [&](cuda::seg::Timing* t) {
          return cuda::seg::connectedThreshold(v, {{job.seed[0], job.seed[1], job.seed[2]}}, job.lungLo,
                                               job.lungHi, 6, 0, t);
        });
        break;
      case 2:
        mismatches += timeGpu(row, job.runs, want, [&](cuda::seg::Timing* t) -> Result<cuda::seg::VolumePtr> {
          auto r = cuda::seg::otsu(v, 0, 0, t);
          if (!r.ok()) return r.error();
          return r->mask;
        });
        break;
      default:
        mismatches += timeGpu(row, job.runs, want, [&](cuda::seg::Timing* t) {
          return cuda::seg::dilate(*job.boneMask, job.dilateMm, t);
        });
    }
    rows.push_back(row);
  }
  return mismatches;
}

void printGpuRows(const std::vector<GpuRow>& rows) {
  if (rows.empty()) return;
  std::printf(
      "\nCUDA (CUDA events, one warm-up call, medians [min..max]; upload = the series to the device, "
      "excluded from kernel ms)\n");
  std::printf("%-7s %-10s %24s %12s %12s %7s\n", "input", "algorithm", "kernel ms med [min..max]",
              "upload ms", "download ms", "passes");
  for (const GpuRow& r : rows) {
    if (r.kernelMs.empty()) continue;
    double lo = r.kernelMs[0], hi = r.kernelMs[0];
    for (double x : r.kernelMs) lo = std::min(lo, x), hi = std::max(hi, x);
    std::printf(
        "%-7s %-10s %24s %12s %12s %7s\n", r.input.c_str(), r.algo.c_str(),
        (fmt(median(r.kernelMs), "%.3f") + " [" + fmt(lo, "%.3f") + ".." + fmt(hi, "%.3f") + "]").c_str(),
        fmt(median(r.uploadMs), "%.2f").c_str(), fmt(median(r.downloadMs), "%.2f").c_str(),
        r.algo == "regiongrow" ? std::to_string(r.passes).c_str() : "-");
  }
}

double gpuKernelMs(const std::vector<GpuRow>& rows, const std::string& input, const std::string& algo) {
  for (const GpuRow& r : rows)
    if (r.input == input && r.algo == algo) return median(r.kernelMs);
  return NAN;
}

}  // namespace cvx::bench
