// SPDX-License-Identifier: MIT
// bench_segment's figures: the runs of one algorithm on one input (CineVox and ITK), the check that
// every run counts the same voxels, and the table.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/volume.h>

namespace cvx::bench {

constexpr double kMiB = 1024.0 * 1024.0;

// The nonzero voxels of a mask's first phase (UInt8): the count every run must agree on.
int64_t countForeground(const Volume& mask);

// "NA" for a value that is not finite.
std::string fmt(double v, const char* f = "%.2f");
std::string loadAverage();  // /proc/loadavg's three figures
double median(std::vector<double> v);

struct Side {
  std::vector<double> ms;
  std::vector<int64_t> counts;  // foreground voxels of each run's output
  int64_t peak = -1;            // the largest peak growth over the runs, bytes
  double med() const { return median(ms); }
  double lo() const;
  double hi() const;
};

struct Row {
  std::string input, algo, note;
  Side cvx, itk;
  int64_t voxels = 0, outBytes = 0;
  bool ran() const { return !cvx.ms.empty(); }
  double ratio() const { return cvx.med() > 0 && itk.med() > 0 ? itk.med() / cvx.med() : NAN; }
};

// Every run of both sides must count what CineVox's first run counted; each difference is printed
// loudly. Returns the number of differences.
int checkCounts(const Row& r);

void printRows(const std::vector<Row>& rows);

}  // namespace cvx::bench
