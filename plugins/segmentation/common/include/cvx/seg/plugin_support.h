// SPDX-License-Identifier: MIT
// What every segmentation plugin over cvx::seg needs, once (docs/segmentation.md, "Plugins"):
//  - the host's buffers as Volumes without a copy (Volume::borrow; the host keeps them alive for
//    the run, and the borrowed Volumes never outlive it),
//  - bounds in the series' units -> stored units (cvx::seg compares stored values),
//  - enum parameters such as connectivity "6" | "26",
//  - a cvx::seg function run with its cvx::Progress bridged to the run: progress forwarded and the
//    host's cancel turned into Progress::cancel(), and its error turned into a plugin status,
//  - a cvx::seg mask copied into run.labels().
// Everything here throws cvx::plugin::Failure; call it inside cvx::plugin::guardedSegment().
#pragma once
#include <chrono>
#include <cstdint>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include <cvx/core/error.h>
#include <cvx/core/plugin/plugin.h>
#include <cvx/core/progress.h>
#include <cvx/core/volume.h>

namespace cvx::seg::plugin {

using cvx::plugin::Failure;
using cvx::plugin::SegmentRun;

// The input phase the host handed over, as a Volume (its pixel type, dims x, y, z, t = 1, and
// the geometry of the view's worldFromVoxel and spacing). No copy: valid during the run only.
std::shared_ptr<const Volume> borrowInput(const SegmentRun& run);
// The request's mask (run.mask(): a "segment" or "seeds" plugin) as a UInt8 Volume on the input's
// grid and geometry. No copy; Failure(CVX_STATUS_BAD_INPUT) when the host gave none.
std::shared_ptr<const Volume> borrowMask(const SegmentRun& run);

// [lower, upper] in the series' units -> [lo, hi] in stored units (value = stored * slope +
// intercept, so stored = (value - intercept) / slope; a negative slope swaps the ends).
// Failure(CVX_STATUS_BAD_PARAM) for lower > upper, (CVX_STATUS_BAD_INPUT) for a slope that is 0
// or not finite.
std::pair<double, double> storedRange(const SegmentRun& run, double lower, double upper);

// The connectivity parameter every connected-set plugin shares: "6" (faces) or "26" (faces, edges
// and corners); defaultIndex 0 chooses 6, 1 chooses 26. Read it with enumInt(run, "connectivity").
inline constexpr const char* kConnectivityChoices[] = {"6", "26"};
constexpr CvxParamSpec connectivityParam(int defaultIndex) {
  return {"connectivity", "Connectivity", CVX_PARAM_ENUM, 0, static_cast<double>(defaultIndex), 0, 0, "",
          kConnectivityChoices, 2, "6: faces; 26: faces, edges and corners."};
}

// An enum parameter's chosen value as a number ("6" -> 6); Failure(CVX_STATUS_BAD_PARAM) when it
// is not a whole number.
int enumInt(const SegmentRun& run, const char* name);
// An enum parameter's chosen value ("dilate").
std::string enumText(const SegmentRun& run, const char* name);

// Copies a UInt8 volume of the input's x, y, z dims (phase 0) into run.labels(), every value as it
// is. Failure(CVX_STATUS_FAILED) when it is not such a volume.
void writeLabels(const SegmentRun& run, const Volume& labels);

// A cvx::seg error as the plugin status it stands for: seg.cancelled -> CVX_STATUS_CANCELLED,
// *.out_of_memory -> CVX_STATUS_OUT_OF_MEMORY, seg.bad_pixel_type / seg.bad_phase ->
// CVX_STATUS_BAD_INPUT, other seg.bad_* -> CVX_STATUS_BAD_PARAM, cuda.* (no usable device, a CUDA
// error, device memory exhausted) -> CVX_STATUS_DEVICE_FAULT (the host then runs the CPU back end),
// anything else CVX_STATUS_FAILED.
// The message keeps the code ("seg.bad_radius: ...").
[[noreturn]] void fail(const Error& e);

// Runs fn() -> Result<T> (a cvx::cuda::seg function without a Progress) for a run on the CUDA
// back end and returns the value, or throws fail(error). Cancel is honoured before the launch.
template <class Fn>
auto onDevice(const SegmentRun& run, Fn&& fn) {
  if (run.cancelled()) throw Failure(CVX_STATUS_CANCELLED, "cancelled");
  auto result = fn();
  if (!result.ok()) fail(result.error());
  return std::move(result).value();
}

// Runs fn(Progress*) -> Result<T> on a worker thread while the calling thread, every few
// milliseconds, forwards the Progress's fraction to run.progress() and, when the host asks to
// cancel, calls Progress::cancel() (cvx::seg then returns seg.cancelled). Returns the value or
// throws fail(error). What fn throws is rethrown here (guardedSegment catches it).
template <class Fn>
auto bridged(const SegmentRun& run, Fn&& fn) {
  Progress progress;
  auto job = std::async(std::launch::async, [&progress, &fn] { return fn(&progress); });
  while (job.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    if (!progress.cancelled() && run.cancelled()) progress.cancel();
    run.progress(progress.fraction());
  }
  auto result = job.get();
  if (!result.ok()) fail(result.error());
  return std::move(result).value();
}

}  // namespace cvx::seg::plugin

// True in plugins built with their CUDA back end (CMake: cvx_add_seg_plugin(... CUDA) in a build
// with cvx::cuda); their manifests then list "cuda" too.
#ifndef CVX_SEG_WITH_CUDA
#define CVX_SEG_WITH_CUDA 0
#endif
#if CVX_SEG_WITH_CUDA
#define CVX_SEG_BACKENDS (CVX_BACKEND_CPU | CVX_BACKEND_CUDA)
#else
#define CVX_SEG_BACKENDS CVX_BACKEND_CPU
#endif

// A segmenter's one exported entry: the ABI record with this build's API version and size, its
// back ends, and the parameter table's length counted by the compiler (never by hand).
#define CVX_SEG_PLUGIN(ID, NAME, VERSION, PARAMS, SEGMENT)                                            \
  CVX_PLUGIN_ENTRY {                                                                                 \
    static const CvxPluginApi api = {CVX_PLUGIN_API_VERSION, sizeof(CvxPluginApi), ID, NAME, VERSION, \
                                     CVX_KIND_SEGMENTER, CVX_SEG_BACKENDS, PARAMS,                    \
                                     static_cast<uint32_t>(std::size(PARAMS)), SEGMENT, nullptr, {}};  \
    return &api;                                                                                     \
  }
