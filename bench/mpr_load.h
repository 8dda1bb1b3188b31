// SPDX-License-Identifier: MIT
// bench_mpr's loading figures: the first drawn image after a series is chosen, and the peak
// resident memory of reading a big series (in a child process, so that nothing else counts).
#pragma once
#include <string>

namespace cvx::bench {

struct FirstImage {
  double afterLoadMs = 0;  // load the whole series, then draw
  double earlyMs = 0;      // draw as soon as the slices the view needs are in place
  double loadMs = 0;       // the whole load (the early path's load, to its end)
  std::string error;
};

// From "series chosen" (the scan and plan are known, as the study database knows them) to the
// first 8-bit image of the middle axial slice at width x height through ViewerState +
// ViewRenderer, the load included; the median of `repeat` runs of each path.
FirstImage firstImage(const std::string& dir, int width, int height, int repeat);

// This process as a child: loads dir, draws a few frames of all three views and a 10 mm MIP slab,
// prints "BIG hwm=<bytes> voxels=<bytes> load_s=<s>". Returns the exit code.
int bigChild(const std::string& dir, int width, int height);

struct BigFigures {
  double hwmBytes = 0, voxelBytes = 0, loadS = 0;
  std::string error;
};
// Runs this binary as `--big-child dir width height` and reads its line.
BigFigures spawnBig(const std::string& dir, int width, int height);

}  // namespace cvx::bench
