// SPDX-License-Identifier: MIT
// bench_segment's CUDA column (cvx::cuda::seg): the same four algorithms on the same inputs, timed
// with CUDA events after one warm-up call: upload (host to device), kernels (device synchronised)
// and download reported separately; every run's foreground count must equal CineVox's CPU count.
// Built only where cvx_cuda exists (CVX_BENCH_CUDA); without a usable device every figure is NA.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/volume.h>

namespace cvx::bench {

struct GpuRow {
  std::string input, algo;
  std::vector<double> uploadMs, kernelMs, downloadMs;
  int passes = 0;  // region growing: propagation passes of the last run
};

struct GpuJob {
  const Volume* volume = nullptr;
  const Volume* boneMask = nullptr;  // the dilation's input
  int64_t seed[3] = {0, 0, 0};
  double boneLo = 0, boneHi = 0, lungLo = 0, lungHi = 0, dilateMm = 2;
  int runs = 3;
  std::string only;                         // one algorithm, else all four
  int64_t cpuCounts[4] = {-1, -1, -1, -1};  // threshold, regiongrow, otsu, dilate (-1: not run)
};

// Whether the device is usable; why not otherwise (printed as the CUDA line of the header).
bool gpuUsable(std::string& why);

// Appends the input's four rows; returns the number of count mismatches against the CPU (printed
// with !!! MISMATCH, as the CPU/ITK checks).
int runGpuInput(const std::string& input, const GpuJob& job, std::vector<GpuRow>& rows);

void printGpuRows(const std::vector<GpuRow>& rows);

// The median kernel time of input/algo, NaN when absent.
double gpuKernelMs(const std::vector<GpuRow>& rows, const std::string& input, const std::string& algo);

}  // namespace cvx::bench
