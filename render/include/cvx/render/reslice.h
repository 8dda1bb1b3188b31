// SPDX-License-Identifier: MIT
// The CPU back end of MPR: hd::reslicePixel over tiles of rows on the thread pool.
#pragma once
#include <cstdint>
#include <functional>

#include <cvx/core/error.h>
#include <cvx/core/hd/reslice.h>
#include <cvx/core/thread_pool.h>
#include <cvx/core/volume.h>

namespace cvx::render {

// Writes width*height modality values, row by row (out[y*width + x]), of phase `phase` of v resliced
// with p (from cvx::resliceParams): stored * info.rescaleSlope + info.rescaleIntercept unless
// info.rescaleApplied; RGB volumes give Rec. 601 luminance. A pixel with no sample inside the grid
// is NaN, as are all pixels when p is not finite. Every pixel equals hd::reslicePixel with
// hd::GridSampler (the fast paths skip only checks they have proven true). Runs on pool, or on
// ThreadPool::global() when null. render.bad_request for a phase out of range, a null out, a size
// <= 0, an empty volume or an unsupported pixel type; thread.task_failed if a tile threw.
// rowsDone, when set, is called on the worker that wrote rows [y0, y1) right after it wrote them
// (each row once, bands in any order and concurrently): work on those rows while they are in cache.
using RowsDone = std::function<void(int64_t y0, int64_t y1)>;
Status resliceCpu(const Volume& v, int64_t phase, const hd::ResliceParams& p, int width, int height,
                  float* out, ThreadPool* pool = nullptr, const RowsDone& rowsDone = {});

}  // namespace cvx::render
