// SPDX-License-Identifier: MIT
// The CT for the GPU benchmarks (bench_render_gpu, bench_segment_cuda), which build in gpu-core
// without a DICOM reader: raw little-endian int16 HU (--ct FILE --dims X,Y,Z --spacing X,Y,Z;
// tools/gpu_bench_ct.sh writes it here from ../shared/data/ct), or without --ct the committed CT
// crop (tests/cuda/data) tiled to the CT's size, said so. Volumes are Int16 HU: slope 1, intercept 0.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <cvx/core/volume.h>

namespace cvx::bench {

struct CtSource {
  std::string ct;  // the raw file; empty: the committed crop tiled
  int64_t dims[3] = {512, 512, 134};
  double spacing[3] = {0.977, 0.977, 3.0};
};

// Takes --ct, --dims and --spacing (k and its value v) into s; false for any other option.
bool parseCtOption(const std::string& k, const char* v, CtSource& s);

// The CT, or null with why in `what`; `what` says what was read otherwise.
std::shared_ptr<Volume> loadCt(const CtSource& s, std::string& what);

// nz slices: the CT's slices cycled (slice k is the CT's slice k mod its count), as bench_render.
std::shared_ptr<Volume> cycledCt(const CtSource& s, const Volume& ct, int64_t nz);

}  // namespace cvx::bench
