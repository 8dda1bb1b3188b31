// The plugin author's side of the ABI in C++ (header-only, standard library only): a view of a
// segment request, and guardedSegment(), which runs a C++ function and turns whatever it throws
// into a status code plus a message, so that no exception ever crosses the C boundary.
//
//   static int run(const CvxSegmentRequest* r) {
//     return cvx::plugin::guardedSegment(r, [](cvx::plugin::SegmentRun& s) { ...; s.checkCancel(); });
//   }
//   CVX_PLUGIN_ENTRY { static const CvxPluginApi api = {...}; return &api; }
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <cvx/core/plugin/abi.h>

// Defines the one exported symbol: `CVX_PLUGIN_ENTRY { return &table; }`.
#define CVX_PLUGIN_ENTRY extern "C" CVX_PLUGIN_VISIBLE const CvxPluginApi* cvx_plugin_entry(void)

namespace cvx::plugin {

// Throw to fail a run with a given status (guardedSegment() turns it into that status).
class Failure : public std::runtime_error {
 public:
  Failure(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// A C++ view of a CvxSegmentRequest.
class SegmentRun {
 public:
  explicit SegmentRun(const CvxSegmentRequest& r) : r_(r) {}
  const CvxSegmentRequest& request() const { return r_; }
  // The back end the host chose (one the plugin declared).
  bool onCuda() const { return r_.backend == CVX_BACKEND_CUDA; }
  const CvxVolumeView& input() const { return r_.input; }
  int64_t voxelCount() const { return r_.input.dims[0] * r_.input.dims[1] * r_.input.dims[2]; }
  template <class T>
  const T* voxels() const { return static_cast<const T*>(r_.input.data); }
  uint8_t* labels() const { return r_.output.data; }
  // The mask the host handed over (the manifest's "input": "segment" or "seeds"), voxelCount()
  // bytes on the input grid; throws Failure(CVX_STATUS_BAD_INPUT, "this plugin needs a segment")
  // when there is none (an "image" plugin, or a host older than the mask field).
  const uint8_t* mask() const {
    if (r_.structSize < sizeof(CvxSegmentRequest) || !r_.mask.data)
      throw Failure(CVX_STATUS_BAD_INPUT, "this plugin needs a segment");
    for (int a = 0; a < 3; ++a)
      if (r_.mask.dims[a] != r_.input.dims[a]) throw Failure(CVX_STATUS_BAD_INPUT, "the mask is not on the input's grid");
    return r_.mask.data;
  }
  // Stored value -> the series' units (HU for CT).
  double modalityValue(double stored) const { return stored * r_.input.valueSlope + r_.input.valueIntercept; }

  // The value of a parameter; throws Failure(CVX_STATUS_BAD_PARAM) when the host gave none.
  const CvxParamValue& param(const char* name) const {
    for (uint32_t i = 0; i < r_.paramCount; ++i)
      if (r_.params[i].name && std::strcmp(r_.params[i].name, name) == 0) return r_.params[i];
    throw Failure(CVX_STATUS_BAD_PARAM, std::string("missing parameter ") + name);
  }
  double number(const char* name) const { return param(name).number; }
  bool flag(const char* name) const { return param(name).number != 0.0; }

  void progress(double fraction) const {
    if (r_.progress) r_.progress(r_.callbackUser, fraction);
  }
  bool cancelled() const { return r_.cancelled && r_.cancelled(r_.callbackUser) != 0; }
  // Throws Failure(CVX_STATUS_CANCELLED) when cancel was asked.
  void checkCancel() const {
    if (cancelled()) throw Failure(CVX_STATUS_CANCELLED, "cancelled");
  }

 private:
  const CvxSegmentRequest& r_;
};

// Writes a message into the host's buffer (truncated, always NUL-terminated).
inline void writeError(const CvxSegmentRequest* r, const char* message) noexcept {
  if (!r || !r->errorMessage || r->errorCapacity == 0) return;
  const size_t n = std::min(std::strlen(message ? message : ""), r->errorCapacity - 1);
  if (n) std::memcpy(r->errorMessage, message, n);
  r->errorMessage[n] = '\0';
}

// Runs fn(SegmentRun&) (returning void or a CvxStatus) and catches everything it throws:
// Failure gives its status, std::bad_alloc CVX_STATUS_OUT_OF_MEMORY, anything else
// CVX_STATUS_EXCEPTION, each with its message in the host's buffer.
template <class Fn>
int guardedSegment(const CvxSegmentRequest* r, Fn&& fn) noexcept {
  if (!r || r->structSize < CVX_SEGMENT_REQUEST_V1_SIZE || !r->input.data || !r->output.data) {
    writeError(r, "malformed request");
    return CVX_STATUS_BAD_INPUT;
  }
  try {
    SegmentRun run(*r);
    if constexpr (std::is_void_v<decltype(fn(run))>) {
      fn(run);
      return CVX_STATUS_OK;
    } else {
      return static_cast<int>(fn(run));
    }
  } catch (const Failure& f) {
    writeError(r, f.what());
    return f.status();
  } catch (const std::bad_alloc&) {
    writeError(r, "out of memory");
    return CVX_STATUS_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    writeError(r, e.what());
    return CVX_STATUS_EXCEPTION;
  } catch (...) {
    writeError(r, "unknown exception");
    return CVX_STATUS_EXCEPTION;
  }
}

}  // namespace cvx::plugin
