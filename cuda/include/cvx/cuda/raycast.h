// SPDX-License-Identifier: MIT
// Volume rendering on the GPU: hd::shadePixel, one thread per pixel. No CUDA type in this header.
#pragma once
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/volume.h>

namespace cvx::cuda {

// The contract of render::raycastCpu (the CPU back end is the oracle in tests; values agree up to
// float contraction on the device): copies phase `phase` of v, the transfer function (nodes and
// pre-integration table), the brick map and the scene depth to the device, renders, and copies
// rgba (and depth, value when not null) back. render.bad_request for the CPU's bad requests,
// cuda.no_device without a usable device, cuda.fault on any CUDA error.
Status raycast(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
               int height, float* rgba, float* depth = nullptr, float* value = nullptr);

// render::raycastCpuFused's contract: a second volume fused into the composite (p.fusion).
Status raycastFused(const Volume& v, int64_t phase, const Volume& second, int64_t phase2, const hd::RaycastParams& p,
                    const hd::TransferFunction1D& tf, int width, int height, float* rgba, float* depth = nullptr,
                    float* value = nullptr);

}  // namespace cvx::cuda
