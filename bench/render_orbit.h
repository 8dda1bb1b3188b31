// SPDX-License-Identifier: MIT
// The camera path, frame timing and number printing that bench_render (CPU, VTK) and bench_render_gpu (CUDA) share:
// no VTK here, so that the GPU benchmark builds on a bare GPU machine (the gpu-core preset).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/raycast.h>
#include <cvx/core/volume.h>

namespace cvx::bench {

struct RenderSetup {
  int width = 512, height = 512, frames = 36;
  double stepDeg = 10;  // azimuth per frame, around the volume's centre
  bool perspective = true;
  double fovYDeg = 30;
  unsigned threads = 2;
  std::string dump;  // a folder for PPM images of the checked frame; empty: none
  bool skipOnly = false;  // only the skipping frames (profiling): no plain, no moving frames
};

// Frame i of the orbit: from the front (anterior, patient's right on the image's left) turned by
// i * stepDeg about the patient's long axis through the volume's centre. The view's height covers
// the volume's diagonal across the axial plane (with a margin), so a volume taller than it is wide
// fills the image rather than shrinking to a column.
Camera3D orbitCamera(const Volume& v, const RenderSetup& s, int i);

struct Timing {
  double medianMs = 0, p95Ms = 0, fps = 0;  // fps: 1000 / median
  double firstMs = 0;                       // the untimed first frame (VTK: gradients are built there)
  double setupMs = 0;                       // CineVox skipping: brick ranges and skip map
  double mapMs = 0;                         // of which the skip map (per transfer function)
};

// The cine benchmarks' 4D series (bench_render's render_cine, bench_render_gpu): `phases` copies of
// ct's first phase, phase t brighter by 20 t stored values; Int16 or UInt16 only (else an error).
Result<std::shared_ptr<Volume>> cineSeriesOf(const Volume& ct, int phases);

// The median, 95th percentile and fps of frame times in seconds.
Timing timingOf(std::vector<double> seconds);

// v printed with fmt, or "NA" when it is not finite (a RESULT line's value).
std::string num(double v, const char* fmt = "%.2f");

}  // namespace cvx::bench
