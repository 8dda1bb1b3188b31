// SPDX-License-Identifier: MIT
// Volume rendering on the GPU: hd::shadePixel, one thread per pixel. No CUDA type in this header.
#pragma once
#include <cstddef>
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/volume.h>

namespace cvx::cuda {

// The contract of render::raycastCpu (the CPU back end is the oracle in tests; values agree up to
// float contraction on the device): copies phase `phase` of v, the transfer function (nodes and
// pre-integration table), the brick map and the scene depth to the device, renders, and copies
// rgba (and depth, value when not null) back. A phase larger than volumeBudgetBytes() is cast out of
// core (raycastSlabs). render.bad_request for the CPU's bad requests,
// cuda.no_device without a usable device, cuda.fault on any CUDA error.
Status raycast(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
               int height, float* rgba, float* depth = nullptr, float* value = nullptr);

// render::raycastCpuFused's contract: a second volume fused into the composite (p.fusion).
Status raycastFused(const Volume& v, int64_t phase, const Volume& second, int64_t phase2, const hd::RaycastParams& p,
                    const hd::TransferFunction1D& tf, int width, int height, float* rgba, float* depth = nullptr,
                    float* value = nullptr);

// Out of core (core/hd/raycast_slab.h): raycast's image holding at most budgetBytes of the phase's
// voxels on the device at a time, slab by slab (cvx::planSlabs), the rays' state kept on the device.
// slabs (optional) gets the number of slabs. raycast's errors and render.budget_too_small.
Status raycastSlabs(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                    size_t budgetBytes, int width, int height, float* rgba, float* depth = nullptr,
                    float* value = nullptr, int* slabs = nullptr);

// The device memory one volume may take: CVX_CUDA_BUDGET_MB (MiB) when set, else 70% of the free
// device memory; 0 when the device cannot say. raycast casts out of core above it.
size_t volumeBudgetBytes();

}  // namespace cvx::cuda
