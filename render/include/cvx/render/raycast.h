// SPDX-License-Identifier: MIT
// The CPU back end of volume rendering: hd::shadePixel over tiles of pixels on the thread pool.
#pragma once
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/thread_pool.h>
#include <cvx/core/volume.h>

namespace cvx::render {

// Draws width x height pixels of phase `phase` of v with p (from cvx::raycastParams) and tf:
// rgba gets 4 floats per pixel (premultiplied colour and opacity, row by row), depth (optional)
// 1 float per pixel (mm along the ray; +inf where nothing counts), value (optional) the MIP /
// MinIP / average / iso value (NaN for composite). Every pixel equals hd::shadePixel with
// hd::GridSampler. Runs on pool, or ThreadPool::global() when null. render.bad_request for a phase
// out of range, a null rgba, a size <= 0, an empty volume, a transfer function with fewer than 2
// nodes, or an unsupported pixel type; thread.task_failed if a tile threw.
Status raycastCpu(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                  int width, int height, float* rgba, float* depth = nullptr, float* value = nullptr,
                  ThreadPool* pool = nullptr);

// The same with a second volume fused into the composite (raycast.h's Fusion: p.fusion from
// cvx::fusionParams): phase phase2 of `second`, int16, uint16 or float32. render.bad_request as
// raycastCpu, and for the second volume's phase, type or transfer function.
Status raycastCpuFused(const Volume& v, int64_t phase, const Volume& second, int64_t phase2,
                       const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width, int height,
                       float* rgba, float* depth = nullptr, float* value = nullptr, ThreadPool* pool = nullptr);

// Out of core (core/hd/raycast_slab.h): raycastCpu's image, bit for bit, holding at most
// budgetBytes of the phase's voxels at a time: slab by slab (cvx::planSlabs), each copied into one
// buffer, every ray's state carried from slab to slab. slabs (optional) gets the number of slabs
// cast. render.budget_too_small when a slab and its apron do not fit; raycastCpu's errors, and
// render.bad_request for a camera neither perspective nor parallel.
Status raycastCpuSlabs(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                       size_t budgetBytes, int width, int height, float* rgba, float* depth = nullptr,
                       float* value = nullptr, ThreadPool* pool = nullptr, int* slabs = nullptr);

}  // namespace cvx::render
