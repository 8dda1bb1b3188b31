// SPDX-License-Identifier: MIT
// The back-end interface (CPU, CUDA) and the registry that picks one at start-up.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/volume.h>

namespace cvx {

// What a back end can do; filled by the back end, read by the UI and the planner.
struct BackendCapabilities {
  bool gpu = false;                 // runs on a device (uploads cost a transfer)
  int64_t maxVolumeDim = 0;         // largest edge of an uploaded volume (0: no limit)
  uint64_t memoryBytes = 0;         // memory available for volumes (0: unknown)
  std::string device;               // human description, e.g. "NVIDIA H100 (sm_90)"
};

// An uploaded volume, owned by the back end that returned it.
struct VolumeHandle {
  uint64_t id = 0;  // 0 is never a valid handle
};

// One volume-rendering request: render::raycastCpu's contract (and raycastCpuFused's when `second`
// is set). A back end that keeps a copy of the voxels (CUDA: on the device, across frames) reuses
// it while (volume, phase, revision) stay the same; the caller changes `revision` whenever the
// voxels change in place (progressive loading, editing). The tables p and tf point to are read
// during the call only.
struct RaycastJob {
  const Volume* volume = nullptr;
  int64_t phase = 0;
  uint64_t revision = 0;
  const Volume* second = nullptr;  // fused into the composite (p.fusion), or null
  int64_t phase2 = 0;
  hd::RaycastParams params;
  hd::TransferFunction1D tf;
  int width = 0, height = 0;
  float* rgba = nullptr;   // 4 floats per pixel, premultiplied
  float* depth = nullptr;  // optional
  float* value = nullptr;  // optional
};

// Narrow on purpose: the algorithms live in core/hd; a back end only runs their loops.
// Rendering and reslicing are added here as they arrive. No method throws.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual BackendCapabilities capabilities() const = 0;
  // Makes the voxels of all phases available to the back end (a device copy for CUDA).
  virtual Result<VolumeHandle> uploadVolume(const Volume& volume) = 0;
  // Frees one upload; backend.bad_handle if it is not (or no longer) one of ours.
  virtual Status release(VolumeHandle handle) = 0;
  // Frees everything this back end holds (also done by the destructor).
  virtual void releaseAll() = 0;
  // Volume rendering (RaycastJob). The request's errors as the CPU's (render.bad_request), and
  // the back end's own (cuda.fault: the caller marks the back end unusable and falls back).
  virtual Status raycast(const RaycastJob& job) = 0;
  // Volume rendering with the image left where the back end drew it, for a display that reads it
  // there (the 3D view's OpenGL texture written by CUDA: cuda::GlTarget): `use` is called with the
  // width x height premultiplied float RGBA in the back end's device memory, row 0 the image's
  // top (job.rgba, depth and value are ignored), while no other frame of this back end can run;
  // its Status is returned. render.no_device_frame (the default): the back end draws into host
  // memory only, through raycast().
  using DeviceFrameUse = std::function<Status(const float* deviceRgba)>;
  virtual Status withDeviceFrame(const RaycastJob& job, const DeviceFrameUse& use) {
    (void)job, (void)use;
    return makeError("render.no_device_frame", name() + " draws into host memory only");
  }
  // Starts copying phase `phase` of v (revision as RaycastJob's) to where this back end draws, in
  // the background, so that the frame that later asks for it does not wait on the copy (the 3D view
  // asks for a cine loop's next phase). v is kept alive until the copy ends. Never waits, never
  // fails: a phase not copied ahead is copied by its frame. A back end drawing from host memory (the
  // CPU) has nothing to copy.
  virtual void prefetch(std::shared_ptr<const Volume> v, int64_t phase, uint64_t revision) {
    (void)v, (void)phase, (void)revision;
  }
};

struct BackendEntry {
  std::string name;    // "cpu", "cuda"
  int priority = 0;    // higher wins when its probe passes
  // Cheap check that the back end can run here; sets *why when it cannot. Run once, cached.
  std::function<bool(std::string* why)> probe;
  std::function<Result<std::unique_ptr<Backend>>()> factory;
};

