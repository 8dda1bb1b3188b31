// SPDX-License-Identifier: MIT
// MPR on the GPU: hd::reslicePixel, one thread per output pixel. No CUDA type in this header.
#pragma once
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/reslice.h>
#include <cvx/core/volume.h>

namespace cvx::cuda {

// The contract of render::resliceCpu (same values up to float contraction on the device; the
// CPU back end is the oracle in tests): copies phase `phase` of v to the device, reslices it with p
// into width*height floats and copies them to out. render.bad_request for the same bad requests as
// the CPU, cuda.no_device without a usable device, cuda.fault on any CUDA error.
Status reslice(const Volume& v, int64_t phase, const hd::ResliceParams& p, int width, int height, float* out);

}  // namespace cvx::cuda
