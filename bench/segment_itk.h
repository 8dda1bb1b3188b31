// SPDX-License-Identifier: MIT
// bench_segment's peer: ITK's filters set up to compute the labels of cvx::seg under the documented
// rules (the setup of tests/itk/itk_segment_test.cpp and itk_otsu_test.cpp): BinaryThreshold,
// ConnectedThreshold (face = 6, full = 26), OtsuThreshold with the given bin count (v <= T is the
// lower class), BinaryDilate with the flat element of cvx's ball. ITK templates stay in
// segment_itk.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/volume.h>
#include <cvx/seg/segment.h>

namespace cvx::bench {

// One run of a filter: Update()'s time, the foreground voxels of its output, and the growth of
// the process's peak RSS over Update() (segment_mem.h; -1 when unknown).
struct ItkRun {
  double ms = 0;
  int64_t count = -1;
  int64_t peakGrowth = -1;
};

class ItkPeer {
 public:
  // Copies phase 0 of v (Int16 or UInt16) into an ITK image; ok() is false for another type.
  explicit ItkPeer(const Volume& v);
  ~ItkPeer();
  ItkPeer(const ItkPeer&) = delete;
  ItkPeer& operator=(const ItkPeer&) = delete;
  bool ok() const;

  // ITK's global default thread count (the filters made afterwards use it).
  static void setThreads(unsigned n);
  static unsigned threads();

  // Bounds in stored values, inclusive, already integers within the pixel type.
  ItkRun threshold(int64_t lo, int64_t hi);
  ItkRun connectedThreshold(const seg::Index3& seed, int64_t lo, int64_t hi, int connectivity);
  // The upper class (v > ITK's threshold) counted; threshold receives ITK's threshold.
  ItkRun otsu(int bins, double* threshold = nullptr);
  // Dilation of `mask` (UInt8, foreground 1) with the flat element made of `ball`.
  void setMask(const Volume& mask);
  ItkRun dilate(const std::vector<seg::Index3>& ball);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cvx::bench