// Maps a name to a factory. Back ends register themselves (the CUDA one only when its device
// probe passes); selection logs its choice and honours CVX_BACKEND=<name>.
class BackendRegistry {
 public:
  static BackendRegistry& global();

  // backend.duplicate when the name is taken, backend.invalid without a name or factory.
  Status add(BackendEntry entry);
  std::vector<std::string> names() const;  // highest priority first
  bool has(std::string_view name) const;
  // After a fault (e.g. a CUDA error) the back end is skipped for the rest of the process.
  void markUnusable(std::string_view name, std::string reason);
  // True when registered, not marked unusable and its probe passes.
  bool usable(std::string_view name) const;

  // Picks a back end: `requested` if non-empty and usable, otherwise the highest-priority usable
  // one. A requested name that is unknown gives backend.unknown; a known but unusable one logs a
  // warning and falls back. A factory that fails marks its back end unusable and falls back.
  // backend.none when nothing is usable.
  Result<std::unique_ptr<Backend>> select(std::string_view requested);
  // select() with the value of the environment variable CVX_BACKEND (empty when unset).
  Result<std::unique_ptr<Backend>> selectFromEnvironment();

 private:
  struct Slot {
    BackendEntry entry;
    int probed = -1;  // -1 not yet, 0 failed, 1 passed
    std::string why;  // probe failure or unusable reason
    bool unusable = false;
  };
  bool usableLocked(Slot& slot) const;
  Slot* findLocked(std::string_view name) const;

  mutable std::mutex mutex_;
  mutable std::vector<Slot> slots_;  // sorted by priority, highest first
};

// The checks every back end makes of an image request (reslice, ray casting), in one place:
// render.bad_request for a null output, a size <= 0, a phase outside the volume or an empty volume.
Status checkImageRequest(const Volume& v, int64_t phase, int width, int height, const void* out);

// And of a ray-casting request (both back ends): checkImageRequest's, then render.bad_request for a
// transfer function without 2 nodes over lo < hi, a 2D table without 2 x 2 nodes over lo < hi and
// gMax > 0, a depth input whose rows are not the image's, or a step below hd::kMinStepMm or NaN.
Status checkRaycastRequest(const Volume& v, int64_t phase, const hd::RaycastParams& p,
                           const hd::TransferFunction1D& tf, int width, int height, const void* out);

// And of the second volume of a fused request (hd::Fusion): checkImageRequest's for its phase, then
// render.bad_request for a type other than int16, uint16 or float32, or p.fusion.tf without 2 nodes
// over lo < hi.
Status checkFusionRequest(const Volume& second, int64_t phase2, const hd::RaycastParams& p, int width, int height,
                          const void* out);

// Calls f with a null pointer of t's voxel type, one of those hd::GridSampler reads (uint8, int16,
// uint16, float32, RGB8, RGB16, RGB32), and returns its Status; render.bad_request naming any other
// type. One dispatch for every back end.
template <class F>
Status withVoxelType(PixelType t, F&& f) {
  switch (t) {
    case PixelType::UInt8: return f(static_cast<const uint8_t*>(nullptr));
    case PixelType::Int16: return f(static_cast<const int16_t*>(nullptr));
    case PixelType::UInt16: return f(static_cast<const uint16_t*>(nullptr));
    case PixelType::Float32: return f(static_cast<const float*>(nullptr));
    case PixelType::RGB8: return f(static_cast<const hd::Rgb<uint8_t>*>(nullptr));
    case PixelType::RGB16: return f(static_cast<const hd::Rgb<uint16_t>*>(nullptr));
    case PixelType::RGB32: return f(static_cast<const hd::Rgb<uint32_t>*>(nullptr));
    default: break;
  }
  return makeError("render.bad_request", std::string("no volume rendering for pixel type ") + toString(t));
}

}  // namespace cvx
